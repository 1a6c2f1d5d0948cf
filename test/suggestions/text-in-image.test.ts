/**
 * Text in the image, read on this machine by tesseract.js with the language data of the
 * registry packages: a banner drawn with the seed's bitmap font gets a suggestion holding its
 * words, from OCR; a photo without text gets none. The file comes from a loopback URL; the
 * fetch is counted, and is the only request made.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { IndexedAsset } from '../../src/core/api.ts';
import { drawBanner } from '../../src/sandbox/seed/banner.ts';
import { drawJpeg } from '../../src/sandbox/seed/jpeg.ts';
import { encodePng } from '../../src/sandbox/seed/png.ts';
import { upsertAssets } from '../../src/server/store/asset-index.ts';
import { createSuggestions } from '../../src/server/suggestions/service.ts';
import { createTextReader } from '../../src/server/suggestions/text-in-image.ts';
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
});

/** The nice value of each thread of this process, by thread id (Linux: /proc/self/task/<tid>/stat, field 19). */
function threadNiceness(): Map<number, number> {
  const nice = new Map<number, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      nice.set(Number(tid), Number(fields[16]));
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return nice;
}

describe('the OCR thread', () => {
  it.runIf(process.platform === 'linux')('reads at the lowest CPU priority while the rest of the backend keeps its own', { timeout: 120_000 }, async () => {
    const before = threadNiceness();
    const reader = createTextReader();
    try {
      const reading = await reader.read(banner);
      expect(reading?.text.toLowerCase()).toMatch(/summer sale/);
      const after = threadNiceness();
      const lowered = [...after].filter(([tid, nice]) => !before.has(tid) && nice === 19);
      expect(lowered.length).toBeGreaterThanOrEqual(1);
      // The event loop's thread (its id is the process id) and the threads it had keep their priority.
      expect(after.get(process.pid)).toBe(before.get(process.pid));
      for (const [tid, nice] of before) if (after.has(tid)) expect(after.get(tid)).toBe(nice);
    } finally {
      await reader.close();
    }
  });
});
