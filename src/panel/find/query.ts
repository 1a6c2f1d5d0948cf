/** What the designer asks of the asset grid: the search box, the filters and the sort. */

export type FindFilter = 'all' | 'missing' | 'decorative' | 'lint';
export type FindKind = 'all' | 'image' | 'document' | 'other';
export type FindSort = 'name' | 'date' | 'size' | 'uses';
/** Where the asset is used, once the usage index is built: `unused` has no use, `missingAlt` is seen somewhere without alt text. */
export type UsageFilter = 'all' | 'unused' | 'missingAlt';
export type SortDirection = 'asc' | 'desc';

/** Used on one page (Image elements and component placements on it) or in one CMS collection: the Report's per-place numbers open the grid on it. */
export interface PlaceFilter {
  kind: 'page' | 'collection';
  id: string;
  name: string;
  /** The assets the usage index saw there, as the Report read it. */
  assetIds: ReadonlySet<string>;
}

export interface FindQuery {
  /** Words to find in names, file names and alt texts (every word must appear, in any order). */
  text: string;
  /**
   * Alt-text state, of images only: `missing` has none, `decorative` is marked so (null), `lint`
   * has text with findings (missing text is not counted here: it has its own filter).
   */
  filter: FindFilter;
  kind: FindKind;
  /** Ignored while the usage index is not built. */
  usage: UsageFilter;
  /** A folder and its descendants; null for every folder. */
  folderId: string | null;
  /** Only the assets used on one page or in one collection; null for all. */
  place: PlaceFilter | null;
  /**
   * A secondary locale's own alt text decides `missing`, `decorative` and `lint`: without text of
   * its own an image is missing there (unless the primary marks it decorative, which carries
   * over). Null, or the primary locale's id, for the primary's alt text.
   */
  localeId: string | null;
  /** `date` is when the asset was added to the site; `uses`: most used first (pages, placements, CMS items), then by name. */
  sort: FindSort;
  direction: SortDirection;
}

export const FIND_FILTERS: readonly FindFilter[] = ['all', 'missing', 'decorative', 'lint'];
export const FIND_KINDS: readonly FindKind[] = ['all', 'image', 'document', 'other'];
export const USAGE_FILTERS: readonly UsageFilter[] = ['all', 'unused', 'missingAlt'];

export const defaultFindQuery: FindQuery = {
  text: '',
  filter: 'all',
  kind: 'all',
  usage: 'all',
  folderId: null,
  place: null,
  localeId: null,
  sort: 'name',
  direction: 'asc',
};

/** Lowercase without accents, so "equipe" finds "Équipe" (alt text comes in every locale's language). */
export function foldText(text: string): string {
  const lower = text.toLowerCase();
  // Most text is plain ASCII: skip the Unicode work for it. After NFD the accents are combining
  // marks (U+0300–U+036F); a range matches them three times faster than \p{Diacritic}.
  return /[\u0080-\uffff]/.test(lower) ? lower.normalize('NFD').replace(/[\u0300-\u036f]/g, '') : lower;
}

/** The search box's words, folded; the same words in another spacing are the same query. */
export function searchKey(text: string): string {
  return foldText(text).replace(/\s+/g, ' ').trimStart();
}
