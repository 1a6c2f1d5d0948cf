/**
 * The suggestions the panel offers for an asset's alt text: the file name's, known at once, and
 * (once asked) the backend's, which looked into the file. Ranked by the shared trust order
 * (src/core/suggestions/sources.ts); the grid's chip and the bulk review offer the same one.
 */
import type { IndexedAsset } from '../../core/api.ts';
import { fileNameSuggestions } from '../../core/suggestions/file-name.ts';
import { bestSuggestion, suggestionsFor, type Suggestion } from '../../core/suggestions/sources.ts';

export interface SuggestionsModel {
  /** Every usable suggestion for the asset's alt text in a locale (null: the primary), best first. */
  all(asset: IndexedAsset, localeId: string | null): Suggestion[];
  /** The one a row offers, or null. */
  best(asset: IndexedAsset, localeId: string | null): Suggestion | null;
  dispose(): void;
}

export function createSuggestionsModel(): SuggestionsModel {
  const known = (asset: IndexedAsset): Suggestion[] => fileNameSuggestions(asset.fileName);
  return {
    all: (asset, localeId) => suggestionsFor(known(asset), localeId, asset),
    best: (asset, localeId) => bestSuggestion(known(asset), localeId, asset),
    dispose() {},
  };
}
