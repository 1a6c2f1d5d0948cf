import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChangeInput } from '../../core/api.ts';
import { createJournal } from '../services/journal.ts';
import { countedInFull } from '../../../test/server/journal-counted-in-full.ts';
import { testStoreKinds, useTestStore } from '../../../test/server/store-test-helpers.ts';
import { COUNT_SETTLED_SQL } from './journal-settled.ts';
import { changesByPerson, progressByDay } from './report.ts';

const SITE = 'site1';

const altValue = fc.constantFrom<string | null>('', ' ', null, 'A red door', '  ', 'Door');
const change = fc.record({
  asset: fc.integer({ min: 0, max: 5 }),
  field: fc.constantFrom('altText', 'altText', 'displayName', 'folder'),
  locale: fc.constantFrom('', '', 'fr'),
  before: altValue,
  after: altValue,
});
const step = fc.oneof(
  fc.record({ kind: fc.constant('record' as const), user: fc.constantFrom('u1', 'u2'), changes: fc.array(change, { minLength: 1, maxLength: 6 }) }),
  fc.record({ kind: fc.constant('apply' as const), limit: fc.integer({ min: 1, max: 8 }), outcomes: fc.array(fc.constantFrom('applied', 'applied', 'conflict', 'failed'), { minLength: 8, maxLength: 8 }) }),
  fc.record({ kind: fc.constant('undo' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('settle' as const), pick: fc.nat(), keep: fc.constantFrom('mine', 'theirs') }),
);

function input(c: { asset: number; field: string; locale: string; before: string | null; after: string | null }): ChangeInput {
  const assetId = `a${c.asset}`;
  if (c.field === 'displayName') return { assetId, field: 'displayName', before: 'old.png', after: c.after ? 'Door.png' : 'new.png' };
  if (c.field === 'folder') return { assetId, field: 'folder', before: c.before ? 'f1' : null, after: c.after ? 'f2' : 'f3' };
  return { assetId, field: 'altText', before: c.before, after: c.after, ...(c.locale ? { localeId: c.locale } : {}) };
}

describe.each(testStoreKinds)('settled changes counted as they settle, on %s', (kind) => {
  const stores = useTestStore(kind);

  it('equal the journal counted in full, whatever is journaled, applied, undone or settled', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), async (steps) => {
        const store = stores.current();
        await store.exec('TRUNCATE journal_changes, journal_batches, journal_settled RESTART IDENTITY CASCADE');
        const journal = createJournal({ store });
        const batches: string[] = [];
        for (const s of steps) {
          if (s.kind === 'record') {
            batches.push((await journal.record(SITE, s.user, { label: 'steps', changes: s.changes.map(input) })).id);
          } else if (s.kind === 'apply') {
            const lease = await journal.lease(SITE, { applierId: 'p1', kind: 'designer', limit: s.limit, seconds: 30 });
            await journal.ack(
              SITE,
              'p1',
              lease.changes.map((leased, i) => {
                const outcome = s.outcomes[i] ?? 'applied';
                if (outcome === 'conflict') return { changeId: leased.id, outcome, current: 'Theirs' };
                if (outcome === 'failed') return { changeId: leased.id, outcome, error: 'Webflow is down' };
                return { changeId: leased.id, outcome: 'applied' as const };
              }),
            );
          } else if (s.kind === 'undo' && batches.length > 0) {
            await journal.undo(SITE, batches[s.pick % batches.length] as string, 'u1').catch(() => undefined);
          } else if (s.kind === 'settle') {
            const open = (await journal.list(SITE, ['conflict', 'failed'], 100)).changes;
            const picked = open[s.pick % Math.max(open.length, 1)];
            if (picked?.status === 'conflict') await journal.resolve(SITE, picked.id, s.keep);
            else if (picked?.status === 'failed') await journal.retry(SITE, picked.id);
          }
        }
        const full = await countedInFull(store, SITE);
        const counts = (await journal.list(SITE, ['pending'], 1)).counts;
        expect({ applied: counts.applied, discarded: counts.discarded }).toEqual({ applied: full.applied, discarded: full.discarded });
        expect(await progressByDay(store, SITE)).toEqual(full.days);
        expect(await changesByPerson(store, SITE)).toEqual(full.people);
      }),
      { numRuns: kind === 'pglite' ? 40 : 25 },
    );
  });

  it('counts what was settled before the counts existed', async () => {
    const store = stores.current();
    const journal = createJournal({ store });
    await journal.record(SITE, 'u1', { label: 'before', changes: [{ assetId: 'a1', field: 'altText', before: '', after: 'A red door' }] });
    const lease = await journal.lease(SITE, { applierId: 'p1', kind: 'designer', limit: 10, seconds: 30 });
    await journal.ack(SITE, 'p1', lease.changes.map((leased) => ({ changeId: leased.id, outcome: 'applied' as const })));
    // As a store migrated before journal_settled_001 holds it: the change applied, nothing counted.
    await store.exec('TRUNCATE journal_settled');
    expect((await journal.list(SITE, ['pending'], 1)).counts.applied).toBe(0);
    await store.exec(COUNT_SETTLED_SQL);
    expect((await journal.list(SITE, ['pending'], 1)).counts.applied).toBe(1);
    expect(await progressByDay(store, SITE)).toEqual((await countedInFull(store, SITE)).days);
  });
});
