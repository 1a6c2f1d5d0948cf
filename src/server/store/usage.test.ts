import { describe, expect, it } from 'vitest';
import { testStoreKinds, useTestStore } from '../../../test/server/store-test-helpers.ts';
import { claimCrawl, commitCrawl, endCrawl, readSources, readUsageSite, sourceKey, type SourceRow } from './usage.ts';

const SITE = 'site1';

function page(id: string, localeId: string | null, title: string, lastUpdated = '2026-01-01T00:00:00.000Z'): SourceRow {
  return { kind: 'page', sourceId: id, localeId, parentId: null, lastUpdated, doc: { title, dom: { images: [], placements: [] } } };
}

describe.each(testStoreKinds)('usage store on %s', (kind) => {
  const stores = useTestStore(kind);
  const commit = (rows: SourceRow[], present = rows.map(sourceKey)) => ({ locales: [{ id: 'en', cmsLocaleId: 'cms-en', primary: true }], componentsKey: 'k', full: true, written: rows, present: new Set(present), done: rows.length });

  it('writes a crawl whole, replaces rows read again, drops rows no longer listed, and raises the version', async () => {
    const store = stores.current();
    expect(await claimCrawl(store, SITE, 'a', 60)).toBe(true);
    const item: SourceRow = { kind: 'item', sourceId: 'i1', localeId: 'en', parentId: 'c1', lastUpdated: null, doc: { title: 'Post', images: [] } };
    expect(await store.transaction((tx) => commitCrawl(tx, SITE, 'a', commit([page('p1', 'en', 'Home'), page('p2', 'en', 'Gone'), item])))).toBe(true);
    const first = await readUsageSite(store, SITE);
    expect(first).toMatchObject({ built: true, componentsKey: 'k', crawl: { state: 'idle', done: 3, total: 3, error: null, built: true } });

    await claimCrawl(store, SITE, 'a', 60);
    const kept = sourceKey(item);
    await store.transaction((tx) => commitCrawl(tx, SITE, 'a', commit([page('p1', 'en', 'Home again', '2026-02-01T00:00:00.000Z')], [sourceKey(page('p1', 'en', '')), kept])));
    expect(await readSources(store, SITE)).toEqual([item, page('p1', 'en', 'Home again', '2026-02-01T00:00:00.000Z')]);
    expect((await readUsageSite(store, SITE))?.version).toBe((first?.version ?? 0) + 1);
  });

  it('keeps text Webflow may hold that PostgreSQL cannot, byte for byte', async () => {
    const store = stores.current();
    await claimCrawl(store, SITE, 'a', 60);
    const odd = page('p\u0000x', 'en\ud800', 'Caf\u00e9 \u0000 \udfff');
    await store.transaction((tx) => commitCrawl(tx, SITE, 'a', commit([odd])));
    expect(await readSources(store, SITE)).toEqual([odd]);
  });

  it('lets one crawl hold a site, and writes nothing for a crawl taken over', async () => {
    const store = stores.current();
    expect(await claimCrawl(store, SITE, 'a', 60)).toBe(true);
    expect(await claimCrawl(store, SITE, 'b', 60)).toBe(false);
    await endCrawl(store, SITE, 'a', { state: 'needs_scopes', error: 'Install again', missingScopes: ['cms:read'] });
    expect((await readUsageSite(store, SITE))?.crawl).toMatchObject({ state: 'needs_scopes', missingScopes: ['cms:read'], built: false });
    expect(await claimCrawl(store, SITE, 'b', 60)).toBe(true);
    expect(await store.transaction((tx) => commitCrawl(tx, SITE, 'a', commit([page('p1', 'en', 'Home')])))).toBe(false);
    expect(await readSources(store, SITE)).toEqual([]);
  });

  it('reports a crawl whose holder stopped renewing its lease as failed', async () => {
    const store = stores.current();
    await claimCrawl(store, SITE, 'a', 0);
    // The lease ends as the database's clock moves on: wait for that, not for a guessed time.
    await expect.poll(async () => (await readUsageSite(store, SITE))?.crawl.state, { timeout: 10_000, interval: 5 }).toBe('failed');
    expect((await readUsageSite(store, SITE))?.crawl).toMatchObject({ state: 'failed', error: expect.stringContaining('stopped before it finished') });
    expect(await claimCrawl(store, SITE, 'b', 60)).toBe(true);
  });
});
