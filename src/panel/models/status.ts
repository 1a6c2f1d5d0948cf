/**
 * The journal's open work as the status bar shows it: counts per status, the conflicts (with
 * both values) and the failures, and the actions that settle them.
 */
import { computed, signal, type ReadonlySignal } from '@preact/signals';
import type { Change, ChangeStatus } from '../../core/api.ts';
import type { BackendPort } from '../ports/backend.ts';
import { describeError, type AnnouncerModel } from './announcer.ts';
import { sameValue } from './same-value.ts';

export type StatusCounts = Record<'pending' | 'applied' | 'failed' | 'conflict', number>;

export interface StatusModel {
  counts: ReadonlySignal<StatusCounts>;
  conflicts: ReadonlySignal<Change[]>;
  failures: ReadonlySignal<Change[]>;
  refresh(): Promise<void>;
  retry(changeId: string): Promise<void>;
  retryAll(): Promise<void>;
  resolve(changeId: string, keep: 'mine' | 'theirs'): Promise<void>;
  startPolling(intervalMs?: number): void;
  dispose(): void;
}

export interface StatusOptions {
  backend: BackendPort;
  siteId: string;
  announcer: AnnouncerModel;
  /** Something went back to pending: the applier should look for work. */
  onRequeued?: () => void;
}

const OPEN: ChangeStatus[] = ['conflict', 'failed'];

export function createStatusModel(options: StatusOptions): StatusModel {
  const { backend, siteId, announcer } = options;
  const counts = signal<Partial<Record<ChangeStatus, number>>>({});
  const open = signal<Change[]>([]);
  let timer: ReturnType<typeof setInterval> | undefined;

  async function refresh(): Promise<void> {
    try {
      const answer = await backend.listChanges(siteId, OPEN);
      const before = counts.value;
      // Polled every few seconds, mostly to the same answer: set only what changed.
      if (!sameValue(before, answer.counts)) counts.value = answer.counts;
      if (!sameValue(open.value, answer.changes)) open.value = answer.changes;
      // New trouble is said out loud; the status bar alone is easy to miss.
      const newConflicts = (answer.counts.conflict ?? 0) - (before.conflict ?? 0);
      const newFailures = (answer.counts.failed ?? 0) - (before.failed ?? 0);
      if (newConflicts > 0) announcer.say(`${newConflicts} ${newConflicts === 1 ? 'change conflicts' : 'changes conflict'} with Webflow: review conflicts in the status bar.`, 'error');
      else if (newFailures > 0) announcer.say(`${newFailures} ${newFailures === 1 ? 'change' : 'changes'} could not be applied: retry from the status bar.`, 'error');
    } catch {
      // The next poll tries again; the applier reports its own errors.
    }
  }

  async function retry(changeId: string): Promise<void> {
    await backend.retryChange(siteId, changeId);
  }

  return {
    counts: computed(() => ({
      pending: (counts.value.pending ?? 0) + (counts.value.leased ?? 0),
      applied: counts.value.applied ?? 0,
      failed: counts.value.failed ?? 0,
      conflict: counts.value.conflict ?? 0,
    })),
    conflicts: computed(() => open.value.filter((change) => change.status === 'conflict')),
    failures: computed(() => open.value.filter((change) => change.status === 'failed')),
    refresh,
    async retry(changeId) {
      try {
        await retry(changeId);
        announcer.say('Trying that change again.');
        options.onRequeued?.();
      } catch (failure) {
        announcer.say(`Retry failed: ${describeError(failure)}`, 'error');
      }
      await refresh();
    },
    async retryAll() {
      const failed = open.value.filter((change) => change.status === 'failed');
      try {
        for (const change of failed) await retry(change.id);
        announcer.say(`Trying ${failed.length} failed ${failed.length === 1 ? 'change' : 'changes'} again.`);
        options.onRequeued?.();
      } catch (failure) {
        announcer.say(`Retry failed: ${describeError(failure)}`, 'error');
      }
      await refresh();
    },
    async resolve(changeId, keep) {
      try {
        await backend.resolveConflict(siteId, changeId, keep);
        announcer.say(keep === 'mine' ? 'Keeping your value; it will be applied again.' : "Keeping Webflow's value.", 'success');
        if (keep === 'mine') options.onRequeued?.();
      } catch (failure) {
        announcer.say(`The conflict could not be settled: ${describeError(failure)}`, 'error');
      }
      await refresh();
    },
    startPolling(intervalMs = 5_000) {
      clearInterval(timer);
      timer = setInterval(() => void refresh(), intervalMs);
    },
    dispose() {
      clearInterval(timer);
    },
  };
}
