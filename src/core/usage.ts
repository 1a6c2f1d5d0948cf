/**
 * The usage index on the wire to the panel: where each asset is used on the site (pages,
 * components placed on pages, CMS items), in which locale, and the alt text a visitor gets there
 * (docs/decisions/image-alt-on-the-wire.md, docs/decisions/usage-index.md).
 *
 * - `GET /api/sites/{siteId}/usage`: {@link UsageSummary}, one row per used asset, by column
 *   like the compact asset index (an asset without a row is used nowhere, in no locale);
 * - `GET /api/sites/{siteId}/usage/assets/{assetId}`: {@link AssetUsage}, every use in detail;
 * - `PUT /api/sites/{siteId}/usage/styles`: {@link StyleUsesRequest}, the background images the
 *   panel found in the site's styles (the Data API does not show styles), answered with
 *   {@link UsageSources}.
 */
import { z } from 'zod';
import { idSchema, webflowValue } from './api.ts';

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

export const USAGE_SUMMARY_FORMAT = 'usage-2';

/** Where the index looks: pages' DOM, components' DOM, CMS items, and the site's styles (read by the panel). */
export const usageSource = z.enum(['pages', 'components', 'cms', 'styles']);
export type UsageSource = z.infer<typeof usageSource>;

/**
 * What "unused" rests on: when each source was last read completely (null: never), and what
 * Asset Desk cannot see at all, in plain words (docs/decisions/unused-means-unused.md).
 */
export const usageSources = z.object({
  read: z.array(z.object({ source: usageSource, readAt: z.string().nullable() })),
  notSeen: z.array(z.string()),
});
export type UsageSources = z.infer<typeof usageSources>;

/**
 * Per used asset, by column (row i of every column is asset `assetId[i]`):
 * - `pages`: distinct pages where an Image element shows it directly (any locale);
 * - `components`: distinct placements (page × component-instance node) that show it through a
 *   component (0 when it sits only in components no page places);
 * - `items`: distinct CMS items holding it in an Image, MultiImage or Rich Text field;
 * - `links`: distinct CMS items holding its hosted URL or id in any other value (a Link, Plain
 *   Text, a Rich Text `<a href>`…);
 * - `styles`: distinct styles (by name) with it as a background image;
 * - `missing`: uses (place × locale) where a visitor gets no alt text (state `missing`).
 */
export const usageSummary = z.object({
  format: z.literal(USAGE_SUMMARY_FORMAT),
  crawl: usageCrawlState,
  sources: usageSources,
  columns: z.object({
    assetId: z.array(z.string()),
    pages: z.array(z.number()),
    components: z.array(z.number()),
    items: z.array(z.number()),
    links: z.array(z.number()),
    styles: z.array(z.number()),
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

/** A CMS value holding the asset's hosted URL or id (not an image the item shows: no alt text). */
const linkUse = z.object({
  kind: z.literal('link'),
  collectionId: z.string(),
  collectionName: z.string(),
  itemId: z.string(),
  itemName: z.string(),
  fieldSlug: z.string(),
});
/** A style with the asset as its background image (read by the panel from the Designer). */
const styleUse = z.object({ kind: z.literal('style'), styleName: z.string(), breakpoint: z.string().nullable(), pseudo: z.string().nullable() });

export const referenceWhere = z.discriminatedUnion('kind', [linkUse, styleUse]);
export type ReferenceWhere = z.infer<typeof referenceWhere>;

/** A use without an alt text of its own: a link, a background image. */
export const assetReference = z.object({ where: referenceWhere, localeId: z.string().nullable() });
export type AssetReference = z.infer<typeof assetReference>;

export const assetUsage = z.object({
  assetId: z.string(),
  uses: z.array(assetUse),
  references: z.array(assetReference),
  crawl: usageCrawlState,
});
export type AssetUsage = z.infer<typeof assetUsage>;

/** Designer breakpoints and states (`BreakpointId`, `PseudoStateKey` of @webflow/designer-extension-typings). */
export const breakpointId = z.enum(['xxl', 'xl', 'large', 'main', 'medium', 'small', 'tiny']);
export const pseudoStateKey = z.enum([
  'noPseudo', 'nth-child(odd)', 'nth-child(even)', 'first-child', 'last-child', 'hover', 'active', 'visited',
  'focus', 'focus-visible', 'focus-within', 'placeholder', 'empty', 'before', 'after',
]);

/** At most this many background-image uses in one `PUT …/usage/styles` (a site has a few thousand styles at most). */
export const MAX_STYLE_USES = 20_000;

/**
 * One background image the panel found: the asset by id (`getAsset` of an image background) or
 * by the URL `background-image` names, on a style (its name as Webflow holds it, which may be
 * any text), at a breakpoint and state when not the base ones.
 */
export const styleUseInput = z
  .object({
    assetId: idSchema.optional(),
    url: webflowValue(4096).optional(),
    styleName: webflowValue(512).refine((name) => name.length > 0, 'must name the style'),
    breakpoint: breakpointId.optional(),
    pseudo: pseudoStateKey.optional(),
  })
  .strict()
  .refine((use) => (use.assetId === undefined) !== (use.url === undefined), 'needs exactly one of assetId and url');
export type StyleUseInput = z.infer<typeof styleUseInput>;

/** Replaces every style use of the site: what one full read of its styles found. */
export const styleUsesRequest = z.object({ uses: z.array(styleUseInput).max(MAX_STYLE_USES, `holds at most ${MAX_STYLE_USES} uses`) }).strict();
export type StyleUsesRequest = z.infer<typeof styleUsesRequest>;

/** The answer to a `PUT …/usage/styles`: how many uses named an asset of the site, and the sources' dates. */
export const styleUsesResponse = z.object({ stored: z.number(), unmatched: z.number(), sources: usageSources });
export type StyleUsesResponse = z.infer<typeof styleUsesResponse>;
