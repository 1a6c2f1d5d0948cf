import { describe, expect, it } from 'vitest';
import { BackendError } from '../ports/backend.ts';
import { FakeBackend } from '../testing/fakes.ts';
import { createSmallFiles, fileMark, type ThumbnailAsset } from './files.ts';

const photo = (n: number, version = ''): ThumbnailAsset => ({ id: `a${n}`, thumbUrl: `https://cdn.example/a${n}${version}-p-500.jpg`, contentType: 'image/jpeg' });

describe('thumbnail files', () => {
  it('loads a photo from the backend under the site’s key, asked for once, with the mark of its hosted file', async () => {
    const backend = new FakeBackend();
    const files = createSmallFiles(backend, 'site1');
    const [a, b] = await Promise.all([files.load(photo(1)), files.load(photo(2))]);
    expect(a).toBe(`https://backend.example/api/thumbnails/site1/a1?v=${fileMark('https://cdn.example/a1-p-500.jpg')}&k=${backend.thumbnailKeyAnswer.key}`);
    expect(b).toContain('/a2?');
    expect(backend.thumbnailKeyCalls).toBe(1);
    // Not shown yet: it takes its turn; once shown, at once.
    expect(files.ready(photo(1))).toBeNull();
    files.shown(photo(1), a);
    expect(files.ready(photo(1))).toBe(a);
  });

  it('loads a replaced file anew (another hosted URL, another mark)', async () => {
    const backend = new FakeBackend();
    const files = createSmallFiles(backend, 'site1');
    const before = await files.load(photo(1));
    files.shown(photo(1), before);
    expect(files.ready(photo(1, '_v2'))).toBeNull();
    const after = await files.load(photo(1, '_v2'));
    expect(after).not.toBe(before);
    expect(new URL(after).searchParams.get('v')).toMatch(/^[0-9a-z]{1,16}$/);
  });

  it('asks for a new key a few minutes before the one in hand expires, and loads under it', async () => {
    const backend = new FakeBackend();
    let now = Date.parse('2026-12-05T12:00:00Z');
    backend.thumbnailKeyAnswer = { key: 'first.key', expiresAt: '2026-12-05T13:00:00.000Z' };
    const files = createSmallFiles(backend, 'site1', { now: () => now });
    const first = await files.load(photo(1));
    files.shown(photo(1), first);
    now = Date.parse('2026-12-05T12:54:00Z');
    expect(await files.load(photo(2))).toContain('k=first.key');
    backend.thumbnailKeyAnswer = { key: 'second.key', expiresAt: '2026-12-06T13:00:00.000Z' };
    now = Date.parse('2026-12-05T12:56:00Z');
    expect(await files.load(photo(2))).toContain('k=second.key');
    expect(backend.thumbnailKeyCalls).toBe(2);
    // Shown under the old key: loaded again under the new one.
    expect(files.ready(photo(1))).toBeNull();
  });

  it('shows the CDN’s files while the backend gives no key, and asks again a minute later', async () => {
    const backend = new FakeBackend();
    let now = 0;
    const files = createSmallFiles(backend, 'site1', { now: () => now });
    backend.failNext.thumbnailKey = new BackendError(0, 'network', 'unreachable');
    expect(await files.load(photo(1))).toBe(photo(1).thumbUrl);
    now = 30_000;
    expect(await files.load(photo(1))).toBe(photo(1).thumbUrl);
    expect(backend.thumbnailKeyCalls).toBe(1);
    now = 61_000;
    expect(await files.load(photo(1))).toContain('/api/thumbnails/site1/a1?');
    expect(backend.thumbnailKeyCalls).toBe(2);
  });

  it('never asks the backend for an SVG, a GIF or a document', async () => {
    const backend = new FakeBackend();
    const files = createSmallFiles(backend, 'site1');
    for (const contentType of ['image/svg+xml', 'image/gif']) {
      const asset = { id: 's', thumbUrl: `https://cdn.example/s.${contentType.slice(6, 9)}`, contentType };
      expect(await files.load(asset)).toBe(asset.thumbUrl);
      expect(files.ready(asset)).toBeNull();
      files.shown(asset, asset.thumbUrl);
      expect(files.ready(asset)).toBe(asset.thumbUrl);
    }
    expect(backend.thumbnailKeyCalls).toBe(0);
  });

  it('shows the CDN’s file for the rest of the session once the browser could not show the backend’s', async () => {
    const backend = new FakeBackend();
    const files = createSmallFiles(backend, 'site1');
    expect(await files.load(photo(3))).toContain('/api/thumbnails/');
    files.refused(photo(3));
    expect(await files.load(photo(3))).toBe(photo(3).thumbUrl);
    files.shown(photo(3), photo(3).thumbUrl ?? '');
    expect(files.ready(photo(3))).toBe(photo(3).thumbUrl);
    // Others still come from the backend.
    expect(await files.load(photo(4))).toContain('/api/thumbnails/');
  });
});
