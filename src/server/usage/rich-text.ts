/**
 * The `<img>` elements of a CMS Rich Text field's HTML, and the asset an image URL names.
 *
 * Rich Text reaches us from the Designer, from other tools through the Data API, and from
 * imports, so the parser takes HTML as browsers do rather than as one tool writes it: any
 * attribute order, double, single or no quotes, character references in values, upper-case
 * names, `<img>` without alt, self-closing or not; comments are skipped. It is not a whole HTML
 * parser (no `<script>`/`<textarea>` raw text), which Rich Text does not hold.
 */

export interface RichTextImage {
  /** The n-th `<img>` of the HTML (0-based). */
  position: number;
  src: string | null;
  /** null: no alt attribute; '' for `alt=""` (or `alt` with no value). */
  alt: string | null;
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Character references of an attribute value: numeric ones and the few named ones editors write. */
export function decodeEntities(value: string): string {
  if (!value.includes('&')) return value;
  return value.replace(/&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]+);/g, (whole, body: string) => {
    if (body.startsWith('#')) {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : '\uFFFD';
    }
    return NAMED[body.toLowerCase()] ?? whole;
  });
}

const SPACE = /[\s]/;

/** One attribute of a start tag as written: where its name starts, where its value sits, and where it ends. */
interface WrittenAttribute {
  name: string;
  /** Decoded. */
  value: string;
  start: number;
  /** The value's characters, quotes excluded; both equal `end` for an attribute without a value. */
  valueStart: number;
  valueEnd: number;
  quote: '"' | "'" | null;
  end: number;
}

/** One `<img>` start tag as written: from its `<` to just after its `>` (or the end of the HTML). */
interface ImageTag {
  start: number;
  /** Just after the tag's name (`<img`). */
  nameEnd: number;
  end: number;
  attributes: WrittenAttribute[];
}

/** Every `<img>` start tag of `html`, in document order; comments are skipped. */
function imageTags(html: string): ImageTag[] {
  const tags: ImageTag[] = [];
  const lower = html.toLowerCase();
  let at = 0;
  while (at < html.length) {
    const open = lower.indexOf('<', at);
    if (open < 0) break;
    if (lower.startsWith('<!--', open)) {
      const close = lower.indexOf('-->', open + 4);
      at = close < 0 ? html.length : close + 3;
      continue;
    }
    const after = lower[open + 4];
    if (!lower.startsWith('<img', open) || (after !== undefined && !SPACE.test(after) && after !== '/' && after !== '>')) {
      at = open + 1;
      continue;
    }
    const { attributes, end } = readAttributes(html, open + 4);
    tags.push({ start: open, nameEnd: open + 4, end, attributes });
    at = end;
  }
  return tags;
}

/** The first attribute of this name, as browsers take a repeated one. */
const attributeOf = (tag: ImageTag, name: string) => tag.attributes.find((attribute) => attribute.name === name);

/** Every `<img>` in `html`, in document order. */
export function findImages(html: string): RichTextImage[] {
  return imageTags(html).map((tag, position) => ({ position, src: attributeOf(tag, 'src')?.value ?? null, alt: attributeOf(tag, 'alt')?.value ?? null }));
}

/** Text as an attribute value between double quotes: `&` and `"` escaped, nothing else touched. */
function quotedValue(text: string): string {
  return `"${text.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}"`;
}

/**
 * `html` with the alt attribute of its `position`-th `<img>` (0-based) set to `alt` (null: the
 * attribute removed), every other byte as it was: an existing alt keeps its place, its name's case
 * and its quotes (`'` quoted values escape `'`, an unquoted one becomes double-quoted); a missing
 * one is added right after `<img`. Undefined when the HTML has no such image.
 */
