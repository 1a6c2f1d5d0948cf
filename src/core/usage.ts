/**
 * The usage index on the wire to the panel: where each asset is used on the site (pages,
 * components placed on pages, CMS items), in which locale, and the alt text a visitor gets there
 * (docs/decisions/image-alt-on-the-wire.md, docs/decisions/usage-index.md).
 *
 * - `GET /api/sites/{siteId}/usage`: {@link UsageSummary}, one row per used asset, by column
 *   like the compact asset index (an asset without a row is used nowhere, in no locale);
 * - `GET /api/sites/{siteId}/usage/assets/{assetId}`: {@link AssetUsage}, every use in detail.
 */
import { z } from 'zod';

/** What a visitor gets as alt text at one use. */
export const altState = z.enum(['inherited', 'overridden', 'decorative', 'missing']);
export type AltState = z.infer<typeof altState>;

/** A Webflow scope the usage index needs and the installation lacks. */
export const usageScope = z.enum(['pages:read', 'components:read', 'cms:read']);
export type UsageScope = z.infer<typeof usageScope>;

/**
 * The crawl of the site's pages, components and CMS items. `needs_scopes`: the installation
 * predates the scopes the crawl needs (`missingScopes`); the asset features work, the usage index
 * waits for a re-install. `built`: a crawl finished once, so the uses served are a whole site's
 * (a failed or running crawl keeps serving the last complete one).
 */
export const usageCrawlState = z.object({
  state: z.enum(['idle', 'running', 'failed', 'needs_scopes']),
  /** Requests to Webflow made so far by the running crawl (or the last one). */
  done: z.number(),
  /** Requests it will make as far as known: it grows as the listings say how much there is. */
  total: z.number().nullable(),
  finishedAt: z.string().nullable(),
  error: z.string().nullable(),
  missingScopes: z.array(usageScope),
  built: z.boolean(),
});
export type UsageCrawlState = z.infer<typeof usageCrawlState>;

export const USAGE_SUMMARY_FORMAT = 'usage-1';

/**
 * Per used asset, by column (row i of every column is asset `assetId[i]`):
 * - `pages`: distinct pages where an Image element shows it directly (any locale);
 * - `components`: distinct placements (page × component-instance node) that show it through a
 *   component (0 when it sits only in components no page places);
 * - `items`: distinct CMS items holding it in an Image, MultiImage or Rich Text field;
 * - `missing`: uses (place × locale) where a visitor gets no alt text (state `missing`).
 */
export const usageSummary = z.object({
  format: z.literal(USAGE_SUMMARY_FORMAT),
  crawl: usageCrawlState,
  columns: z.object({
    assetId: z.array(z.string()),
    pages: z.array(z.number()),
    components: z.array(z.number()),
    items: z.array(z.number()),
    missing: z.array(z.number()),
  }),
});
export type UsageSummary = z.infer<typeof usageSummary>;

const pageUse = z.object({ kind: z.literal('page'), pageId: z.string(), pageTitle: z.string(), nodeId: z.string() });
const componentUse = z.object({
  kind: z.literal('component'),
  componentId: z.string(),
  componentName: z.string(),
  /** The Image node inside the component's definition. */
  nodeId: z.string(),
  /** The placement: the page and its component-instance node (the outermost one, for nested components); null when no page places it. */
  pageId: z.string().nullable(),
  pageTitle: z.string().nullable(),
  instanceNodeId: z.string().nullable(),
});
const cmsImageUse = z.object({
  kind: z.literal('cms-image'),
  collectionId: z.string(),
  collectionName: z.string(),
  itemId: z.string(),
  itemName: z.string(),
  fieldSlug: z.string(),
  fieldType: z.enum(['Image', 'MultiImage']),
  /** Position in a MultiImage array; null for an Image field. */
  index: z.number().nullable(),
});
const richTextUse = z.object({
  kind: z.literal('rich-text'),
  collectionId: z.string(),
  collectionName: z.string(),
  itemId: z.string(),
  itemName: z.string(),
  fieldSlug: z.string(),
  /** The n-th `<img>` of the field's HTML (0-based). */
  position: z.number(),
});

export const useWhere = z.discriminatedUnion('kind', [pageUse, componentUse, cmsImageUse, richTextUse]);
export type UseWhere = z.infer<typeof useWhere>;

export const assetUse = z.object({
  where: useWhere,
  localeId: z.string().nullable(),
  altState,
  /** What the visitor gets: the text, '' for alt="" (decorative or missing), null for no alt attribute. */
  altText: z.string().nullable(),
});
export type AssetUse = z.infer<typeof assetUse>;

export const assetUsage = z.object({
  assetId: z.string(),
  uses: z.array(assetUse),
  crawl: usageCrawlState,
});
export type AssetUsage = z.infer<typeof assetUsage>;
