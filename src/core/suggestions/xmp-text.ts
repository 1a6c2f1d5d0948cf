/**
 * The few XMP properties that hold alt text, read exactly from the XMP packet. exifr finds and
 * joins the packet (JPEG APP1, PNG iTXt, TIFF), but its own XMP parser turns "2014" or "1e3"
 * into numbers and leaves `&amp;` undecoded, so the values are taken from the text here.
 * Properties are matched by their conventional prefixes (`Iptc4xmpCore:`, `dc:`), as every
 * photo tool writes them.
 */

/** A language alternative: `xml:lang` ('x-default' when the value names none) and its text. */
export type LanguageText = readonly [lang: string, text: string];

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Control characters other than tab and line breaks, NUL and lone surrogates: XML cannot hold them, a store refuses them. */
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const UNUSABLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function decodeEntities(text: string): string {
  return text.replace(/&(?:#x([0-9a-f]{1,6})|#(\d{1,7})|(amp|lt|gt|quot|apos));/gi, (whole, hex: string | undefined, decimal: string | undefined, name: string | undefined) => {
    if (name) return NAMED[name.toLowerCase()] ?? whole;
    const code = hex !== undefined ? parseInt(hex, 16) : Number(decimal);
    return code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd';
  });
}

/** Element content as text: CDATA sections kept as written, entities decoded, tags dropped; null when unusable. */
export function xmlText(content: string): string | null {
  const parts: string[] = [];
  let at = 0;
  for (const match of content.matchAll(/<!\[CDATA\[([\s\S]*?)\]\]>/g)) {
    parts.push(decodeEntities(content.slice(at, match.index).replace(/<[^>]*>/g, '')), match[1] ?? '');
    at = match.index + match[0].length;
  }
  parts.push(decodeEntities(content.slice(at).replace(/<[^>]*>/g, '')));
  const text = parts.join('').trim();
  return text && !UNUSABLE.test(text) ? text : null;
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function langOf(attributes: string): string {
  const match = /\bxml:lang\s*=\s*(?:"([^"]*)"|'([^']*)')/.exec(attributes);
  return (match?.[1] ?? match?.[2] ?? '').trim() || 'x-default';
}

/**
 * A property's values: each `rdf:li` of an `rdf:Alt` (or `Seq`/`Bag`) with its language, or the
 * element's own text, or a simple attribute on `rdf:Description`. Empty and unusable values are left out.
 */
export function xmpProperty(xmp: string, name: string): LanguageText[] {
  const tag = escapeRegExp(name);
  const element = new RegExp(`<${tag}((?:\\s[^>]*)?)>([\\s\\S]*?)</${tag}>`).exec(xmp);
  if (!element) {
    const attribute = new RegExp(`\\s${tag}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(xmp);
    const text = attribute ? xmlText(attribute[1] ?? attribute[2] ?? '') : null;
    return text ? [['x-default', text]] : [];
  }
  const content = element[2] ?? '';
  const items = [...content.matchAll(/<rdf:li((?:\s[^>]*)?)>([\s\S]*?)<\/rdf:li>/g)];
  if (items.length === 0) {
    const text = xmlText(content);
    return text ? [[langOf(element[1] ?? ''), text]] : [];
  }
  const values: LanguageText[] = [];
  for (const [, attributes, itemContent] of items) {
    const text = xmlText(itemContent ?? '');
    if (text) values.push([langOf(attributes ?? ''), text]);
  }
  return values;
}
