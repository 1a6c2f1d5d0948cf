import { describe, expect, it } from 'vitest';
import { indexResponse, indexChangesResponse, type Change } from '../../core/api.ts';
import { FakeWebflow, variant, wireLocale } from '../../../test/server/fake-webflow.ts';
import { testStoreKinds, useTestStore } from '../../../test/server/store-test-helpers.ts';
import { QuotaClosed } from '../webflow/quota.ts';
import { WebflowError } from '../webflow/types.ts';
import { createAssetIndex } from './asset-index.ts';
import { fingerprintOf, readAssets, readFingerprints, saveMd5 } from '../store/asset-index.ts';
import { addListed } from '../store/refresh-listing.ts';

const SITE = 'site1';

function setup(store: ReturnType<ReturnType<typeof useTestStore>['current']>, options: { secondary?: boolean; source?: string; webflow?: FakeWebflow } = {}) {
  const webflow = options.webflow ?? new FakeWebflow();
  webflow.addSite(SITE, { secondary: options.secondary ? [wireLocale('fr', 'fr'), wireLocale('de', 'de'), wireLocale('off', 'it', false)] : [] });
  const errors: unknown[] = [];
  const refreshed: string[] = [];
  const index = createAssetIndex({
    store,
    webflow,
    getSiteToken: async (siteId) => webflow.tokens.get(siteId),
    onError: (error) => errors.push(error),
    onRefreshed: (siteId) => refreshed.push(siteId),
    ...(options.source !== undefined ? { source: options.source } : {}),
  });
  return { webflow, index, errors, refreshed };
}

function applied(change: Partial<Change> & Pick<Change, 'assetId' | 'field' | 'after'>): Change {
  return {
    id: '1', batchId: '1', localeId: null, before: null, status: 'applied', error: null, userId: 'u1',
    createdAt: new Date().toISOString(), appliedAt: new Date().toISOString(), appliedBy: 'server', ...change,
  };
}

