/**
 * A tiny baseline JPEG encoder for the demo site's photos (`IMG_4821.jpg`, `…_Team-Photo.jpg`).
 *
 * The images are flat shapes, so each 8×8 block is coded by its colour alone (the DC
 * coefficient; every AC coefficient is zero). That is a valid baseline JPEG any decoder reads,
 * with 4:2:0 chroma and two one-symbol-heavy Huffman tables, a few kilobytes at 1600×1200.
 * Block edges are at most 8 pixels off the drawn shapes: invisible in a thumbnail.
 */
import { paintRow, type Layout, type Rgb } from './layouts.ts';

/** One quantizer for everything: DC is coded in steps of 1/8 of its range, i.e. one grey level. */
const QUANT = 8;

/** DC categories: 0 → '0', 1..11 → five-bit codes 10000, 10001, … (canonical Huffman). */
const DC_BITS = [1, 0, 0, 0, 11, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
const DC_VALUES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
/** AC: only end-of-block is ever written, as the one-bit code '0'. */
const AC_BITS = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
const AC_VALUES = [0];

class BitWriter {
  private bytes: number[] = [];
  private current = 0;
  private filled = 0;

  write(code: number, length: number): void {
    for (let bit = length - 1; bit >= 0; bit -= 1) {
      this.current = (this.current << 1) | ((code >> bit) & 1);
      this.filled += 1;
      if (this.filled === 8) this.flushByte();
    }
  }

  /** Pads the last byte with 1s, as the standard asks. */
  finish(): number[] {
    if (this.filled > 0) this.write(0xff, 8 - this.filled);
    return this.bytes;
  }

  private flushByte(): void {
    this.bytes.push(this.current);
    if (this.current === 0xff) this.bytes.push(0); // byte stuffing
    this.current = 0;
    this.filled = 0;
  }
}

function writeDc(out: BitWriter, diff: number): void {
  const magnitude = Math.abs(diff);
  const category = magnitude === 0 ? 0 : 32 - Math.clz32(magnitude);
  if (category === 0) out.write(0, 1);
  else out.write(16 + category - 1, 5);
  if (category > 0) out.write(diff > 0 ? diff : diff + (1 << category) - 1, category);
  out.write(0, 1); // end of block: no AC coefficients
}

const segment = (marker: number, body: number[]): number[] => [0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 0xff, ...body];

/** Draws a layout in the palette's colours as a baseline JPEG (no comment yet). */
export function drawJpeg(width: number, height: number, layout: Layout, palette: readonly Rgb[]): Uint8Array {
  const rows = new Map<number, Uint8Array>();
  const colourAt = (x: number, y: number): Rgb => {
    const cy = Math.min(y, height - 1);
    let row = rows.get(cy);
    if (!row) {
      row = new Uint8Array(width);
      paintRow(row, cy, width, height, layout);
      rows.set(cy, row);
    }
    return palette[row[Math.min(x, width - 1)] as number] ?? [0, 0, 0];
  };
  const dc = (value: number): number => Math.round(((value - 128) * 8) / QUANT);
  const luma = ([r, g, b]: Rgb): number => dc(0.299 * r + 0.587 * g + 0.114 * b);
  const blue = ([r, g, b]: Rgb): number => dc(-0.168736 * r - 0.331264 * g + 0.5 * b + 128);
  const red = ([r, g, b]: Rgb): number => dc(0.5 * r - 0.418688 * g - 0.081312 * b + 128);

  const out = new BitWriter();
  const previous = [0, 0, 0];
  const code = (component: 0 | 1 | 2, value: number): void => {
    writeDc(out, value - (previous[component] as number));
    previous[component] = value;
  };
  for (let my = 0; my < Math.ceil(height / 16); my += 1) {
    for (let mx = 0; mx < Math.ceil(width / 16); mx += 1) {
      for (const [dx, dy] of [[0, 0], [1, 0], [0, 1], [1, 1]] as const) {
        code(0, luma(colourAt(mx * 16 + dx * 8 + 4, my * 16 + dy * 8 + 4)));
      }
      const centre = colourAt(mx * 16 + 8, my * 16 + 8);
      code(1, blue(centre));
      code(2, red(centre));
    }
  }

  const huffman = (tableClass: number, bits: number[], values: number[]): number[] => [tableClass << 4, ...bits, ...values];
  const bytes = [
    0xff, 0xd8, // start of image
    ...segment(0xe0, [0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]), // JFIF 1.1
    ...segment(0xdb, [0, ...new Array<number>(64).fill(QUANT)]),
    ...segment(0xc0, [8, height >> 8, height & 0xff, width >> 8, width & 0xff, 3, 1, 0x22, 0, 2, 0x11, 0, 3, 0x11, 0]),
    ...segment(0xc4, [...huffman(0, DC_BITS, DC_VALUES), ...huffman(1, AC_BITS, AC_VALUES)]),
    ...segment(0xda, [3, 1, 0x00, 2, 0x00, 3, 0x00, 0, 63, 0]),
    ...out.finish(),
    0xff, 0xd9, // end of image
  ];
  return Uint8Array.from(bytes);
}

/** Copies a JPEG with a comment (COM segment) after its JFIF header, making its bytes unique. */
export function withComment(jpeg: Uint8Array, comment: string): Uint8Array {
  const text = Array.from(new TextEncoder().encode(comment.slice(0, 200)));
  const com = segment(0xfe, text);
  const at = 20; // SOI (2) + APP0 JFIF (18)
  const out = new Uint8Array(jpeg.length + com.length);
  out.set(jpeg.subarray(0, at), 0);
  out.set(com, at);
  out.set(jpeg.subarray(at), at + com.length);
  return out;
}
