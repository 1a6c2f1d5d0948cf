import { describe, expect, it } from 'vitest';
import { testStoreKinds, useTestStore } from '../../../test/server/store-test-helpers.ts';
import { insertBatch } from './journal.ts';
import { LEASE_SQL, leaseParams, type LeaseRequest } from './leases.ts';

interface PlanNode {
  'Node Type': string;
  'Actual Rows': number;
  'Actual Loops': number;
  Plans?: PlanNode[];
}

/** Rows every node of an executed plan produced, over all its loops: the work the plan did. */
function rowsProduced(node: PlanNode): number {
  return node['Actual Rows'] * node['Actual Loops'] + (node.Plans ?? []).reduce((sum, child) => sum + rowsProduced(child), 0);
}

describe.each(testStoreKinds)('leases on %s', (kind) => {
  const stores = useTestStore(kind);

  it('leases from a fresh batch in work linear in its size, whatever statistics the planner has', async () => {
    // A batch just recorded, never analysed (PGlite runs no autovacuum): the planner takes the
    // table for tiny. Leasing must still read the open changes a fixed number of times, not
    // once per change (the old plan produced 500,000 rows here and took 0.7–1 s).
    const store = stores.current();
    const size = 1000;
    await store.transaction((tx) =>
      insertBatch(tx, {
        siteId: 'site1',
        userId: 'user1',
        label: null,
        undoOf: null,
        changes: Array.from({ length: size }, (_, i) => ({ assetId: `asset${i}`, field: 'altText' as const, localeId: null, before: '', after: `Alt ${i}` })),
      }),
    );
    const request: LeaseRequest = { siteId: 'site1', applierId: 'panel-1', kind: 'designer', fields: ['altText', 'displayName', 'folder'], limit: 500, seconds: 30, pageId: null, targets: ['asset', 'element'] };
    const [row] = await store.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${LEASE_SQL}`, leaseParams(request));
    const explained = row?.['QUERY PLAN'];
    const [plan] = (typeof explained === 'string' ? JSON.parse(explained) : explained) as Array<{ Plan: PlanNode }>;
    expect(plan).toBeDefined();
    expect(rowsProduced(plan!.Plan)).toBeLessThan(20 * size);

    const leased = await store.query<{ count: string }>(`SELECT count(*)::text AS count FROM journal_changes WHERE status = 'leased' AND lease_holder = 'panel-1'`);
    expect(leased[0]?.count).toBe('500');
  });
});
