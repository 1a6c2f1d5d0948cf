/**
 * Deleting unused assets: the check the panel shows before offering "Delete", and the record
 * of the deletions in the journal, refused (409, with every use) unless each asset may go
 * (judge.ts). The deletion applier applies them; undo is the journal's.
 */
import type { Batch } from '../../core/api.ts';
import type { DeletionCheck } from '../../core/deletion.ts';
import { HttpError } from '../errors.ts';
import type { Journal } from '../services/journal.ts';
import { readAssetsById } from '../store/asset-index.ts';
import type { Store } from '../store/db.ts';
import { openDeletions } from '../store/deletions.ts';
import type { UsageIndex } from '../usage/usage-index.ts';
import { judgeDeletions } from './judge.ts';

export interface DeletionsOptions {
  store: Store;
  journal: Pick<Journal, 'recordDeletions'>;
  usage: Pick<UsageIndex, 'usesOf' | 'state' | 'sources'>;
  /** An asset uploaded or seen used within this many days is not offered (UNUSED_GRACE_DAYS). */
  graceDays: number;
  /** The usage index must have finished a complete crawl within this many minutes. */
  freshMinutes?: number;
  now?: () => Date;
}

export type Deletions = ReturnType<typeof createDeletions>;

export function createDeletions(options: DeletionsOptions) {
  const { store, usage } = options;
  const freshMinutes = options.freshMinutes ?? 10;
  const now = options.now ?? (() => new Date());

  async function check(siteId: string, assetIds: readonly string[]): Promise<DeletionCheck> {
    const [stored, { used, seenUsed }, pending, crawl, sources] = await Promise.all([
      readAssetsById(store, siteId, [...assetIds]),
      usage.usesOf(siteId, assetIds),
      openDeletions(store, siteId, assetIds),
      usage.state(siteId),
      usage.sources(siteId),
    ]);
    const assets = new Map([...stored].map(([id, asset]) => [id, asset.doc]));
    return judgeDeletions({ assetIds, assets, used, seenUsed, pending, crawl, sources, now: now(), graceDays: options.graceDays, freshMinutes });
  }

  return {
    check,

    /** Journals the deletions, or refuses them all: 409 with why, and every use of an asset in use. */
    async record(siteId: string, userId: string, assetIds: readonly string[], label: string | undefined): Promise<Batch> {
      const verdict = await check(siteId, assetIds);
      if (!verdict.ready) throw new HttpError(409, 'conflict', `Nothing was deleted: ${verdict.notReady.join(' ')}`, { details: { notReady: verdict.notReady } });
      if (verdict.heldBack.length > 0) {
        const inUse = verdict.heldBack.filter((held) => held.reason === 'in_use');
        const first = verdict.heldBack[0];
        const message = inUse.length > 0
          ? `Nothing was deleted: ${inUse.length === 1 ? `${inUse[0]?.name} is in use` : `${inUse.length} of the assets are in use`} (${inUse[0]?.detail})`
          : `Nothing was deleted: ${first?.name}: ${first?.detail}`;
        throw new HttpError(409, 'conflict', message, { details: { heldBack: verdict.heldBack } });
      }
      const count = assetIds.length;
      return options.journal.recordDeletions(siteId, userId, assetIds, label ?? `Delete ${count} unused ${count === 1 ? 'asset' : 'assets'}`);
    },
  };
}
