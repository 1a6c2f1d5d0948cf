/**
 * Text in the image, read on this machine by tesseract.js with the language data of the
 * registry packages: a banner drawn with the seed's bitmap font gets a suggestion holding its
 * words, from OCR; a photo without text gets none. The file comes from a loopback URL; the
 * fetch is counted, and is the only request made.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { IndexedAsset } from '../../src/core/api.ts';
import { drawBanner } from '../../src/sandbox/seed/banner.ts';
import { drawJpeg } from '../../src/sandbox/seed/jpeg.ts';
import { encodePng } from '../../src/sandbox/seed/png.ts';
import { upsertAssets } from '../../src/server/store/asset-index.ts';
import { createSuggestions } from '../../src/server/suggestions/service.ts';
import { createTextReader, OCR_PROCESS_PATH, TextReaderStopped, type TextReader } from '../../src/server/suggestions/text-in-image.ts';
import { testStoreKinds, useTestStore } from '../server/store-test-helpers.ts';

const SITE = 'site1';
const PALETTE: [number, number, number][] = [[250, 246, 240], [196, 164, 132], [90, 60, 40], [214, 120, 62], [46, 74, 62]];
const banner = encodePng(drawBanner(1200, 400, ['Summer Sale', '30% off'], 8), PALETTE, 'banner');
const photo = drawJpeg(800, 600, 'sun', PALETTE);

const asset = (id: string, fileName: string, contentType: string): IndexedAsset => ({
  id, name: fileName, fileName, contentType, size: 1, url: `http://127.0.0.1:9/${fileName}`, thumbUrl: null, folderId: null,
  createdOn: '2025-01-01T00:00:00.000Z', lastUpdated: '2025-01-01T00:00:00.000Z', altText: '', localeAltText: {}, md5: null,
});

describe.each(testStoreKinds)('text in the image on %s', (kind) => {
  const stores = useTestStore(kind);
  const reader = createTextReader();
  afterAll(async () => {
    await reader.close();
  });

  it('suggests the words a banner shows, from OCR, reading its file once', { timeout: 120_000 }, async () => {
    const store = stores.current();
    await upsertAssets(store, SITE, [asset('b'.repeat(24), 'IMG_2001.png', 'image/png'), asset('c'.repeat(24), 'IMG_2002.jpg', 'image/jpeg')], 1);
    const fetched: string[] = [];
    const files: Record<string, Uint8Array> = { 'IMG_2001.png': banner, 'IMG_2002.jpg': photo };
    const suggestions = createSuggestions({
      store,
      allowLoopback: true,
      textReader: reader,
      fetch: async (url) => {
        fetched.push(url);
        const file = files[new URL(url).pathname.slice(1)];
        return file ? new Response(Uint8Array.from(file)) : new Response('missing', { status: 404 });
      },
    });

    const first = await suggestions.forAsset(SITE, 'b'.repeat(24));
    expect(first.pending).toEqual(['ocr']);
    await suggestions.idle();
    const second = await suggestions.forAsset(SITE, 'b'.repeat(24));
    expect(second.pending).toEqual([]);
    const fromOcr = second.suggestions.find((s) => s.source === 'ocr');
    expect(fromOcr?.detail).toBe('tesseract (eng+fra+deu)');
    expect(fromOcr?.text.toLowerCase()).toMatch(/summer sale 30%? ?off/);
    expect(fetched).toEqual(['http://127.0.0.1:9/IMG_2001.png']);

    await suggestions.forAsset(SITE, 'c'.repeat(24));
    await suggestions.idle();
    const plain = await suggestions.forAsset(SITE, 'c'.repeat(24));
    expect(plain).toEqual({ assetId: 'c'.repeat(24), suggestions: [], uses: [], unread: [], pending: [] });
  });

  it('gives a file it cannot read as an image no text, once, and reads the next image as before', { timeout: 120_000 }, async () => {
    const store = stores.current();
    const corrupt = 'd'.repeat(24);
    const next = 'e'.repeat(24);
    await upsertAssets(store, SITE, [asset(corrupt, 'broken.png', 'image/png'), asset(next, 'IMG_2003.png', 'image/png')], 1);
    // A PNG's signature, then noise: what a truncated or mislabelled upload looks like.
    const garbage = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251)]);
    const files: Record<string, Uint8Array> = { 'broken.png': garbage, 'IMG_2003.png': banner };
    const errors: unknown[] = [];
    let fetches = 0;
    const suggestions = createSuggestions({
      store,
      allowLoopback: true,
      textReader: reader,
      onError: (error) => errors.push(error),
      fetch: async (url) => {
        fetches += 1;
        const file = files[new URL(url).pathname.slice(1)];
        return file ? new Response(Uint8Array.from(file)) : new Response('missing', { status: 404 });
      },
    });
    expect((await suggestions.forAsset(SITE, corrupt)).pending).toEqual(['ocr']);
    await suggestions.idle();
    expect(errors).toHaveLength(1);
    const after = await suggestions.forAsset(SITE, corrupt);
    expect(after.pending).toEqual([]);
    expect(after.suggestions.filter((s) => s.source === 'ocr')).toEqual([]);
    await suggestions.idle();
    expect(fetches).toBe(1);
    await suggestions.forAsset(SITE, next);
    await suggestions.idle();
    const banner2 = await suggestions.forAsset(SITE, next);
    expect(banner2.suggestions.find((s) => s.source === 'ocr')?.text.toLowerCase()).toMatch(/summer sale/);
  });

  it('reads an image again when the reader stopped under it, instead of keeping it as having no text', async () => {
    const store = stores.current();
    const id = 'f'.repeat(24);
    await upsertAssets(store, SITE, [asset(id, 'IMG_2004.png', 'image/png')], 1);
    let reads = 0;
    const stopsOnce: TextReader = {
      async read() {
        reads += 1;
        if (reads === 1) throw new TextReaderStopped('The text reader stopped (SIGKILL) while reading an image.');
        return { text: 'Summer Sale 30% off', confidence: 0.9 };
      },
      async close() {},
    };
    const errors: unknown[] = [];
    const suggestions = createSuggestions({
      store,
      allowLoopback: true,
      textReader: stopsOnce,
      onError: (error) => errors.push(error),
      // Bytes of their own: readings are kept by MD5, and the banner's was read by a test above.
      fetch: async () => new Response(Uint8Array.from(encodePng(drawBanner(600, 200, ['Stopped once'], 4), PALETTE, 'stopped'))),
    });
    expect((await suggestions.forAsset(SITE, id)).pending).toEqual(['ocr']);
    await suggestions.idle();
    expect(errors).toEqual([expect.any(TextReaderStopped)]);
    // Nothing kept: the next look reads it again (this fake answers at once, so that look may
    // already see the text), and this time the reader answers.
    await suggestions.forAsset(SITE, id);
    await suggestions.idle();
    const read = await suggestions.forAsset(SITE, id);
    expect(read.pending).toEqual([]);
    expect(read.suggestions.find((s) => s.source === 'ocr')?.text).toBe('Summer Sale 30% off');
    expect(reads).toBe(2);
  });
});

/** This process's children running the reading script, with their nice values (Linux: /proc, field 19 of stat). */
function readingProcesses(): Map<number, number> {
  const found = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) !== process.pid) continue;
      if (!readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(OCR_PROCESS_PATH)) continue;
      found.set(Number(entry), Number(fields[16]));
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return found;
}

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Waited ${timeoutMs / 1000} s for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.runIf(process.platform === 'linux')('the reading process', () => {
  it('reads at the lowest CPU priority in a process of its own; the backend keeps its priority', { timeout: 120_000 }, async () => {
    const ownNice = Number(readFileSync('/proc/self/stat', 'utf8').split(') ')[1]?.split(' ')[16]);
    const secret = `not-for-the-reader-${process.pid}`;
    process.env.SESSION_SECRET_FOR_THIS_TEST = secret;
    const reader = createTextReader();
    try {
      expect(readingProcesses().size).toBe(0); // started by the first image, not before
      const reading = await reader.read(banner);
      expect(reading?.text.toLowerCase()).toMatch(/summer sale/);
      expect([...readingProcesses().values()]).toEqual([19]);
      // It reads files people uploaded: none of the backend's environment (its keys) goes with it.
      const [pid] = readingProcesses().keys();
      expect(readFileSync(`/proc/${pid}/environ`, 'utf8')).not.toContain(secret);
      expect(Number(readFileSync('/proc/self/stat', 'utf8').split(') ')[1]?.split(' ')[16])).toBe(ownNice);
    } finally {
      delete process.env.SESSION_SECRET_FOR_THIS_TEST;
      await reader.close();
    }
    expect(readingProcesses().size).toBe(0);
  });

  it('ends after its idle time, and the next image starts another', { timeout: 120_000 }, async () => {
    const reader = createTextReader({ idleMs: 300 });
    try {
      expect((await reader.read(banner))?.text.toLowerCase()).toMatch(/summer sale/);
      const [first] = readingProcesses().keys();
      await until(() => readingProcesses().size === 0, 'the idle reading process to end');
      expect((await reader.read(banner))?.text.toLowerCase()).toMatch(/summer sale/);
      const [second] = readingProcesses().keys();
      expect(second).toBeDefined();
      expect(second).not.toBe(first);
    } finally {
      await reader.close();
    }
  });

  it('fails the image it held when it dies, and reads the next in a new one', { timeout: 120_000 }, async () => {
    const reader = createTextReader();
    try {
      await reader.read(banner); // started and warm
      const [pid] = readingProcesses().keys();
      // Paused first, so that the image is surely in its hands (or on its way) when it dies.
      process.kill(pid as number, 'SIGSTOP');
      const held = reader.read(photo);
      const failed = expect(held).rejects.toThrow(/^The text reader (stopped \(SIGKILL\) while reading an image|could not be given the image)\.$/);
      await new Promise((resolve) => setTimeout(resolve, 50));
      process.kill(pid as number, 'SIGKILL');
      await failed;
      expect((await reader.read(banner))?.text.toLowerCase()).toMatch(/summer sale/);
      expect([...readingProcesses().keys()]).not.toContain(pid);
    } finally {
      await reader.close();
    }
  });

  it('ends, failing the image as not read, when tesseract cannot start (its language data missing)', { timeout: 60_000 }, async () => {
    const empty = mkdtempSync(join(tmpdir(), 'asset-desk-no-languages-'));
    try {
      const ocr = fork(OCR_PROCESS_PATH, [empty, 'eng'], { execArgv: [], env: {}, serialization: 'advanced', stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
      const answer = new Promise<unknown>((resolve) => ocr.once('message', resolve));
      const exited = new Promise<number | null>((resolve) => ocr.once('exit', resolve));
      ocr.send({ id: 7, bytes: banner });
      expect(await answer).toEqual({ id: 7, unavailable: 'The text reader could not start tesseract.' });
      expect(await exited).toBe(1);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('gives the reader’s caller that as a stop, not as an image without text', { timeout: 60_000 }, async () => {
    const folder = mkdtempSync(join(tmpdir(), 'asset-desk-fake-reader-'));
    const script = join(folder, 'unavailable.mjs');
    writeFileSync(script, "process.on('message', ({ id }) => process.send({ id, unavailable: 'The text reader could not start tesseract.' }, () => process.exit(1)));\n");
    const reader = createTextReader({ script });
    try {
      await expect(reader.read(banner)).rejects.toThrow(TextReaderStopped);
      await expect(reader.read(banner)).rejects.toThrow('The text reader could not start tesseract.');
    } finally {
      await reader.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
