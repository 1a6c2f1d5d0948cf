/**
 * The Data API's shapes the usage index reads (Webflow's OpenAPI, v2.yml): pages, page and
 * component DOM, components, collections with their fields, and items. Only what the index
 * reads is typed; everything else passes through untouched.
 */

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
