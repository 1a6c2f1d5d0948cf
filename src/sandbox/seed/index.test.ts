import { createHash } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { contentTypeOf, MAX_FILE_NAME_LENGTH } from '../../core/limits.ts';
import { DEFAULT_ASSET_COUNT, generateDemoSite } from './index.ts';
import { crc32 } from './png.ts';
import type { DemoSite, SeedFile } from './types.ts';

const md5 = (bytes: Uint8Array): string => createHash('md5').update(bytes).digest('hex');
const fingerprint = (site: DemoSite): string =>
  JSON.stringify({ ...site, assets: site.assets.map((a) => ({ ...a, file: md5(a.file.bytes) })) });

const site = generateDemoSite();
const primary = site.site.locales.primary.id;
const [fr, de] = site.site.locales.secondary.map((l) => l.id);
const share = (count: number): number => count / site.assets.length;

function pngHeader(file: SeedFile): { width: number; height: number; bitDepth: number; colorType: number } {
  const view = new DataView(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20), bitDepth: file.bytes[24] ?? -1, colorType: file.bytes[25] ?? -1 };
}

/** Walks the chunks, checking every CRC, and returns the inflated image data. */
function readPng(bytes: Uint8Array): { chunks: string[]; pixels: Uint8Array } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const chunks: string[] = [];
  const idat: Uint8Array[] = [];
  for (let at = 8; at < bytes.length; ) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    expect(view.getUint32(at + 8 + length), `CRC of ${type}`).toBe(crc32(bytes, at + 4, at + 8 + length));
    if (type === 'IDAT') idat.push(bytes.subarray(at + 8, at + 8 + length));
    chunks.push(type);
    at += length + 12;
  }
  return { chunks, pixels: inflateSync(Buffer.concat(idat)) };
}

