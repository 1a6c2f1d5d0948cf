/**
 * The whole index served from memory: 304 to the ETag a panel holds, and never a stale body
 * after a write. The clock of the index's cached state is held still, so only the writes
 * forgetting it can make an answer fresh: a write that did not would fail these tests.
 */
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Change, IndexResponse } from '../../core/api.ts';
import { decodeCompactIndex, type CompactIndex } from '../../core/compact-index.ts';
import { FakeWebflow } from '../../../test/server/fake-webflow.ts';
import { siteApp } from '../../../test/server/site-app.ts';
import { testStoreKinds, useTestStore } from '../../../test/server/store-test-helpers.ts';
import type { Store } from '../store/db.ts';
import { createAssetIndex, STATE_MAX_AGE_MS } from '../services/asset-index.ts';
import { indexRoutes } from './asset-index.ts';

const SITE = 'site1';
const PATH = `/api/sites/${SITE}/index?format=compact`;
const GZIP = { 'Accept-Encoding': 'gzip' };

function applied(change: Pick<Change, 'assetId' | 'field' | 'after'>): Change {
  return {
    id: '1', batchId: '1', localeId: null, before: null, status: 'applied', error: null, userId: 'u1',
    createdAt: new Date().toISOString(), appliedAt: new Date().toISOString(), appliedBy: 'server', ...change,
  };
}

/** The store, counting the statements that read a site's version. */
function counting(store: Store): { store: Store; stateReads: () => number } {
  let reads = 0;
  return {
    store: {
      ...store,
      query: (sql, params) => {
        if (/^\s*SELECT site_id, display_name/.test(sql)) reads += 1;
        return store.query(sql, params);
      },
    },
    stateReads: () => reads,
  };
}

/** Holds each call until the test lets it pass (open until closed). */
function gate() {
  const waiting: Array<() => void> = [];
  let open = true;
  return {
    pass: (): Promise<void> => (open ? Promise.resolve() : new Promise<void>((resolve) => waiting.push(resolve))),
    close: () => (open = false),
    waiting: () => waiting.length,
    release: () => waiting.shift()?.(),
  };
}

