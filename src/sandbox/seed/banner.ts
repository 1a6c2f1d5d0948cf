/**
 * Banners with words on them ("SUMMER SALE 30% OFF"), drawn with a 5×7 bitmap font into the
 * seed's indexed PNG: text in the image for the OCR suggestion source to read, made without any
 * font file or canvas. Letters are upper case; what the font lacks is drawn as a space.
 */
import { deflateSync } from 'node:zlib';
import type { PixelData } from './png.ts';

/** Each glyph is 7 rows of 5 columns, '#' inked. */
const FONT: Record<string, string> = {
  A: '.###.#...##...#######...##...##...#', B: '####.#...##...#####.#...##...#####.', C: '.###.#...##....#....#....#...#.###.',
  D: '####.#...##...##...##...##...#####.', E: '######....#....####.#....#....#####', F: '######....#....####.#....#....#....',
  G: '.###.#...##....#.####...##...#.####', H: '#...##...##...#######...##...##...#', I: '.###...#....#....#....#....#...###.',
  J: '..###...#....#....#....#.#..#..##..', K: '#...##..#.#.#..##...#.#..#..#.#...#', L: '#....#....#....#....#....#....#####',
  M: '#...###.###.#.##...##...##...##...#', N: '#...###..##.#.##..###...##...##...#', O: '.###.#...##...##...##...##...#.###.',
  P: '####.#...##...#####.#....#....#....', Q: '.###.#...##...##...##.#.##..#..##.#', R: '####.#...##...#####.#.#..#..#.#...#',
  S: '.#####....#.....###.....#....#####.', T: '#####..#....#....#....#....#....#..', U: '#...##...##...##...##...##...#.###.',
  V: '#...##...##...##...##...#.#.#...#..', W: '#...##...##...##.#.##.#.##.#..#.#..', X: '#...##...#.#.#...#...#.#.#...##...#',
  Y: '#...##...#.#.#...#....#....#....#..', Z: '#####....#...#...#...#...#....#####',
  '0': '.###.#...##..###.#.###..##...#.###.', '1': '..#...##....#....#....#....#...###.', '2': '.###.#...#....#...#...#...#...#####',
  '3': '#####...#...#.....#.....##...#.###.', '4': '...#...##..#.#.#..#.#####...#....#.', '5': '######....####.....#....##...#.###.',
  '6': '..##..#...#....####.#...##...#.###.', '7': '#####....#...#...#...#....#....#...', '8': '.###.#...##...#.###.#...##...#.###.',
  '9': '.###.#...##...#.####....#...#..##..', '%': '##...##..#...#...#...#...#..##...##', '.': '..............................##...',
  '!': '..#....#....#....#....#.........#..', '-': '................###................', '&': '.##..#..#.#.#...#...#.#.##..#..##.#',
};

const GLYPH_WIDTH = 5;
const GLYPH_HEIGHT = 7;

/** Whether a glyph's pixel is inked; unknown characters and short rows are blank. */
function inked(char: string, x: number, y: number): boolean {
  const glyph = FONT[char];
  return glyph !== undefined && glyph.length === GLYPH_WIDTH * GLYPH_HEIGHT && glyph[y * GLYPH_WIDTH + x] === '#';
}

/**
 * Draws `lines` centred on a plain background (palette index 0) in palette index 2, each font
 * pixel `scale` pixels square, as PNG pixel data for {@link encodePng}.
 */
export function drawBanner(width: number, height: number, lines: readonly string[], scale: number): PixelData {
  const rowBytes = Math.ceil(width / 2);
  const raw = new Uint8Array((rowBytes + 1) * height);
  const lineHeight = (GLYPH_HEIGHT + 3) * scale;
  const top = Math.floor((height - lines.length * lineHeight + 3 * scale) / 2);
  lines.forEach((line, index) => {
    const text = line.toUpperCase();
    const left = Math.floor((width - text.length * (GLYPH_WIDTH + 1) * scale + scale) / 2);
    for (let c = 0; c < text.length; c += 1) {
      for (let gy = 0; gy < GLYPH_HEIGHT; gy += 1) {
        for (let gx = 0; gx < GLYPH_WIDTH; gx += 1) {
          if (!inked(text[c] as string, gx, gy)) continue;
          for (let dy = 0; dy < scale; dy += 1) {
            const y = top + index * lineHeight + gy * scale + dy;
            if (y < 0 || y >= height) continue;
            for (let dx = 0; dx < scale; dx += 1) {
              const x = left + (c * (GLYPH_WIDTH + 1) + gx) * scale + dx;
              if (x < 0 || x >= width) continue;
              const at = y * (rowBytes + 1) + 1 + (x >> 1);
              raw[at] = (raw[at] as number) | (x % 2 === 0 ? 2 << 4 : 2);
            }
          }
        }
      }
    }
  });
  return { width, height, idat: deflateSync(raw, { level: 9 }) };
}
