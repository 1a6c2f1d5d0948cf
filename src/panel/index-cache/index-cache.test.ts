import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it, vi } from 'vitest';
import { encodeCompactIndex } from '../../core/compact-index.ts';
import { BackendError } from '../ports/backend.ts';
import { createAssetsModel } from '../models/assets.ts';
import { FakeBackend, makeAsset, MemoryStorage } from '../testing/fakes.ts';
import { createIndexCache, createKeptIndex, KEPT_SITES, lastSiteKey, type IndexCache } from './index-cache.ts';

const BACKEND = 'https://backend.example';

function cacheOn(indexedDB: IDBFactory, backend = BACKEND, now?: () => number) {
  return createIndexCache({ backend, indexedDB, ...(now ? { now } : {}) });
}

/** Resolves what `promise` resolves to, and lets the test finish it. */
function held<T>() {
  let release!: (value: T) => void;
  const promise = new Promise<T>((resolve) => (release = resolve));
  return { promise, release };
}

describe('the kept index (IndexedDB)', () => {
  it('keeps a body per site and backend, and reads it back as written', async () => {
    const indexedDB = new IDBFactory();
    const cache = cacheOn(indexedDB);
    expect(await cache.read('site1')).toBeUndefined();
    const body = JSON.stringify({ big: 'x'.repeat(100_000), text: 'é ✓ 🧪' });
    await cache.write('site1', body);
    expect(await cache.read('site1')).toBe(body);
    // Another panel in the same browser (a fresh connection) reads it too.
    expect(await cacheOn(indexedDB).read('site1')).toBe(body);
    // A panel pointed at another backend never reads this backend's store's body.
    expect(await cacheOn(indexedDB, 'http://127.0.0.1:4301').read('site1')).toBeUndefined();
    expect(await cache.read('site2')).toBeUndefined();
    await cache.forget('site1');
    expect(await cache.read('site1')).toBeUndefined();
  });

  it('stores the body as a Blob (read off the main thread), and still reads a body kept as a string by an older panel', async () => {
    const indexedDB = new IDBFactory();
    const cache = cacheOn(indexedDB);
    await cache.write('site1', 'body é ✓');
    const raw = (key: string) =>
      new Promise<{ body: unknown }>((resolve, reject) => {
        const request = indexedDB.open('asset-desk');
        request.onerror = () => reject(request.error);
        request.onsuccess = () => {
          const get = request.result.transaction('indexes', 'readonly').objectStore('indexes').get(key);
          get.onsuccess = () => {
            request.result.close();
            resolve(get.result as { body: unknown });
          };
        };
      });
    expect((await raw(`${BACKEND}\nsite1`)).body).toBeInstanceOf(Blob);

    // An older panel's record: the body as a string.
    await new Promise<void>((resolve, reject) => {
      const request = indexedDB.open('asset-desk');
      request.onerror = () => reject(request.error);
      request.onsuccess = () => {
        const transaction = request.result.transaction('indexes', 'readwrite');
        transaction.objectStore('indexes').put({ key: `${BACKEND}\nsite2`, body: 'older body', savedAt: 1 });
        transaction.oncomplete = () => {
          request.result.close();
          resolve();
        };
      };
    });
    expect(await cache.read('site1')).toBe('body é ✓');
    expect(await cache.read('site2')).toBe('older body');
  });

  it(`keeps the ${KEPT_SITES} sites written last and drops the older`, async () => {
    let clock = 1_000;
    const cache = cacheOn(new IDBFactory(), BACKEND, () => (clock += 1));
    for (let site = 1; site <= KEPT_SITES + 2; site += 1) await cache.write(`site${site}`, `body ${site}`);
    // site1 is written again: it is among the newest now.
    await cache.write('site1', 'body 1 again');
    const kept = await Promise.all(Array.from({ length: KEPT_SITES + 2 }, (_, i) => cache.read(`site${i + 1}`)));
    expect(kept).toEqual(['body 1 again', undefined, undefined, 'body 4', 'body 5', 'body 6']);
  });

  it('reads as empty and writes nothing, without rejecting, when the browser refuses IndexedDB', async () => {
    const errors: unknown[] = [];
    const refusing = {
      open: () => {
        throw new DOMException('The user denied permission to access the database.', 'SecurityError');
      },
    } as unknown as IDBFactory;
    const cache = createIndexCache({ backend: BACKEND, indexedDB: refusing, onError: (error) => errors.push(error) });
    await expect(cache.write('site1', 'body')).resolves.toBeUndefined();
    await expect(cache.read('site1')).resolves.toBeUndefined();
    await expect(cache.forget('site1')).resolves.toBeUndefined();
    expect(errors).toHaveLength(3);
  });
});

