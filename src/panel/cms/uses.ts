/**
 * The CMS image uses as "CMS images" works with them: read from the backend's columns
 * (src/core/cms-images.ts), keyed, told apart by alt state, filtered and grouped by collection
 * and item. Pure functions (docs/decisions/cms-images-view.md).
 */
import type { AltText, Change, CmsTarget } from '../../core/api.ts';
import type { CmsFieldType, CmsImageRow, CmsImages } from '../../core/cms-images.ts';

/**
 * One use as the view holds it: the backend's row (`altText` what the use holds as the index read
 * it: text, '' an empty alt, null none), with the view's own name for its place.
 */
export type CmsUse = Omit<CmsImageRow, 'altState'> & { key: string };

/**
 * What a visitor gets, in the view's words: `described` (text), `decorative` (a Rich Text
 * `<img alt="">`, the HTML way to say so), `missing` (nothing, or an empty alt where the field
 * has no decorative setting: an Image or MultiImage field's image).
 */
export type CmsAltState = 'missing' | 'described' | 'decorative';

export const ALT_STATE_WORDS: Record<CmsAltState, string> = {
  missing: 'No alt text',
  described: 'Has alt text',
  decorative: 'Decorative (alt="")',
};

export const FIELD_TYPE_WORDS: Record<CmsFieldType, string> = {
  Image: 'Image',
  MultiImage: 'Gallery',
  RichText: 'Rich text',
};

/** Only a Rich Text `<img>` can be decorative: Webflow documents no decorative setting for Image or MultiImage fields. */
export function supportsDecorative(fieldType: CmsFieldType): boolean {
  return fieldType === 'RichText';
}

export function cmsAltState(fieldType: CmsFieldType, altText: AltText): CmsAltState {
  if (altText !== null && altText.trim() !== '') return 'described';
  return altText === '' && supportsDecorative(fieldType) ? 'decorative' : 'missing';
}

export function useKeyOf(place: Pick<CmsUse, 'collectionId' | 'itemId' | 'fieldSlug' | 'position' | 'localeId'>): string {
  return [place.collectionId, place.itemId, place.fieldSlug, place.position ?? '', place.localeId ?? ''].join('\u0000');
}

/** The view's key of a CMS change (its target and locale). */
export function useKeyOfTarget(target: CmsTarget, localeId: string | null): string {
  return useKeyOf({ ...target, localeId });
}

/** The CMS image use a change sets (the journal's `cmsTarget`), or null for a change of an asset or a page element. */
export function cmsTargetOf(change: Pick<Change, 'cmsTarget'>): CmsTarget | null {
  return change.cmsTarget ?? null;
}

export function targetOf(use: CmsUse): CmsTarget {
  return { kind: 'cms', collectionId: use.collectionId, itemId: use.itemId, fieldSlug: use.fieldSlug, fieldType: use.fieldType, position: use.position };
}

/** The rows of the backend's columns (their lengths were checked by the port). */
export function cmsUsesOf(answer: CmsImages): CmsUse[] {
  const { columns, collections } = answer;
  return columns.itemId.map((itemId, row) => {
    const collection = collections[columns.collection[row] ?? -1];
    const use = {
      collectionId: collection?.id ?? '',
      collectionName: collection?.name ?? '',
      itemId,
      itemName: columns.itemName[row] ?? '',
      fieldSlug: columns.fieldSlug[row] ?? '',
      fieldType: columns.fieldType[row] ?? 'Image',
      position: columns.position[row] ?? null,
      localeId: columns.localeId[row] ?? null,
      assetId: columns.assetId[row] ?? '',
      altText: columns.altText[row] ?? null,
    };
    return { key: useKeyOf(use), ...use };
  });
}

/** Where in its item the use is, by the field's slug: "main-image", "gallery image 2", "body image 1". */
export function placeLabel(use: Pick<CmsUse, 'fieldSlug' | 'position'>): string {
  return use.position === null ? use.fieldSlug : `${use.fieldSlug} image ${use.position + 1}`;
}

/** `all`: every value; a locale filter's `''` is the primary locale. */
export interface CmsFilters {
  collectionId: string | 'all';
  /** A field of the chosen collection (its slug), or every field. */
  fieldSlug: string | 'all';
  localeId: string | 'all';
  altState: CmsAltState | 'all';
  /** Searched in item names, case and accents ignored. */
  query: string;
}

export const NO_FILTERS: CmsFilters = { collectionId: 'all', fieldSlug: 'all', localeId: 'all', altState: 'all', query: '' };

const folded = (text: string) => text.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '');

/** The uses the filters keep; `altOf` gives each use's alt text as shown now (saved changes included). */
export function filterUses(uses: readonly CmsUse[], filters: CmsFilters, altOf: (use: CmsUse) => AltText): CmsUse[] {
  const query = folded(filters.query.trim());
  return uses.filter(
    (use) =>
      (filters.collectionId === 'all' || use.collectionId === filters.collectionId) &&
      (filters.fieldSlug === 'all' || use.fieldSlug === filters.fieldSlug) &&
      (filters.localeId === 'all' || (use.localeId ?? '') === filters.localeId) &&
      (filters.altState === 'all' || cmsAltState(use.fieldType, altOf(use)) === filters.altState) &&
      (query === '' || folded(use.itemName).includes(query)),
  );
}

/** The fields of a collection (all collections when 'all'), each with its type, in name order. */
export function fieldsOf(uses: readonly CmsUse[], collectionId: string | 'all'): Array<{ slug: string; type: CmsFieldType }> {
  const fields = new Map<string, CmsFieldType>();
  for (const use of uses) if (collectionId === 'all' || use.collectionId === collectionId) fields.set(use.fieldSlug, use.fieldType);
  return [...fields].map(([slug, type]) => ({ slug, type })).sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0));
}

export interface ItemGroup {
  collectionId: string;
  itemId: string;
  itemName: string;
  uses: CmsUse[];
}

export interface CollectionGroup {
  collectionId: string;
  collectionName: string;
  items: ItemGroup[];
}

/**
 * The uses of each collection and item together, groups in the order they first appear (the
 * backend's: collection, item by its primary name, field, position, locale); an item is named
 * as its first use names it.
 */
export function groupUses(uses: readonly CmsUse[]): CollectionGroup[] {
  const collections = new Map<string, CollectionGroup>();
  const items = new Map<string, ItemGroup>();
  for (const use of uses) {
    let collection = collections.get(use.collectionId);
    if (!collection) collections.set(use.collectionId, (collection = { collectionId: use.collectionId, collectionName: use.collectionName, items: [] }));
    const itemKey = `${use.collectionId}\u0000${use.itemId}`;
    let item = items.get(itemKey);
    if (!item) {
      items.set(itemKey, (item = { collectionId: use.collectionId, itemId: use.itemId, itemName: use.itemName, uses: [] }));
      collection.items.push(item);
    }
    item.uses.push(use);
  }
  return [...collections.values()];
}
