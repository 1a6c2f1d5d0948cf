import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { metadataSuggestions, readEmbeddedText, suggestFromMetadata } from '../../core/suggestions/embedded-metadata.ts';
import type { SiteLocale } from '../../core/suggestions/locales.ts';
import { drawJpeg } from './jpeg.ts';
import { withMetadata } from './jpeg-metadata.ts';
import { drawPixels, encodePng } from './png.ts';

const PALETTE: [number, number, number][] = [[245, 236, 222], [196, 164, 132], [111, 78, 55], [214, 120, 62], [46, 74, 62]];
const photo = drawJpeg(64, 48, 'sun', PALETTE);
const LOCALES: SiteLocale[] = [
  { id: 'en-id', tag: 'en', primary: true },
  { id: 'fr-id', tag: 'fr-FR', primary: false },
  { id: 'de-id', tag: 'de-DE', primary: false },
];

/** Texts an editor could write: accents, quotes, markup characters, emoji; no control characters, trimmed. */
const altTexts = fc
  .string({ unit: fc.constantFrom(...'aé Z"\'<&>;#x“”«»ß0123456789'.split(''), '😀', '👩🏽‍🍳', '\n', '&amp;', ']]>', '<![CDATA['), minLength: 1, maxLength: 60 })
  .map((text) => text.trim())
  .filter((text) => text.length > 0);

describe('embedded metadata in a JPEG', () => {
  it('reads back the XMP alt text exactly as written', async () => {
    await fc.assert(
      fc.asyncProperty(altTexts, async (text) => {
        const found = await readEmbeddedText(withMetadata(photo, { altText: [['x-default', text]] }));
        expect(found?.altText).toEqual([['x-default', text]]);
      }),
      { numRuns: 150 },
    );
  });

  it('keeps a numeric-looking alt text as text ("2014" is not the number 2014)', async () => {
    const found = await readEmbeddedText(withMetadata(photo, { altText: [['x-default', '1e3']], imageDescription: '2014' }));
    expect(found).toMatchObject({ altText: [['x-default', '1e3']], imageDescription: '2014' });
  });

  it('gives each language alternative to the site locale of that language', async () => {
    const jpeg = withMetadata(photo, {
      altText: [['x-default', 'Bag of coffee on a counter'], ['fr', 'Sachet de café sur un comptoir'], ['de-DE', 'Kaffeebeutel auf einer Theke'], ['ja', 'カウンターのコーヒー']],
    });
    const suggestions = await suggestFromMetadata(jpeg, LOCALES);
    expect(suggestions.map(({ text, localeId, detail }) => ({ text, localeId, detail }))).toEqual([
      { text: 'Bag of coffee on a counter', localeId: undefined, detail: 'XMP Iptc4xmpCore:AltTextAccessibility' },
      { text: 'Sachet de café sur un comptoir', localeId: 'fr-id', detail: 'XMP Iptc4xmpCore:AltTextAccessibility (fr)' },
      { text: 'Kaffeebeutel auf einer Theke', localeId: 'de-id', detail: 'XMP Iptc4xmpCore:AltTextAccessibility (de-DE)' },
    ]);
    expect(suggestions.every((suggestion) => suggestion.source === 'metadata')).toBe(true);
  });

  it('reads every field, the accessibility alt text most trusted, and EXIF ImageDescription with its accents', async () => {
    const jpeg = withMetadata(photo, {
      altText: [['x-default', 'Barista pouring latte art']],
      extendedDescription: [['x-default', 'A barista pours steamed milk into a cup, drawing a rosetta.']],
      description: [['x-default', 'Morning at the café © Northwind']],
      imageDescription: 'Déjà vu au café',
    });
    const suggestions = await suggestFromMetadata(jpeg, LOCALES);
    expect(suggestions.map((suggestion) => [suggestion.detail, suggestion.text])).toEqual([
      ['XMP Iptc4xmpCore:AltTextAccessibility', 'Barista pouring latte art'],
      ['XMP Iptc4xmpCore:ExtDescrAccessibility', 'A barista pours steamed milk into a cup, drawing a rosetta.'],
      ['XMP dc:description', 'Morning at the café © Northwind'],
      ['EXIF ImageDescription', 'Déjà vu au café'],
    ]);
    const confidences = suggestions.map((suggestion) => suggestion.confidence);
    expect(confidences).toEqual([...confidences].sort((a, b) => b - a));
  });

  it('ignores what cameras write when nobody described the photo', async () => {
    expect(await readEmbeddedText(withMetadata(photo, { imageDescription: 'OLYMPUS DIGITAL CAMERA' }))).toBeNull();
  });

  it('finds nothing in a file without metadata', async () => {
    expect(await readEmbeddedText(photo)).toBeNull();
    expect(await readEmbeddedText(encodePng(drawPixels(32, 32, 'card'), PALETTE, 'a PNG comment'))).toBeNull();
    expect(metadataSuggestions(null, LOCALES)).toEqual([]);
  });

  it('finds nothing, and does not throw, in corrupt or cut files', async () => {
    const jpeg = withMetadata(photo, { altText: [['x-default', 'A text']], imageDescription: 'Something' });
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 400 }), fc.nat({ max: jpeg.length }), fc.nat({ max: jpeg.length }), async (noise, cut, at) => {
        const damaged = jpeg.slice(0, cut);
        damaged.set(noise.subarray(0, Math.max(0, damaged.length - at)), Math.min(at, damaged.length));
        const found = await readEmbeddedText(damaged);
        expect(found === null || typeof found === 'object').toBe(true);
        expect(await readEmbeddedText(noise)).toBeNull();
      }),
      { numRuns: 200 },
    );
  });
});
