/**
 * One contract for the journal as the panel reaches it (the backend port): the same cases run
 * against the panel's fake backend and against the real backend (the whole app through
 * `app.request`, over the panel's own HTTP port and a test store), so the fake the panel's tests
 * trust cannot follow other rules than the journal: undo of a partly applied batch, a repeated
 * undo, keep mine as a new change, outcomes only from the lease holder.
 */
import { describe, expect, it } from 'vitest';
import type { ChangeInput } from '../../src/core/api.ts';
import { BackendError, type BackendPort } from '../../src/panel/ports/backend.ts';
import { createHttpBackend } from '../../src/panel/ports/http-backend.ts';
import { FakeBackend } from '../../src/panel/testing/fakes.ts';
import { fullApp, SITE } from '../server/full-app.ts';
import { useTestStore } from '../server/store-test-helpers.ts';

const PANEL = 'panel-applier-1';
const OTHER = 'panel-applier-2';

const alt = (assetId: string, before: string | null, after: string | null, localeId?: string): ChangeInput => ({
  assetId,
  field: 'altText',
  before,
  after,
  ...(localeId ? { localeId } : {}),
});

async function refusal(promise: Promise<unknown>): Promise<{ status: number; code: string }> {
  const error = await promise.then(
    () => undefined,
    (failure: unknown) => failure,
  );
  if (!(error instanceof BackendError)) throw new Error(`Expected a BackendError, got ${String(error)}`);
  return { status: error.status, code: error.code };
}

interface Subject {
  name: string;
  /** A port on a fresh, empty journal of {@link SITE}. */
  open(): BackendPort;
}

function realBackend(): Subject {
  const stores = useTestStore('pglite');
  return {
    name: 'the real backend (app.request)',
    open() {
      const { app, authorization } = fullApp(stores.current());
      const port = createHttpBackend('http://backend.test', { fetch: async (input, init) => app.request(String(input), init) });
      port.setSessionToken(authorization.replace(/^Bearer /, ''));
      return port;
    },
  };
}

const fakeBackend: Subject = { name: "the panel's fake backend", open: () => new FakeBackend() };

