/**
 * Coverage of the asset library, counted with the grid's own filters over its search index, so
 * a number in the report and the grid it opens always agree: images, and of them those with alt
 * text, decorative, missing it, and needing review (the lint's findings), per locale and per
 * folder (a folder counts its subfolders, as the grid's folder filter does).
 */
import type { Locale } from '../../core/api.ts';
import { countFilters } from '../find/find.ts';
import { defaultFindQuery, type FindFilter, type FindQuery } from '../find/query.ts';
import type { SearchIndex } from '../find/search-index.ts';

export interface Coverage {
  images: number;
  withAlt: number;
  decorative: number;
  missing: number;
  /** Images whose alt text the lint has findings on (a part of `withAlt`). */
  review: number;
}

export interface LocaleCoverage extends Coverage {
  locale: Locale;
  /** The grid's locale choice: null for the primary. */
  localeId: string | null;
}

export interface FolderCoverage extends Coverage {
  folderId: string;
}

/** The grid's query that shows the assets behind one count. */
export type CoverageMeasure = 'images' | 'decorative' | 'missing' | 'review';

export const MEASURE_FILTERS: Record<CoverageMeasure, FindFilter> = { images: 'all', decorative: 'decorative', missing: 'missing', review: 'lint' };

export function gridQuery(measure: CoverageMeasure, localeId: string | null, folderId: string | null = null): FindQuery {
  return { ...defaultFindQuery, kind: 'image', filter: MEASURE_FILTERS[measure], localeId, folderId };
}

function coverageOf(images: number, decorative: number, missing: number, review: number): Coverage {
  return { images, withAlt: images - decorative - missing, decorative, missing, review };
}

/** Per locale, primary first (a site without locales: one row for its alt text). */
export function localeCoverage(index: SearchIndex, locales: readonly Locale[]): LocaleCoverage[] {
  const ordered = locales.length > 0 ? [...locales].sort((a, b) => Number(b.primary) - Number(a.primary)) : [{ id: '', displayName: 'Alt text', tag: '', primary: true }];
  return ordered.map((locale) => {
    const localeId = locale.primary ? null : locale.id;
    const { filter } = countFilters(index, { ...defaultFindQuery, kind: 'image', localeId });
    return { locale, localeId, ...coverageOf(filter.all, filter.decorative, filter.missing, filter.lint) };
  });
}

/** Per folder (subfolders included), in one locale. */
export function folderCoverage(index: SearchIndex, localeId: string | null): Map<string, FolderCoverage> {
  const per = (measure: CoverageMeasure) => countFilters(index, gridQuery(measure, localeId)).folders;
  const images = per('images');
  const decorative = per('decorative');
  const missing = per('missing');
  const review = per('review');
  const coverage = new Map<string, FolderCoverage>();
  for (const [folderId, count] of images) {
    coverage.set(folderId, { folderId, ...coverageOf(count, decorative.get(folderId) ?? 0, missing.get(folderId) ?? 0, review.get(folderId) ?? 0) });
  }
  return coverage;
}

/** "42%": a share of a whole, rounded; "–" of nothing. */
export function share(part: number, whole: number): string {
  if (whole === 0) return '–';
  const percent = (part / whole) * 100;
  // A share that is not nothing never shows as 0%, nor a share short of all as 100%.
  const shown = part > 0 && percent < 1 ? '<1' : part < whole && percent > 99 ? '>99' : String(Math.round(percent));
  return `${shown}%`;
}
