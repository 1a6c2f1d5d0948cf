/**
 * One image use inside a CMS item's field value, read and rewritten: an Image field's
 * `{fileId, url, alt}`, one image of a MultiImage array, or one `<img>` of Rich Text HTML. A
 * rewrite changes that use's alt and nothing else: every other image object is sent back as it
 * was read, and Rich Text keeps every other byte (usage/rich-text.ts, withImageAlt).
 */
import type { CmsTarget } from '../../core/api.ts';
import { assetIdOfUrl, findImages, withImageAlt } from '../usage/rich-text.ts';

export interface ImageUse {
  /** The asset shown there, when its value names one. */
  assetId: string | undefined;
  /** null: no alt (an Image's `alt: null` or absent, an `<img>` without the attribute). */
  alt: string | null;
}

type Use = Pick<CmsTarget, 'fieldType' | 'position'>;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function imageObjectUse(value: unknown): ImageUse | undefined {
  if (!isObject(value)) return undefined;
  const assetId = typeof value.fileId === 'string' && value.fileId !== '' ? value.fileId : assetIdOfUrl(typeof value.url === 'string' ? value.url : undefined);
  return { assetId, alt: typeof value.alt === 'string' ? value.alt : null };
}

/** The use at this place of a field's value; undefined when the value holds no image there. */
export function useIn(use: Use, value: unknown): ImageUse | undefined {
  switch (use.fieldType) {
    case 'Image':
      return imageObjectUse(value);
    case 'MultiImage':
      return Array.isArray(value) && use.position !== null ? imageObjectUse(value[use.position]) : undefined;
    case 'RichText': {
      if (typeof value !== 'string' || use.position === null) return undefined;
      const image = findImages(value)[use.position];
      return image && { assetId: assetIdOfUrl(image.src), alt: image.alt };
    }
  }
}

/**
 * The field's value with the use's alt set to `alt` (null: none), everything else as read;
 * undefined when the value holds no image there.
 */
export function withUseAlt(use: Use, value: unknown, alt: string | null): unknown {
  switch (use.fieldType) {
    case 'Image':
      return isObject(value) ? { ...value, alt } : undefined;
    case 'MultiImage': {
      const position = use.position;
      if (!Array.isArray(value) || position === null || !isObject(value[position])) return undefined;
      return value.map((image: unknown, i) => (i === position ? { ...(image as Record<string, unknown>), alt } : image));
    }
    case 'RichText':
      return typeof value === 'string' && use.position !== null ? withImageAlt(value, use.position, alt) : undefined;
  }
}
