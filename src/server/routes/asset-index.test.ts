import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { apiError, indexChangesResponse, indexResponse, type IndexedAsset } from '../../core/api.ts';
import { nameSortKey } from '../../core/display-name.ts';
import { FakeWebflow } from '../../../test/server/fake-webflow.ts';
import { siteApp } from '../../../test/server/site-app.ts';
import { testStoreKinds, useTestStore } from '../../../test/server/store-test-helpers.ts';
import { createAssetIndex } from '../services/asset-index.ts';
import { indexRoutes } from './asset-index.ts';
import { decodeCompactIndex, type CompactIndex } from '../../core/compact-index.ts';

const SITE = 'site1';

describe.each(testStoreKinds)('index routes on %s', (kind) => {
  const stores = useTestStore(kind);

  function setup(assets = 3) {
    const webflow = new FakeWebflow();
    webflow.addSite(SITE);
    for (let i = 0; i < assets; i += 1) webflow.addAsset(SITE, { altText: `alt ${i}` });
    const index = createAssetIndex({ store: stores.current(), webflow, getSiteToken: async (siteId) => webflow.tokens.get(siteId) });
    const app = siteApp({ userId: 'u1', siteId: SITE }, indexRoutes({ index }));
    return { webflow, index, app };
  }

  it('starts the first refresh on the first GET /index and answers what it has', async () => {
    const { app, index } = setup();
    const first = await app.request(`/api/sites/${SITE}/index`);
    expect(first.status).toBe(200);
    const body = indexResponse.parse(await first.json());
    expect(body.refresh.state).toBe('running');
    await index.idle();
    const second = indexResponse.parse(await (await app.request(`/api/sites/${SITE}/index`)).json());
    expect(second.assets).toHaveLength(3);
    expect(second.refresh.state).toBe('idle');
    // The fake Webflow answers at once, so the refresh may have written before the first answer.
    expect(second.version).toBeGreaterThanOrEqual(body.version);
    expect(second.version).toBeGreaterThan(0);
  });

  it('answers gzip to clients that accept it, the same index as plain JSON', async () => {
    const { app, index } = setup(120);
    await index.refresh(SITE);
    const zipped = await app.request(`/api/sites/${SITE}/index`, { headers: { 'Accept-Encoding': 'gzip, deflate, br' } });
    expect(zipped.status).toBe(200);
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    expect(zipped.headers.get('content-type')).toMatch(/^application\/json/);
    const unzipped = JSON.parse(gunzipSync(Buffer.from(await zipped.arrayBuffer())).toString('utf8')) as unknown;
    const plain = await app.request(`/api/sites/${SITE}/index`);
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(unzipped).toEqual(await plain.json());
    expect(indexResponse.parse(unzipped).assets).toHaveLength(120);
  });

  it('answers the compact layout the panel asks for, which decodes to the same index', async () => {
    const { app, index } = setup(120);
    await index.refresh(SITE);
    const plain = indexResponse.parse(await (await app.request(`/api/sites/${SITE}/index`)).json());
    const compact = await app.request(`/api/sites/${SITE}/index?format=compact`);
    expect(compact.status).toBe(200);
    const decoded = decodeCompactIndex((await compact.json()) as CompactIndex);
    // The same assets, in the grid's name order.
    const byId = (assets: readonly IndexedAsset[]) => [...assets].sort((a, b) => (a.id < b.id ? -1 : 1));
    expect({ ...decoded, assets: byId(decoded.assets) }).toEqual({ ...plain, assets: byId(plain.assets.map((asset) => ({ ...asset, md5: null }))) });
    const keys = decoded.assets.map((asset) => nameSortKey(asset.name));
    expect(keys).toEqual([...keys].sort());
    expect(compact.headers.get('etag')).not.toBe((await app.request(`/api/sites/${SITE}/index`)).headers.get('etag'));
    expect((await app.request(`/api/sites/${SITE}/index?format=xml`)).status).toBe(400);
  });

  it('answers 304 to a panel holding the current version, and a new ETag once it changes', async () => {
    const { app, index, webflow } = setup();
    await index.refresh(SITE);
    const first = await app.request(`/api/sites/${SITE}/index`);
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    const again = await app.request(`/api/sites/${SITE}/index`, { headers: { 'If-None-Match': etag ?? '' } });
    expect(again.status).toBe(304);

    webflow.addAsset(SITE, {});
    await index.refresh(SITE);
    const changed = await app.request(`/api/sites/${SITE}/index`, { headers: { 'If-None-Match': etag ?? '' } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect(indexResponse.parse(await changed.json()).assets).toHaveLength(4);
  });

  it('serves 10,000 assets from memory while the version holds, and rebuilds once it rises', async () => {
    const { index, webflow } = setup(0);
    for (let i = 0; i < 10_000; i += 1) webflow.addAsset(SITE, { altText: `alt ${i}` });
    await index.refresh(SITE);
    let builds = 0;
    const counted = { ...index, index: (siteId: string) => ((builds += 1), index.index(siteId)) };
    const counting = siteApp({ userId: 'u1', siteId: SITE }, indexRoutes({ index: counted }));
    const headers = { 'Accept-Encoding': 'gzip' };

    const first = await counting.request(`/api/sites/${SITE}/index`, { headers });
    const zipped = Buffer.from(await first.arrayBuffer());
    expect(indexResponse.parse(JSON.parse(gunzipSync(zipped).toString('utf8'))).assets).toHaveLength(10_000);
    const again = await Promise.all([1, 2, 3].map(() => counting.request(`/api/sites/${SITE}/index`, { headers })));
    expect(again.map((r) => r.status)).toEqual([200, 200, 200]);
    // Answered from memory: the index was built once (how fast is the index benchmark's figure).
    expect(builds).toBe(1);

    webflow.addAsset(SITE, {});
    await index.refresh(SITE);
    await counting.request(`/api/sites/${SITE}/index`, { headers });
    expect(builds).toBe(2);
  }, 60_000);

  it('answers what changed since a version', async () => {
    const { app, index, webflow } = setup();
    await index.refresh(SITE);
    const { version } = indexResponse.parse(await (await app.request(`/api/sites/${SITE}/index`)).json());
    const added = webflow.addAsset(SITE, {});
    await index.refresh(SITE);
    const response = await app.request(`/api/sites/${SITE}/index/changes?since=${version}`);
    expect(response.status).toBe(200);
    const changes = indexChangesResponse.parse(await response.json());
    expect(changes.assets.map((a) => a.id)).toEqual([added.id]);
    expect(changes.removedAssetIds).toEqual([]);
  });

  it("names the store's epoch in the index and its changes, with the site's locales; a store made anew has another, and its ETags differ", async () => {
    const { app, index, webflow } = setup();
    await index.refresh(SITE);
    const compact = await app.request(`/api/sites/${SITE}/index?format=compact`);
    const whole = decodeCompactIndex((await compact.json()) as CompactIndex);
    expect(whole.epoch).toMatch(/^[0-9a-f]{32}$/);
    webflow.addAsset(SITE, {});
    await index.refresh(SITE);
    const changes = indexChangesResponse.parse(await (await app.request(`/api/sites/${SITE}/index/changes?since=${whole.version}`)).json());
    expect(changes.epoch).toBe(whole.epoch);
    expect(changes.version).toBeGreaterThan(whole.version);
    expect(changes.site).toEqual(whole.site);

    // The same site indexed again in a store made anew (its rows gone): versions count from 0
    // again under another epoch, so a panel's kept version is recognisably another store's.
    const etag = compact.headers.get('etag') ?? '';
    await stores.current().query('DELETE FROM index_assets');
    await stores.current().query('DELETE FROM index_folders');
    await stores.current().query('DELETE FROM index_sites');
    await index.refresh(SITE);
    const anew = await app.request(`/api/sites/${SITE}/index/changes?since=${whole.version}`);
    const after = indexChangesResponse.parse(await anew.json());
    expect(after.epoch).toMatch(/^[0-9a-f]{32}$/);
    expect(after.epoch).not.toBe(whole.epoch);
    const reread = await app.request(`/api/sites/${SITE}/index?format=compact`, { headers: { 'If-None-Match': etag } });
    expect(reread.status).toBe(200);
    expect(decodeCompactIndex((await reread.json()) as CompactIndex).epoch).toBe(after.epoch);
  });

  it('refuses a missing or malformed since with a validation error', async () => {
    const { app } = setup();
    for (const query of ['', '?since=abc', '?since=-1', '?since=1.5']) {
      const response = await app.request(`/api/sites/${SITE}/index/changes${query}`);
      expect(response.status).toBe(400);
      expect(apiError.parse(await response.json()).error.code).toBe('validation_error');
    }
  });

  it('starts a refresh in the background on POST /index/refresh, once while one runs', async () => {
    const { app, index, webflow } = setup(250);
    const responses = await Promise.all([
      app.request(`/api/sites/${SITE}/index/refresh`, { method: 'POST' }),
      app.request(`/api/sites/${SITE}/index/refresh`, { method: 'POST' }),
    ]);
    expect(responses.map((r) => r.status)).toEqual([202, 202]);
    await index.idle();
    expect(webflow.count('getSite')).toBe(1);
    expect(webflow.count('listAssets')).toBe(3);
  });
});
