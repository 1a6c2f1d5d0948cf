import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { IndexedAsset } from '../../core/api.ts';
import { useTestStore } from '../../../test/server/store-test-helpers.ts';
import { upsertAssets } from './asset-index.ts';
import { createStoreUpkeep, upkeepWork, type TableCounters } from './upkeep.ts';

describe('upkeepWork', () => {
  const table = (over: Partial<TableCounters>): TableCounters => ({ table: 'index_assets', rows: 10_000, dead: 0, changedSinceAnalyze: 0, ...over });

  it('vacuums past 50 + 20% dead rows, analyzes past 50 + 10% changed rows or a table never analyzed', () => {
    expect(upkeepWork([table({ dead: 2050 })], false)).toEqual([]);
    expect(upkeepWork([table({ dead: 2051 })], false)).toEqual([{ table: 'index_assets', work: 'vacuum' }]);
    expect(upkeepWork([table({ changedSinceAnalyze: 1050 })], false)).toEqual([]);
    expect(upkeepWork([table({ changedSinceAnalyze: 1051 })], false)).toEqual([{ table: 'index_assets', work: 'analyze' }]);
    expect(upkeepWork([table({ rows: -1 })], false)).toEqual([{ table: 'index_assets', work: 'analyze' }]);
    expect(upkeepWork([table({ rows: -1, dead: 51 })], false)).toEqual([{ table: 'index_assets', work: 'vacuum' }]);
  });

  it('vacuums every table at the first check; otherwise more dead rows never take a vacuum away', () => {
    const counters = fc.uniqueArray(fc.record({ table: fc.constantFrom('a', 'b', 'c', 'd'), rows: fc.integer({ min: -1, max: 1e6 }), dead: fc.nat(1e6), changedSinceAnalyze: fc.nat(1e6) }), { selector: (t) => t.table, maxLength: 4 });
    fc.assert(
      fc.property(counters, fc.nat(1e6), (tables, more) => {
        expect(upkeepWork(tables, true)).toEqual(tables.map((t) => ({ table: t.table, work: 'vacuum' })));
        const work = upkeepWork(tables, false);
        expect(new Set(work.map((w) => w.table)).size).toBe(work.length);
        const after = upkeepWork(tables.map((t) => ({ ...t, dead: t.dead + more })), false);
        for (const w of work.filter((x) => x.work === 'vacuum')) expect(after).toContainEqual(w);
      }),
    );
  });
});

function asset(n: number, altText: string): IndexedAsset {
  const id = n.toString(16).padStart(24, '0');
  return { id, name: `a-${n}.jpg`, fileName: `a-${n}.jpg`, contentType: 'image/jpeg', size: n, url: `https://cdn.example.com/s/${id}_a-${n}.jpg`, thumbUrl: null, folderId: null, createdOn: '2026-01-01T00:00:00.000Z', lastUpdated: '2026-01-01T00:00:00.000Z', altText, localeAltText: {}, md5: null };
}

describe('store upkeep on PGlite', () => {
  const stores = useTestStore('pglite');

  it('vacuums and analyzes the tables whose rows changed, so a page of the index is read by its key', async () => {
    const store = stores.current();
    const upkeep = createStoreUpkeep(store);
    await upsertAssets(store, 'site1', Array.from({ length: 5000 }, (_, n) => asset(n, 'first')), 1);
    const plan = async () =>
      (await store.query<{ 'QUERY PLAN': string }>(`EXPLAIN SELECT asset_id, doc FROM index_assets WHERE site_id = 'site1' AND NOT removed AND asset_id > '' ORDER BY asset_id LIMIT 100`))
        .map((row) => row['QUERY PLAN'])
        .join('\n');
    const reltuples = async () => Number((await store.query<{ n: number }>(`SELECT reltuples AS n FROM pg_class WHERE relname = 'index_assets' AND relnamespace = current_schema()::regnamespace`))[0]?.n);
    expect(await reltuples()).toBe(-1);

    const first = await upkeep.runOnce();
    expect(first).toContainEqual({ table: 'index_assets', work: 'vacuum' });
    expect(await reltuples()).toBe(5000);
    expect(await plan()).toMatch(/Index Scan using index_assets_pkey/);

    // Nothing changed since: nothing to do.
    expect(await upkeep.runOnce()).toEqual([]);

    // Every row written again leaves 5,000 dead versions behind: vacuumed; a few changes are not.
    await upsertAssets(store, 'site1', Array.from({ length: 5000 }, (_, n) => asset(n, 'second')), 2);
    // The counters reach the catalog within a second; the test does not wait for it.
    const flush = () => store.query('SELECT pg_stat_force_next_flush()');
    await flush();
    expect(await upkeep.runOnce()).toEqual([{ table: 'index_assets', work: 'vacuum' }]);
    await upsertAssets(store, 'site1', Array.from({ length: 20 }, (_, n) => asset(n, 'third')), 3);
    await flush();
    expect(await upkeep.runOnce()).toEqual([]);
    await upkeep.stop();
  });

  it('reports a failure and keeps going', async () => {
    const errors: unknown[] = [];
    const broken = { ...stores.current(), query: async () => Promise.reject(new Error('store gone')) };
    const upkeep = createStoreUpkeep(broken, { onError: (error) => errors.push(error) });
    expect(await upkeep.runOnce()).toEqual([]);
    expect(errors).toHaveLength(1);
  });
});
