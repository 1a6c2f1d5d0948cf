/**
 * From wire shapes to what the usage index keeps per document it read (a page's or a
 * component's DOM in one locale, an item in one CMS locale): the images found there with the
 * element's own alt setting, the component placements with their "Alt Text" override, and the
 * asset ids an item's other values name (links). Pure functions.
 */
import type { ImageSurroundings } from '../../core/suggestions/usage.ts';
import { assetIdOfUrl, decodeEntities, findImages } from './rich-text.ts';
import type { WireField, WireImageRef, WireItem, WireNode } from '../webflow/site-content.ts';

/** An Image node: `alt` is the element's own setting in that locale (null: the asset's alt text). */
export interface ElementImage {
  nodeId: string;
  assetId: string;
  alt: string | null;
  /** The heading above it and the caption under it, for suggestions (absent in rows read before they were kept). */
  surroundings?: ImageSurroundings;
}

/**
 * A component-instance node: the component's images are used once per placement. `altOverride`:
 * the text of the instance's first "Alt Text" property override in that locale ('' an empty alt),
 * null when it overrides none (docs/decisions/image-alt-on-the-wire.md, "Component properties").
 */
export interface Placement {
  nodeId: string;
  componentId: string;
  altOverride?: string | null;
  /** The nearest heading before the placement on its page: the context of the component's images. */
  heading?: string | null;
}

/** What a page's or component's DOM (one locale) holds for the index. */
export interface DomUses {
  images: ElementImage[];
  placements: Placement[];
}

/** One image of a CMS item: the alt is what the visitor gets (null: none). */
export type ItemImage =
  | { kind: 'cms-image'; assetId: string; fieldSlug: string; fieldType: 'Image' | 'MultiImage'; index: number | null; alt: string | null }
  | { kind: 'rich-text'; assetId: string; fieldSlug: string; position: number; alt: string | null };

/**
 * The images and placements of a DOM read in pieces (`offset`/`limit`): nodes in order, each
 * once (a node seen in two pieces, when the DOM moved between requests, counts once).
 */
export function domUses(pieces: ReadonlyArray<{ nodes: readonly WireNode[] }>): DomUses {
  const seen = new Set<string>();
  const images: ElementImage[] = [];
  const placements: Placement[] = [];
  // The DOM comes as a flat list in document order: the last heading read is the nearest above.
  let heading: string | null = null;
  /** The image just read, waiting to learn whether a caption follows it. */
  let justRead: ElementImage | null = null;
  for (const piece of pieces) {
    for (const node of piece.nodes ?? []) {
      if (!node || typeof node.id !== 'string' || seen.has(node.id)) continue;
      seen.add(node.id);
      const previous = justRead;
      justRead = null;
      if (node.type === 'image') {
        const image = (node as { image?: { alt?: unknown; assetId?: unknown } }).image;
        if (typeof image?.assetId !== 'string' || image.assetId === '') continue;
        // The SDK drops a null alt: absent means null, the element uses the asset's alt text.
        justRead = { nodeId: node.id, assetId: image.assetId, alt: typeof image.alt === 'string' ? image.alt : null, surroundings: { heading, caption: null } };
        images.push(justRead);
      } else if (node.type === 'component-instance') {
        const { componentId, propertyOverrides } = node as { componentId?: unknown; propertyOverrides?: unknown };
        if (typeof componentId === 'string' && componentId !== '') placements.push({ nodeId: node.id, componentId, altOverride: altOverrideOf(propertyOverrides), heading });
      } else if (node.type === 'text') {
        const html = (node as { text?: { html?: unknown } }).text?.html;
        if (typeof html !== 'string') continue;
        const found = headingOf(html);
        if (found) heading = found;
        else if (previous?.surroundings) previous.surroundings.caption = captionOf(html);
      }
    }
  }
  return { images, placements };
}

/** Longer than this, the text under an image is copy, not its caption. */
const MAX_CAPTION_CHARS = 150;
const HEADING = /<h([1-6])\b[^>]*>([\s\S]*?)<\/h\1\s*>/gi;