describe('the kept index read ahead', () => {
  it('reads and decodes once when warmed before the open takes it; a later take reads again', async () => {
    const cache = cacheOn(new IDBFactory());
    const backend = new FakeBackend({ assets: [makeAsset(1), makeAsset(2)] });
    await cache.write('site1', JSON.stringify(encodeCompactIndex(backend.wholeIndex())));
    const reads = vi.spyOn(cache, 'read');
    const kept = createKeptIndex(cache);
    kept.warm('site1');
    kept.warm('site1');
    const index = await kept.take('site1');
    expect(index?.assets.map((asset) => asset.id)).toEqual(['asset1', 'asset2']);
    expect(index?.epoch).toBe(backend.epoch);
    expect(reads).toHaveBeenCalledTimes(1);
    expect((await kept.take('site1'))?.version).toBe(backend.version);
    expect(reads).toHaveBeenCalledTimes(2);
    expect(await kept.take('site2')).toBeUndefined();
  });

  it('reads the site opened last from the first moment, before the Designer names it, and the open takes that read', async () => {
    const cache = cacheOn(new IDBFactory());
    const backend = new FakeBackend({ assets: [makeAsset(1)] });
    await cache.write('site1', JSON.stringify(encodeCompactIndex(backend.wholeIndex())));
    const storage = new MemoryStorage();
    // The first open: nothing remembered, nothing read ahead; naming the site remembers it.
    const first = createKeptIndex(cache, { storage });
    const reads = vi.spyOn(cache, 'read');
    first.warmLast();
    expect(reads).not.toHaveBeenCalled();
    expect(await first.has('site1')).toBe(true);
    expect(storage.items.get(lastSiteKey(BACKEND))).toBe('site1');
    reads.mockClear();

    // The next open: read at once; the Designer's answer and the open use that read.
    const next = createKeptIndex(cache, { storage });
    next.warmLast();
    expect(reads).toHaveBeenCalledWith('site1');
    expect(await next.has('site1')).toBe(true);
    expect((await next.take('site1'))?.assets.map((asset) => asset.id)).toEqual(['asset1']);
    expect(reads).toHaveBeenCalledTimes(1);
  });

  it('lets go of the read of the site opened last when the Designer names another, and remembers that one', async () => {
    const cache = cacheOn(new IDBFactory());
    const one = new FakeBackend({ assets: [makeAsset(1)] });
    const two = new FakeBackend({ assets: [makeAsset(2)] });
    two.siteId = 'site2';
    await cache.write('site1', JSON.stringify(encodeCompactIndex(one.wholeIndex())));
    await cache.write('site2', JSON.stringify(encodeCompactIndex(two.wholeIndex())));
    const storage = new MemoryStorage();
    storage.setItem(lastSiteKey(BACKEND), 'site1');
    const kept = createKeptIndex(cache, { storage });
    const reads = vi.spyOn(cache, 'read');
    kept.warmLast();
    expect(await kept.has('site2')).toBe(true);
    expect(storage.items.get(lastSiteKey(BACKEND))).toBe('site2');
    expect((await kept.take('site2'))?.assets.map((asset) => asset.id)).toEqual(['asset2']);
    // The guess is not held: taking site1 now reads it again.
    await kept.take('site1');
    expect(reads.mock.calls.map(([site]) => site)).toEqual(['site1', 'site2', 'site1']);
    // Each backend remembers its own last site.
    expect(lastSiteKey('http://127.0.0.1:4301')).not.toBe(lastSiteKey(BACKEND));
  });

  it('reads nothing ahead, and still opens, when the browser refuses storage', async () => {
    const cache = cacheOn(new IDBFactory());
    const backend = new FakeBackend({ assets: [makeAsset(1)] });
    await cache.write('site1', JSON.stringify(encodeCompactIndex(backend.wholeIndex())));
    const refusing = {
      getItem: () => {
        throw new DOMException('Access is denied for this document.', 'SecurityError');
      },
      setItem: () => {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      },
    };
    const kept = createKeptIndex(cache, { storage: refusing });
    const reads = vi.spyOn(cache, 'read');
    kept.warmLast();
    expect(reads).not.toHaveBeenCalled();
    expect(await kept.has('site1')).toBe(true);
    expect((await kept.take('site1'))?.assets).toHaveLength(1);
  });

  it('drops a kept body it cannot read', async () => {
    const cache = cacheOn(new IDBFactory());
    await cache.write('site1', '{"format":"compact-0"}');
    const kept = createKeptIndex(cache);
    kept.warm('site1');
    expect(await kept.take('site1')).toBeUndefined();
    expect(await cache.read('site1')).toBeUndefined();
  });
});

