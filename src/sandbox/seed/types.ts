/**
 * The shape of a generated demo site: what the seed produces and the sandbox's world loads.
 * Ids are 24-hex object ids like Webflow's. Alt text is kept per locale id: a string is text
 * ('' = none yet), null = decorative; a locale without an entry falls back to the primary.
 */

export interface SeedLocale {
  id: string;
  cmsLocaleId: string;
  enabled: boolean;
  displayName: string;
  subdirectory: string;
  tag: string;
}

export interface SeedSite {
  id: string;
  workspaceId: string;
  displayName: string;
  shortName: string;
  timeZone: string;
  createdOn: string;
  lastUpdated: string;
  lastPublished: string | null;
  previewUrl: string;
  customDomains: { id: string; url: string; lastPublished: string | null }[];
  locales: { primary: SeedLocale; secondary: SeedLocale[] };
}

export interface SeedFolder {
  id: string;
  displayName: string;
  parentFolder: string | null;
  createdOn: string;
  lastUpdated: string;
}

export interface SeedFile {
  bytes: Uint8Array;
  contentType: string;
  /** Pixel size for images, used for variants. */
  width?: number;
  height?: number;
}

export interface SeedAsset {
  id: string;
  folderId: string | null;
  originalFileName: string;
  displayName: string;
  createdOn: string;
  lastUpdated: string;
  /** Keyed by locale id; the primary locale's entry is always present. */
  altText: Record<string, string | null>;
  file: SeedFile;
}

export interface SeedUser {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
}

export interface DemoSite {
  user: SeedUser;
  site: SeedSite;
  folders: SeedFolder[];
  assets: SeedAsset[];
  /** Pages, components and CMS collections using the assets. */
  content: SeedContent;
}

export interface SeedOptions {
  /** Number of assets; 1,200 by default. */
  assets?: number;
  /** Seed for the deterministic generator. */
  seed?: number;
}

// ------------------------------------------------------------------ the site's pages, components and CMS

/**
 * An Image element's own alt setting (docs/decisions/image-alt-on-the-wire.md): null uses the
 * asset's alt text in every locale; otherwise the override per locale id, the primary's always
 * present ('' = an empty alt), a secondary locale without its own falling back to the primary's.
 */
export type ElementAlt = null | Record<string, string>;

/** A node of a page's or a component's DOM; text is kept per locale id, the primary's always present. */
export type ContentNode =
  | { id: string; type: 'text'; html: Record<string, string> }
  | {
      id: string;
      type: 'image';
      assetId: string;
      /** Bound to the component's "Alt Text" property: `alt` is then the property's default, and an instance's override wins. */
      altProperty?: string;
      alt: ElementAlt;
    }
  | { id: string; type: 'component-instance'; componentId: string; propertyOverrides: PropertyOverride[] };

/**
 * A component property: its default on the component, or its value set on one instance (per
 * locale id, the primary's always present). An "Alt Text" one binds an Image node's alt; '' is
 * an empty alt (docs/decisions/image-alt-on-the-wire.md).
 */
export interface PropertyOverride {
  propertyId: string;
  type: 'Plain Text' | 'Alt Text';
  label: string;
  text: Record<string, string>;
}

export interface SeedPage {
  id: string;
  /** Per locale id, the primary's always present; a secondary without its own shows the primary's. */
  title: Record<string, string>;
  description: Record<string, string>;
  slug: string;
  /** A collection's template page; null for a static page. */
  collectionId: string | null;
  createdOn: string;
  lastUpdated: string;
  nodes: ContentNode[];
}

export interface SeedComponent {
  /** Components have UUIDs, not ObjectIds, in Webflow. */
  id: string;
  name: string;
  group: string | null;
  description: string | null;
  nodes: ContentNode[];
  /** The component's properties with their defaults (`GET …/components/{id}/properties`); absent: none. */
  properties?: PropertyOverride[];
}

export type FieldType = 'PlainText' | 'RichText' | 'Image' | 'MultiImage' | 'Number' | 'Switch' | 'Link';

export interface SeedField {
  id: string;
  slug: string;
  displayName: string;
  type: FieldType;
  isRequired: boolean;
  helpText?: string;
}

export interface SeedCollection {
  id: string;
  displayName: string;
  singularName: string;
  slug: string;
  createdOn: string;
  lastUpdated: string;
  fields: SeedField[];
}

/** An Image field's value as kept: the asset and the field's own alt text (null = none set). */
export interface ImageValue {
  fileId: string;
  alt: string | null;
}

/**
 * A field value as kept. Text (Rich Text, Plain Text, Link) keeps the sandbox's hosted asset URLs
 * as `@asset/<assetId>`, turned into the asset's hosted URL on the wire, so the text survives a
 * change of the sandbox's address.
 */
export type FieldValue = string | number | boolean | ImageValue | ImageValue[] | null;

export interface ItemVersion {
  lastUpdated: string;
  /** When this locale's content was last published, if it was since the item's `lastPublished` (the primary's). */
  lastPublished?: string;
  fieldData: Record<string, FieldValue>;
}

export interface SeedItem {
  id: string;
  collectionId: string;
  createdOn: string;
  /** Every demo item was published once (the spec types lastPublished as a string). */
  lastPublished: string;
  isDraft: boolean;
  isArchived: boolean;
  /** Staged content per CMS locale id (`cmsLocaleId`), the primary's always present. */
  versions: Record<string, ItemVersion>;
}

export interface SeedContent {
  pages: SeedPage[];
  components: SeedComponent[];
  collections: SeedCollection[];
  items: SeedItem[];
}
