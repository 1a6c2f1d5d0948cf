/**
 * The demo site: "Northwind Coffee Roasters", English with French and German, nested folders
 * and (by default) 1,200 assets with real PNG, SVG and PDF files. Deterministic per seed, so
 * a test, a benchmark and a newcomer's first `npm start` all see the same site.
 */
import { altTextFor, chooseQuality } from './alt-text.ts';
import { FOLDERS, draftAsset, type Draft, type FolderKey } from './catalog.ts';
import { drawPdf, drawSvg } from './documents.ts';
import { PALETTE_SIZE, type Rgb } from './layouts.ts';
import { drawBanner } from './banner.ts';
import { drawJpeg, withComment } from './jpeg.ts';
import { withMetadata, type EmbeddedMetadata } from './jpeg-metadata.ts';
import { drawPixels, encodePng, type PixelData } from './png.ts';
import { createRandom, type Random } from './random.ts';
import { generateSiteContent } from './site-content.ts';
import type { DemoSite, SeedAsset, SeedFile, SeedFolder, SeedLocale, SeedOptions } from './types.ts';

export type { DemoSite, SeedOptions } from './types.ts';

export const DEFAULT_ASSET_COUNT = 1200;
export const DEFAULT_SEED = 20140301;
/** Share of assets that are a byte-for-byte copy of an earlier one under another name. */
export const DUPLICATE_SHARE = 0.03;

const DAY = 86_400_000;
const EPOCH = Date.UTC(2023, 0, 1);
const SITE_UPDATED = Date.UTC(2025, 10, 18, 16, 20);
const SITE_CREATED = Date.UTC(2022, 8, 14, 17, 5);

/** Coffee-shop colour themes: background, band, dark band, shape, accent. */
const THEMES: readonly Rgb[][] = [
  [[245, 236, 222], [196, 164, 132], [111, 78, 55], [214, 120, 62], [46, 74, 62]],
  [[232, 240, 236], [120, 160, 140], [46, 74, 62], [240, 200, 120], [111, 78, 55]],
  [[250, 246, 240], [222, 205, 180], [90, 60, 40], [180, 60, 50], [30, 30, 30]],
  [[36, 32, 30], [90, 70, 58], [20, 18, 16], [230, 190, 140], [200, 110, 60]],
  [[226, 236, 246], [150, 180, 210], [60, 80, 110], [250, 210, 100], [120, 70, 50]],
  [[248, 230, 230], [210, 150, 140], [120, 60, 60], [255, 240, 220], [60, 40, 30]],
];

export function generateDemoSite(options: SeedOptions = {}): DemoSite {
  const count = options.assets ?? DEFAULT_ASSET_COUNT;
  if (!Number.isInteger(count) || count < 0) {
    throw new RangeError(`The demo site needs a whole, non-negative number of assets (got ${String(count)}).`);
  }
  const seed = options.seed ?? DEFAULT_SEED;
  const random = createRandom(seed);
  const locales = makeLocales(random);
  const localeIds = { primary: locales.primary.id, fr: locales.fr.id, de: locales.de.id };
  const folderIds = new Map<FolderKey, string>();
  const folders: SeedFolder[] = FOLDERS.map(({ key, displayName, parent }, i) => {
    const id = random.objectId();
    folderIds.set(key, id);
    const createdOn = iso(EPOCH + i * 3 * DAY);
    return { id, displayName, parentFolder: parent ? (folderIds.get(parent) ?? null) : null, createdOn, lastUpdated: createdOn };
  });

  const drawn: Drawn = { pixels: new Map(), jpegs: new Map() };
  const usedNames = new Set<string>();
  const assets: SeedAsset[] = [];
  for (let i = 0; i < count; i += 1) {
    const duplicateOf = i >= 20 && random.chance(DUPLICATE_SHARE) ? assets[random.int(0, i - 1)] : undefined;
    const draft = draftAsset(random);
    const fileName = duplicateOf ? copyName(random, duplicateOf.originalFileName) : draft.fileName;
    const name = uniqueName(fileName, usedNames);
    const file = duplicateOf ? duplicateOf.file : drawFile(random, draft, i, drawn);
    const created = draft.year
      ? Date.UTC(draft.year, 0, 1) + random.int(0, (draft.year === 2025 ? 300 : 364) * DAY)
      : EPOCH + random.int(0, 1030) * DAY + random.int(0, DAY);
    const updated = Math.min(SITE_UPDATED, created + (random.chance(0.6) ? 0 : random.int(0, 120 * DAY)));
    assets.push({
      id: random.objectId(),
      folderId: duplicateOf ? duplicateOf.folderId : draft.folder ? (folderIds.get(draft.folder) ?? null) : null,
      originalFileName: name,
      displayName: name,
      createdOn: iso(created),
      lastUpdated: iso(updated),
      altText: altTextFor(random, draft, chooseQuality(random, draft), localeIds),
      file,
    });
  }

  const content = generateSiteContent({
    seed,
    locales: { primary: locales.primary, secondary: [locales.fr, locales.de] },
    assets: assets.map((a) => ({ id: a.id, contentType: a.file.contentType, folderId: a.folderId, altText: a.altText })),
    folders,
    created: SITE_CREATED,
    updated: SITE_UPDATED,
  });

  return {
    user: { id: '5f8d4c2b1a9e3b0017c6d2e1', email: 'priya@northwindcoffee.com', firstName: 'Priya', lastName: 'Nair' },
    site: {
      id: random.objectId(),
      workspaceId: random.objectId(),
      displayName: 'Northwind Coffee Roasters',
      shortName: 'northwind-coffee',
      timeZone: 'America/Los_Angeles',
      createdOn: iso(SITE_CREATED),
      lastUpdated: iso(SITE_UPDATED),
      lastPublished: iso(SITE_UPDATED - DAY),
      previewUrl: 'https://screenshots.webflow.com/sites/northwind-coffee/preview.png',
      customDomains: [{ id: random.objectId(), url: 'www.northwindcoffee.com', lastPublished: iso(SITE_UPDATED - DAY) }],
      locales: { primary: locales.primary, secondary: [locales.fr, locales.de] },
    },
    folders,
    assets,
    content,
  };
}

