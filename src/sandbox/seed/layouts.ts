/**
 * The demo images' compositions, as flat shapes in palette slots: simple enough to compress to
 * almost nothing, varied enough that a grid of thumbnails looks like a real site's library.
 */

export type Rgb = readonly [number, number, number];
export type Layout = 'bands' | 'card' | 'sun';

/** Palette slots the layouts paint with. */
const BACKGROUND = 0;
const BAND = 1;
const BAND_DARK = 2;
const SHAPE = 3;
const ACCENT = 4;
export const PALETTE_SIZE = 5;

/** Paints row `y` of a `width`×`height` image with palette slot numbers. */
export function paintRow(row: Uint8Array, y: number, width: number, height: number, layout: Layout): void {
  const v = y / height;
  if (layout === 'bands') {
    row.fill(v < 0.55 ? BACKGROUND : v < 0.75 ? BAND : BAND_DARK);
    // A bar chart-like set of blocks standing on the first band.
    if (v > 0.3 && v < 0.55) {
      for (let b = 0; b < 5; b += 1) {
        const top = 0.3 + ((b * 7) % 5) * 0.04;
        if (v > top) row.fill(b % 2 ? SHAPE : ACCENT, Math.floor(width * (0.1 + b * 0.16)), Math.floor(width * (0.22 + b * 0.16)));
      }
    }
    return;
  }
  if (layout === 'card') {
    row.fill(BACKGROUND);
    if (v > 0.15 && v < 0.85) row.fill(BAND, Math.floor(width * 0.12), Math.floor(width * 0.88));
    if (v > 0.25 && v < 0.6) row.fill(SHAPE, Math.floor(width * 0.18), Math.floor(width * 0.45));
    if (v > 0.3 && v < 0.34) row.fill(BAND_DARK, Math.floor(width * 0.5), Math.floor(width * 0.8));
    if (v > 0.4 && v < 0.43) row.fill(BAND_DARK, Math.floor(width * 0.5), Math.floor(width * 0.72));
    if (v > 0.68 && v < 0.76) row.fill(ACCENT, Math.floor(width * 0.5), Math.floor(width * 0.66));
    return;
  }
  // 'sun': a disc over a horizon, like a landscape photo reduced to its shapes.
  row.fill(v < 0.62 ? BACKGROUND : v < 0.8 ? BAND : BAND_DARK);
  const radius = Math.min(width, height) * 0.2;
  const cx = width * 0.68;
  const cy = height * 0.42;
  const dy = y - cy;
  if (Math.abs(dy) < radius && v < 0.62) {
    const half = Math.sqrt(radius * radius - dy * dy);
    row.fill(SHAPE, Math.max(0, Math.floor(cx - half)), Math.min(width, Math.ceil(cx + half)));
  }
  if (v > 0.5 && v < 0.62) row.fill(ACCENT, Math.floor(width * 0.08), Math.floor(width * (0.08 + (v - 0.5) * 2)));
}
