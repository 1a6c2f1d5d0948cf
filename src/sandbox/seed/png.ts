/**
 * A tiny PNG encoder (indexed colour, 4 bits per pixel) for the demo site's images.
 *
 * Pixels are drawn once per (size, layout) and deflated once; each asset then gets its own
 * palette and a text chunk, so every file is distinct (different MD5, different colours in
 * the thumbnail) while 20,000 of them cost a copy of a few kilobytes each, not a deflate.
 */
import { deflateSync } from 'node:zlib';
import { paintRow, type Layout, type Rgb } from './layouts.ts';


export interface PixelData {
  width: number;
  height: number;
  /** The zlib stream of the filtered scanlines: the body of the IDAT chunk. */
  idat: Uint8Array;
}

const SIGNATURE = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n += 1) {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let crc = 0xffffffff;
  for (let i = start; i < end; i += 1) {
    crc = (CRC_TABLE[(crc ^ (bytes[i] as number)) & 0xff] as number) ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** Draws a layout into 4-bit palette indices and deflates it. */
export function drawPixels(width: number, height: number, layout: Layout): PixelData {
  const rowBytes = Math.ceil(width / 2);
  const raw = new Uint8Array((rowBytes + 1) * height);
  const row = new Uint8Array(width);
  for (let y = 0; y < height; y += 1) {
    paintRow(row, y, width, height, layout);
    const offset = y * (rowBytes + 1); // filter byte 0 (None) first
    for (let x = 0; x < width; x += 2) {
      const high = row[x] as number;
      const low = x + 1 < width ? (row[x + 1] as number) : 0;
      raw[offset + 1 + x / 2] = (high << 4) | low;
    }
  }
  return { width, height, idat: deflateSync(raw, { level: 9 }) };
}

/** Assembles a PNG from drawn pixels, a palette and a tEXt comment. */
export function encodePng(pixels: PixelData, palette: readonly Rgb[], comment: string): Uint8Array {
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, pixels.width);
  view.setUint32(4, pixels.height);
  header[8] = 4; // bit depth
  header[9] = 3; // colour type: indexed
  const plte = new Uint8Array(palette.length * 3);
  palette.forEach((rgb, i) => plte.set(rgb, i * 3));
  const text = new TextEncoder().encode(`Comment\0${comment}`);
  const chunks: [string, Uint8Array][] = [
    ['IHDR', header],
    ['PLTE', plte],
    ['tEXt', text],
    ['IDAT', pixels.idat],
    ['IEND', new Uint8Array(0)],
  ];
  const total = SIGNATURE.length + chunks.reduce((sum, [, data]) => sum + data.length + 12, 0);
  const out = new Uint8Array(total);
  const outView = new DataView(out.buffer);
  out.set(SIGNATURE, 0);
  let at = SIGNATURE.length;
  for (const [type, data] of chunks) {
    outView.setUint32(at, data.length);
    for (let i = 0; i < 4; i += 1) out[at + 4 + i] = type.charCodeAt(i);
    out.set(data, at + 8);
    outView.setUint32(at + 8 + data.length, crc32(out, at + 4, at + 8 + data.length));
    at += data.length + 12;
  }
  return out;
}
