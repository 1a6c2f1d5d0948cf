/**
 * The CMS routes' wire types (below `/api/sites/{siteId}/cms`, behind a session of that site):
 * the items Asset Desk changed that now wait for publishing, and publishing those whose only
 * pending change is ours (docs/decisions/cms-changes.md). CMS alt-text changes themselves go
 * through the journal (`changeInput` with a `cmsTarget`, src/core/api.ts).
 */
import { z } from 'zod';
import { idSchema } from './api.ts';

/** One item (in one locale) whose staged content holds a change of ours that is not live yet. */
export const unpublishedItem = z.object({
  collectionId: z.string(),
  itemId: z.string(),
  /** The site locale of the content (null: the primary). */
  localeId: z.string().nullable(),
  /** The item's name as Webflow shows it now. */
  name: z.string(),
  /** The item's `lastUpdated` now. */
  lastUpdated: z.string().nullable(),
  isDraft: z.boolean(),
  /**
   * True when the item was fully published before our changes and nobody changed it since:
   * publishing it puts live our changes and nothing else. False: other unpublished changes wait
   * in it too (someone's edits, or a draft), so Asset Desk does not publish it.
   */
  onlyOurs: z.boolean(),
  /** The journal's changes of ours waiting in it. */
  changeIds: z.array(z.string()),
});
export type UnpublishedItem = z.infer<typeof unpublishedItem>;

/** GET /api/sites/{siteId}/cms/unpublished */
export const unpublishedResponse = z.object({ items: z.array(unpublishedItem) });
export type UnpublishedResponse = z.infer<typeof unpublishedResponse>;

/** POST /api/sites/{siteId}/cms/publish : publish these items (each in every locale we changed). */
export const publishRequest = z.object({ itemIds: z.array(idSchema).min(1).max(1000) });
export type PublishRequest = z.infer<typeof publishRequest>;

export const publishOutcome = z.object({ itemId: z.string(), localeId: z.string().nullable(), reason: z.string() });

/** 200: what went live, what was refused (not only ours, or not waiting) and what Webflow did not publish. */
export const publishResponse = z.object({
  published: z.array(z.object({ itemId: z.string(), localeId: z.string().nullable() })),
  refused: z.array(publishOutcome),
  failed: z.array(publishOutcome),
});
export type PublishResponse = z.infer<typeof publishResponse>;
