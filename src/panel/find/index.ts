export { buildSearchIndex, SearchIndex, type SearchIndexOptions } from './search-index.ts';
export { countFilters, findAssets, findPositions, type FilterCounts } from './find.ts';
export { folderDescendants } from './folder-tree.ts';
export { usageColumns, usesOrder, type AssetUseCounts, type UsageColumns } from './usage-columns.ts';
export {
  defaultFindQuery,
  FIND_FILTERS,
  FIND_KINDS,
  USAGE_FILTERS,
  type FindFilter,
  type FindKind,
  type FindQuery,
  type FindSort,
  type PlaceFilter,
  type SortDirection,
  type UsageFilter,
} from './query.ts';
