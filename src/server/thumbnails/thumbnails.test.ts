/**
 * The grid's thumbnails against the sandbox: the backend reads an image's smallest hosted file
 * from the sandbox CDN once, answers an 80 × 80 WebP of it to whoever holds the site's key (the
 * session gives it), only for the raster types it makes small, and never reads a URL off
 * Webflow's CDN.
 */
import fc from 'fast-check';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { THUMBNAIL_SIDE, fileMark, madeSmall, type ThumbnailKey } from '../../core/thumbnails.ts';
import { readAssetsById, upsertAssets } from '../store/asset-index.ts';
import { useDemoSandbox } from '../../../test/server/demo-sandbox.ts';
import { siteApp } from '../../../test/server/site-app.ts';
import { testStoreKinds, useTestStore } from '../../../test/server/store-test-helpers.ts';
import { thumbnailKeyRoutes, thumbnailsRoutes } from './routes.ts';
import { createThumbnails, rasterKind, smallImage } from './service.ts';

const SECRET = Buffer.alloc(32, 7);

const ASSETS = 60;

describe.each(testStoreKinds)('thumbnails against the sandbox on %s', (kind) => {
  const stores = useTestStore(kind);
  const demoSandbox = useDemoSandbox(ASSETS);
  const { demo } = demoSandbox;

  async function setup(options: { allowLoopback?: boolean; fetch?: (url: string, init?: RequestInit) => Promise<Response> } = {}) {
    const store = stores.current();
    const { siteId } = await demoSandbox.indexInto(store);
    const fetched: string[] = [];
    const thumbnails = createThumbnails({
      store,
      secret: SECRET,
      allowLoopback: options.allowLoopback ?? true,
      fetch: (url, init) => {
        fetched.push(url);
        return (options.fetch ?? fetch)(url, init);
      },
    });
    const app = siteApp({ userId: 'u1', siteId }, thumbnailKeyRoutes({ thumbnails })).route('/', thumbnailsRoutes({ thumbnails }));
    const { key } = (await (await app.request(`/api/sites/${siteId}/thumbnails/key`)).json()) as ThumbnailKey;
    /** An `<img src>`'s request: `v` and `k` as given, the mark "1a" and the site's key unless said. */
    const ask = async (assetId: string, query: { v?: string | null; k?: string } = {}) => {
      const params = new URLSearchParams();
      const v = query.v === undefined ? '1a' : query.v;
      if (v !== null) params.set('v', v);
      params.set('k', query.k ?? key);
      return app.request(`/api/thumbnails/${siteId}/${assetId}?${params}`);
    };
    const indexed = async (assetId: string) => {
      const asset = (await readAssetsById(store, siteId, [assetId])).get(assetId)?.doc;
      if (!asset) throw new Error(`${assetId} is not indexed`);
      return asset;
    };
    return { store, siteId, ask, fetched, indexed, thumbnails, key, app };
  }

  const ofType = (contentType: string) => {
    const asset = demo.assets.find((a) => a.file.contentType === contentType);
    if (!asset) throw new Error(`the demo has no ${contentType}`);
    return asset;
  };

  it('answers an 80 × 80 WebP of a JPEG and of a PNG, made from the smallest hosted file, kept by the browser', async () => {
    const { ask, fetched, indexed } = await setup();
    for (const contentType of ['image/jpeg', 'image/png']) {
      const asset = ofType(contentType);
      const response = await ask(asset.id);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('image/webp');
      expect(response.headers.get('cache-control')).toBe('private, max-age=604800, immutable');
      const bytes = new Uint8Array(await response.arrayBuffer());
      const meta = await sharp(bytes).metadata();
      expect(meta).toMatchObject({ format: 'webp', width: THUMBNAIL_SIDE, height: THUMBNAIL_SIDE });
      // Far smaller than what the browser was given before.
      expect(bytes.byteLength).toBeLessThan(8 * 1024);
      expect(fetched.at(-1)).toBe((await indexed(asset.id)).thumbUrl);
    }
  });

  it('shows what the image holds: the thumbnail of a picture is that picture, cropped to the middle', async () => {
    const { ask, indexed } = await setup();
    const [asset, other] = demo.assets.filter((a) => a.file.contentType === 'image/jpeg');
    if (!asset || !other) throw new Error('the demo has fewer than two JPEGs');
    const pixels = async (bytes: ArrayBuffer, resize: boolean) => {
      const image = sharp(Buffer.from(bytes)).rotate();
      return (resize ? image.resize(THUMBNAIL_SIDE, THUMBNAIL_SIDE, { fit: 'cover' }) : image).removeAlpha().raw().toBuffer();
    };
    const hosted = async (id: string) => (await fetch((await indexed(id)).thumbUrl ?? '')).arrayBuffer();
    const source = await pixels(await hosted(asset.id), true);
    const otherSource = await pixels(await hosted(other.id), true);
    const made = await pixels(await (await ask(asset.id)).arrayBuffer(), false);
    const distance = (a: Buffer, b: Buffer) => [...a].reduce((sum, value, i) => sum + Math.abs(value - (b[i] ?? 0)), 0) / a.length;
    // The picture cropped and scaled to 80 × 80, within a WebP's loss; far nearer it than another photo of the demo.
    expect(made.length).toBe(source.length);
    expect(distance(made, source)).toBeLessThan(6);
    expect(distance(otherSource, source)).toBeGreaterThan(3 * distance(made, source));
  });

  it('reads a file once: asked again, or twice at once, the thumbnail comes from memory', async () => {
    const { ask, fetched } = await setup();
    const asset = ofType('image/png');
    const [a, b] = await Promise.all([ask(asset.id), ask(asset.id)]);
    const third = await ask(asset.id, { v: 'zz9' });
    expect([a.status, b.status, third.status]).toEqual([200, 200, 200]);
    const bodies = await Promise.all([a, b, third].map(async (r) => Buffer.from(await r.arrayBuffer()).toString('hex')));
    expect(new Set(bodies).size).toBe(1);
    expect(fetched).toHaveLength(1);
  });

  it('answers a thumbnail given before under the same mark from memory, without reading the index, and only to the same site', async () => {
    const { indexed, siteId, store } = await setup();
    let reads = 0;
    const counted = Object.create(store) as typeof store;
    counted.query = ((...args: Parameters<typeof store.query>) => {
      reads += 1;
      return store.query(...args);
    }) as typeof store.query;
    const thumbnails = createThumbnails({ store: counted, secret: SECRET, allowLoopback: true });
    const asset = ofType('image/jpeg');
    const mark = fileMark((await indexed(asset.id)).thumbUrl ?? '');
    const first = await thumbnails.forAsset(siteId, asset.id, mark);
    expect(reads).toBe(1);
    const again = await thumbnails.forAsset(siteId, asset.id, mark);
    expect(again.bytes).toBe(first.bytes);
    expect(reads).toBe(1);
    // Under another mark (a file replaced since), the index is read again.
    await thumbnails.forAsset(siteId, asset.id, 'zz9');
    expect(reads).toBe(2);
    // Another site naming the same asset and mark is not answered from memory.
    await expect(thumbnails.forAsset('another-site', asset.id, mark)).rejects.toMatchObject({ status: 404 });
    expect(reads).toBe(3);
  });

  it('answers 415 for an SVG (shown as it is), 404 for an unknown asset or one of another site, 400 for a bad id or mark, reading nothing', async () => {
    const { ask, fetched, store } = await setup();
    const svg = ofType('image/svg+xml');
    const svgAnswer = await ask(svg.id);
    expect(svgAnswer.status).toBe(415);
    expect(await svgAnswer.json()).toMatchObject({ error: { code: 'unsupported_media_type' } });
    await upsertAssets(store, 'another-site', [{ id: 'a'.repeat(24), name: 'x.jpg', fileName: 'x.jpg', contentType: 'image/jpeg', size: 10, url: `${demoSandbox.sandbox().url}/x.jpg`, thumbUrl: `${demoSandbox.sandbox().url}/x.jpg`, folderId: null, createdOn: '', lastUpdated: '', altText: '', localeAltText: {}, md5: null }], 1);
    expect((await ask('a'.repeat(24))).status).toBe(404);
    expect((await ask('b'.repeat(24))).status).toBe(404);
    expect((await ask('not%20an%20id')).status).toBe(400);
    const jpeg = ofType('image/jpeg');
    for (const bad of ['', 'ABC', 'a'.repeat(17), '\u0000', '\uD800', 'a b']) {
      const answer = await ask(jpeg.id, { v: bad });
      expect(answer.status, bad).toBe(400);
      expect(await answer.json()).toMatchObject({ error: { code: 'validation_error' } });
    }
    expect(fetched).toEqual([]);
  });

  it("does not read a file off Webflow's CDN when loopback is not allowed: 502, nothing fetched", async () => {
    const { ask, fetched } = await setup({ allowLoopback: false });
    const answer = await ask(ofType('image/jpeg').id);
    expect(answer.status).toBe(502);
    expect(await answer.json()).toMatchObject({ error: { code: 'webflow_error' } });
    expect(fetched).toEqual([]);
  });

  it('answers 502 for a file the CDN fails or that is not an image, and makes it again once the CDN mends', async () => {
    let mode: 'down' | 'garbage' | 'svg' | 'hang' | 'up' = 'down';
    const { ask } = await setup({
      fetch: async (url, init) => {
        if (mode === 'down') return new Response('Service Unavailable', { status: 503 });
        if (mode === 'garbage') return new Response(new Uint8Array([0xff, 0xd8, 0xff, 0x00, 1, 2, 3]), { status: 200 });
        // A file that says it is a JPEG and is an SVG: never handed to the decoder.
        if (mode === 'svg') return new Response('<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"><image href="file:///etc/passwd"/></svg>', { status: 200 });
        // The connection fails (as a timeout does): a TypeError from fetch, not a HostedFileError.
        if (mode === 'hang') throw new TypeError('fetch failed');
        return fetch(url, init);
      },
    });
    const asset = ofType('image/jpeg');
    expect((await ask(asset.id)).status).toBe(502);
    mode = 'garbage';
    const garbage = await ask(asset.id);
    expect(garbage.status).toBe(502);
    expect(((await garbage.json()) as { error: { message: string } }).error.message).toMatch(/could not be decoded/);
    mode = 'svg';
    const svg = await ask(asset.id);
    expect(svg.status).toBe(502);
    expect(((await svg.json()) as { error: { message: string } }).error.message).toMatch(/not a JPEG, PNG or WebP/);
    mode = 'hang';
    expect((await ask(asset.id)).status).toBe(502);
    mode = 'up';
    expect((await ask(asset.id)).status).toBe(200);
  });

  it('answers nothing without the site’s key, and reads nothing for it: no key, another site’s, a forged or an expired one', async () => {
    const { ask, fetched, siteId, thumbnails } = await setup();
    const jpeg = ofType('image/jpeg');
    const otherSites = createThumbnails({ store: stores.current(), secret: SECRET, allowLoopback: true }).keyFor('another-site').key;
    const otherSecret = createThumbnails({ store: stores.current(), secret: Buffer.alloc(32, 9), allowLoopback: true }).keyFor(siteId).key;
    const expired = createThumbnails({ store: stores.current(), secret: SECRET, allowLoopback: true, now: () => Date.now() - 3 * 86_400_000 }).keyFor(siteId).key;
    const good = thumbnails.keyFor(siteId).key;
    const [expires = '', signature = ''] = good.split('.');
    const later = `${(parseInt(expires, 36) + 86_400).toString(36)}.${signature}`;
    for (const k of ['', 'x', otherSites, otherSecret, expired, later, `${good}x`, good.toUpperCase()]) {
      const answer = await ask(jpeg.id, { k });
      expect(answer.status, k).toBe(401);
      expect(await answer.json()).toMatchObject({ error: { code: 'unauthorized' } });
    }
    expect(fetched).toEqual([]);
    expect((await ask(jpeg.id)).status).toBe(200);
  });

  it('gives the same key all day, valid until the end of the next UTC day', async () => {
    const { store, siteId } = await setup();
    let now = Date.UTC(2026, 11, 5, 0, 0, 1);
    const service = createThumbnails({ store, secret: SECRET, allowLoopback: true, now: () => now });
    const morning = service.keyFor(siteId);
    now = Date.UTC(2026, 11, 5, 23, 59, 59);
    expect(service.keyFor(siteId)).toEqual(morning);
    expect(morning.expiresAt).toBe('2026-12-07T00:00:00.000Z');
    now = Date.UTC(2026, 11, 6, 23, 59, 59);
    expect(service.checkKey(siteId, morning.key)).toEqual({ ok: true });
    now = Date.UTC(2026, 11, 7, 0, 0, 0);
    expect(service.checkKey(siteId, morning.key)).toEqual({ ok: false, reason: 'expired' });
  });

  it('answers every generated id, mark and key below 500, and reads only the one file a valid ask names', async () => {
    const { ask, fetched, indexed, key } = await setup();
    const jpeg = ofType('image/jpeg');
    const anyText = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((u) => String.fromCharCode(u)), maxLength: 40 });
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('%00', '%ED%A0%80', '..', '%2F', jpeg.id)),
        fc.option(anyText),
        fc.oneof(anyText, fc.constant(key)),
        async (id, mark, k) => {
          const path = /^[%.]/.test(id) ? id : encodeURIComponent(id.replace(/[\uD800-\uDFFF]/g, '\uFFFD'));
          const answer = await ask(path, { v: mark, k });
          expect(answer.status).toBeLessThan(500);
          // Without the key: refused (401), or a path no route has (404) or a bad id (400); never an image.
          if (k !== key) expect([400, 401, 404]).toContain(answer.status);
        },
      ),
      { numRuns: 200 },
    );
    expect(new Set(fetched)).toEqual(new Set(fetched.length > 0 ? [(await indexed(jpeg.id)).thumbUrl] : []));
  });
});

