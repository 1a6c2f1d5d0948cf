/**
 * What the usage index needs of Webflow: the site's pages and their DOM, components and theirs,
 * collections with their fields, and items, in the Data API's wire shapes (Webflow's OpenAPI,
 * v2.yml; only what the index reads is typed, everything else passes through). Kept apart from
 * the asset side's `WebflowClient` (types.ts): the one implementation is the same quota-aware
 * client (client.ts); tests use test/server/fake-site-content.ts.
 *
 * Scopes: pages and DOM need `pages:read`, components `components:read`, collections and items
 * `cms:read`; a token without one answers 403 `missing_scopes`.
 */
import type { RequestOptions, WireSite } from './types.ts';

/** Pages, DOM nodes, components and items are read at most this many a request (the spec's limit). */
export const CONTENT_PAGE_LIMIT = 100;

export interface PageRequest extends RequestOptions {
  offset: number;
  limit: number;
}

export interface SiteContentReader {
  getSite(token: string, siteId: string, options: RequestOptions): Promise<WireSite>;
  /** `GET /v2/sites/{site_id}/pages?localeId=&offset=&limit=` */
  listPages(token: string, siteId: string, options: PageRequest & { localeId?: string }): Promise<WirePageList>;
  /** `GET /v2/pages/{page_id}/dom?localeId=&offset=&limit=` */
  getPageDom(token: string, pageId: string, options: PageRequest & { localeId?: string }): Promise<WirePageDom>;
  /** `GET /v2/sites/{site_id}/components?offset=&limit=` */
  listComponents(token: string, siteId: string, options: PageRequest): Promise<WireComponentList>;
  /** `GET /v2/sites/{site_id}/components/{component_id}/dom?localeId=&offset=&limit=` */
  getComponentDom(token: string, siteId: string, componentId: string, options: PageRequest & { localeId?: string }): Promise<WireComponentDom>;
  /** `GET /v2/sites/{site_id}/collections` */
  listCollections(token: string, siteId: string, options: RequestOptions): Promise<WireCollectionSummary[]>;
  /** `GET /v2/collections/{collection_id}`: with its fields. */
  getCollection(token: string, collectionId: string, options: RequestOptions): Promise<WireCollection>;
  /** `GET /v2/collections/{collection_id}/items?cmsLocaleId=&offset=&limit=` (staged items). */
  listItems(token: string, collectionId: string, options: PageRequest & { cmsLocaleId?: string }): Promise<WireItemList>;
}

export interface WirePagination {
  limit: number;
  offset: number;
  total: number;
}

/** `GET /v2/sites/{site_id}/pages` (`localeId`, limit ≤ 100). */
export interface WirePage {
  id: string;
  siteId?: string;
  title?: string;
  slug?: string;
  parentId?: string | null;
  collectionId?: string | null;
  createdOn?: string;
  lastUpdated?: string;
  archived?: boolean;
  draft?: boolean;
  localeId?: string | null;
  publishedPath?: string;
}

export interface WirePageList {
  pages: WirePage[];
  pagination: WirePagination;
}

/** An Image node: `image.alt` is the element's own setting (null: the asset's alt text). */
export interface WireImageNode {
  id: string;
  type: 'image';
  image: { alt?: string | null; assetId?: string };
  attributes?: Record<string, string>;
}

export interface WireComponentInstanceNode {
  id: string;
  type: 'component-instance';
  componentId: string;
  propertyOverrides: unknown[];
}

/** Any other node (text, select, text-input, submit…), not read by the index. */
export interface WireOtherNode {
  id: string;
  type: string;
}

export type WireNode = WireImageNode | WireComponentInstanceNode | WireOtherNode;

/** `GET /v2/pages/{page_id}/dom` (`localeId`, limit ≤ 100). */
export interface WirePageDom {
  pageId: string;
  branchId?: string | null;
  nodes: WireNode[];
  pagination: WirePagination;
  lastUpdated?: string | null;
}

/** `GET /v2/sites/{site_id}/components`. */
export interface WireComponent {
  id: string;
  name?: string;
  group?: string;
  description?: string;
  readonly?: boolean;
}

export interface WireComponentList {
  components: WireComponent[];
  pagination: WirePagination;
}

/** `GET /v2/sites/{site_id}/components/{component_id}/dom` (`localeId`, limit ≤ 100). */
export interface WireComponentDom {
  componentId: string;
  nodes: WireNode[];
  pagination: WirePagination;
}

/** `GET /v2/sites/{site_id}/collections` (no fields in the list). */
export interface WireCollectionSummary {
  id: string;
  displayName: string;
  singularName: string;
  slug?: string;
  createdOn?: string;
  lastUpdated?: string;
}

export interface WireField {
  id: string;
  isRequired: boolean;
  isEditable?: boolean;
  /** `Image`, `MultiImage`, `RichText`, `PlainText`, `Link`… */
  type: string;
  slug?: string;
  displayName: string;
  helpText?: string | null;
}

/** `GET /v2/collections/{collection_id}`. */
export interface WireCollection extends WireCollectionSummary {
  fields: WireField[];
}

/** `{fileId, url, alt}`: the value of an Image field, and each image of a MultiImage field. */
export interface WireImageRef {
  fileId?: string;
  url?: string;
  alt?: string | null;
}

/** `GET /v2/collections/{collection_id}/items` (`cmsLocaleId`, limit ≤ 100). */
export interface WireItem {
  id: string;
  cmsLocaleId?: string | null;
  lastPublished?: string | null;
  lastUpdated?: string;
  createdOn?: string;
  isArchived?: boolean;
  isDraft?: boolean;
  fieldData: { name?: string; slug?: string } & Record<string, unknown>;
}

export interface WireItemList {
  items: WireItem[];
  pagination: WirePagination;
}