describe('generateDemoSite', () => {
  it('gives the same site, byte for byte, for the same seed', () => {
    expect(fingerprint(generateDemoSite({ assets: 150, seed: 7 }))).toBe(fingerprint(generateDemoSite({ assets: 150, seed: 7 })));
  });

  it('gives a different site for a different seed', () => {
    const a = generateDemoSite({ assets: 50, seed: 1 });
    const b = generateDemoSite({ assets: 50, seed: 2 });
    expect(a.assets.map((x) => x.originalFileName)).not.toEqual(b.assets.map((x) => x.originalFileName));
    expect(a.site.id).not.toBe(b.site.id);
  });

  it('makes 1,200 assets by default and any number on request', () => {
    expect(site.assets).toHaveLength(DEFAULT_ASSET_COUNT);
    expect(generateDemoSite({ assets: 0 }).assets).toHaveLength(0);
    expect(generateDemoSite({ assets: 37 }).assets).toHaveLength(37);
  });

  it('refuses a count that is not a whole non-negative number', () => {
    expect(() => generateDemoSite({ assets: -1 })).toThrow(/whole, non-negative/);
    expect(() => generateDemoSite({ assets: 2.5 })).toThrow(/whole, non-negative/);
  });

  it('makes 20,000 assets, each with an id of its own', () => {
    // How fast is the benchmarks' business (DEMO_ASSETS=20000); the test's own timeout catches a hang.
    const big = generateDemoSite({ assets: 20_000 });
    expect(big.assets).toHaveLength(20_000);
    expect(new Set(big.assets.map((asset) => asset.id)).size).toBe(20_000);
  });

  it('is a site in English with French and German, and nested folders', () => {
    expect(site.site.displayName).toBe('Northwind Coffee Roasters');
    expect(site.site.locales.primary.tag).toBe('en');
    expect(site.site.locales.secondary.map((l) => l.tag)).toEqual(['fr-FR', 'de-DE']);
    const byId = new Map(site.folders.map((f) => [f.id, f]));
    const path = (id: string | null): string => {
      const folder = id ? byId.get(id) : undefined;
      return folder ? `${folder.parentFolder ? `${path(folder.parentFolder)}/` : ''}${folder.displayName}` : '';
    };
    expect(site.folders.map((f) => path(f.id))).toEqual(
      expect.arrayContaining(['Brand/Logos', 'Blog/2024', 'Blog/2025', 'Products/Coffee', 'Team', 'Documents']),
    );
    for (const asset of site.assets) if (asset.folderId) expect(byId.has(asset.folderId)).toBe(true);
    expect(site.assets.some((a) => a.folderId === null)).toBe(true);
  });

  it('uses 24-hex object ids that never repeat', () => {
    const ids = [site.site.id, ...site.folders.map((f) => f.id), ...site.assets.map((a) => a.id)];
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{24}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('names files the way real sites do, under 100 characters, with bytes matching the extension', () => {
    const names = site.assets.map((a) => a.originalFileName);
    expect(names).toContainEqual(expect.stringMatching(/^Screenshot \d{4}-\d\d-\d\d at \d+\.\d\d\.\d\d [AP]M\.png$/));
    expect(names).toContainEqual(expect.stringMatching(/^[0-9a-f]{24}_Team-Photo(-\d+)?\.jpg$/));
    expect(names).toContainEqual(expect.stringMatching(/^product-[a-z-]+-p-500(-\d+)?\.png$/));
    expect(names).toContainEqual(expect.stringMatching(/^IMG_\d{4}(-\d+)?\.jpg$/));
    expect(names).toContainEqual(expect.stringMatching(/@2x/));
    expect(names).toContain('logo-dark.svg');
    for (const asset of site.assets) {
      expect(asset.originalFileName.length).toBeLessThanOrEqual(MAX_FILE_NAME_LENGTH);
      expect(asset.file.contentType).toBe(contentTypeOf(asset.originalFileName));
    }
  });

  it('writes valid PNGs whose header matches the stated size', () => {
    const pngs = site.assets.filter((a) => a.file.contentType === 'image/png');
    expect(pngs.length).toBeGreaterThan(site.assets.length / 3);
    for (const { file } of pngs.slice(0, 40)) {
      expect(Array.from(file.bytes.subarray(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      const header = pngHeader(file);
      expect(header).toEqual({ width: file.width, height: file.height, bitDepth: 4, colorType: 3 });
      const { chunks, pixels } = readPng(file.bytes);
      expect(chunks[0]).toBe('IHDR');
      expect(chunks.at(-1)).toBe('IEND');
      expect(pixels.length).toBe((Math.ceil(header.width / 2) + 1) * header.height);
    }
    const sizes = new Set(pngs.map((a) => `${a.file.width}x${a.file.height}`));
    expect(sizes.size).toBeGreaterThan(5);
    expect(Math.max(...pngs.map((a) => a.file.bytes.length))).toBeLessThan(64 * 1024);
  });

  it('writes baseline JPEGs whose frame header matches the stated size', () => {
    const jpegs = site.assets.filter((a) => a.file.contentType === 'image/jpeg');
    expect(jpegs.length).toBeGreaterThan(site.assets.length / 10);
    for (const { file } of jpegs.slice(0, 40)) {
      const bytes = file.bytes;
      expect([bytes[0], bytes[1], bytes.at(-2), bytes.at(-1)]).toEqual([0xff, 0xd8, 0xff, 0xd9]);
      const sof = bytes.findIndex((byte, i) => byte === 0xff && bytes[i + 1] === 0xc0);
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      expect({ height: view.getUint16(sof + 5), width: view.getUint16(sof + 7), components: bytes[sof + 9] }).toEqual({
        height: file.height,
        width: file.width,
        components: 3,
      });
    }
    expect(new Set(jpegs.map((a) => md5(a.file.bytes))).size).toBeGreaterThan(jpegs.length * 0.9);
  });

  it('writes PDFs with a header, a cross-reference table at the stated offset and an end marker', () => {
    const pdfs = site.assets.filter((a) => a.file.contentType === 'application/pdf');
    expect(pdfs.length).toBeGreaterThan(10);
    for (const { file } of pdfs.slice(0, 10)) {
      const text = new TextDecoder().decode(file.bytes);
      expect(text.startsWith('%PDF-1.4\n')).toBe(true);
      expect(text.trimEnd().endsWith('%%EOF')).toBe(true);
      const startxref = Number(/startxref\n(\d+)\n/.exec(text)?.[1]);
      expect(text.slice(startxref, startxref + 4)).toBe('xref');
      expect(text).toContain('Northwind Coffee Roasters');
    }
  });

  it('writes SVGs with visible shapes', () => {
    const svgs = site.assets.filter((a) => a.file.contentType === 'image/svg+xml');
    expect(svgs.length).toBeGreaterThan(10);
    const logo = new TextDecoder().decode(svgs.find((a) => a.originalFileName === 'logo-dark.svg')?.file.bytes);
    expect(logo).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(logo).toContain('<ellipse');
    expect(logo).toContain('>Northwind</text>');
  });

  it('leaves about 40% without alt text and has decorative, poor and good alt text', () => {
    const alts = site.assets.map((a) => a.altText[primary]);
    expect(share(alts.filter((t) => t === '').length)).toBeGreaterThan(0.33);
    expect(share(alts.filter((t) => t === '').length)).toBeLessThan(0.47);
    expect(share(alts.filter((t) => t === null).length)).toBeGreaterThan(0.03);
    expect(alts).toContain('logo');
    expect(alts).toContainEqual(expect.stringMatching(/^image of /));
    expect(alts.filter((t) => t?.length === 200).length).toBeGreaterThan(0);
    expect(site.assets.some((a) => a.altText[primary] === a.originalFileName)).toBe(true);
    expect(share(alts.filter((t) => typeof t === 'string' && t.length > 30 && t.length < 150).length)).toBeGreaterThan(0.3);
    for (const asset of site.assets) expect(Object.hasOwn(asset.altText, primary)).toBe(true);
  });

  it('gives some assets their own French and German alt text and leaves others to fall back', () => {
    const good = site.assets.filter((a) => (a.altText[primary] ?? '').startsWith('Bag of'));
    const ownFrench = good.filter((a) => fr && typeof a.altText[fr] === 'string');
    const ownGerman = good.filter((a) => de && typeof a.altText[de] === 'string');
    const primaryOnly = good.filter((a) => Object.keys(a.altText).length === 1);
    expect(ownFrench.length).toBeGreaterThan(0);
    expect(ownGerman.length).toBeGreaterThan(0);
    expect(primaryOnly.length).toBeGreaterThan(0);
    expect(ownFrench[0] && fr ? ownFrench[0].altText[fr] : '').toMatch(/^Sachet de café/);
  });

  it('includes duplicate files: the same bytes under another name', () => {
    const byHash = new Map<string, string[]>();
    for (const asset of site.assets) {
      const hash = md5(asset.file.bytes);
      byHash.set(hash, [...(byHash.get(hash) ?? []), asset.originalFileName]);
    }
    const duplicates = [...byHash.values()].filter((names) => names.length > 1);
    expect(duplicates.length).toBeGreaterThan(10);
    expect(duplicates.length).toBeLessThan(site.assets.length * 0.06);
    for (const names of duplicates) expect(new Set(names).size).toBe(names.length);
  });

  it('dates assets in the past, updated no earlier than created', () => {
    for (const asset of site.assets) {
      expect(Date.parse(asset.lastUpdated)).toBeGreaterThanOrEqual(Date.parse(asset.createdOn));
      expect(Date.parse(asset.lastUpdated)).toBeLessThanOrEqual(Date.parse(site.site.lastUpdated));
    }
  });
});
