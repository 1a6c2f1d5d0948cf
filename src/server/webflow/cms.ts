/**
 * What the CMS changes need of Webflow beyond the usage index's reads (site-content.ts): one
 * staged item, a bulk update of staged items, and publishing items. Wire shapes of Webflow's
 * OpenAPI (v2.yml, `update-items`, `get-item`, `publish-item`); the one implementation is the
 * quota-aware client (client.ts).
 */
import type { WireItem } from './site-content.ts';
import type { RequestOptions } from './types.ts';

/** Webflow's limit of items in one bulk update or publish (v2.yml: "The limit for this endpoint is 100 items"). */
export const MAX_ITEMS_PER_REQUEST = 100;

/** One item of `PATCH /v2/collections/{id}/items`: only the fields sent change. */
export interface WireItemUpdate {
  id: string;
  cmsLocaleId?: string;
  fieldData: Record<string, unknown>;
}

/** `POST /v2/collections/{id}/items/publish` (202): what was published, and why the rest was not. */
export interface WirePublished {
  publishedItemIds: string[];
  errors: string[];
}

export interface CmsWriter {
  /** `GET /v2/collections/{collection_id}/items/{item_id}?cmsLocaleId=` (the staged item). */
  getItem(token: string, collectionId: string, itemId: string, options: RequestOptions & { cmsLocaleId?: string }): Promise<WireItem>;
  /** `PATCH /v2/collections/{collection_id}/items`: at most {@link MAX_ITEMS_PER_REQUEST} items; the answer's items as staged now. */
  updateItems(token: string, collectionId: string, items: readonly WireItemUpdate[], options: RequestOptions): Promise<WireItem[]>;
  /**
   * `POST /v2/collections/{collection_id}/items/publish`: `{itemIds}` (the primary locale) when no
   * item names CMS locales, else `{items: [{id, cmsLocaleIds}]}`. Never sent twice blindly.
   */
  publishItems(token: string, collectionId: string, items: ReadonlyArray<{ id: string; cmsLocaleIds?: string[] }>, options: RequestOptions): Promise<WirePublished>;
}