describe.each(testStoreKinds)('asset index on %s', (kind) => {
  const stores = useTestStore(kind);

  it('reads every asset 100 at a time in the background, with folders, locales and progress', async () => {
    const { webflow, index } = setup(stores.current());
    const folder = webflow.addFolder(SITE, 'Team');
    for (let i = 0; i < 250; i += 1) webflow.addAsset(SITE, { folderId: i % 2 ? folder.id : null, altText: `alt ${i}` });

    await index.refresh(SITE);

    expect(webflow.count('listAssets')).toBe(3);
    expect(webflow.calls.every((call) => call.priority === 'background')).toBe(true);
    const whole = indexResponse.parse(await index.index(SITE));
    expect(whole.assets).toHaveLength(250);
    expect(whole.folders).toEqual([{ id: folder.id, name: 'Team', parentId: null }]);
    expect(whole.site).toEqual({ id: SITE, displayName: `Site ${SITE}`, locales: [{ id: `${SITE}-en`, displayName: 'EN', tag: 'en', primary: true }] });
    expect(whole.refresh).toMatchObject({ state: 'idle', done: 250, total: 250, error: null });
    expect(whole.refresh.finishedAt).not.toBeNull();
    const second = whole.assets.find((a) => a.id === webflow.assets[1]?.id);
    expect(second).toMatchObject({ folderId: folder.id, altText: 'alt 1', localeAltText: {}, md5: null });
  });

  it('tells onRefreshed after each refresh that finished, not after one that failed', async () => {
    const { webflow, index, refreshed } = setup(stores.current());
    await index.refresh(SITE);
    expect(refreshed).toEqual([SITE]);
    webflow.failNext('listAssets', new WebflowError(404, 'resource_not_found', 'Requested resource not found'));
    await index.refresh(SITE);
    expect(refreshed).toEqual([SITE]);
  });

  it('reads an empty site with one listing request', async () => {
    const { webflow, index } = setup(stores.current());
    await index.refresh(SITE);
    expect(webflow.count('listAssets')).toBe(1);
    expect((await index.index(SITE)).assets).toEqual([]);
  });

  it('keeps a secondary locale alt text only where it differs from the primary, and costs one listing per locale', async () => {
    const { webflow, index } = setup(stores.current(), { secondary: true });
    const own = webflow.addAsset(SITE, { altText: { [`${SITE}-en`]: 'A cat', fr: 'Un chat' } });
    const fallback = webflow.addAsset(SITE, { altText: { [`${SITE}-en`]: 'A dog' } });
    const decorative = webflow.addAsset(SITE, { altText: { [`${SITE}-en`]: 'A bird', de: null } });

    await index.refresh(SITE);

    // en + fr + de: the disabled locale is not read.
    expect(webflow.count('listAssets')).toBe(3);
    expect(webflow.calls.filter((c) => c.method === 'listAssets').map((c) => c.localeId)).toEqual([undefined, 'fr', 'de']);
    const { assets, site, refresh } = await index.index(SITE);
    expect(site.locales.map((l) => l.id)).toEqual([`${SITE}-en`, 'fr', 'de']);
    expect(refresh).toMatchObject({ done: 9, total: 9 });
    const byId = new Map(assets.map((a) => [a.id, a]));
    expect(byId.get(own.id)).toMatchObject({ altText: 'A cat', localeAltText: { fr: 'Un chat' } });
    expect(byId.get(fallback.id)?.localeAltText).toEqual({});
    expect(byId.get(decorative.id)?.localeAltText).toEqual({ de: null });
  });

  it('gives images the smallest working variant as thumbnail, the file without variants, and documents none', async () => {
    const { webflow, index } = setup(stores.current());
    const withVariants = webflow.addAsset(SITE, { variants: [variant(800, 'https://cdn/800'), variant(100, 'https://cdn/100-broken', 'failed'), variant(300, 'https://cdn/300')] });
    const plain = webflow.addAsset(SITE, {});
    const pdf = webflow.addAsset(SITE, { fileName: 'menu.pdf', contentType: 'application/pdf' });
    await index.refresh(SITE);
    const byId = new Map((await index.index(SITE)).assets.map((a) => [a.id, a]));
    expect(byId.get(withVariants.id)?.thumbUrl).toBe('https://cdn/300');
    expect(byId.get(plain.id)?.thumbUrl).toBe(byId.get(plain.id)?.url);
    expect(byId.get(pdf.id)?.thumbUrl).toBeNull();
  });

  it('raises the version only for what changed and tells removed assets apart', async () => {
    const { webflow, index } = setup(stores.current());
    const kept = webflow.addAsset(SITE, { altText: 'kept' });
    const edited = webflow.addAsset(SITE, { altText: 'before' });
    const deleted = webflow.addAsset(SITE, {});
    await index.refresh(SITE);
    const first = await index.index(SITE);

    await index.refresh(SITE);
    expect((await index.index(SITE)).version).toBe(first.version);

    // A hash the background hasher found survives the refresh that rewrites the asset.
    await saveMd5(stores.current(), SITE, edited.id, 'd41d8cd98f00b204e9800998ecf8427e');
    edited.altText[`${SITE}-en`] = 'after';
    webflow.assets.splice(webflow.assets.indexOf(deleted), 1);
    const added = webflow.addAsset(SITE, {});
    await index.refresh(SITE);

    const changes = indexChangesResponse.parse(await index.changesSince(SITE, first.version));
    expect(changes.version).toBeGreaterThan(first.version);
    expect(changes.assets.map((a) => a.id).sort()).toEqual([edited.id, added.id].sort());
    expect(changes.removedAssetIds).toEqual([deleted.id]);
    expect(changes.assets.find((a) => a.id === edited.id)).toMatchObject({ altText: 'after', md5: 'd41d8cd98f00b204e9800998ecf8427e' });
    expect((await index.index(SITE)).assets.map((a) => a.id)).not.toContain(deleted.id);
    expect((await index.changesSince(SITE, changes.version)).assets).toEqual([]);
    expect(kept.id).toBeDefined();
  });

  it('keeps the index and reports the failure when Webflow fails mid-refresh', async () => {
    const { webflow, index, errors } = setup(stores.current());
    for (let i = 0; i < 150; i += 1) webflow.addAsset(SITE, {});
    await index.refresh(SITE);
    const before = await index.index(SITE);

    webflow.assets.splice(0, 10);
    webflow.failNext('listAssets', new WebflowError(500, 'internal_error', 'An Internal Error occurred'));
    await index.refresh(SITE);

    const after = await index.index(SITE);
    expect(after.refresh.state).toBe('failed');
    expect(after.refresh.error).toBe('Webflow answered the refresh with an error (HTTP 500); refresh again in a moment.');
    expect(after.assets).toHaveLength(150);
    expect(after.version).toBe(before.version);
    expect(errors).toHaveLength(1);
  });

  it('lets go of a refresh the backend stops under, keeping the last one’s state and showing no failure', async () => {
    const { webflow, index, errors } = setup(stores.current());
    for (let i = 0; i < 150; i += 1) webflow.addAsset(SITE, {});
    await index.refresh(SITE);
    const before = await index.index(SITE);
    const list = webflow.listAssets.bind(webflow);
    let pages = 0;
    webflow.listAssets = async (...args) => {
      pages += 1;
      if (pages === 2) throw new QuotaClosed();
      return list(...args);
    };
    webflow.addAsset(SITE, {});

    await index.refresh(SITE);

    const after = await index.index(SITE);
    expect(after.refresh).toMatchObject({ state: 'idle', error: null, finishedAt: before.refresh.finishedAt });
    expect(after.version).toBe(before.version);
    expect(after.assets).toHaveLength(150);
    expect(errors).toEqual([]);
    // The next refresh reads again.
    await index.refresh(SITE);
    expect((await index.index(SITE)).assets).toHaveLength(151);
  });

  it('fails the refresh with what to do when the site has no token', async () => {
    const store = stores.current();
    const webflow = new FakeWebflow();
    const index = createAssetIndex({ store, webflow, getSiteToken: async () => undefined });
    await index.refresh(SITE);
    const { refresh } = await index.state(SITE);
    expect(refresh.state).toBe('failed');
    expect(refresh.error).toMatch(/not installed/);
    expect(webflow.calls).toEqual([]);
  });

  it('runs one refresh per site at a time, also across backends sharing the store', async () => {
    const store = stores.current();
    const { webflow, index } = setup(store);
    for (let i = 0; i < 300; i += 1) webflow.addAsset(SITE, {});
    const other = createAssetIndex({ store, webflow, getSiteToken: async (siteId) => webflow.tokens.get(siteId) });

    await Promise.all([index.refresh(SITE), index.refresh(SITE), other.refresh(SITE)]);

    expect(webflow.count('getSite')).toBe(1);
    expect(webflow.count('listAssets')).toBe(3);
    expect((await index.index(SITE)).assets).toHaveLength(300);
  });

  it('keeps its lease while Webflow takes longer than the lease to answer, so no other backend takes the site over', async () => {
    const store = stores.current();
    const webflow = new FakeWebflow();
    webflow.addSite(SITE);
    for (let i = 0; i < 150; i += 1) webflow.addAsset(SITE, {});
    const getSiteToken = async (siteId: string) => webflow.tokens.get(siteId);
    const index = createAssetIndex({ store, webflow, getSiteToken, leaseSeconds: 1 });
    const other = createAssetIndex({ store, webflow, getSiteToken, leaseSeconds: 1 });
    // The folder listing is held for three leases' time, before any page renews the lease (at
    // 100,000 assets the sandbox took 34 s to list folders; the client's timeout is 30 s).
    const listFolders = webflow.listFolders.bind(webflow);
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let asked = () => {};
    const listing = new Promise<void>((resolve) => (asked = resolve));
    webflow.listFolders = async (...args) => {
      asked();
      await held;
      return listFolders(...args);
    };

    const refreshed = index.refresh(SITE);
    await listing;
    const states = new Set<string>();
    for (const until = Date.now() + 3000; Date.now() < until; ) {
      states.add((await index.state(SITE)).refresh.state);
      await other.refresh(SITE);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    release();
    await refreshed;

    expect(states).toEqual(new Set(['running']));
    expect(webflow.count('getSite')).toBe(1);
    expect((await index.state(SITE)).refresh).toMatchObject({ state: 'idle', done: 150, total: 150, error: null });
    expect((await index.index(SITE)).assets).toHaveLength(150);
  });

  it('keeps what was mirrored or uploaded while a refresh read older values', async () => {
    const { webflow, index } = setup(stores.current());
    const asset = webflow.addAsset(SITE, { altText: 'old' });
    await index.refresh(SITE);
    webflow.addAsset(SITE, {});
    let mirrored: Promise<void> | undefined;
    webflow.onList = () => {
      // Webflow answered this page before the change landed; the journal mirrors it meanwhile.
      mirrored ??= index.mirror(SITE, [applied({ assetId: asset.id, field: 'altText', after: 'new' })]);
    };
    await index.refresh(SITE);
    await mirrored;
    webflow.onList = undefined;
    const found = (await index.index(SITE)).assets.find((a) => a.id === asset.id);
    expect(found?.altText).toBe('new');
  });

  it('keeps an asset removed while a refresh read it removed, and one added meanwhile', async () => {
    const { webflow, index } = setup(stores.current());
    const doomed = webflow.addAsset(SITE, {});
    await index.refresh(SITE);
    const uploaded = { ...(await index.index(SITE)).assets[0]!, id: 'uploaded', md5: 'a'.repeat(32) };
    let removed = false;
    webflow.onList = () => {
      if (removed) return;
      removed = true;
      // Webflow listed the asset before its deletion through Asset Desk reached the index.
      void index.removeAsset(SITE, doomed.id);
      void index.addAsset(SITE, uploaded);
    };
    await index.refresh(SITE);
    webflow.onList = undefined;
    const ids = (await index.index(SITE)).assets.map((a) => a.id);
    expect(ids).not.toContain(doomed.id);
    expect(ids).toContain('uploaded');
  });

  it('does not remove assets when the listing moved while it was read', async () => {
    const { webflow, index } = setup(stores.current());
    for (let i = 0; i < 150; i += 1) webflow.addAsset(SITE, {});
    await index.refresh(SITE);
    webflow.onList = (offset) => {
      // Someone deletes the first asset after page one: page two shifts by one and skips an asset.
      if (offset === 100) webflow.assets.splice(0, 1);
    };
    await index.refresh(SITE);
    expect((await index.index(SITE)).assets).toHaveLength(150);
    webflow.onList = undefined;
    await index.refresh(SITE);
    expect((await index.index(SITE)).assets).toHaveLength(149);
  });

  it('mirrors applied alt text per locale, display names and folder moves with a new version', async () => {
    const { webflow, index } = setup(stores.current(), { secondary: true });
    const asset = webflow.addAsset(SITE, { altText: 'A cat' });
    const folder = webflow.addFolder(SITE, 'Pets');
    await index.refresh(SITE);
    const before = await index.index(SITE);

    await index.mirror(SITE, [
      applied({ assetId: asset.id, field: 'altText', after: 'Un chat', localeId: 'fr' }),
      applied({ assetId: asset.id, field: 'altText', after: null }),
      applied({ assetId: asset.id, field: 'displayName', after: 'cat.jpg' }),
      applied({ assetId: asset.id, field: 'folder', after: folder.id }),
      applied({ assetId: asset.id, field: 'displayName', after: 'ignored', status: 'conflict' }),
      applied({ assetId: 'unknown', field: 'altText', after: 'x' }),
    ]);

    const changes = await index.changesSince(SITE, before.version);
    expect(changes.assets).toEqual([
      expect.objectContaining({ id: asset.id, altText: null, localeAltText: { fr: 'Un chat' }, name: 'cat.jpg', folderId: folder.id }),
    ]);
  });

  it('indexes uploads and removals with versions that only rise', async () => {
    const { webflow, index } = setup(stores.current());
    await index.refresh(SITE);
    const start = (await index.index(SITE)).version;
    const asset = webflow.addAsset(SITE, {});
    const doc = { ...(await index.index(SITE)).assets[0], id: asset.id, name: 'new.jpg', fileName: 'new.jpg', contentType: 'image/jpeg', size: 10, url: 'u', thumbUrl: 'u', folderId: null, createdOn: asset.createdOn, lastUpdated: asset.lastUpdated, altText: '', localeAltText: {}, md5: 'a'.repeat(32) };
    await index.addAsset(SITE, doc);
    const added = await index.changesSince(SITE, start);
    expect(added.assets).toEqual([doc]);
    await index.removeAsset(SITE, asset.id);
    const removed = await index.changesSince(SITE, added.version);
    expect(removed.removedAssetIds).toEqual([asset.id]);
    expect(removed.version).toBeGreaterThan(added.version);
  });

  it('starts the first refresh when the index is asked for before any', async () => {
    const { webflow, index } = setup(stores.current());
    webflow.addAsset(SITE, {});
    const first = await index.index(SITE);
    expect(first.refresh.state).toBe('running');
    // The panel learns the site's name and locales from this first answer only.
    expect(first.site).toMatchObject({ displayName: `Site ${SITE}`, locales: [expect.objectContaining({ id: `${SITE}-en`, primary: true })] });
    await index.idle();
    expect((await index.index(SITE)).assets).toHaveLength(1);
    expect(webflow.calls.filter((c) => c.method === 'getSite').map((c) => c.priority).sort()).toEqual(['background', 'interactive']);
    expect(webflow.count('listAssets')).toBe(1);
  });

  it('answers the first index even when Webflow cannot tell the site yet', async () => {
    const { webflow, index } = setup(stores.current());
    webflow.failNext('getSite', new WebflowError(429, 'too_many_requests', 'Too many requests', 1000));
    webflow.failNext('getSite', new WebflowError(429, 'too_many_requests', 'Too many requests', 1000));
    const first = await index.index(SITE);
    expect(first.site.displayName).toBe('');
    await index.idle();
    expect((await index.state(SITE)).refresh.state).toBe('failed');
  });

  it('refreshes known sites whose index is stale, in the background', async () => {
    const { webflow, index, errors } = setup(stores.current());
    await index.refresh(SITE);
    const before = (await index.state(SITE)).version;
    webflow.addAsset(SITE, {});
    index.startAutoRefresh({ staleAfterMs: 0, everyMs: 20 });
    try {
      await expect.poll(async () => (await index.state(SITE)).version, { timeout: 5000, interval: 20 }).toBeGreaterThan(before);
    } finally {
      index.stopAutoRefresh();
      await index.idle();
    }
    expect((await index.index(SITE)).assets).toHaveLength(1);
    expect(errors).toEqual([]);
  });

  it('reads folders alone when asked, without a whole refresh', async () => {
    const { webflow, index } = setup(stores.current());
    const parent = webflow.addFolder(SITE, 'Brand');
    const child = webflow.addFolder(SITE, 'Logos', parent.id);
    expect(await index.refreshFolders(SITE, 'interactive')).toEqual([
      { id: parent.id, name: 'Brand', parentId: null },
      { id: child.id, name: 'Logos', parentId: parent.id },
    ]);
    expect(webflow.count('listAssets')).toBe(0);
  });

  it('keeps its listing in the store only while it runs, and clears what a run that died left', async () => {
    const store = stores.current();
    const { webflow, index } = setup(store, { secondary: true });
    for (let i = 0; i < 7; i += 1) webflow.addAsset(SITE, { altText: { [`${SITE}-en`]: `Photo ${i}`, fr: `Photo ${i} (fr)` } });
    const listingRows = async () => Number((await store.query<{ n: string }>(`SELECT count(*)::text AS n FROM refresh_listing`))[0]?.n);
    // A run of this site that died mid-read (its process crashed) left a page behind.
    await addListed(store, { siteId: SITE, runId: 'dead-run', startVersion: 0 }, [{
      id: 'ghost', name: 'ghost.jpg', fileName: 'ghost.jpg', contentType: 'image/jpeg', size: 1, url: 'https://cdn/ghost.jpg', thumbUrl: null,
      folderId: null, createdOn: '2026-01-01T00:00:00.000Z', lastUpdated: '2026-01-01T00:00:00.000Z', altText: 'never listed now', localeAltText: {},
    }]);
    await index.refresh(SITE);
    expect(await listingRows()).toBe(0);
    const { assets } = await index.index(SITE);
    expect(assets.map((a) => a.altText).sort()).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => `Photo ${i}`));
    expect(assets.every((a) => a.localeAltText.fr === `${a.altText} (fr)`)).toBe(true);

    webflow.failNext('listAssets', new WebflowError(500, 'internal_error', 'An Internal Error occurred'));
    await index.refresh(SITE);
    expect(await listingRows()).toBe(0);
  });

  it('reads the fingerprints of live assets in chunks, every one of them once', async () => {
    const { webflow, index } = setup(stores.current());
    for (let i = 0; i < 7; i += 1) webflow.addAsset(SITE, { altText: `Photo ${i}` });
    await index.refresh(SITE);
    const { assets } = await index.index(SITE);
    await index.removeAsset(SITE, assets[3]!.id);
    const live = assets.filter((_, n) => n !== 3);
    const read = await readFingerprints(stores.current(), SITE, 2);
    expect(read).toEqual(new Map(live.map(({ md5: _md5, ...doc }) => [doc.id, fingerprintOf(doc)])));
  });

  it('reads the index and its changes a page of rows at a time, every asset once, newest first', async () => {
    const store = stores.current();
    const { webflow, index } = setup(store);
    // Three creation times for seven assets: the order within one time is by id.
    for (let i = 0; i < 7; i += 1) webflow.addAsset(SITE, { createdOn: new Date(Date.UTC(2026, 0, 1 + (i % 3))).toISOString() });
    await index.refresh(SITE);
    const { version, assets: whole } = await index.index(SITE);
    let largest = 0;
    const counted = { ...store, query: async <Row,>(sql: string, params?: readonly unknown[]) => {
      const rows = await store.query<Row>(sql, params);
      largest = Math.max(largest, rows.length);
      return rows;
    } };

    const paged = await readAssets(counted, SITE, { pageRows: 2 });
    expect(largest).toBe(2);
    expect(paged.map((a) => a.doc)).toEqual(whole);
    expect(whole.map((a) => [a.createdOn, a.id])).toEqual(whole.map((a) => [a.createdOn, a.id]).sort((a, b) => (a[0]! < b[0]! ? 1 : a[0]! > b[0]! ? -1 : a[1]! < b[1]! ? -1 : 1)));
    // Every asset was written at the refresh's one version: the pages of changes turn inside it.
    expect((await readAssets(counted, SITE, { sinceVersion: 0, pageRows: 3 })).map((a) => a.doc)).toEqual(whole);

    await index.mirror(SITE, [applied({ assetId: whole[1]!.id, field: 'altText', after: 'Changed' })]);
    await index.removeAsset(SITE, whole[4]!.id);
    await index.mirror(SITE, [applied({ assetId: whole[6]!.id, field: 'altText', after: 'Changed too' })]);
    const changes = await readAssets(counted, SITE, { sinceVersion: version, includeRemoved: true, pageRows: 1 });
    expect(changes.map((a) => [a.doc.id, a.removed])).toEqual([[whole[1]!.id, false], [whole[4]!.id, true], [whole[6]!.id, false]]);
    expect(await readAssets(counted, SITE, { sinceVersion: version, pageRows: 1 })).toHaveLength(2);
    expect(largest).toBe(3);
  });

  it('refreshes at start an index read from another Data API base, so its hosted URLs follow where files are served now', async () => {
    const before = setup(stores.current(), { source: 'http://127.0.0.1:4100/v2' });
    before.webflow.cdnOrigin = 'http://127.0.0.1:4100';
    const asset = before.webflow.addAsset(SITE, { variants: [variant(500, 'http://127.0.0.1:4100/v-500.jpg')] });
    before.webflow.addAsset(SITE, { contentType: 'application/pdf', fileName: 'menu.pdf' });
    await before.index.refresh(SITE);

    // The same store, the same Webflow, now served from another port.
    const webflow = before.webflow;
    webflow.cdnOrigin = 'http://127.0.0.1:4999';
    asset.variants = [variant(500, 'http://127.0.0.1:4999/v-500.jpg')];
    const same = setup(stores.current(), { source: 'http://127.0.0.1:4100/v2', webflow });
    same.index.startAutoRefresh();
    same.index.stopAutoRefresh();
    await same.index.idle();
    expect(webflow.count('listAssets')).toBe(1); // the base did not change: nothing to read

    const after = setup(stores.current(), { source: 'http://127.0.0.1:4999/v2', webflow });
    const { version } = await after.index.state(SITE);
    after.index.startAutoRefresh();
    try {
      await expect.poll(async () => (await after.index.changesSince(SITE, version)).assets.map((a) => [a.url, a.thumbUrl]), { timeout: 10_000 }).toEqual([
        [expect.stringMatching(/^http:\/\/127\.0\.0\.1:4999\/.+menu\.pdf$/), null],
        [expect.stringMatching(/^http:\/\/127\.0\.0\.1:4999\//), 'http://127.0.0.1:4999/v-500.jpg'],
      ]);
    } finally {
      after.index.stopAutoRefresh();
      await after.index.idle();
    }
    expect(after.errors).toEqual([]);
  });

  it('refreshes an index read from another Data API base when a panel opens it, answering what it holds meanwhile', async () => {
    const before = setup(stores.current(), { source: 'http://127.0.0.1:4100/v2' });
    before.webflow.addAsset(SITE);
    await before.index.refresh(SITE);
    before.webflow.cdnOrigin = 'http://127.0.0.1:4999';
    // The refresh's listing waits until the first answer is read: on PostgreSQL the two run at
    // once, and a refresh that reads and commits first would make this test a race.
    let listingMayGo = () => {};
    const listingGate = new Promise<void>((resolve) => (listingMayGo = resolve));
    const list = before.webflow.listAssets.bind(before.webflow);
    before.webflow.listAssets = async (...args) => {
      await listingGate;
      return list(...args);
    };

    const after = setup(stores.current(), { source: 'http://127.0.0.1:4999/v2', webflow: before.webflow });
    const first = await after.index.index(SITE);
    expect(first.assets[0]?.url).toMatch(/^https:\/\/cdn\.example\.test\//);
    listingMayGo();
    await after.index.idle();
    expect(before.webflow.calls.at(-1)?.priority).toBe('interactive');
    expect((await after.index.changesSince(SITE, first.version)).assets[0]?.url).toMatch(/^http:\/\/127\.0\.0\.1:4999\//);
    expect((await after.index.index(SITE)).assets[0]?.url).toMatch(/^http:\/\/127\.0\.0\.1:4999\//);
    expect(before.webflow.count('listAssets')).toBe(2); // once more, then never again
  });
});
