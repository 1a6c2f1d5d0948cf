/**
 * The deletion applier: the server's applier of changes of field `deletion` (the Designer API
 * cannot delete an asset, so no panel is leased them, and this one never stands back for a
 * panel). It leases a few at a time under its own id, applies each (apply.ts) within the site's
 * quota, and acknowledges it at once. Webflow asking to wait, or being unreachable, gives the
 * change back for later; five such tries in a row fail it with Webflow's words.
 */
import { randomUUID } from 'node:crypto';
import type { Change } from '../../core/api.ts';
import type { Journal } from '../services/journal.ts';
import { defaultClassifyError, UNAVAILABLE_TRIES } from '../services/apply-errors.ts';
import { createSiteLoop } from '../services/site-loop.ts';
import { purgeExpired } from '../store/deletions.ts';
import { applyDeletion, TryLater, type DeletionDeps } from './apply.ts';

const FIELDS = ['deletion'] as const;

export interface DeletionApplierOptions extends DeletionDeps {
  journal: Journal;
  getSiteToken(siteId: string): Promise<string | undefined>;
  leaseSeconds?: number;
  batchSize?: number;
  pollMs?: number;
  onError?: (error: unknown, siteId: string) => void;
}

export type DeletionApplier = ReturnType<typeof createDeletionApplier>;

export function createDeletionApplier(options: DeletionApplierOptions) {
  const { journal, getSiteToken, leaseSeconds = 120, batchSize = 10, pollMs = 2000, onError = () => {} } = options;
  const applierId = `deletions-${randomUUID()}`;
  const unavailableTries = new Map<string, number>();
  let purgedAt = 0;

  /** Leases up to `limit` changes, its own first: with `limit` = what it holds, a renewal only. */
  const lease = (siteId: string, limit = batchSize) => journal.lease(siteId, { applierId, kind: 'server', fields: FIELDS, limit, seconds: leaseSeconds });

  /** The outcome of a try that did not settle the change: wait, or fail after too many tries. */
  function notSettled(change: Change, error: unknown): { failed: string } | { retryInMs: number } {
    if (error instanceof TryLater) return afterTries(change, { retryInMs: 5_000, message: error.message });
    const verdict = defaultClassifyError(error);
    if ('failed' in verdict) return verdict;
    if (verdict.reason !== 'unavailable') return verdict;
    return afterTries(change, verdict);
  }

  function afterTries(change: Change, verdict: { retryInMs: number; message: string }): { failed: string } | { retryInMs: number } {
    const tries = (unavailableTries.get(change.id) ?? 0) + 1;
    if (tries < UNAVAILABLE_TRIES) {
      unavailableTries.set(change.id, tries);
      return { retryInMs: verdict.retryInMs };
    }
    unavailableTries.delete(change.id);
    return { failed: `Not done after ${tries} tries (${verdict.message}); retry it later.` };
  }

  async function drainSite(siteId: string): Promise<void> {
    while (!loop.stopped) {
      const { changes } = await lease(siteId);
      if (changes.length === 0) return;
      const token = await getSiteToken(siteId);
      if (!token) {
        await journal.release(siteId, applierId, changes.map((c) => c.id), true);
        loop.wait(siteId, 60_000);
        return;
      }
      const queue = [...changes];
      for (let change = queue.shift(); change; change = queue.shift()) {
        // Renewed before each change's writes: a file to read and a create can take a while.
        const holding = queue.length + 1;
        const stillHeld = async () => !loop.stopped && (await lease(siteId, holding)).changes.some((held) => held.id === change.id);
        let result;
        try {
          result = await applyDeletion(options, token, siteId, change, stillHeld);
        } catch (error) {
          const verdict = notSettled(change, error);
          if ('failed' in verdict) {
            result = { changeId: change.id, outcome: 'failed' as const, error: verdict.failed };
          } else {
            onError(error, siteId);
            await journal.release(siteId, applierId, [change.id, ...queue.map((c) => c.id)]);
            loop.wait(siteId, verdict.retryInMs);
            return;
          }
        }
        if (result === 'lost') continue;
        unavailableTries.delete(change.id);
        await journal.ack(siteId, applierId, [result]);
      }
    }
  }

  const loop = createSiteLoop({
    drainSite,
    sitesWithWork: () => journal.sitesWithOpenChanges(FIELDS),
    pollMs,
    onError,
    // Kept files past their 30 days go, once an hour.
    async beforePoll() {
      if (Date.now() - purgedAt < 3_600_000) return;
      purgedAt = Date.now();
      await purgeExpired(options.store);
    },
  });

  return {
    applierId,
    start: () => loop.start(),
    /** Looks for work on the site now (a deletion or an undo was just recorded). */
    kick: (siteId: string) => loop.kick(siteId),
    /** Applies the site's open deletions now; resolves when none is left or it must wait. */
    drain: (siteId: string) => loop.drain(siteId),
    stop: () => loop.stop(),
  };
}
