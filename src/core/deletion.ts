/**
 * Deleting unused assets (docs/decisions/asset-deletion.md): what the panel asks the backend
 * before offering "Delete", and the request that journals the deletions. Undo re-uploads the
 * kept files through the journal's ordinary undo.
 */
import { z } from 'zod';
import { idSchema, webflowValue } from './api.ts';
import { assetReference, assetUse, usageSources } from './usage.ts';

/** The values of a change of field `deletion`. */
export const KEPT = 'kept';
export const DELETED = 'deleted';

/** The most assets one check or one deletion may name. */
export const MAX_DELETIONS = 1000;

/** How long a deleted asset's file, name, folder and alt texts are kept for an undo. */
export const KEEP_DAYS = 30;

const assetIds = z
  .array(idSchema)
  .min(1, 'must name at least one asset')
  .max(MAX_DELETIONS, `must name at most ${MAX_DELETIONS} assets; delete them in smaller groups`)
  .refine((ids) => new Set(ids).size === ids.length, 'must not name an asset twice');

/** POST /api/sites/{siteId}/deletions/check */
export const deletionCheckRequest = z.object({ assetIds }).strict();
export type DeletionCheckRequest = z.infer<typeof deletionCheckRequest>;

/** POST /api/sites/{siteId}/deletions → 201 {batch} (the journal's batch of `deletion` changes). */
export const recordDeletionsRequest = z.object({ assetIds, label: webflowValue(200).optional() }).strict();
export type RecordDeletionsRequest = z.infer<typeof recordDeletionsRequest>;

/**
 * Why a selected asset is not offered for deletion:
 * - `in_use`: the usage index has a use or a reference of it (`uses`, `references` say where);
 * - `recently_uploaded` / `recently_used`: uploaded, or last seen used, within the grace days;
 * - `not_indexed`: not in the asset index (deleted already, or not read yet);
 * - `pending`: a deletion of it is already journaled.
 */
export const heldBackReason = z.enum(['in_use', 'recently_uploaded', 'recently_used', 'not_indexed', 'pending']);
export type HeldBackReason = z.infer<typeof heldBackReason>;

export const deletableAsset = z.object({ assetId: z.string(), name: z.string(), size: z.number() });
export type DeletableAsset = z.infer<typeof deletableAsset>;

export const heldBackAsset = z.object({
  assetId: z.string(),
  name: z.string(),
  reason: heldBackReason,
  /** In the user's words, with the date where there is one. */
  detail: z.string(),
  uses: z.array(assetUse).optional(),
  references: z.array(assetReference).optional(),
});
export type HeldBackAsset = z.infer<typeof heldBackAsset>;

export const deletionCheck = z.object({
  /** Deleting is offered only when the index is fresh and the styles were read. */
  ready: z.boolean(),
  /** What stops it when not ready, in the user's words. */
  notReady: z.array(z.string()),
  /** When the last complete crawl finished (null: never). */
  crawlFinishedAt: z.string().nullable(),
  /** A crawl must have finished within this many minutes. */
  freshMinutes: z.number(),
  graceDays: z.number(),
  keepDays: z.number(),
  sources: usageSources,
  deletable: z.array(deletableAsset),
  heldBack: z.array(heldBackAsset),
});
export type DeletionCheck = z.infer<typeof deletionCheck>;