function makeLocales(random: Random): { primary: SeedLocale; fr: SeedLocale; de: SeedLocale } {
  const locale = (displayName: string, subdirectory: string, tag: string): SeedLocale => ({
    id: random.objectId(),
    cmsLocaleId: random.objectId(),
    enabled: true,
    displayName,
    subdirectory,
    tag,
  });
  return {
    primary: locale('English', '', 'en'),
    fr: locale('French (France)', 'fr-fr', 'fr-FR'),
    de: locale('German (Germany)', 'de-de', 'de-DE'),
  };
}

/** Images drawn once per generated site and shared by every asset that uses them. */
interface Drawn {
  pixels: Map<string, PixelData>;
  jpegs: Map<string, Uint8Array>;
}

function drawFile(random: Random, draft: Draft, index: number, drawn: Drawn): SeedFile {
  const themeIndex = random.int(0, THEMES.length - 1);
  const theme = THEMES[themeIndex] ?? [];
  // A small jitter per asset so thumbnails of one layout do not look identical.
  const palette = theme.slice(0, PALETTE_SIZE).map(([r, g, b]): Rgb => [jitter(random, r), jitter(random, g), jitter(random, b)]);
  const drawing = draft.drawing;
  switch (drawing.format) {
    case 'png': {
      const key = `${drawing.width}x${drawing.height}:${drawing.layout}:${drawing.text?.join('/') ?? ''}`;
      let pixels = drawn.pixels.get(key);
      if (!pixels) {
        pixels = drawing.text ? drawBanner(drawing.width, drawing.height, drawing.text, Math.floor(drawing.height / 60)) : drawPixels(drawing.width, drawing.height, drawing.layout);
        drawn.pixels.set(key, pixels);
      }
      const bytes = encodePng(pixels, palette, `Northwind demo asset ${index}: ${draft.subject}`);
      return { bytes, contentType: 'image/png', width: drawing.width, height: drawing.height };
    }
    case 'jpg': {
      // A JPEG has no palette to vary, so photos share a drawing per theme; the comment keeps each file distinct.
      const key = `${drawing.width}x${drawing.height}:${drawing.layout}:${themeIndex}`;
      let jpeg = drawn.jpegs.get(key);
      if (!jpeg) {
        jpeg = drawJpeg(drawing.width, drawing.height, drawing.layout, theme);
        drawn.jpegs.set(key, jpeg);
      }
      const bytes = withMetadata(withComment(jpeg, `Northwind demo asset ${index}: ${draft.subject}`), embeddedMetadata(draft, index));
      return { bytes, contentType: 'image/jpeg', width: drawing.width, height: drawing.height };
    }
    case 'svg': {
      const bytes = drawSvg(drawing.label, drawing.width, drawing.height, [palette[0] ?? [255, 255, 255], palette[2] ?? [0, 0, 0], palette[4] ?? [0, 0, 0]], `Northwind demo asset ${index}`);
      return { bytes, contentType: 'image/svg+xml', width: drawing.width, height: drawing.height };
    }
    case 'pdf':
      return { bytes: drawPdf(drawing.title, `${drawing.line} Ref ${index}.`), contentType: 'application/pdf' };
  }
}

/**
 * What some photos carry from the photo editor, chosen by position so the random stream (and so
 * every other asset) stays as it was: a third have an XMP alt text, one in nine of those in
 * English, French and German; another third an EXIF ImageDescription only.
 */
function embeddedMetadata(draft: Draft, index: number): EmbeddedMetadata {
  if (index % 3 === 1) return { imageDescription: draft.alt.en };
  if (index % 3 !== 0) return {};
  const { en, fr, de } = draft.alt;
  return { altText: index % 9 === 0 ? [['x-default', en], ['fr-FR', fr], ['de-DE', de]] : [['x-default', en]] };
}

function jitter(random: Random, channel: number): number {
  return Math.max(0, Math.min(255, channel + random.int(-10, 10)));
}

/** How people name a copy of a file they already uploaded. */
function copyName(random: Random, original: string): string {
  const dot = original.lastIndexOf('.');
  const stem = original.slice(0, dot);
  const ext = original.slice(dot);
  return random.pick([`${stem} (1)${ext}`, `${stem}-copy${ext}`, `${stem}-final${ext}`, `IMG_${random.int(1000, 9999)}${ext}`]);
}

/** Webflow allows repeated names, but a demo reads better when "logo-dark.svg" appears once. */
function uniqueName(fileName: string, used: Set<string>): string {
  let name = fileName;
  const dot = fileName.lastIndexOf('.');
  for (let n = 2; used.has(name); n += 1) name = `${fileName.slice(0, dot)}-${n}${fileName.slice(dot)}`;
  used.add(name);
  return name;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
