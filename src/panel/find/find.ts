/**
 * Answers the grid's query from the search index, and counts every filter's matches so each
 * filter can show how many assets it would give.
 */
import type { IndexedAsset } from '../../core/api.ts';
import { rollUpCounts } from './folder-tree.ts';
import type { FindFilter, FindKind, FindQuery, FindSort, UsageFilter } from './query.ts';
import { ALT_STATE, KIND_CODES, type LocaleView, type SearchIndex } from './search-index.ts';
import { usesOrder, type UsageColumns } from './usage-columns.ts';

const ANY = -1;

function kindCode(kind: FindKind): number {
  return kind === 'all' ? ANY : KIND_CODES[kind];
}

function passesFilter(filter: FindFilter, view: LocaleView, position: number): boolean {
  switch (filter) {
    case 'all':
      return true;
    case 'missing':
      return view.states[position] === ALT_STATE.missing;
    case 'decorative':
      return view.states[position] === ALT_STATE.decorative;
    case 'lint':
      return view.lint[position] === 1;
  }
}

/**
 * Unused: an image the usage index found nowhere: no Image element, component, CMS image, Rich
 * Text image, CMS value holding its URL or id (a link), nor a style's background image once styles
 * were read (any of these gives it a row). A document or other file is never called unused: it is
 * used by links, and links in pages' text, custom code and other sites are not read, so "not
 * seen used" is all that can be said (src/panel/usage/wording.ts); a linked one has a row.
 */
function isUnused(index: SearchIndex, usage: UsageColumns, position: number): boolean {
  return index.kinds[position] === KIND_CODES.image && usage.used[position] !== 1;
}

function passesUsage(filter: UsageFilter, index: SearchIndex, usage: UsageColumns | null, position: number): boolean {
  // Before a whole crawl, no use proves nothing: the usage filters wait for a built index.
  if (filter === 'all' || !usage) return true;
  return filter === 'unused' ? isUnused(index, usage, position) : (usage.missing[position] as number) > 0;
}

/** The order and ranks for a sort; "most used" falls back to name until the usage index is built. */
function sortOrder(index: SearchIndex, sort: FindSort, usage: UsageColumns | null): { order: () => Int32Array; rank: () => Int32Array } {
  if (sort === 'uses') {
    if (usage) return { order: () => usesOrder(index, usage).order, rank: () => usesOrder(index, usage).rank };
    sort = 'name';
  }
  const by = sort;
  return { order: () => index.order(by), rank: () => index.rank(by) };
}

/**
 * Positions of the assets that answer the query, in the query's order. `usage`: the usage index
 * by position once built (null before: the usage filter and sort are set aside).
 */
export function findPositions(index: SearchIndex, query: FindQuery, usage: UsageColumns | null = null): Int32Array {
  const matches = index.textMatches(query.text);
  // Alt-text states (the first use in a locale lints every image) only when the filter needs them.
  const view = query.filter === 'all' ? undefined : index.localeView(query.localeId);
  const folders = index.folderFilter(query.folderId);
  const kind = kindCode(query.kind);
  const place = query.place?.assetIds;
  const accepts = (position: number): boolean => {
    if (kind !== ANY && index.kinds[position] !== kind) return false;
    if (place && !place.has((index.assets[position] as IndexedAsset).id)) return false;
    if (folders) {
      const slot = index.folderOfAsset[position] ?? -1;
      if (slot === -1 || folders[slot] !== 1) return false;
    }
    if (!passesUsage(query.usage, index, usage, position)) return false;
    return view === undefined || passesFilter(query.filter, view, position);
  };

  const descending = query.direction === 'desc';
  const sorted = sortOrder(index, query.sort, usage);
  const order = sorted.order();
  const total = order.length;
  if (matches && matches.length * 16 < total) {
    // Few text matches: filter them and sort by their place in the order.
    const rank = sorted.rank();
    const kept = Array.from(matches).filter(accepts);
    kept.sort(descending ? (a, b) => (rank[b] as number) - (rank[a] as number) : (a, b) => (rank[a] as number) - (rank[b] as number));
    return Int32Array.from(kept);
  }
  // Many: walking the precomputed order beats sorting the matches.
  const isMatch = matches ? index.markPositions(matches) : null;
  const result = new Int32Array(matches ? matches.length : total);
  let count = 0;
  for (let step = 0; step < total; step += 1) {
    const position = order[descending ? total - 1 - step : step] as number;
    if (isMatch && isMatch[position] !== 1) continue;
    if (!accepts(position)) continue;
    result[count] = position;
    count += 1;
  }
  return result.slice(0, count);
}

