/**
 * Alt-text lint, shared by the panel (as the designer types, and the "lint" filter over the whole
 * index on load) and the backend. Pure and cheap: it runs over 20,000 assets when the panel opens.
 *
 * `null` alt text means decorative and is never a finding; documents and other non-images need
 * no alt text at all.
 */
import type { AltText } from './api.ts';

export type LintCode =
  | 'missing'
  | 'file_name'
  | 'image_extension'
  | 'placeholder'
  | 'redundant_prefix'
  | 'too_long'
  | 'repeated';

export interface LintFinding {
  code: LintCode;
  /** What is wrong, in the designer's words. */
  message: string;
  /** How to fix it. */
  fix: string;
}

export interface LintedAsset {
  fileName: string;
  name: string;
  contentType: string;
}

export interface LintContext {
  /** How many different images carry this alt text (normalized), this one included. */
  sameTextCount?: number;
}

/** Screen readers commonly cut or tire on longer text; longer descriptions belong in the page. */
export const MAX_ALT_TEXT_LENGTH = 125;
/** The same alt text on this many different images is flagged as repeated. */
export const REPEATED_ALT_TEXT_MIN = 3;

const IMAGE_EXTENSION = /\.(png|jpe?g|gif|svg|webp|avif|heic|heif|tiff?|bmp|ico)$/i;

/** Words that say nothing about what an image shows when they stand (nearly) alone. */
const PLACEHOLDER_WORDS = new Set([
  'image', 'images', 'img', 'photo', 'photos', 'photograph', 'picture', 'pictures', 'pic', 'pics',
  'logo', 'graphic', 'graphics', 'icon', 'untitled', 'alt', 'placeholder', 'thumbnail', 'thumb',
  'banner', 'screenshot', 'spacer', 'blank', 'default', 'dsc', 'dscn', 'none', 'null', 'undefined',
  'file', 'asset', 'tbd', 'todo',
]);
/** Words that may accompany a placeholder without making it a description ("an image", "alt text"). */
const FILLER_WORDS = new Set(['a', 'an', 'the', 'of', 'this', 'my', 'our', 'here', 'text', 'new', 'copy', 'final']);

const REDUNDANT_PREFIX =
  /^(?:an?\s+|the\s+)?(?:image|picture|photo|photograph|graphic|pic|img)\s+(?:of|showing|shows|depicting|with)\s+\S/i;

const HEX_PREFIX = /^[0-9a-f]{24}_/i;

/** The key under which alt texts count as "the same": case, spacing and end punctuation ignored. */
export function normalizeAltText(text: string): string {
  return text.trim().toLowerCase().replace(/\s+/g, ' ').replace(/[.!…]+$/, '');
}

export function isImageType(contentType: string): boolean {
  return contentType.startsWith('image/');
}

function stemOf(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot > 0 ? fileName.slice(0, dot) : fileName;
}

/**
 * True when the alt text is the file name, with or without its extension or Webflow's hash
 * prefix. A multi-word stem ("golden retriever on a beach.jpg") used as alt text is a real
 * description, so only stems that look like file names (no spaces) count without the extension.
 */
function isFileName(text: string, fileName: string): boolean {
  // Cheap length test first: this runs for every asset on load.
  if (!fileName || text.length > fileName.length) return false;
  const lower = text.toLowerCase();
  const unprefixed = HEX_PREFIX.test(fileName) ? fileName.slice(25) : fileName;
  for (const candidate of unprefixed === fileName ? [fileName] : [fileName, unprefixed]) {
    const name = candidate.toLowerCase();
    if (lower === name) return true;
    const stem = stemOf(name);
    if (lower === stem && !/\s/.test(stem)) return true;
  }
  return false;
}

/** Placeholders are a few short words at most; longer text is never one. */
const MAX_PLACEHOLDER_LENGTH = 32;

function isPlaceholder(text: string): boolean {
  if (text.length > MAX_PLACEHOLDER_LENGTH) return false;
  // Split camelCase-free tokens on anything that is not a letter, and letters from digits: "img_001", "Photo1".
  const words = text.toLowerCase().match(/[a-z]+/g);
  if (!words) return true; // digits and punctuation only: "1", "---"
  let placeholders = 0;
  for (const word of words) {
    if (PLACEHOLDER_WORDS.has(word)) placeholders += 1;
    else if (!FILLER_WORDS.has(word)) return false;
  }
  return placeholders > 0;
}

const FIX_DESCRIBE = 'Describe what the image shows, or mark it decorative if it adds nothing to the page.';

/**
 * The findings for one asset's alt text (one locale's). Empty when the text is fine, decorative
 * (`null`), or the asset is not an image.
 */
export function lintAltText(altText: AltText, asset: LintedAsset, context: LintContext = {}): LintFinding[] {
  if (altText === null || !isImageType(asset.contentType)) return [];
  const text = altText.trim();
  if (!text) {
    return [{ code: 'missing', message: 'This image has no alt text.', fix: FIX_DESCRIBE }];
  }
  const findings: LintFinding[] = [];
  if (isFileName(text, asset.fileName) || (asset.name !== asset.fileName && IMAGE_EXTENSION.test(asset.name) && isFileName(text, asset.name))) {
    findings.push({
      code: 'file_name',
      message: 'The alt text is the file name.',
      fix: 'Replace it with a short description of what the image shows.',
    });
  } else if (IMAGE_EXTENSION.test(text)) {
    findings.push({
      code: 'image_extension',
      message: 'The alt text ends in a file extension, like a file name.',
      fix: 'Remove the extension and describe what the image shows.',
    });
  }
  if (isPlaceholder(text)) {
    findings.push({
      code: 'placeholder',
      message: `“${text}” is a placeholder that tells a screen-reader user nothing.`,
      fix: FIX_DESCRIBE,
    });
  } else if (REDUNDANT_PREFIX.test(text)) {
    findings.push({
      code: 'redundant_prefix',
      message: 'Screen readers already announce an image, so “image of …” is said twice.',
      fix: 'Start with what the image shows (“A golden retriever…”, not “Image of a golden retriever…”).',
    });
  }
  if (text.length > MAX_ALT_TEXT_LENGTH) {
    findings.push({
      code: 'too_long',
      message: `The alt text has ${text.length} characters; keep it to ${MAX_ALT_TEXT_LENGTH} or fewer.`,
      fix: 'Shorten it to the essentials; put a longer description in the page text or a caption.',
    });
  }
  const same = context.sameTextCount ?? 0;
  if (same >= REPEATED_ALT_TEXT_MIN) {
    findings.push({
      code: 'repeated',
      message: `The same alt text is on ${same} different images.`,
      fix: 'Describe what sets this image apart; if it only repeats another, consider marking it decorative.',
    });
  }
  return findings;
}

export interface AltTextHolder {
  contentType: string;
  altText: AltText;
  localeAltText?: Readonly<Record<string, AltText>>;
}

/**
 * One locale's own alt text of an asset: the primary's when `localeId` is null. For a secondary
 * locale, `undefined` means it has none of its own (Webflow shows the primary's instead).
 */
export function ownAltText(asset: AltTextHolder, localeId: string | null): AltText | undefined {
  if (localeId === null) return asset.altText;
  const texts = asset.localeAltText;
  return texts && Object.hasOwn(texts, localeId) ? texts[localeId] : undefined;
}
