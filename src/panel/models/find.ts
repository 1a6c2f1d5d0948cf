/**
 * The grid's query as signals (search text, filters, locale, sort) over D1's search index:
 * the index is rebuilt when the assets change, and each keystroke narrows the last answer.
 */
import { computed, signal, type ReadonlySignal, type Signal } from '@preact/signals';
import type { IndexedAsset } from '../../core/api.ts';
import { countFilters, findAssets, type FilterCounts } from '../find/find.ts';
import { defaultFindQuery, type FindFilter, type FindKind, type FindQuery, type FindSort, type PlaceFilter, type SortDirection, type UsageFilter } from '../find/query.ts';
import { usageColumns, type AssetUseCounts } from '../find/usage-columns.ts';
import { buildSearchIndex, type SearchIndex } from '../find/search-index.ts';
import { computedAfterPaint } from './after-paint.ts';
import type { AssetsModel } from './assets.ts';

export interface FindModel {
  text: Signal<string>;
  filter: Signal<FindFilter>;
  kind: Signal<FindKind>;
  /** Unused / used without alt text: applies once the usage index is built. */
  usage: Signal<UsageFilter>;
  folderId: Signal<string | null>;
  /** Used on one page or in one CMS collection (set from the Report); null for all. */
  place: Signal<PlaceFilter | null>;
  /** The locale being read and edited; null for the primary. */
  localeId: Signal<string | null>;
  sort: Signal<FindSort>;
  direction: Signal<SortDirection>;
  query: ReadonlySignal<FindQuery>;
  /** The search index the grid is answered from: the report counts with it, so its numbers are the grid's. */
  index: ReadonlySignal<SearchIndex>;
  results: ReadonlySignal<IndexedAsset[]>;
  /** The filter chips' counts, a frame behind the results, and behind typing until it pauses (all zero until first counted). */
  counts: ReadonlySignal<FilterCounts>;
  /** Images per normalized alt text in the current locale, for each row's `repeated` chip: a frame behind the list (empty until first tallied). */
  sameTextCounts: ReadonlySignal<ReadonlyMap<string, number>>;
  /**
   * Images missing alt text in each locale (null: the primary), under the other choices; null
   * until asked for with `wantLocaleCounts`, since each locale's first count lints every asset.
   */
  missingByLocale: ReadonlySignal<ReadonlyMap<string | null, number> | null>;
  wantLocaleCounts(): void;
  clear(): void;
  dispose(): void;
}

/** Counts wait until the search text has been still this long: typing pauses longer between words. */
export const COUNTS_QUIET_MS = 120;

/** How long one slice of a locale's first lint (or of the search's haystacks) may hold the main thread. */
const LINT_SLICE_MS = 8;

const NO_SAME_TEXT: ReadonlyMap<string, number> = new Map();

const NO_COUNTS: FilterCounts = {
  filter: { all: 0, missing: 0, decorative: 0, lint: 0 },
  usage: { all: 0, unused: 0, missingAlt: 0 },
  kind: { all: 0, image: 0, document: 0, other: 0 },
  folders: new Map(),
  topLevel: 0,
};

/**
 * `usedBy`: the usage index's counts by asset id, null until a crawl finished (the usage model's
 * `byAsset`); without it the usage filter and the "most used" sort are set aside.
 */
export function createFindModel(assets: AssetsModel, usedBy?: ReadonlySignal<ReadonlyMap<string, AssetUseCounts> | null>): FindModel {
  const text = signal(defaultFindQuery.text);
  const filter = signal<FindFilter>(defaultFindQuery.filter);
  const kind = signal<FindKind>(defaultFindQuery.kind);
  const usage = signal<UsageFilter>(defaultFindQuery.usage);
  const folderId = signal<string | null>(defaultFindQuery.folderId);
  const place = signal<PlaceFilter | null>(defaultFindQuery.place);
  const localeId = signal<string | null>(defaultFindQuery.localeId);
  const sort = signal<FindSort>(defaultFindQuery.sort);
  const direction = signal<SortDirection>(defaultFindQuery.direction);

  let previous: SearchIndex | undefined;
  const index = computed(() => {
    previous = buildSearchIndex(assets.assets.value, { folders: assets.folders.value, locales: assets.locales.value, previous });
    return previous;
  });
  const usageByPosition = computed(() => {
    const byAsset = usedBy?.value;
    return byAsset ? usageColumns(index.value, byAsset) : null;
  });
  const query = computed<FindQuery>(() => ({
    text: text.value,
    filter: filter.value,
    kind: kind.value,
    usage: usage.value,
    folderId: folderId.value,
    place: place.value,
    localeId: localeId.value,
    sort: sort.value,
    direction: direction.value,
  }));

  // The counts and the tally both lint every image of the locale the first time: in slices.
  const prepareLocaleView = () => index.peek().prepareLocaleView(localeId.peek(), performance.now() + LINT_SLICE_MS);

  // Counting every filter is a pass over every asset (and, in a locale first seen, a lint of
  // each image): done after the grid has painted, not in the frame of a keystroke or of
  // opening; while someone types in the search box, once they pause.
  let searchedText = text.peek();
  let searchedAt = 0;
  const counts = computedAfterPaint(
    () => {
      if (text.value !== searchedText) {
        searchedText = text.value;
        searchedAt = performance.now();
      }
      return [index.value, query.value, usageByPosition.value];
    },
    () => countFilters(index.peek(), query.peek(), usageByPosition.peek()),
    NO_COUNTS,
    { notBefore: () => searchedAt + COUNTS_QUIET_MS, prepare: prepareLocaleView },
  );

  // The index keeps each locale's tally (computed once per list, from facts kept per asset),
  // shared with the lint filter; after the grid has painted, as the counts are.
  const sameTextCounts = computedAfterPaint(
    () => [index.value, localeId.value],
    () => index.peek().localeView(localeId.peek()).sameText,
    NO_SAME_TEXT,
    { prepare: prepareLocaleView },
  );

  // A new index's search haystacks, in slices once the locale is linted (the counts come first),
  // so that the first word typed does not wait for them.
  const searchReady = computedAfterPaint(
    () => index.value,
    () => true,
    false,
    {
      prepare: () => {
        const deadline = performance.now() + LINT_SLICE_MS;
        const search = index.peek();
        return search.prepareLocaleView(localeId.peek(), deadline) && search.prepareSearch(deadline);
      },
    },
  );

  const localeCountsWanted = signal(false);
  const missingByLocale = computed(() => {
    if (!localeCountsWanted.value) return null;
    const counts = new Map<string | null, number>();
    for (const locale of assets.locales.value) {
      const localeId = locale.primary ? null : locale.id;
      counts.set(localeId, countFilters(index.value, { ...query.value, localeId }).filter.missing);
    }
    return counts;
  });

  return {
    text,
    filter,
    kind,
    usage,
    folderId,
    place,
    localeId,
    sort,
    direction,
    query,
    index,
    results: computed(() => findAssets(index.value, query.value, usageByPosition.value)),
    counts: counts.value,
    sameTextCounts: sameTextCounts.value,
    missingByLocale,
    wantLocaleCounts() {
      localeCountsWanted.value = true;
    },
    clear() {
      text.value = '';
      filter.value = 'all';
      kind.value = 'all';
      usage.value = 'all';
      folderId.value = null;
      place.value = null;
    },
    dispose() {
      counts.dispose();
      sameTextCounts.dispose();
      searchReady.dispose();
    },
  };
}
