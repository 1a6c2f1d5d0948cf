/**
 * Alt-text suggestions from file names. Only a starting point that the designer reviews: a
 * suggestion is never written without their say. Returns '' when the name says nothing useful
 * (camera names like IMG_1234, "image.png", bare numbers).
 */

/** Webflow prefixes every hosted file with a 24-hex id and an underscore (twice when re-uploaded). */
const WEBFLOW_PREFIX = /^(?:[0-9a-f]{24}_)+/i;

/** Size and variant marks: `@2x`, Webflow's responsive `-p-500`, `-500w`, `1920x1080`, `-min`, `(1)`. */
const SIZE_MARKS: RegExp[] = [
  /@\d+(?:\.\d+)?x(?![a-z0-9])/gi,
  /[-_ ]p-\d+(?=$|[-_. ])/gi,
  /(?:^|[-_ ])\d+w(?=$|[-_. ])/gi,
  /(?:^|[-_ ])\d{2,5}\s?[x×]\s?\d{2,5}(?=$|[-_. ])/gi,
  /[-_ .](?:min|compressed|optimized|optimised|scaled|resized|edited|final|v\d+)(?=$|[-_. ])/gi,
  /\s*\(\d+\)\s*/g,
  /[-_ ]copy(?:[-_ ]\d+)?$/i,
];

/** Dates and times as cameras and screenshot tools write them. */
const DATE_TIME: RegExp[] = [
  /(?<!\d)\d{4}[-_.]?\d{2}[-_.]?\d{2}(?:(?:[-_ .T]|\sat\s)+\d{1,2}[.:_-]\d{2}(?:[.:_-]\d{2})?(?:\s?[AP]M)?)?(?!\d)/gi,
  /(?<!\d)\d{1,2}[.:]\d{2}(?:[.:]\d{2})?\s?[AP]M(?![a-z])/gi,
];

/** macOS, Windows and others: "Screenshot 2024-03-20 at 9.03.24 PM", "Screen Shot …". */
const SCREENSHOT = /^screen[\s_-]?shot(?![a-z])/i;

/** Whole names from apps that say nothing about the picture. */
const APP_NAME = /^(?:whatsapp image|untitled design|signal-\d|telegram|unnamed)/i;

/** Design tools' layer names ("Frame 12", "Mask group") and stock sites' ids or photographer names. */
const DESIGN_TOOL_NAME = /^(?:frame|group|mask group|rectangle|ellipse|vector|layer|artboard|component|instance|slice|shape)(?:[\s_-]*\d+)*(?:[\s_-]*copy(?:[\s_-]*\d+)?)?$/i;
const STOCK_SITE = /pexels|unsplash|shutterstock|istock|adobestock|adobe[-_ ]stock|gettyimages|depositphotos|dreamstime|123rf/i;

/** Names cameras, phones and downloads give files: nothing about the picture. */
const CAMERA_NAME =
  /^(?:img|image|dsc[nf]?|dcim|pxl|mvimg|vid|photo|pic|picture|gopr|gp|p|dji|mg|sam|wp|screenshot|download|downloads|unnamed|untitled|file|scan|capture|snap|snapshot|whatsapp image|pexels|unsplash|shutterstock|adobestock|istock|getty images?)$/i;

/** A single word that is itself a placeholder is no suggestion (see alt-lint's placeholders). */
const PLACEHOLDER_ALONE = /^(?:image|images|img|photo|picture|pic|logo|graphic|icon|untitled|alt|placeholder|thumbnail|thumb|banner|file|asset|unnamed|download|new|final|copy)$/i;

function withoutExtension(name: string): string {
  return name.replace(/\.[a-z0-9]{1,5}$/i, '');
}

/** "heroBanner" → "hero Banner" (but "iPhone" stays), "HTMLPage" → "HTML Page"; digits stay with their word. */
function splitCamelCase(text: string): string {
  return text.replace(/([a-z]{2})([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2');
}

/**
 * Sentence case that keeps acronyms (CEO, USA) and brand spellings (iPhone) as written, unless
 * the whole name is in capitals ("TEAM-PHOTO.JPG"), which is shouting rather than acronyms.
 */
function sentenceCase(words: string[]): string {
  const lettered = words.filter((word) => /[a-z]/i.test(word));
  const shouting = lettered.length >= 2 && lettered.every((word) => word === word.toUpperCase());
  const cased = words.map((word) => (shouting || /^[A-Z]?[a-z]+$/.test(word) ? word.toLowerCase() : word));
  const first = cased[0] ?? '';
  if (first === first.toLowerCase()) cased[0] = first.charAt(0).toUpperCase() + first.slice(1);
  return cased.join(' ');
}

export function suggestAltText(fileName: string): string {
  let name = fileName.split(/[/\\]/).pop() ?? '';
  name = withoutExtension(name.trim()).replace(WEBFLOW_PREFIX, '');
  const screenshot = SCREENSHOT.test(name);
  if (APP_NAME.test(name) || DESIGN_TOOL_NAME.test(name.trim()) || STOCK_SITE.test(name)) return '';
  for (const mark of SIZE_MARKS) name = name.replace(mark, ' ');
  for (const dateTime of DATE_TIME) name = name.replace(dateTime, ' ');
  const words = splitCamelCase(name)
    .split(/[\s\-_.+]+/)
    .filter((word) => word.length > 0);
  if (words.length === 0) return '';
  // Nothing useful: a camera or download name with numbers ("IMG_1234", "DSC_0042", "image (3)").
  const meaningful = words.filter((word) => !/^\d+$/.test(word) && !/^[A-Z]{0,4}\d+$/i.test(word));
  // A screenshot's name is its date and time; one that says more ("Screenshot of pricing") keeps it.
  if (screenshot && meaningful.every((word) => /^(?:screen|shot|screenshot|at)$/i.test(word))) return 'Screenshot';
  if (meaningful.length === 0) return '';
  if (meaningful.every((word) => CAMERA_NAME.test(word) || PLACEHOLDER_ALONE.test(word))) return '';
  return sentenceCase(words);
}
