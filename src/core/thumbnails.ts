/**
 * Which of the grid's thumbnails the backend makes small (src/server/thumbnails/): the raster
 * images Webflow makes variants of. Others (SVG, GIF, AVIF, ICO) are shown from the CDN as they are.
 */
import type { IndexedAsset } from './api.ts';

/** Twice the grid's 40 px tile, for screens of two device pixels to the CSS pixel. */
export const THUMBNAIL_SIDE = 80;

const MADE_SMALL: ReadonlySet<string> = new Set(['image/jpeg', 'image/png', 'image/webp']);

/** Whether the grid's thumbnail of this asset is made by the backend. */
export function madeSmall(asset: Pick<IndexedAsset, 'contentType' | 'thumbUrl'>): boolean {
  return asset.thumbUrl !== null && MADE_SMALL.has(asset.contentType);
}
