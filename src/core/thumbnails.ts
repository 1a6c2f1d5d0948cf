/**
 * Which of the grid's thumbnails the backend makes small (src/server/thumbnails/): the raster
 * images Webflow makes variants of. Others (SVG, GIF, AVIF, ICO) are shown from the CDN as they are.
 */
import type { IndexedAsset } from './api.ts';

/** The key to a site's thumbnails (`GET /api/sites/:siteId/thumbnails/key`), for the grid's `<img src>`. */
export interface ThumbnailKey {
  key: string;
  /** ISO time; the panel asks for another before. */
  expiresAt: string;
}

/** Twice the grid's 40 px tile, for screens of two device pixels to the CSS pixel. */
export const THUMBNAIL_SIDE = 80;

const MADE_SMALL: ReadonlySet<string> = new Set(['image/jpeg', 'image/png', 'image/webp']);

/** Whether the grid's thumbnail of this asset is made by the backend. */
export function madeSmall(asset: Pick<IndexedAsset, 'contentType' | 'thumbUrl'>): boolean {
  return asset.thumbUrl !== null && MADE_SMALL.has(asset.contentType);
}

/** A short mark of a hosted file's URL (FNV-1a, base 36): the thumbnail's `?v=`, another for a replaced file. */
export function fileMark(url: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < url.length; i++) {
    hash ^= url.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(36);
}
