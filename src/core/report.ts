/**
 * The accessibility report's backend answer (`GET /api/sites/{siteId}/report`): what visitors
 * get per page and per CMS collection, weighted by use (an image on 30 pages counts 30 times),
 * and the progress the journal records. Coverage of the asset library itself is counted by the
 * panel from the index it holds, with the grid's own filters, so each number opens the grid on
 * exactly those assets. docs/decisions/report.md
 */

/** What visitors get at a set of uses (each use is one place × locale). */
export interface UseCoverage {
  uses: number;
  /** Alt text a visitor gets (the asset's or the element's own). */
  withAlt: number;
  decorative: number;
  missing: number;
  /** Uses with alt text the lint has findings on (a part of `withAlt`). */
  review: number;
}

export interface PlaceCoverage extends UseCoverage {
  /** A page (Image elements and component placements on it) or a CMS collection (its items' images). */
  kind: 'page' | 'collection';
  id: string;
  name: string;
  /** null: the site has no locales, or the primary's own use. */
  localeId: string | null;
  /** Distinct assets seen there. */
  assets: number;
  /** Those assets' ids: the grid's "used on" filter shows exactly them. */
  assetIds: string[];
}

export interface LocaleUseCoverage extends UseCoverage {
  localeId: string | null;
}

/** Alt-text changes applied on one day (UTC) in one locale ('' is the primary). */
export interface DayProgress {
  day: string;
  localeId: string;
  /** Missing alt text given text. */
  fixed: number;
  /** Text taken away (alt text made empty). */
  emptied: number;
  /** Every alt-text change applied. */
  changes: number;
}

export interface PersonDay {
  day: string;
  userId: string;
  /** The session's own user. */
  you: boolean;
  changes: number;
}

/** The session's user's latest stretch of work: changes no more than 30 minutes apart. */
export interface WorkStretch {
  startedAt: string;
  endedAt: string;
  changes: number;
  /** Distinct images that had missing alt text and were given some. */
  fixedImages: number;
  /** Distinct assets changed. */
  assets: number;
}

export interface ReportResponse {
  /** False until the usage index has crawled the site once: places and visitors are empty then. */
  usageBuilt: boolean;
  places: PlaceCoverage[];
  /** The whole site, per locale, weighted by use. */
  visitors: LocaleUseCoverage[];
  days: DayProgress[];
  people: PersonDay[];
  stretch: WorkStretch | null;
}

/** The gap that ends a stretch of work. */
export const STRETCH_GAP_MINUTES = 30;