describe('smallImage', () => {
  it('crops any picture to 80 × 80 WebP, a wide banner and a tall one alike, and keeps transparency', async () => {
    for (const [width, height] of [[1600, 200], [60, 900], [81, 79]] as const) {
      const source = await sharp({ create: { width, height, channels: 4, background: { r: 10, g: 200, b: 30, alpha: 0.5 } } }).png().toBuffer();
      const made = await smallImage(new Uint8Array(source));
      const meta = await sharp(made).metadata();
      expect(meta).toMatchObject({ format: 'webp', width: THUMBNAIL_SIDE, height: THUMBNAIL_SIDE, hasAlpha: true });
    }
  });

  it('refuses a file that is not an image', async () => {
    await expect(smallImage(new TextEncoder().encode('<html>not an image</html>'))).rejects.toThrow();
  });
});

describe('rasterKind', () => {
  it('knows a JPEG, a PNG and a WebP by their first bytes, and nothing else', async () => {
    const pixel = sharp({ create: { width: 2, height: 2, channels: 3, background: '#08f' } });
    expect(rasterKind(new Uint8Array(await pixel.clone().jpeg().toBuffer()))).toBe('jpeg');
    expect(rasterKind(new Uint8Array(await pixel.clone().png().toBuffer()))).toBe('png');
    expect(rasterKind(new Uint8Array(await pixel.clone().webp().toBuffer()))).toBe('webp');
    expect(rasterKind(new Uint8Array(await pixel.clone().gif().toBuffer()))).toBeNull();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 16 }), (bytes) => {
        const kind = rasterKind(bytes);
        if (kind === 'jpeg') expect([...bytes.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
        else if (kind === 'png') expect(bytes[1]).toBe(0x50);
        else if (kind === 'webp') expect(bytes.length).toBeGreaterThanOrEqual(12);
      }),
    );
    expect(rasterKind(new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
  });
});

describe('madeSmall', () => {
  it('is true for JPEG, PNG and WebP with a thumbnail URL, false for SVG, GIF, documents and none', () => {
    const asset = (contentType: string, thumbUrl: string | null = 'https://cdn.prod.website-files.com/s/a.x') => ({ contentType, thumbUrl });
    expect(['image/jpeg', 'image/png', 'image/webp'].map((t) => madeSmall(asset(t)))).toEqual([true, true, true]);
    expect(['image/svg+xml', 'image/gif', 'application/pdf', 'image/avif'].map((t) => madeSmall(asset(t)))).toEqual([false, false, false, false]);
    expect(madeSmall(asset('image/jpeg', null))).toBe(false);
  });
});
