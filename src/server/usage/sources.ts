/**
 * From wire shapes to what the usage index keeps per document it read (a page's or a
 * component's DOM in one locale, an item in one CMS locale): the images found there with the
 * element's own alt setting, and the component placements. Pure functions.
 */
import { assetIdOfUrl, findImages } from './rich-text.ts';
import type { WireField, WireImageRef, WireItem, WireNode } from '../webflow/site-content.ts';

/** An Image node: `alt` is the element's own setting in that locale (null: the asset's alt text). */
export interface ElementImage {
  nodeId: string;
  assetId: string;
  alt: string | null;
}

/** A component-instance node: the component's images are used once per placement. */
export interface Placement {
  nodeId: string;
  componentId: string;
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
  for (const piece of pieces) {
    for (const node of piece.nodes ?? []) {
      if (!node || typeof node.id !== 'string' || seen.has(node.id)) continue;
      seen.add(node.id);
      if (node.type === 'image') {
        const image = (node as { image?: { alt?: unknown; assetId?: unknown } }).image;
        if (typeof image?.assetId !== 'string' || image.assetId === '') continue;
        // The SDK drops a null alt: absent means null, the element uses the asset's alt text.
        images.push({ nodeId: node.id, assetId: image.assetId, alt: typeof image.alt === 'string' ? image.alt : null });
      } else if (node.type === 'component-instance') {
        const componentId = (node as { componentId?: unknown }).componentId;
        if (typeof componentId === 'string' && componentId !== '') placements.push({ nodeId: node.id, componentId });
      }
    }
  }
  return { images, placements };
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
