/**
 * The CMS images listing (src/core/cms-images.ts): every `cms-image` and `rich-text` use of the
 * usage index, by column, in a stable order (collection, item by its primary name, field,
 * position, locale) so the panel's groups read as the CMS does. Pure.
 */
import { CMS_IMAGES_FORMAT, cmsImageColumns, type CmsImageRow, type CmsImages } from '../../core/cms-images.ts';
import type { UsageCrawlState } from '../../core/usage.ts';
import type { ResolvedUse } from './uses.ts';

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The CMS uses among `uses`, with the primary locale's id (`primaryLocaleId`, the crawl's) said
 * as null, as the journal's changes say it.
 */
export function cmsImagesOf(uses: readonly ResolvedUse[], primaryLocaleId: string | null, crawl: UsageCrawlState): CmsImages {
  const rows: CmsImageRow[] = [];
  for (const { assetId, use } of uses) {
    const where = use.where;
    if (where.kind !== 'cms-image' && where.kind !== 'rich-text') continue;
    rows.push({
      collectionId: where.collectionId,
      collectionName: where.collectionName,
      itemId: where.itemId,
      itemName: where.itemName,
      fieldSlug: where.fieldSlug,
      fieldType: where.kind === 'rich-text' ? 'RichText' : where.fieldType,
      position: where.kind === 'rich-text' ? where.position : where.index,
      localeId: use.localeId === primaryLocaleId ? null : use.localeId,
      assetId,
      altState: use.altState,
      altText: use.altText,
    });
  }
  // An item's name differs per locale: it is placed by its primary locale's name, all its locales together.
  const primaryName = new Map<string, string>();
  for (const row of rows) if (row.localeId === null) primaryName.set(`${row.collectionId}\u0000${row.itemId}`, row.itemName);
  const placedBy = (row: CmsImageRow) => primaryName.get(`${row.collectionId}\u0000${row.itemId}`) ?? row.itemName;
  rows.sort(
    (a, b) =>
      compare(a.collectionName, b.collectionName) ||
      compare(a.collectionId, b.collectionId) ||
      compare(placedBy(a), placedBy(b)) ||
      compare(a.itemId, b.itemId) ||
      compare(a.fieldSlug, b.fieldSlug) ||
      (a.position ?? -1) - (b.position ?? -1) ||
      compare(a.localeId ?? '', b.localeId ?? ''),
  );
  return { format: CMS_IMAGES_FORMAT, crawl, ...cmsImageColumns(rows) };
}
