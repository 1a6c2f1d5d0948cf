import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FakeBackend } from '../testing/fakes.ts';
import { createSmallFiles, fileMark, type ThumbnailAsset } from './files.ts';

const photo = (n: number, version = ''): ThumbnailAsset => ({ id: `a${n}`, thumbUrl: `https://cdn.example/a${n}${version}-p-500.jpg`, contentType: 'image/jpeg' });

function filesOf(kept: number) {
  const backend = new FakeBackend();
  const live = new Set<string>();
  const revoked: string[] = [];
  let made = 0;
  const files = createSmallFiles(backend, 'site1', {
    kept,
    createObjectURL: () => {
      const url = `blob:${++made}`;
      live.add(url);
      return url;
    },
    revokeObjectURL: (url) => {
      live.delete(url);
      revoked.push(url);
    },
  });
  return { backend, files, live, revoked };
}

describe('small thumbnail files', () => {
  it('asks the backend once for a thumbnail asked for twice at once, with the mark of its hosted file', async () => {
    const { backend, files } = filesOf(10);
    const [a, b] = await Promise.all([files.load(photo(1)), files.load(photo(1))]);
    expect(a).toBe('blob:1');
    expect(b).toBe('blob:1');
    expect(backend.thumbnailsServed.map((t) => t.mark)).toEqual([fileMark('https://cdn.example/a1-p-500.jpg')]);
    expect(files.ready(photo(1))).toBe('blob:1');
  });

  it('asks anew for a replaced file (another hosted URL, another mark)', async () => {
    const { backend, files } = filesOf(10);
    await files.load(photo(1));
    expect(files.ready(photo(1, '_v2'))).toBeNull();
    expect(await files.load(photo(1, '_v2'))).toBe('blob:2');
    const [first, second] = backend.thumbnailsServed.map((t) => t.mark);
    expect(first).not.toBe(second);
    expect(second).toMatch(/^[0-9a-z]{1,16}$/);
  });

  it('never asks the backend for an SVG, a GIF or a document', async () => {
    const { backend, files } = filesOf(10);
    for (const contentType of ['image/svg+xml', 'image/gif']) {
      const asset = { id: 's', thumbUrl: `https://cdn.example/s.${contentType.slice(6, 9)}`, contentType };
      expect(await files.load(asset)).toBe(asset.thumbUrl);
      expect(files.ready(asset)).toBeNull();
      files.shown(asset, asset.thumbUrl);
      expect(files.ready(asset)).toBe(asset.thumbUrl);
    }
    expect(backend.thumbnailsServed).toEqual([]);
  });

  it('keeps at most its bound, the least recently shown let go (and revoked) first; dispose lets go of the rest', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 6 }), fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: 40 }), async (kept, looks) => {
        const { files, live, revoked } = filesOf(kept);
        const recent: number[] = [];
        for (const n of looks) {
          const ready = files.ready(photo(n));
          const src = ready ?? (await files.load(photo(n)));
          expect(live.has(src)).toBe(true);
          const at = recent.indexOf(n);
          if (at >= 0) recent.splice(at, 1);
          recent.push(n);
          while (recent.length > kept) recent.shift();
          expect(live.size).toBe(recent.length);
        }
        for (const n of recent) expect(files.ready(photo(n))).not.toBeNull();
        files.dispose();
        expect(live.size).toBe(0);
        expect(new Set(revoked).size).toBe(revoked.length);
      }),
    );
  });

  it('shows the CDN’s file for the rest of the session when the backend could not make one', async () => {
    const { backend, files } = filesOf(10);
    backend.thumbnailFails.add('a3');
    expect(await files.load(photo(3))).toBe(photo(3).thumbUrl);
    expect(await files.load(photo(3))).toBe(photo(3).thumbUrl);
    files.shown(photo(3), photo(3).thumbUrl ?? '');
    expect(files.ready(photo(3))).toBe(photo(3).thumbUrl);
    expect(backend.thumbnailsServed).toEqual([]);
  });
});