describe('an open with a kept index', () => {
  async function firstOpen(cache: IndexCache, backend: FakeBackend) {
    const model = createAssetsModel(backend, 'site1', { kept: createKeptIndex(cache) });
    await model.load();
    model.dispose();
    // The write is not awaited by the open: wait until the body is there.
    await vi.waitFor(async () => expect(await cache.read('site1')).toBeDefined());
  }

  it('shows the kept index before the backend answers, then what changed since its version, without reading the whole index', async () => {
    const cache = cacheOn(new IDBFactory());
    const backend = new FakeBackend({ assets: [makeAsset(1, { altText: 'Old' }), makeAsset(2)] });
    await firstOpen(cache, backend);
    expect(await cache.read('site1')).toBe(JSON.stringify(encodeCompactIndex(backend.wholeIndex())));

    // Between the opens: an alt text changed in Webflow, an asset and a locale were added.
    backend.emitAssetChange(makeAsset(1, { altText: 'New' }));
    backend.emitAssetChange(makeAsset(3));
    backend.locales = [...backend.locales, { id: 'fr', displayName: 'French', tag: 'fr', primary: false }];
    const whole = vi.spyOn(backend, 'getIndex');
    const answer = held<void>();
    const changes = backend.getIndexChanges.bind(backend);
    const since: number[] = [];
    vi.spyOn(backend, 'getIndexChanges').mockImplementation(async (siteId?: string, version?: number) => {
      since.push(version ?? -1);
      await answer.promise;
      return changes(siteId, version);
    });

    const model = createAssetsModel(backend, 'site1', { kept: createKeptIndex(cache) });
    const loading = model.load();
    await vi.waitFor(() => expect(model.loadState.value).toBe('ready'));
    // The kept index, at once: the grid has it while the changes are on their way.
    expect(model.assets.value.map((asset) => [asset.id, asset.altText])).toEqual([
      ['asset1', 'Old'],
      ['asset2', makeAsset(2).altText],
    ]);
    answer.release();
    await loading;
    expect(since).toEqual([1]);
    expect(model.assets.value.map((asset) => [asset.id, asset.altText])).toEqual([
      ['asset1', 'New'],
      ['asset2', makeAsset(2).altText],
      ['asset3', makeAsset(3).altText],
    ]);
    expect(model.locales.value.map((locale) => locale.id)).toEqual(['en', 'fr']);
    expect(whole).not.toHaveBeenCalled();
    expect(model.error.value).toBeNull();
    model.dispose();
  });

  it('reads the whole index when the kept one is of a store made anew (another epoch), and keeps that one', async () => {
    const cache = cacheOn(new IDBFactory());
    const backend = new FakeBackend({ assets: [makeAsset(1), makeAsset(2)] });
    await firstOpen(cache, backend);
    // A new store: versions from 1 again, other assets; its changes "since 1" would say nothing.
    backend.epoch = 'epoch-2';
    backend.assets = [makeAsset(7)];
    const model = createAssetsModel(backend, 'site1', { kept: createKeptIndex(cache) });
    await model.load();
    expect(model.assets.value.map((asset) => asset.id)).toEqual(['asset7']);
    await vi.waitFor(async () => expect(await cache.read('site1')).toBe(JSON.stringify(encodeCompactIndex(backend.wholeIndex()))));
    // And the polls after it count in the new store's versions.
    backend.emitAssetChange(makeAsset(8));
    await model.poll();
    expect(model.assets.value.map((asset) => asset.id)).toEqual(['asset7', 'asset8']);
    model.dispose();
  });

  it.each([
    ['not JSON', '{"format":'],
    ['an older layout', JSON.stringify({ format: 'compact-1', version: 3 })],
    ['another site', null],
  ])('reads the whole index over a kept body that is %s', async (_what, damaged) => {
    const cache = cacheOn(new IDBFactory());
    const backend = new FakeBackend({ assets: [makeAsset(1)] });
    const other = new FakeBackend({ assets: [makeAsset(9)] });
    other.siteId = 'site2';
    await cache.write('site1', damaged ?? JSON.stringify(encodeCompactIndex(other.wholeIndex())));
    const model = createAssetsModel(backend, 'site1', { kept: createKeptIndex(cache) });
    await model.load();
    expect(model.loadState.value).toBe('ready');
    expect(model.assets.value.map((asset) => asset.id)).toEqual(['asset1']);
    await vi.waitFor(async () => expect(await cache.read('site1')).toBe(JSON.stringify(encodeCompactIndex(backend.wholeIndex()))));
    model.dispose();
  });

  it('keeps showing the kept index when its changes cannot be fetched, and catches up on the next poll', async () => {
    const cache = cacheOn(new IDBFactory());
    const backend = new FakeBackend({ assets: [makeAsset(1, { altText: 'Old' })] });
    await firstOpen(cache, backend);
    backend.emitAssetChange(makeAsset(1, { altText: 'New' }));
    backend.failNext.getIndexChanges = new BackendError(0, 'network', "Asset Desk's server can't be reached.");
    const model = createAssetsModel(backend, 'site1', { kept: createKeptIndex(cache) });
    await model.load();
    expect(model.loadState.value).toBe('ready');
    expect(model.assets.value[0]?.altText).toBe('Old');
    expect(model.error.value).toMatch(/Changes from Webflow could not be fetched: .*can't be reached/);
    await model.poll();
    expect(model.assets.value[0]?.altText).toBe('New');
    expect(model.error.value).toBeNull();
    model.dispose();
  });

  it('keeps the whole body again in the background when many changes were needed, so the next open asks less', async () => {
    const cache = cacheOn(new IDBFactory());
    const backend = new FakeBackend({ assets: [makeAsset(1), makeAsset(2), makeAsset(3)] });
    await firstOpen(cache, backend);
    const bodies = vi.spyOn(backend, 'getIndexBody');

    // Two changes, at most two allowed: the kept body stays.
    backend.emitAssetChange(makeAsset(1, { altText: 'One' }));
    backend.emitAssetChange(makeAsset(2, { altText: 'Two' }));
    const few = createAssetsModel(backend, 'site1', { kept: createKeptIndex(cache), keepFreshAbove: 2 });
    await few.load();
    few.dispose();
    expect(bodies).not.toHaveBeenCalled();

    // Three: the whole body is read (not shown again) and kept.
    for (const n of [1, 2, 3]) backend.emitAssetChange(makeAsset(n, { altText: `Again ${n}` }));
    const many = createAssetsModel(backend, 'site1', { kept: createKeptIndex(cache), keepFreshAbove: 2 });
    const assetsBefore = vi.fn();
    await many.load();
    const stop = many.assets.subscribe(assetsBefore);
    await vi.waitFor(async () => expect(await cache.read('site1')).toBe(JSON.stringify(encodeCompactIndex(backend.wholeIndex()))));
    expect(bodies).toHaveBeenCalledTimes(1);
    expect(assetsBefore).toHaveBeenCalledTimes(1); // the subscription's first call only: the grid was not replaced
    stop();
    many.dispose();
  });

  it('opens as before without a cache: the whole index every time', async () => {
    const backend = new FakeBackend({ assets: [makeAsset(1)] });
    const whole = vi.spyOn(backend, 'getIndex');
    for (let open = 0; open < 2; open += 1) {
      const model = createAssetsModel(backend, 'site1');
      await model.load();
      model.dispose();
    }
    expect(whole).toHaveBeenCalledTimes(2);
  });
});