describe.each(testStoreKinds)('the index served from memory on %s', (kind) => {
  const stores = useTestStore(kind);

  function setup(options: { webflow?: FakeWebflow; store?: Store } = {}) {
    const webflow = options.webflow ?? new FakeWebflow();
    if (!options.webflow) webflow.addSite(SITE);
    const clock = { now: 1_000_000 };
    const index = createAssetIndex({ store: options.store ?? stores.current(), webflow, getSiteToken: async (siteId) => webflow.tokens.get(siteId), now: () => clock.now });
    let builds = 0;
    const app = siteApp({ userId: 'u1', siteId: SITE }, indexRoutes({ index: { ...index, index: (siteId: string) => ((builds += 1), index.index(siteId)) } }));
    return { webflow, index, app, clock, builds: () => builds };
  }

  async function read(app: ReturnType<typeof setup>['app'], headers: Record<string, string> = GZIP): Promise<{ status: number; etag: string; index: IndexResponse | null }> {
    const response = await app.request(PATH, { headers });
    const etag = response.headers.get('etag') ?? '';
    if (response.status !== 200) return { status: response.status, etag, index: null };
    const bytes = Buffer.from(await response.arrayBuffer());
    const json = response.headers.get('content-encoding') === 'gzip' ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8');
    return { status: 200, etag, index: decodeCompactIndex(JSON.parse(json) as CompactIndex) };
  }

  it('answers 304 to the ETag of each coding, in a list, weak or as *, and 200 to another', async () => {
    const { webflow, index, app } = setup();
    webflow.addAsset(SITE, { altText: 'A cat' });
    await index.refresh(SITE);
    const zipped = await read(app);
    const plain = await read(app, {});
    expect(zipped.status).toBe(200);
    expect(zipped.etag).toMatch(/^"\d+-c-[\w-]+-gz"$/);
    expect(plain.etag).toBe(zipped.etag.replace('-gz"', '"'));
    expect(plain.index).toEqual(zipped.index);

    for (const header of [zipped.etag, `"other", ${zipped.etag}`, `W/${zipped.etag}`, '*']) {
      const response = await app.request(PATH, { headers: { ...GZIP, 'If-None-Match': header } });
      expect(response.status).toBe(304);
      expect(response.headers.get('etag')).toBe(zipped.etag);
      expect(await response.text()).toBe('');
    }
    // The identity bytes' tag does not stand for the gzipped ones, nor the reverse.
    expect((await app.request(PATH, { headers: { ...GZIP, 'If-None-Match': plain.etag } })).status).toBe(200);
    expect((await app.request(PATH, { headers: { 'If-None-Match': zipped.etag } })).status).toBe(200);
    expect((await app.request(PATH, { headers: { 'If-None-Match': plain.etag } })).status).toBe(304);
  });

  it('shows every write of this process in the next answer, with a new ETag, while the clock stands still', async () => {
    const { webflow, index, app } = setup();
    const cat = webflow.addAsset(SITE, { altText: 'A cat' });
    const dog = webflow.addAsset(SITE, { altText: 'A dog' });
    await index.refresh(SITE);
    let last = await read(app);
    const next = async (): Promise<IndexResponse> => {
      const answer = await read(app, { ...GZIP, 'If-None-Match': last.etag });
      expect(answer.status).toBe(200);
      expect(answer.etag).not.toBe(last.etag);
      expect(answer.index?.version).toBe((await index.state(SITE)).version);
      last = answer;
      return answer.index as IndexResponse;
    };

    await index.mirror(SITE, [applied({ assetId: cat.id, field: 'altText', after: 'A black cat' })]);
    expect((await next()).assets.find((a) => a.id === cat.id)?.altText).toBe('A black cat');

    const uploaded = { ...last.index!.assets[0]!, id: 'uploaded', name: 'new.jpg' };
    await index.addAsset(SITE, uploaded);
    expect((await next()).assets.map((a) => a.id)).toContain('uploaded');

    await index.removeAsset(SITE, dog.id);
    expect((await next()).assets.map((a) => a.id)).not.toContain(dog.id);

    await index.addFolder(SITE, { id: 'f1', name: 'Pets', parentId: null });
    expect((await next()).folders.map((f) => f.name)).toContain('Pets');

    webflow.addFolder(SITE, 'Brand');
    await index.refreshFolders(SITE, 'interactive');
    expect((await next()).folders.map((f) => f.name)).toContain('Brand');

    const late = webflow.addAsset(SITE, { altText: 'A bird' });
    await index.refresh(SITE);
    expect((await next()).assets.map((a) => a.id)).toContain(late.id);
  });

  it('answers the refresh state as it moves, page after page, never the one before it', async () => {
    const webflow = new FakeWebflow();
    webflow.addSite(SITE);
    for (let i = 0; i < 250; i += 1) webflow.addAsset(SITE, {});
    const pages = gate();
    const gated = Object.assign(Object.create(webflow) as FakeWebflow, {
      listAssets: async (...args: Parameters<FakeWebflow['listAssets']>) => {
        await pages.pass();
        return webflow.listAssets(...args);
      },
    });
    const { index, app } = setup({ webflow: gated });
    await index.refresh(SITE);
    pages.close();
    const refreshed = index.refresh(SITE);
    // The first page alone, then the other two at once (asset-index-refresh.ts), let through one by one.
    for (const [waiting, done] of [[1, 0], [2, 100], [1, 200]] as const) {
      // The refresh waits for its pages: what it wrote so far is all there is.
      await expect.poll(async () => [pages.waiting(), (await index.state(SITE)).refresh.done]).toEqual([waiting, done]);
      const served = await read(app);
      expect(served.index?.refresh).toEqual((await index.state(SITE)).refresh);
      expect(served.index?.refresh).toMatchObject({ state: 'running', done });
      pages.release();
    }
    await refreshed;
    expect((await read(app)).index?.refresh).toMatchObject({ state: 'idle', done: 250, total: 250 });
  });

  it('reads the version once for many requests while nothing is written, and builds the body once', async () => {
    const { store, stateReads } = counting(stores.current());
    const { webflow, index, app, builds } = setup({ store });
    webflow.addAsset(SITE, {});
    await index.refresh(SITE);
    const first = await read(app);
    const calls = webflow.calls.length;
    const readsBefore = stateReads();
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => app.request(PATH, { headers: i % 2 ? { ...GZIP, 'If-None-Match': first.etag } : GZIP })));
    expect(answers.map((a) => a.status)).toEqual(Array.from({ length: 20 }, (_, i) => (i % 2 ? 304 : 200)));
    expect(stateReads() - readsBefore).toBe(0);
    expect(builds()).toBe(1);
    expect(webflow.calls.length).toBe(calls);
  });

  it('shows a write of another process sharing the store once the cached state is a second old', async () => {
    const { webflow, index, app, clock } = setup();
    webflow.addAsset(SITE, {});
    await index.refresh(SITE);
    const first = await read(app);
    // Another backend on the same database: its writes are not known here.
    const other = createAssetIndex({ store: stores.current(), webflow, getSiteToken: async (siteId) => webflow.tokens.get(siteId) });
    await other.addAsset(SITE, { ...first.index!.assets[0]!, id: 'elsewhere' });

    clock.now += STATE_MAX_AGE_MS - 1;
    expect((await app.request(PATH, { headers: { ...GZIP, 'If-None-Match': first.etag } })).status).toBe(304);
    clock.now += 1;
    const later = await read(app, { ...GZIP, 'If-None-Match': first.etag });
    expect(later.status).toBe(200);
    expect(later.index?.assets.map((a) => a.id)).toContain('elsewhere');
  });
});
