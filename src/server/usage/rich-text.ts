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

/** Every `<img>` in `html`, in document order. */
export function findImages(html: string): RichTextImage[] {
  const images: RichTextImage[] = [];
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
    images.push({ position: images.length, src: attributes.get('src') ?? null, alt: attributes.get('alt') ?? null });
    at = end;
  }
  return images;
}

/** The attributes of a start tag from `from` (just after its name) to its `>`; the first of a repeated name wins, as in browsers. */
function readAttributes(html: string, from: number): { attributes: Map<string, string>; end: number } {
  const attributes = new Map<string, string>();
  let i = from;
  const n = html.length;
  while (i < n) {
    while (i < n && (SPACE.test(html[i] as string) || html[i] === '/')) i += 1;
    if (i >= n) break;
    if (html[i] === '>') return { attributes, end: i + 1 };
    let nameEnd = i;
    // A name runs to space, '/', '>' or '='; its first character may be '=' (browsers keep it).
    nameEnd += 1;
    while (nameEnd < n && !SPACE.test(html[nameEnd] as string) && !'/>='.includes(html[nameEnd] as string)) nameEnd += 1;
    const name = html.slice(i, nameEnd).toLowerCase();
    i = nameEnd;
    let j = i;
    while (j < n && SPACE.test(html[j] as string)) j += 1;
    let value = '';
    if (html[j] === '=') {
      j += 1;
      while (j < n && SPACE.test(html[j] as string)) j += 1;
      const quote = html[j];
      if (quote === '"' || quote === "'") {
        const close = html.indexOf(quote, j + 1);
        const stop = close < 0 ? n : close;
        value = html.slice(j + 1, stop);
        i = close < 0 ? n : close + 1;
      } else {
        let k = j;
        while (k < n && !SPACE.test(html[k] as string) && html[k] !== '>') k += 1;
        value = html.slice(j, k);
        i = k;
      }
    }
    if (!attributes.has(name)) attributes.set(name, decodeEntities(value));
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