/** The assets that answer the query, in the query's order. */
export function findAssets(index: SearchIndex, query: FindQuery, usage: UsageColumns | null = null): IndexedAsset[] {
  const positions = findPositions(index, query, usage);
  const assets = new Array<IndexedAsset>(positions.length);
  for (let i = 0; i < positions.length; i += 1) assets[i] = index.assets[positions[i] as number] as IndexedAsset;
  return assets;
}

export interface FilterCounts {
  /** Per alt-text filter, under the query's text, kind, folder and locale. */
  filter: Record<FindFilter, number>;
  /** Per usage filter, under the query's text, filter, kind, folder and locale (all zero but `all` before the usage index is built). */
  usage: Record<UsageFilter, number>;
  /** Per kind, under the query's text, filter, folder and locale. */
  kind: Record<FindKind, number>;
  /** Per folder id, its descendants included, under the query's text, filter, kind and locale. */
  folders: Map<string, number>;
  /** Assets at the top level (in no folder), under the same. */
  topLevel: number;
}

/**
 * Counts for every filter value: each group of filters is counted with the query's other
 * choices applied but not its own, so the count says what choosing that value would give.
 */
export function countFilters(index: SearchIndex, query: FindQuery, usage: UsageColumns | null = null): FilterCounts {
  const matches = index.textMatches(query.text);
  const view = index.localeView(query.localeId);
  const folders = index.folderFilter(query.folderId);
  const kind = kindCode(query.kind);
  const filter: Record<FindFilter, number> = { all: 0, missing: 0, decorative: 0, lint: 0 };
  const kinds: Record<FindKind, number> = { all: 0, image: 0, document: 0, other: 0 };
  const usageCounts: Record<UsageFilter, number> = { all: 0, unused: 0, missingAlt: 0 };
  const kindNames: Exclude<FindKind, 'all'>[] = ['image', 'document', 'other'];
  const perFolder = new Int32Array(index.folders.ids.length);
  let topLevel = 0;
  const place = query.place?.assetIds;

  const count = (position: number): void => {
    // Like the search text, the place narrows every count.
    if (place && !place.has((index.assets[position] as IndexedAsset).id)) return;
    const assetKind = index.kinds[position] as number;
    const slot = index.folderOfAsset[position] ?? -1;
    const inKind = kind === ANY || assetKind === kind;
    const inFolder = !folders || (slot !== -1 && folders[slot] === 1);
    const inUsage = passesUsage(query.usage, index, usage, position);
    const inAltFilter = passesFilter(query.filter, view, position);
    const inFilter = inAltFilter && inUsage;
    if (inKind && inFolder && inAltFilter) {
      usageCounts.all += 1;
      if (usage && isUnused(index, usage, position)) usageCounts.unused += 1;
      if (usage && (usage.missing[position] as number) > 0) usageCounts.missingAlt += 1;
    }
    if (inKind && inFolder && inUsage) {
      filter.all += 1;
      const state = view.states[position];
      if (state === ALT_STATE.missing) filter.missing += 1;
      else if (state === ALT_STATE.decorative) filter.decorative += 1;
      if (view.lint[position] === 1) filter.lint += 1;
    }
    if (inFilter && inFolder) {
      kinds.all += 1;
      kinds[kindNames[assetKind] as Exclude<FindKind, 'all'>] += 1;
    }
    if (inFilter && inKind) {
      if (slot === -1) topLevel += 1;
      else perFolder[slot] = (perFolder[slot] ?? 0) + 1;
    }
  };
  if (matches) for (let i = 0; i < matches.length; i += 1) count(matches[i] as number);
  else for (let position = 0; position < index.size; position += 1) count(position);

  const totals = rollUpCounts(index.folders, perFolder);
  const folderCounts = new Map<string, number>();
  index.folders.ids.forEach((id, slot) => folderCounts.set(id, totals[slot] ?? 0));
  return { filter, usage: usageCounts, kind: kinds, folders: folderCounts, topLevel };
}
