/**
 * Suggestions from what the file says of itself: the IPTC "Alt Text (Accessibility)" and
 * "Extended Description" in XMP, `dc:description`, the IPTC caption and EXIF ImageDescription,
 * per language where the XMP has alternatives. Read with exifr from bytes (never a string: exifr
 * fetches a string as a URL), the same code in the browser before an upload and on the backend
 * for existing assets. The panel loads this module lazily: exifr is not in its first paint.
 */
import exifr from 'exifr';
import { textsByLocale, type SiteLocale } from './locales.ts';
import type { Suggestion } from './sources.ts';
import { xmlText, xmpProperty, type LanguageText } from './xmp-text.ts';

/** What a file embeds that can become alt text, as written (texts trimmed). */
export interface EmbeddedText {
  altText: LanguageText[];
  extendedDescription: LanguageText[];
  description: LanguageText[];
  caption: string | null;
  imageDescription: string | null;
}

/** Each field, how far it is trusted as alt text and what the panel's detail calls it. */
const FIELDS = [
  { key: 'altText', confidence: 0.95, detail: 'XMP Iptc4xmpCore:AltTextAccessibility' },
  // A long description by purpose: good words, but often more than an alt text should carry.
  { key: 'extendedDescription', confidence: 0.7, detail: 'XMP Iptc4xmpCore:ExtDescrAccessibility' },
  // Captions and descriptions leak credits and stories into alt text on other CMSs: lower.
  { key: 'description', confidence: 0.6, detail: 'XMP dc:description' },
  { key: 'caption', confidence: 0.55, detail: 'IPTC Caption-Abstract' },
  { key: 'imageDescription', confidence: 0.5, detail: 'EXIF ImageDescription' },
] as const;

/** What cameras write into ImageDescription when nobody wrote anything. */
const CAMERA_FILLER = /^(?:olympus digital camera|sony dsc|digital camera|default|image|photo|picture|untitled|samsung|lg|nikon|canon|sony|sharp|minolta|kodak|fujifilm|description|\s*)$/i;

const EXIFR_OPTIONS = {
  // Only IFD0's ImageDescription, the XMP packet as text and IPTC: nothing else is parsed.
  tiff: true,
  ifd0: { pick: ['ImageDescription'] },
  ifd1: false,
  exif: false,
  gps: false,
  interop: false,
  xmp: { parse: false },
  iptc: true,
  icc: false,
  jfif: false,
  ihdr: false,
  makerNote: false,
  userComment: false,
  mergeOutput: false,
  silentErrors: true,
};

function plainText(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const text = xmlText(value.replace(/[&<]/g, (char) => (char === '&' ? '&amp;' : '&lt;')));
  return text && !CAMERA_FILLER.test(text) ? text : null;
}

/**
 * The texts a file embeds, or null when it embeds none or cannot be read (a corrupt or unknown
 * file is no error here: it simply has nothing to suggest).
 */
export async function readEmbeddedText(bytes: Uint8Array | ArrayBuffer): Promise<EmbeddedText | null> {
  let output: unknown;
  try {
    output = await exifr.parse(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes), EXIFR_OPTIONS);
  } catch {
    return null;
  }
  if (!output || typeof output !== 'object') return null;
  const segments = output as { xmp?: unknown; ifd0?: { ImageDescription?: unknown }; iptc?: { Caption?: unknown } };
  const xmp = typeof segments.xmp === 'string' ? segments.xmp : '';
  const found: EmbeddedText = {
    altText: xmpProperty(xmp, 'Iptc4xmpCore:AltTextAccessibility'),
    extendedDescription: xmpProperty(xmp, 'Iptc4xmpCore:ExtDescrAccessibility'),
    description: xmpProperty(xmp, 'dc:description'),
    caption: plainText(segments.iptc?.Caption),
    imageDescription: plainText(segments.ifd0?.ImageDescription),
  };
  const empty = !found.altText.length && !found.extendedDescription.length && !found.description.length && !found.caption && !found.imageDescription;
  return empty ? null : found;
}

/** Suggestions from embedded texts, one per field and site locale (EXIF and IPTC: the primary only). */
export function metadataSuggestions(found: EmbeddedText | null, locales: readonly SiteLocale[]): Suggestion[] {
  if (!found) return [];
  const suggestions: Suggestion[] = [];
  for (const field of FIELDS) {
    const value = found[field.key];
    const values: LanguageText[] = Array.isArray(value) ? value : value ? [['x-default', value]] : [];
    for (const { localeId, lang, text } of textsByLocale(values, locales)) {
      const detail = lang === 'x-default' || !Array.isArray(value) ? field.detail : `${field.detail} (${lang})`;
      suggestions.push({ text, source: 'metadata', confidence: field.confidence, detail, ...(localeId ? { localeId } : {}) });
    }
  }
  return suggestions;
}

/** Reads a file's head and gives its metadata suggestions. */
export async function suggestFromMetadata(bytes: Uint8Array | ArrayBuffer, locales: readonly SiteLocale[]): Promise<Suggestion[]> {
  return metadataSuggestions(await readEmbeddedText(bytes), locales);
}
