/**
 * What the Designer routes need from the sandbox's world, in the Designer's words. The world
 * (helper A's `world.ts`) is adapted to this in `world-adapter.ts`, so the routes read as the
 * Designer API reads and a change of the world's method names touches one file.
 */
import type { DesignerErrorTag, SiteInfo } from './wire.ts';

export interface DesignerAsset {
  id: string;
  folderId: string | null;
  displayName: string;
  contentType: string;
  hostedUrl: string;
}

export interface DesignerFolder {
  id: string;
  displayName: string;
  parentFolder: string | null;
}

export interface NewFile {
  fileName: string;
  contentType: string;
  bytes: Uint8Array;
}

/** Every method takes the site first: an id of another site's object is missing, as in Webflow. */
export interface DesignerWorld {
  siteInfo(siteId: string): SiteInfo;
  /** The locale ids the site has; the first is the primary. */
  localeIds(siteId: string): string[];
  /** An ID token for the site's signed-in user, as `webflow.getIdToken()` returns it. */
  issueIdToken(siteId: string): string;
  listAssetIds(siteId: string): string[];
  /** Undefined when the site has no asset with that id. */
  findAsset(siteId: string, assetId: string): DesignerAsset | undefined;
  /** The locale's own alt text, or the primary's when the locale has none; null = decorative. */
  altText(siteId: string, assetId: string, localeId: string): string | null;
  updateAsset(siteId: string, assetId: string, change: { displayName?: string; altText?: string | null; localeId?: string; folderId?: string | null }): void;
  /** Creates an asset with its file in place, at the root, as an upload in the Designer does. */
  createAsset(siteId: string, file: NewFile): DesignerAsset;
  replaceFile(siteId: string, assetId: string, file: NewFile): void;
  listFolders(siteId: string): DesignerFolder[];
  createFolder(siteId: string, folder: { displayName: string; parentFolder: string | null }): DesignerFolder;
}

/** A failure the browser sees as `err.cause.tag` and `err.message`. */
export class DesignerFailure extends Error {
  override name = 'DesignerFailure';
  constructor(
    readonly tag: DesignerErrorTag,
    message: string,
  ) {
    super(message);
  }
}
