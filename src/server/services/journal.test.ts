import { describe, expect, it } from 'vitest';
import type { ChangeInput } from '../../core/api.ts';
import { HttpError } from '../errors.ts';
import { createJournal, SERVER_FIELDS } from './journal.ts';
import { testStoreKinds, useTestStore } from '../../../test/server/store-test-helpers.ts';

const SITE = 'site1';
const USER = 'user1';
const DESIGNER = 'designer-applier-1';
const OTHER = 'designer-applier-2';

const alt = (assetId: string, before: string | null, after: string | null, localeId?: string): ChangeInput => ({
  assetId,
  field: 'altText',
  before,
  after,
  ...(localeId ? { localeId } : {}),
});

describe.each(testStoreKinds)('journal on %s', (kind) => {
  const stores = useTestStore(kind);
  const journal = () => createJournal({ store: stores.current() });
  const lease = (j: ReturnType<typeof journal>, applierId: string, limit = 100) =>
    j.lease(SITE, { applierId, kind: 'designer', limit, seconds: 30 });

  it('records a batch with ids, pending, and keeps it', async () => {
    const j = journal();
    const batch = await j.record(SITE, USER, {
      label: 'Alt text for two photos',
      changes: [alt('a1', '', 'A red door'), { assetId: 'a2', field: 'displayName', before: 'x', after: 'Door' }],
    });
    expect(batch.id).toMatch(/^\d+$/);
    expect(batch.label).toBe('Alt text for two photos');
    expect(batch.changes.map((c) => [c.assetId, c.status, c.before, c.after, c.userId])).toEqual([
      ['a1', 'pending', '', 'A red door', USER],
      ['a2', 'pending', 'x', 'Door', USER],
    ]);
    const again = await createJournal({ store: stores.current() }).list(SITE, ['pending'], 10);
    expect(again.changes.map((c) => c.id)).toEqual(batch.changes.map((c) => c.id));
    expect(again.counts.pending).toBe(2);
  });

  it('keeps decorative (null) apart from empty alt text, and the locale', async () => {
    const batch = await journal().record(SITE, USER, { changes: [alt('a1', '', null, 'fr'), alt('a2', null, '')] });
    expect(batch.changes.map((c) => [c.before, c.after, c.localeId])).toEqual([
      ['', null, 'fr'],
      [null, '', null],
    ]);
  });

  it('refuses an empty display name and a locale on a folder move, saying which change', async () => {
    const j = journal();
    await expect(
      j.record(SITE, USER, { changes: [{ assetId: 'a1', field: 'displayName', before: 'x', after: ' ' }] }),
    ).rejects.toThrow(/changes\[0\] \(asset a1\): a display name cannot be empty/);
    await expect(
      j.record(SITE, USER, { changes: [{ assetId: 'a1', field: 'folder', localeId: 'fr', before: null, after: 'f1' }] }),
    ).rejects.toBeInstanceOf(HttpError);
  });

  it('leases a change to one applier at a time, and renews it for its holder', async () => {
    const j = journal();
    await j.record(SITE, USER, { changes: [alt('a1', '', 'one'), alt('a2', '', 'two')] });
    const first = await lease(j, DESIGNER, 1);
    const second = await lease(j, OTHER);
    expect(first.changes).toHaveLength(1);
    expect(second.changes).toHaveLength(1);
    expect(second.changes[0]?.id).not.toBe(first.changes[0]?.id);
    expect((await lease(j, OTHER)).changes.map((c) => c.id)).toEqual(second.changes.map((c) => c.id));
    const renewed = await lease(j, DESIGNER);
    expect(renewed.changes.map((c) => c.id)).toEqual(first.changes.map((c) => c.id));
    expect(renewed.leaseExpiresAt).not.toBeNull();
  });

  it('renews what an applier holds before giving it more', async () => {
    const j = journal();
    await j.record(SITE, USER, { changes: [alt('a1', '', 'one'), alt('a2', '', 'two'), alt('a3', '', 'three')] });
    const held = await lease(j, DESIGNER, 2);
    // The first goes back to pending: an older change than the one still held.
    expect(await j.release(SITE, DESIGNER, [held.changes[0]!.id])).toBe(1);
    const renewed = await lease(j, DESIGNER, 1);
    expect(renewed.changes.map((c) => c.id)).toEqual([held.changes[1]!.id]);
  });

  it('never gives one change to two appliers asking at once', async () => {
    const j = journal();
    await j.record(SITE, USER, { changes: Array.from({ length: 40 }, (_, i) => alt(`a${i}`, '', `alt ${i}`)) });
    const appliers = Array.from({ length: 4 }, (_, i) => `applier-number-${i}`);
    const leases = await Promise.all(appliers.map((applierId) => lease(j, applierId, 15)));
    const ids = leases.flatMap((l) => l.changes.map((c) => c.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(40);
  });

  it('gives a change whose lease lapsed to another applier', async () => {
    const j = journal();
    await j.record(SITE, USER, { changes: [alt('a1', '', 'one')] });
    await lease(j, DESIGNER);
    await stores.current().query("UPDATE journal_changes SET lease_expires_at = now() - interval '1 second'");
    const open = await j.list(SITE, ['pending'], 10);
    expect(open.changes.map((c) => c.status)).toEqual(['pending']);
    expect(open.counts).toMatchObject({ pending: 1, leased: 0 });
    expect((await lease(j, OTHER)).changes).toHaveLength(1);
    expect(await j.ack(SITE, DESIGNER, [{ changeId: open.changes[0]!.id, outcome: 'applied' }])).toEqual([]);
  });

  it('leases only the fields an applier can apply', async () => {
    const j = journal();
    await j.record(SITE, USER, {
      changes: [{ assetId: 'a1', field: 'folder', before: null, after: 'f1' }, alt('a2', '', 'two')],
    });
    const server = await j.lease(SITE, { applierId: 'server-applier', kind: 'server', fields: SERVER_FIELDS, limit: 10, seconds: 30 });
    expect(server.changes.map((c) => c.field)).toEqual(['altText']);
  });

  it('holds a later change of the same value until the earlier one is settled', async () => {
    const j = journal();
    await j.record(SITE, USER, { changes: [alt('a1', '', 'first')] });
    await j.record(SITE, USER, { changes: [alt('a1', 'first', 'second'), alt('a1', '', 'french', 'fr')] });
    const held = await lease(j, DESIGNER);
    expect(held.changes.map((c) => c.after)).toEqual(['first', 'french']);
    await j.ack(SITE, DESIGNER, [{ changeId: held.changes[0]!.id, outcome: 'applied' }]);
    expect((await lease(j, DESIGNER)).changes.map((c) => c.after)).toEqual(['second', 'french']);
  });

  it('takes outcomes only from the holder of the lease', async () => {
    const j = journal();
    const batch = await j.record(SITE, USER, { changes: [alt('a1', '', 'one')] });
    const changeId = batch.changes[0]!.id;
    await lease(j, DESIGNER);
    expect(await j.ack(SITE, OTHER, [{ changeId, outcome: 'applied' }])).toEqual([]);
    const [applied] = await j.ack(SITE, DESIGNER, [{ changeId, outcome: 'applied' }]);
    expect(applied).toMatchObject({ status: 'applied', appliedBy: 'designer' });
    expect(applied?.appliedAt).not.toBeNull();
    expect(await j.ack(SITE, DESIGNER, [{ changeId, outcome: 'failed', error: 'late' }])).toEqual([]);
  });

  it('marks a change as conflicting with Webflow’s value, including decorative', async () => {
    const j = journal();
    const batch = await j.record(SITE, USER, { changes: [alt('a1', '', 'one')] });
    await lease(j, DESIGNER);
    const [conflict] = await j.ack(SITE, DESIGNER, [{ changeId: batch.changes[0]!.id, outcome: 'conflict', current: null }]);
    expect(conflict).toMatchObject({ status: 'conflict', current: null });
    expect((await j.list(SITE, ['conflict'], 10)).changes[0]?.current).toBeNull();
  });

  it('tells listeners about applied changes once they are committed', async () => {
    const j = journal();
    const heard: string[] = [];
    j.onApplied((siteId, changes) => heard.push(...changes.map((c) => `${siteId}:${c.after}`)));
    const batch = await j.record(SITE, USER, { changes: [alt('a1', '', 'one'), alt('a2', '', 'two')] });
    await lease(j, DESIGNER);
    await j.ack(SITE, DESIGNER, [
      { changeId: batch.changes[0]!.id, outcome: 'applied' },
      { changeId: batch.changes[1]!.id, outcome: 'failed', error: 'boom' },
    ]);
    expect(heard).toEqual(['site1:one']);
  });

  it('retries a failed change and refuses to retry any other', async () => {
    const j = journal();
    const batch = await j.record(SITE, USER, { changes: [alt('a1', '', 'one')] });
    const changeId = batch.changes[0]!.id;
    await expect(j.retry(SITE, changeId)).rejects.toMatchObject({ status: 409 });
    await lease(j, DESIGNER);
    await j.ack(SITE, DESIGNER, [{ changeId, outcome: 'failed', error: 'Webflow said 500' }]);
    expect((await j.list(SITE, ['failed'], 10)).changes[0]?.error).toBe('Webflow said 500');
    expect(await j.retry(SITE, changeId)).toMatchObject({ status: 'pending', error: null });
    await expect(j.retry(SITE, '999999')).rejects.toMatchObject({ status: 404 });
    await expect(j.retry('other-site', changeId)).rejects.toMatchObject({ status: 404 });
  });

  it('resolves a conflict as mine by journaling the change over Webflow’s value', async () => {
    const j = journal();
    const batch = await j.record(SITE, USER, { changes: [alt('a1', '', 'mine')] });
    const changeId = batch.changes[0]!.id;
    await lease(j, DESIGNER);
    await j.ack(SITE, DESIGNER, [{ changeId, outcome: 'conflict', current: 'theirs' }]);
    const again = await j.resolve(SITE, changeId, 'mine');
    expect(again).toMatchObject({ status: 'pending', before: 'theirs', after: 'mine', batchId: batch.id });
    expect(again.id).not.toBe(changeId);
    expect((await j.history(SITE, 'a1')).map((c) => c.status)).toEqual(['pending', 'discarded']);
  });

  it('resolves a conflict as theirs by discarding it, and only a conflict', async () => {
    const j = journal();
    const batch = await j.record(SITE, USER, { changes: [alt('a1', '', 'mine')] });
    const changeId = batch.changes[0]!.id;
    await expect(j.resolve(SITE, changeId, 'theirs')).rejects.toMatchObject({ status: 409 });
    await lease(j, DESIGNER);
    await j.ack(SITE, DESIGNER, [{ changeId, outcome: 'conflict', current: 'theirs' }]);
    expect(await j.resolve(SITE, changeId, 'theirs')).toMatchObject({ status: 'discarded' });
    expect((await j.list(SITE, ['pending'], 10)).changes).toEqual([]);
  });

  it('undoes a batch by journaling the inverse of what was applied and discarding what was not', async () => {
    const j = journal();
    const batch = await j.record(SITE, USER, {
      label: 'Suggestions',
      changes: [alt('a1', '', 'one'), alt('a2', 'old', 'two'), alt('a3', '', 'three')],
    });
    const [first, second] = batch.changes;
    await lease(j, DESIGNER, 2);
    await j.ack(SITE, DESIGNER, [
      { changeId: first!.id, outcome: 'applied' },
      { changeId: second!.id, outcome: 'applied' },
    ]);
    const undo = await j.undo(SITE, batch.id, 'user2');
    expect(undo).toMatchObject({ undoOf: batch.id, label: 'Undo: Suggestions', userId: 'user2' });
    expect(undo.changes.map((c) => [c.assetId, c.before, c.after, c.status])).toEqual([
      ['a3', 'three', '', 'discarded'],
      ['a2', 'two', 'old', 'pending'],
      ['a1', 'one', '', 'pending'],
    ]);
    expect((await j.history(SITE, 'a3')).map((c) => c.status)).toEqual(['discarded', 'discarded']);
    expect((await j.list(SITE, ['pending'], 10)).changes.map((c) => c.assetId)).toEqual(['a2', 'a1']);
    await expect(j.undo(SITE, batch.id, USER)).rejects.toMatchObject({ status: 409 });
    await expect(j.undo(SITE, '424242', USER)).rejects.toMatchObject({ status: 404 });
  });

  it('records the largest batch, 5,000 changes, in one go', async () => {
    const j = journal();
    const batch = await j.record(SITE, USER, {
      changes: Array.from({ length: 5000 }, (_, i) => alt(`asset${i}`, '', `Alt ${i}`)),
    });
    expect(batch.changes).toHaveLength(5000);
    expect(batch.changes[4999]).toMatchObject({ assetId: 'asset4999', after: 'Alt 4999' });
    expect((await lease(j, DESIGNER, 500)).changes).toHaveLength(500);
    // How fast is the benchmarks' business; the test's own timeout catches a hang.
  });

  it('answers an asset’s history newest first, and counts every status', async () => {
    const j = journal();
    await j.record(SITE, USER, { changes: [alt('a1', '', 'one')] });
    await j.record(SITE, USER, { changes: [alt('a1', 'one', 'two'), alt('a2', '', 'x')] });
    expect((await j.history(SITE, 'a1')).map((c) => c.after)).toEqual(['two', 'one']);
    const { counts } = await j.list(SITE, ['pending'], 10);
    expect(counts).toEqual({ pending: 3, leased: 0, applied: 0, conflict: 0, failed: 0, discarded: 0 });
  });

  it('grants nothing to an applier that gave back what it held, when its lease request arrives after', async () => {
    const j = journal();
    await j.record(SITE, USER, { changes: [alt('a1', '', 'one'), alt('a2', '', 'two')] });
    expect((await lease(j, DESIGNER, 1)).changes).toHaveLength(1);
    // The panel closes: it gives back what it holds; its request cut off by the closing page
    // (or a long poll the release itself woke) reaches the store after.
    expect(await j.giveBack(SITE, DESIGNER)).toBe(1);
    expect((await lease(j, DESIGNER)).changes).toEqual([]);
    expect(await j.designerActive(SITE, 30)).toBe(false);
    // A release that arrives before the applier's first lease counts as well.
    expect(await j.giveBack(SITE, OTHER)).toBe(0);
    expect((await lease(j, OTHER)).changes).toEqual([]);
    // The panel opened again is a new applier, and takes both.
    expect((await lease(j, 'designer-applier-3')).changes.map((change) => change.after)).toEqual(['one', 'two']);
    expect(await j.designerActive(SITE, 30)).toBe(true);
  });

  it('knows when a Designer applier is at work on a site', async () => {
    const j = journal();
    expect(await j.designerActive(SITE, 30)).toBe(false);
    await lease(j, DESIGNER);
    expect(await j.designerActive(SITE, 30)).toBe(true);
    expect(await j.designerActive('other-site', 30)).toBe(false);
    // The panel closes and says so: the server applier need not wait for it.
    await j.giveBack(SITE, DESIGNER);
    expect(await j.designerActive(SITE, 30)).toBe(false);
    // Another panel still open keeps it standing back.
    await lease(j, DESIGNER);
    await lease(j, OTHER);
    await j.giveBack(SITE, DESIGNER);
    expect(await j.designerActive(SITE, 30)).toBe(true);
  });
});
