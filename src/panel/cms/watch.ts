/**
 * Watches journaled CMS changes until the server applier settles them: the Designer applier
 * never leases them, so no acknowledgement reaches the panel. While some are open it asks the
 * journal for their assets' history (one request per asset, newest first) every `intervalMs`,
 * and reports each change whose status is no longer pending or leased.
 */
import type { Change } from '../../core/api.ts';
import type { BackendPort } from '../ports/backend.ts';

export interface ChangeWatcher {
  /** Starts watching these changes (those not pending are ignored). */
  watch(changes: readonly Change[]): void;
  /** Stops watching changes that need no outcome any more (an undo discarded them). */
  drop(changeIds: Iterable<string>): void;
  /** How many changes are watched. */
  size(): number;
  dispose(): void;
}

export interface ChangeWatcherOptions {
  backend: Pick<BackendPort, 'assetHistory'>;
  siteId: string;
  intervalMs?: number;
  onSettled(changes: Change[]): void;
}

const OPEN = new Set<Change['status']>(['pending', 'leased']);

export function createChangeWatcher(options: ChangeWatcherOptions): ChangeWatcher {
  const { backend, siteId } = options;
  const intervalMs = options.intervalMs ?? 1_000;
  /** Watched change ids by asset id. */
  const watched = new Map<string, Set<string>>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running = false;
  let disposed = false;

  function schedule(): void {
    if (disposed || timer !== undefined || running || watched.size === 0) return;
    timer = setTimeout(() => {
      timer = undefined;
      void look();
    }, intervalMs);
  }

  async function look(): Promise<void> {
    running = true;
    const settled: Change[] = [];
    try {
      for (const [assetId, ids] of [...watched]) {
        // A failed look is tried again at the next tick: the journal keeps the outcome.
        const history = await backend.assetHistory(siteId, assetId).catch(() => null);
        if (disposed) return;
        for (const change of history ?? []) {
          if (!ids.has(change.id) || OPEN.has(change.status)) continue;
          ids.delete(change.id);
          settled.push(change);
        }
        if (ids.size === 0) watched.delete(assetId);
      }
    } finally {
      running = false;
    }
    if (settled.length > 0) options.onSettled(settled);
    schedule();
  }

  return {
    watch(changes) {
      for (const change of changes) {
        if (!OPEN.has(change.status)) continue;
        const ids = watched.get(change.assetId) ?? new Set<string>();
        watched.set(change.assetId, ids.add(change.id));
      }
      schedule();
    },
    drop(changeIds) {
      const dropped = new Set(changeIds);
      for (const [assetId, ids] of watched) {
        for (const id of dropped) ids.delete(id);
        if (ids.size === 0) watched.delete(assetId);
      }
    },
    size: () => [...watched.values()].reduce((sum, ids) => sum + ids.size, 0),
    dispose() {
      disposed = true;
      clearTimeout(timer);
    },
  };
}
