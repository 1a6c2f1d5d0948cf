/**
 * Reading a few staged items of one collection and CMS locale at the least cost: a listing (100
 * items a request) while the pages left are fewer than the items still to find, else one GET per
 * item. An item Webflow does not have is missing from the answer (deleted).
 */
import type { Priority } from '../webflow/types.ts';
import type { CmsWriter } from '../webflow/cms.ts';
import { CONTENT_PAGE_LIMIT, type SiteContentReader, type WireItem } from '../webflow/site-content.ts';

export type ItemReader = Pick<SiteContentReader, 'listItems'> & Pick<CmsWriter, 'getItem'>;

export async function readStagedItems(
  webflow: ItemReader,
  token: string,
  request: { collectionId: string; cmsLocaleId: string | undefined; itemIds: readonly string[]; priority: Priority },
): Promise<Map<string, WireItem>> {
  const { collectionId, priority } = request;
  const wanted = new Set(request.itemIds);
  const found = new Map<string, WireItem>();
  const locale = request.cmsLocaleId ? { cmsLocaleId: request.cmsLocaleId } : {};
  const keep = (items: readonly WireItem[]) => {
    for (const item of items) if (wanted.has(item.id)) found.set(item.id, item);
  };
  // Two items or fewer: two GETs cost no more than the first page of a listing.
  if (wanted.size > 2) {
    const first = await webflow.listItems(token, collectionId, { priority, offset: 0, limit: CONTENT_PAGE_LIMIT, ...locale });
    keep(first.items);
    const offsets: number[] = [];
    for (let offset = CONTENT_PAGE_LIMIT; offset < first.pagination.total; offset += CONTENT_PAGE_LIMIT) offsets.push(offset);
    if (offsets.length < wanted.size - found.size) {
      for (const offset of offsets) keep((await webflow.listItems(token, collectionId, { priority, offset, limit: CONTENT_PAGE_LIMIT, ...locale })).items);
      return found;
    }
  }
  for (const itemId of wanted) {
    if (found.has(itemId)) continue;
    try {
      found.set(itemId, await webflow.getItem(token, collectionId, itemId, { priority, ...locale }));
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
  return found;
}

export function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { status?: unknown }).status === 404;
}

/** Fully published: nothing staged waits (`lastPublished` at or after `lastUpdated`), and not a draft. */
export function isPublished(item: WireItem): boolean {
  if (item.isDraft || !item.lastPublished || !item.lastUpdated) return false;
  return Date.parse(item.lastPublished) >= Date.parse(item.lastUpdated);
}