/** A text node's words: tags dropped, entities decoded, spacing tidied. */
export function plainText(html: string): string {
  return decodeEntities(html.replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ').trim();
}

/** The last heading a text node holds (a Heading element, or a Rich Text block with headings), or null. */
export function headingOf(html: string): string | null {
  let last: string | null = null;
  for (const match of html.matchAll(HEADING)) {
    const text = plainText(match[2] ?? '');
    if (text) last = text;
  }
  return last;
}

/** The text right under an image as its caption: a `<figcaption>`, or one short line. */
export function captionOf(html: string): { text: string; figcaption: boolean } | null {
  const text = plainText(html);
  if (!text || text.length > MAX_CAPTION_CHARS) return null;
  return { text, figcaption: /<figcaption\b/i.test(html) };
}

/** The first "Alt Text" override's text (null: none). The SDK may drop a null `text.text`: absent counts as ''. */
function altOverrideOf(overrides: unknown): string | null {
  if (!Array.isArray(overrides)) return null;
  for (const override of overrides as Array<{ type?: unknown; text?: { text?: unknown } } | null>) {
    if (override?.type !== 'Alt Text') continue;
    const text = override.text?.text;
    return typeof text === 'string' ? text : '';
  }
  return null;
}

/** The fields of a collection the index reads, by slug: Image, MultiImage and Rich Text. */
export function imageFieldsOf(fields: readonly WireField[]): Array<{ slug: string; type: 'Image' | 'MultiImage' | 'RichText' }> {
  const found: Array<{ slug: string; type: 'Image' | 'MultiImage' | 'RichText' }> = [];
  for (const field of fields) {
    if (!field.slug) continue;
    if (field.type === 'Image' || field.type === 'MultiImage' || field.type === 'RichText') found.push({ slug: field.slug, type: field.type });
  }
  return found;
}

/** The images of one item (one CMS locale), field by field in schema order. */
export function itemImages(fields: ReturnType<typeof imageFieldsOf>, item: Pick<WireItem, 'fieldData'>): ItemImage[] {
  const images: ItemImage[] = [];
  for (const field of fields) {
    const value = item.fieldData?.[field.slug];
    if (value === null || value === undefined) continue;
    if (field.type === 'Image') {
      const ref = imageRef(value);
      const assetId = ref && assetOfRef(ref);
      if (assetId) images.push({ kind: 'cms-image', assetId, fieldSlug: field.slug, fieldType: 'Image', index: null, alt: altOfRef(ref) });
    } else if (field.type === 'MultiImage') {
      if (!Array.isArray(value)) continue;
      value.forEach((entry, index) => {
        const ref = imageRef(entry);
        const assetId = ref && assetOfRef(ref);
        if (assetId) images.push({ kind: 'cms-image', assetId, fieldSlug: field.slug, fieldType: 'MultiImage', index, alt: altOfRef(ref) });
      });
    } else if (typeof value === 'string') {
      for (const img of findImages(value)) {
        const assetId = assetIdOfUrl(img.src);
        if (assetId) images.push({ kind: 'rich-text', assetId, fieldSlug: field.slug, position: img.position, alt: img.alt });
      }
    }
  }
  return images;
}

function imageRef(value: unknown): WireImageRef | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as WireImageRef) : undefined;
}

function assetOfRef(ref: WireImageRef): string | undefined {
  if (typeof ref.fileId === 'string' && ref.fileId !== '') return ref.fileId;
  return assetIdOfUrl(typeof ref.url === 'string' ? ref.url : undefined);
}

function altOfRef(ref: WireImageRef): string | null {
  return typeof ref.alt === 'string' ? ref.alt : null;
}

/** A value of an item naming an asset by its hosted URL or its id (any field but Image and MultiImage). */
export interface ItemLink {
  assetId: string;
  fieldSlug: string;
}

/** 24 hex digits standing alone, or as a hosted URL's `{assetId}_` segment: an asset id, if the site has one. */
const OBJECT_ID = /(?<![0-9a-fA-F])[0-9a-fA-F]{24}(?![0-9a-fA-F])/g;
const IMG_TAG = /<img\b[^>]*>/gi;

/**
 * The asset ids each value of an item names, once per field: any field but Image and MultiImage
 * (whose images are uses of their own), a Rich Text's `<img>` set aside (an inline image is a
 * use of its own; its `<a href>` is a link). Every 24-hex id is kept: which ones are assets the
 * index decides when it answers (a Reference field's item ids, the site id in a CDN URL are not).
 */
export function itemLinks(fields: readonly WireField[], item: Pick<WireItem, 'fieldData'>): ItemLink[] {
  const imageSlugs = new Set(fields.filter((f) => f.type === 'Image' || f.type === 'MultiImage').map((f) => f.slug));
  const richText = new Set(fields.filter((f) => f.type === 'RichText').map((f) => f.slug));
  const links: ItemLink[] = [];
  for (const [slug, value] of Object.entries(item.fieldData ?? {})) {
    if (imageSlugs.has(slug)) continue;
    const ids = new Set<string>();
    const visit = (entry: unknown, depth: number): void => {
      if (typeof entry === 'string') {
        const text = richText.has(slug) ? entry.replace(IMG_TAG, ' ') : entry;
        for (const [id] of text.matchAll(OBJECT_ID)) ids.add(id.toLowerCase());
      } else if (depth < 4 && Array.isArray(entry)) entry.forEach((e) => visit(e, depth + 1));
      else if (depth < 4 && entry !== null && typeof entry === 'object') Object.values(entry).forEach((e) => visit(e, depth + 1));
    };
    visit(value, 0);
    for (const assetId of ids) links.push({ assetId, fieldSlug: slug });
  }
  return links;
}
