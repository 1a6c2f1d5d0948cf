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
}

export interface SeedOptions {
  /** Number of assets; 1,200 by default. */
  assets?: number;
  /** Seed for the deterministic generator. */
  seed?: number;
}
