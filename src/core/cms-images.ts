/**
 * Every image use in a site's CMS on the wire to the panel's "CMS images" view
 * (docs/decisions/cms-images-view.md): `GET /api/sites/{siteId}/usage/cms-images`, by column like
 * the usage summary (a site has thousands of uses: one array per field, not an object per use).
 *
 * Row i of every column is one use: one image of an item's Image or MultiImage field, or one
 * `<img>` of its Rich Text field, in one locale. Collections are named once (`collections`) and
 * each row points at its collection by index. `localeId` is the site locale's id, null for the
 * primary locale (as a change's `localeId`); `altText` is what the use holds (the `cms-image` and
 * `rich-text` uses of src/core/usage.ts): text, '' for an empty alt, null for none at all.
 */
import { z } from 'zod';
import { altState, usageCrawlState, type AltState } from './usage.ts';

export const CMS_IMAGES_FORMAT = 'cms-images-1';

export const cmsFieldType = z.enum(['Image', 'MultiImage', 'RichText']);
export type CmsFieldType = z.infer<typeof cmsFieldType>;

export const cmsImages = z.object({
  format: z.literal(CMS_IMAGES_FORMAT),
  crawl: usageCrawlState,
  collections: z.array(z.object({ id: z.string(), name: z.string() })),
  columns: z.object({
    /** Index into `collections`. */
    collection: z.array(z.number().int().min(0)),
    itemId: z.array(z.string()),
    itemName: z.array(z.string()),
    fieldSlug: z.array(z.string()),
    fieldType: z.array(cmsFieldType),
    /** MultiImage: the image's index in the array; Rich Text: the n-th `<img>` (0-based); Image: null. */
    position: z.array(z.number().int().min(0).nullable()),
    localeId: z.array(z.string().nullable()),
    assetId: z.array(z.string()),
    altState: z.array(altState),
    altText: z.array(z.string().nullable()),
  }),
});
export type CmsImages = z.infer<typeof cmsImages>;

/** One use as a row, before it goes into the columns. */
export interface CmsImageRow {
  collectionId: string;
  collectionName: string;
  itemId: string;
  itemName: string;
  fieldSlug: string;
  fieldType: CmsFieldType;
  position: number | null;
  localeId: string | null;
  assetId: string;
  altState: AltState;
  altText: string | null;
}

/** The rows by column, in the order given, each collection named once. */
export function cmsImageColumns(rows: readonly CmsImageRow[]): Pick<CmsImages, 'collections' | 'columns'> {
  const collections: CmsImages['collections'] = [];
  const collectionIndex = new Map<string, number>();
  const columns: CmsImages['columns'] = { collection: [], itemId: [], itemName: [], fieldSlug: [], fieldType: [], position: [], localeId: [], assetId: [], altState: [], altText: [] };
  for (const row of rows) {
    let index = collectionIndex.get(row.collectionId);
    if (index === undefined) {
      index = collections.push({ id: row.collectionId, name: row.collectionName }) - 1;
      collectionIndex.set(row.collectionId, index);
    }
    columns.collection.push(index);
    columns.itemId.push(row.itemId);
    columns.itemName.push(row.itemName);
    columns.fieldSlug.push(row.fieldSlug);
    columns.fieldType.push(row.fieldType);
    columns.position.push(row.position);
    columns.localeId.push(row.localeId);
    columns.assetId.push(row.assetId);
    columns.altState.push(row.altState);
    columns.altText.push(row.altText);
  }
  return { collections, columns };
}
