export { buildSearchIndex, SearchIndex, type SearchIndexOptions } from './search-index.ts';
export { countFilters, findAssets, findPositions, type FilterCounts } from './find.ts';
export { folderDescendants } from './folder-tree.ts';
export {
  defaultFindQuery,
  FIND_FILTERS,
  FIND_KINDS,
  type FindFilter,
  type FindKind,
  type FindQuery,
  type FindSort,
  type SortDirection,
} from './query.ts';