describe.each([{ subject: () => fakeBackend }, { subject: realBackend }])('the journal through the backend port', ({ subject }) => {
  const { name, open } = subject();

  describe(`on ${name}`, () => {
    it('records a batch as pending changes in the order given, decorative (null) apart from empty', async () => {
      const port = open();
      const batch = await port.recordBatch(SITE, { label: 'Two photos', changes: [alt('a1', '', null, 'fr'), alt('a2', null, '')] });

      expect(batch.label).toBe('Two photos');
      expect(batch.undoOf).toBeNull();
      expect(batch.changes.map((c) => [c.assetId, c.status, c.before, c.after, c.localeId, c.batchId])).toEqual([
        ['a1', 'pending', '', null, 'fr', batch.id],
        ['a2', 'pending', null, '', null, batch.id],
      ]);
      expect(new Set(batch.changes.map((c) => c.id)).size).toBe(2);
    });

    it('refuses an empty display name with a validation error', async () => {
      const port = open();
      expect(await refusal(port.recordBatch(SITE, { changes: [{ assetId: 'a1', field: 'displayName', before: 'x', after: ' ' }] }))).toEqual({
        status: 400,
        code: 'validation_error',
      });
      expect((await port.listChanges(SITE, ['pending'])).changes).toEqual([]);
    });

    it('leases only the oldest open change of each value, and the next once it is settled', async () => {
      const port = open();
      const first = await port.recordBatch(SITE, { changes: [alt('a1', '', 'One'), alt('a2', '', 'Two')] });
      const second = await port.recordBatch(SITE, { changes: [alt('a1', 'One', 'One again')] });

      const lease = await port.leaseChanges(SITE, PANEL, 10, 30);
      expect(lease.changes.map((c) => c.id)).toEqual(first.changes.map((c) => c.id));
      expect(lease.changes.every((c) => c.status === 'leased')).toBe(true);

      await port.ackChanges(SITE, PANEL, [{ changeId: first.changes[0]!.id, outcome: 'applied' }]);
      const next = await port.leaseChanges(SITE, PANEL, 10, 30);
      expect(next.changes.map((c) => c.id)).toEqual([first.changes[1]!.id, second.changes[0]!.id]);
    });

    it('answers a CMS change with its use in cmsTarget (no element target), and never leases it to a Designer applier', async () => {
      const port = open();
      const use = { kind: 'cms', collectionId: 'products', itemId: 'espresso', fieldSlug: 'gallery', fieldType: 'MultiImage', position: 1 } as const;
      const batch = await port.recordBatch(SITE, { changes: [{ ...alt('a1', null, 'Beans', 'fr'), target: use }, alt('a2', '', 'Two')] });
      const [cms, asset] = batch.changes;
      expect([cms?.cmsTarget, cms?.target, cms?.localeId, cms?.status]).toEqual([use, undefined, 'fr', 'pending']);
      expect(asset?.cmsTarget).toBeUndefined();

      const lease = await port.leaseChanges(SITE, PANEL, 10, 30, 0, { pageId: 'home' });
      expect(lease.changes.map((c) => c.id)).toEqual([asset!.id]);
      expect((await port.assetHistory(SITE, 'a1')).map((c) => [c.id, c.cmsTarget])).toEqual([[cms!.id, use]]);
    });

    it('gives a leased change to no other applier and takes its outcome only from the holder', async () => {
      const port = open();
      const batch = await port.recordBatch(SITE, { changes: [alt('a1', '', 'One')] });
      const id = batch.changes[0]!.id;
      await port.leaseChanges(SITE, PANEL, 10, 30);

      expect((await port.leaseChanges(SITE, OTHER, 10, 30)).changes).toEqual([]);
      expect(await port.ackChanges(SITE, OTHER, [{ changeId: id, outcome: 'applied' }])).toEqual([]);
      expect((await port.listChanges(SITE, ['leased'])).changes.map((c) => c.id)).toEqual([id]);

      const [applied] = await port.ackChanges(SITE, PANEL, [{ changeId: id, outcome: 'applied' }]);
      expect([applied?.id, applied?.status, applied?.appliedBy]).toEqual([id, 'applied', 'designer']);
      expect(applied?.appliedAt).toEqual(expect.any(String));
    });

    it('undoes a partly applied batch: applied changes get a pending inverse, unapplied ones are discarded', async () => {
      const port = open();
      const batch = await port.recordBatch(SITE, { label: 'Three photos', changes: [alt('a1', '', 'One'), alt('a2', 'old', 'Two'), alt('a3', null, 'Three')] });
      const [one, two] = batch.changes;
      await port.leaseChanges(SITE, PANEL, 10, 30);
      await port.ackChanges(SITE, PANEL, [
        { changeId: one!.id, outcome: 'applied' },
        { changeId: two!.id, outcome: 'failed', error: 'Webflow said no' },
      ]);
      // a3 is still leased: it may be on Webflow already, so it is undone like an applied one.
      const undo = await port.undoBatch(SITE, batch.id);

      expect(undo.undoOf).toBe(batch.id);
      expect(undo.id).not.toBe(batch.id);
      expect(undo.changes.map((c) => [c.assetId, c.before, c.after, c.status])).toEqual([
        ['a3', 'Three', null, 'pending'],
        ['a2', 'Two', 'old', 'discarded'],
        ['a1', 'One', '', 'pending'],
      ]);
      const history = await port.assetHistory(SITE, 'a2');
      expect(history.map((c) => c.status)).toEqual(['discarded', 'discarded']);
      expect((await port.listChanges(SITE, ['failed'])).changes).toEqual([]);
    });

    it('discards a batch nothing of which was applied, and journals no pending inverse', async () => {
      const port = open();
      const batch = await port.recordBatch(SITE, { changes: [alt('a1', '', 'One')] });

      const undo = await port.undoBatch(SITE, batch.id);

      expect(undo.changes.map((c) => c.status)).toEqual(['discarded']);
      const listed = await port.listChanges(SITE, ['pending', 'leased', 'discarded']);
      expect(listed.changes.map((c) => c.status)).toEqual(['discarded', 'discarded']);
      expect(listed.counts.pending ?? 0).toBe(0);
      expect((await port.leaseChanges(SITE, PANEL, 10, 30)).changes).toEqual([]);
    });

    it('answers 409 to a second undo of the same batch, and 404 to an unknown batch', async () => {
      const port = open();
      const batch = await port.recordBatch(SITE, { changes: [alt('a1', '', 'One')] });
      await port.undoBatch(SITE, batch.id);

      expect(await refusal(port.undoBatch(SITE, batch.id))).toEqual({ status: 409, code: 'conflict' });
      expect(await refusal(port.undoBatch(SITE, '987654'))).toEqual({ status: 404, code: 'not_found' });
      expect((await port.listChanges(SITE, ['discarded'])).changes).toHaveLength(2);
    });

    it("keeps mine by journaling a new change over Webflow's value, in the same batch", async () => {
      const port = open();
      const batch = await port.recordBatch(SITE, { changes: [alt('a1', 'Old', 'Mine')] });
      const id = batch.changes[0]!.id;
      await port.leaseChanges(SITE, PANEL, 10, 30);
      const [conflict] = await port.ackChanges(SITE, PANEL, [{ changeId: id, outcome: 'conflict', current: 'Theirs' }]);
      expect([conflict?.status, conflict?.current]).toEqual(['conflict', 'Theirs']);

      const again = await port.resolveConflict(SITE, id, 'mine');

      expect(again.id).not.toBe(id);
      expect([again.batchId, again.assetId, again.before, again.after, again.status]).toEqual([batch.id, 'a1', 'Theirs', 'Mine', 'pending']);
      const history = await port.assetHistory(SITE, 'a1');
      expect(history.map((c) => [c.id, c.status])).toEqual([
        [again.id, 'pending'],
        [id, 'discarded'],
      ]);
      expect(await refusal(port.resolveConflict(SITE, id, 'mine'))).toEqual({ status: 409, code: 'conflict' });
    });

    it("keeps theirs by discarding the change, decorative included, and resolves only a conflict", async () => {
      const port = open();
      const batch = await port.recordBatch(SITE, { changes: [alt('a1', 'Old', 'Mine'), alt('a2', '', 'Pending one')] });
      const [first, second] = batch.changes;
      await port.leaseChanges(SITE, PANEL, 1, 30);
      await port.ackChanges(SITE, PANEL, [{ changeId: first!.id, outcome: 'conflict', current: null }]);
      expect((await port.listChanges(SITE, ['conflict'])).changes.map((c) => c.current)).toEqual([null]);

      const theirs = await port.resolveConflict(SITE, first!.id, 'theirs');

      expect([theirs.id, theirs.status]).toEqual([first!.id, 'discarded']);
      expect(await refusal(port.resolveConflict(SITE, second!.id, 'theirs'))).toEqual({ status: 409, code: 'conflict' });
      expect((await port.listChanges(SITE, ['conflict'])).counts.conflict ?? 0).toBe(0);
    });

    it('retries a failed change with its error cleared, and only a failed one', async () => {
      const port = open();
      const batch = await port.recordBatch(SITE, { changes: [alt('a1', '', 'One'), alt('a2', '', 'Two')] });
      const [first, second] = batch.changes;
      await port.leaseChanges(SITE, PANEL, 1, 30);
      await port.ackChanges(SITE, PANEL, [{ changeId: first!.id, outcome: 'failed', error: 'Webflow is down' }]);
      expect((await port.listChanges(SITE, ['failed'])).changes.map((c) => c.error)).toEqual(['Webflow is down']);

      const retried = await port.retryChange(SITE, first!.id);

      expect([retried.id, retried.status, retried.error]).toEqual([first!.id, 'pending', null]);
      expect(await refusal(port.retryChange(SITE, second!.id))).toEqual({ status: 409, code: 'conflict' });
    });

    it('counts every status and answers an asset’s history newest first', async () => {
      const port = open();
      const first = await port.recordBatch(SITE, { changes: [alt('a1', '', 'One'), alt('a2', '', 'Two')] });
      const second = await port.recordBatch(SITE, { changes: [alt('a1', 'One', 'One again')] });
      await port.leaseChanges(SITE, PANEL, 10, 30);
      await port.ackChanges(SITE, PANEL, [{ changeId: first.changes[0]!.id, outcome: 'applied' }]);

      const listed = await port.listChanges(SITE, ['pending', 'leased']);
      expect(listed.changes.map((c) => c.id)).toEqual([first.changes[1]!.id, second.changes[0]!.id]);
      expect(listed.counts).toMatchObject({ applied: 1, leased: 1, pending: 1 });
      expect((await port.assetHistory(SITE, 'a1')).map((c) => c.id)).toEqual([second.changes[0]!.id, first.changes[0]!.id]);
    });
  });
});