export function withImageAlt(html: string, position: number, alt: string | null): string | undefined {
  const tag = imageTags(html)[position];
  if (!tag) return undefined;
  const existing = attributeOf(tag, 'alt');
  if (!existing) {
    if (alt === null) return html;
    return `${html.slice(0, tag.nameEnd)} alt=${quotedValue(alt)}${html.slice(tag.nameEnd)}`;
  }
  if (alt === null) {
    // Every alt of the tag goes (a repeated one would become the alt read), with the space after
    // it; or, right before the '>', the space before it. Never both: an unquoted value before it
    // would take in what follows ('/', another attribute).
    let edited = html;
    let removedFrom = html.length;
    for (const attribute of tag.attributes.filter((a) => a.name === 'alt').reverse()) {
      let from = attribute.start;
      let to = attribute.end;
      while (to < removedFrom && SPACE.test(html[to] as string)) to += 1;
      if (to === attribute.end && (html[to] === '>' || to === html.length)) {
        while (from > tag.nameEnd && SPACE.test(html[from - 1] as string)) from -= 1;
      }
      edited = `${edited.slice(0, from)}${edited.slice(to)}`;
      removedFrom = from;
    }
    return edited;
  }
  if (existing.quote === "'") {
    const value = alt.replace(/&/g, '&amp;').replace(/'/g, '&#39;');
    return `${html.slice(0, existing.valueStart)}${value}${html.slice(existing.valueEnd)}`;
  }
  if (existing.quote === '"') {
    const value = alt.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
    return `${html.slice(0, existing.valueStart)}${value}${html.slice(existing.valueEnd)}`;
  }
  // Unquoted, or a bare `alt`: the value is written double-quoted after the name.
  const nameEnd = existing.start + existing.name.length;
  return `${html.slice(0, nameEnd)}=${quotedValue(alt)}${html.slice(existing.end)}`;
}

/** The attributes of a start tag from `from` (just after its name) to its `>`, in order, repeated names included. */
function readAttributes(html: string, from: number): { attributes: WrittenAttribute[]; end: number } {
  const attributes: WrittenAttribute[] = [];
  let i = from;
  const n = html.length;
  while (i < n) {
    while (i < n && (SPACE.test(html[i] as string) || html[i] === '/')) i += 1;
    if (i >= n) break;
    if (html[i] === '>') return { attributes, end: i + 1 };
    const start = i;
    let nameEnd = i;
    // A name runs to space, '/', '>' or '='; its first character may be '=' (browsers keep it).
    nameEnd += 1;
    while (nameEnd < n && !SPACE.test(html[nameEnd] as string) && !'/>='.includes(html[nameEnd] as string)) nameEnd += 1;
    const name = html.slice(i, nameEnd).toLowerCase();
    i = nameEnd;
    let j = i;
    while (j < n && SPACE.test(html[j] as string)) j += 1;
    let valueStart = nameEnd;
    let valueEnd = nameEnd;
    let quote: WrittenAttribute['quote'] = null;
    if (html[j] === '=') {
      j += 1;
      while (j < n && SPACE.test(html[j] as string)) j += 1;
      const mark = html[j];
      if (mark === '"' || mark === "'") {
        const close = html.indexOf(mark, j + 1);
        quote = mark;
        valueStart = j + 1;
        valueEnd = close < 0 ? n : close;
        i = close < 0 ? n : close + 1;
      } else {
        let k = j;
        while (k < n && !SPACE.test(html[k] as string) && html[k] !== '>') k += 1;
        valueStart = j;
        valueEnd = k;
        i = k;
      }
    }
    attributes.push({ name, value: decodeEntities(html.slice(valueStart, valueEnd)), start, valueStart, valueEnd, quote, end: i });
  }
  return { attributes, end: n };
}

const ASSET_SEGMENT = /^([0-9a-fA-F]{24})_/;

/**
 * The asset a hosted URL names: its last path segment starts `{assetId}_` (Webflow's CDN form,
 * e.g. `https://cdn.prod.website-files.com/{siteId}/{assetId}_photo.jpg`, and its `-p-500`
 * variants). Undefined for any other URL.
 */
export function assetIdOfUrl(url: string | null | undefined): string | undefined {
  if (!url) return undefined;
  const path = url.split(/[?#]/, 1)[0] ?? '';
  const segment = path.slice(path.lastIndexOf('/') + 1);
  return ASSET_SEGMENT.exec(segment)?.[1]?.toLowerCase();
}
