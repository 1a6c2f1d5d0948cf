/**
 * What the panel knows of changes whose target is not the asset itself (a page's Image element in
 * "On this page", a CMS image use in "CMS images"): the ones journaled and not settled yet
 * (pending: shown at once as saved), the values the appliers reported since the view read its
 * places (applied changes, conflicts' current values), and why the last change of a place did not
 * go through. One per view, keyed by the view's own name for a place (`keyOf`).
 */
import { batch as batchSignals, signal, type ReadonlySignal } from '@preact/signals';
import type { AltText, Batch, Change } from '../../core/api.ts';

export interface PendingTargetChange {
  changeId: string;
  batchId: string;
  key: string;
  after: AltText;
  change: Change;
}

export interface KnownValue {
  value: AltText;
  /** When the journal applied it (null: a conflict's current value, seen now). */
  appliedAt: string | null;
}

export interface TargetChanges {
  /** Changes journaled and not settled, by change id. */
  pending: ReadonlySignal<ReadonlyMap<string, PendingTargetChange>>;
  known: ReadonlySignal<ReadonlyMap<string, KnownValue>>;
  problems: ReadonlySignal<ReadonlyMap<string, string>>;
  /** The place's value: its newest pending change's, else what an applier reported, else `read`. */
  valueOf(key: string, read: AltText): AltText;
  isPending(key: string): boolean;
  /** Every batch journaled (saves and undos): this view's changes show at once. */
  recorded(batch: Batch): void;
  /** The appliers' outcomes (any changes: the ones of other places are left alone). */
  settle(changes: readonly Change[]): void;
  /** Forgets what the appliers reported for these places (the view read them again). */
  forget(keys: Iterable<string>): void;
}

export interface TargetChangesOptions {
  /** The view's key of the change's place, or null when the change is not one of this view's. */
  keyOf(change: Change): string | null;
  /** Why a conflicting or failed change did not go through, in the view's words. */
  problemOf(change: Change): string;
}

export function createTargetChanges(options: TargetChangesOptions): TargetChanges {
  const { keyOf } = options;
  const pending = signal<ReadonlyMap<string, PendingTargetChange>>(new Map());
  const known = signal<ReadonlyMap<string, KnownValue>>(new Map());
  const problems = signal<ReadonlyMap<string, string>>(new Map());

  function latest(key: string): PendingTargetChange | undefined {
    // The newest saved change of the place wins: the map keeps journal order.
    let found: PendingTargetChange | undefined;
    for (const change of pending.value.values()) if (change.key === key) found = change;
    return found;
  }

  return {
    pending,
    known,
    problems,
    valueOf(key, read) {
      const change = latest(key);
      if (change) return change.after;
      const reported = known.value.get(key);
      return reported ? reported.value : read;
    },
    isPending: (key) => latest(key) !== undefined,
    recorded(batch) {
      // An undo discards its batch's changes that never reached Webflow, and settles no outcome
      // for them: the undo's own changes say what each place goes back to.
      const next = new Map([...pending.value].filter(([, change]) => change.batchId !== batch.undoOf));
      const nowProblems = new Map(problems.value);
      for (const change of batch.changes) {
        const key = keyOf(change);
        if (key === null || change.status !== 'pending') continue;
        next.set(change.id, { changeId: change.id, batchId: change.batchId, key, after: change.after, change });
        nowProblems.delete(key);
      }
      batchSignals(() => {
        pending.value = next;
        problems.value = nowProblems;
      });
    },
    settle(changes) {
      const mine = changes.flatMap((change) => {
        const key = keyOf(change);
        return key === null ? [] : [{ change, key }];
      });
      if (mine.length === 0) return;
      const stillPending = new Map(pending.value);
      const nowKnown = new Map(known.value);
      const nowProblems = new Map(problems.value);
      for (const { change, key } of mine) {
        stillPending.delete(change.id);
        if (change.status === 'applied') nowKnown.set(key, { value: change.after, appliedAt: change.appliedAt });
        if (change.status === 'conflict') nowKnown.set(key, { value: change.current ?? null, appliedAt: null });
        if (change.status === 'conflict' || change.status === 'failed') nowProblems.set(key, options.problemOf(change));
      }
      batchSignals(() => {
        pending.value = stillPending;
        known.value = nowKnown;
        problems.value = nowProblems;
      });
    },
    forget(keys) {
      const next = new Map(known.value);
      let changed = false;
      for (const key of keys) changed = next.delete(key) || changed;
      if (changed) known.value = next;
    },
  };
}
