/**
 * The suggestions the panel offers for an asset's alt text: the file name's, known at once, and
 * the backend's (what the file itself embeds), asked for the rows in view, each asset once, a
 * few at a time. Ranked by the shared trust order (src/core/suggestions/sources.ts); the grid's
 * chip and the bulk review offer the same one.
 */
import { signal, type ReadonlySignal } from '@preact/signals';
import type { IndexedAsset } from '../../core/api.ts';
import { fileNameSuggestions } from '../../core/suggestions/file-name.ts';
import { bestSuggestion, suggestionsFor, type Suggestion } from '../../core/suggestions/sources.ts';
import type { BackendPort } from '../ports/backend.ts';

/** Requests to the backend at once: each may fetch a file from the CDN. */
const PARALLEL = 3;
/** How long to wait before asking again about a file whose text the backend is still reading. */
const PENDING_RETRY_MS = 2_000;

export interface SuggestionsModel {
  /** The backend's suggestions by asset id, for the assets asked about that answered. */
  byAsset: ReadonlySignal<ReadonlyMap<string, readonly Suggestion[]>>;
  /** Asks the backend about these assets (each once; an answer that failed is asked again later). */
  want(assetIds: Iterable<string>): void;
  /** Every usable suggestion for the asset's alt text in a locale (null: the primary), best first. */
  all(asset: IndexedAsset, localeId: string | null): Suggestion[];
  /** The one a row offers, or null. */
  best(asset: IndexedAsset, localeId: string | null): Suggestion | null;
  dispose(): void;
}

export function createSuggestionsModel(backend: Pick<BackendPort, 'assetSuggestions'>, siteId: string, options: { pendingRetryMs?: number } = {}): SuggestionsModel {
  const byAsset = signal<ReadonlyMap<string, readonly Suggestion[]>>(new Map());
  const asked = new Set<string>();
  const queue: string[] = [];
  let running = 0;
  let disposed = false;
  const retries = new Set<ReturnType<typeof setTimeout>>();

  function askAgainLater(assetId: string): void {
    const timer = setTimeout(() => {
      retries.delete(timer);
      queue.push(assetId);
      pump();
    }, options.pendingRetryMs ?? PENDING_RETRY_MS);
    retries.add(timer);
  }

  function pump(): void {
    while (!disposed && running < PARALLEL && queue.length > 0) {
      const assetId = queue.shift() as string;
      running += 1;
      backend.assetSuggestions(siteId, assetId).then(
        (answer) => {
          if (disposed) return;
          byAsset.value = new Map(byAsset.value).set(assetId, answer.suggestions);
          // A source that could not read the file this time is asked again when the row is next in view.
          if (answer.unread.length > 0) asked.delete(assetId);
          else if (answer.pending.length > 0) askAgainLater(assetId);
        },
        () => asked.delete(assetId),
      ).finally(() => {
        running -= 1;
        pump();
      });
    }
  }

  const known = (asset: IndexedAsset): Suggestion[] => [...(byAsset.value.get(asset.id) ?? []), ...fileNameSuggestions(asset.fileName)];
  return {
    byAsset,
    want(assetIds) {
      for (const assetId of assetIds) {
        if (asked.has(assetId)) continue;
        asked.add(assetId);
        queue.push(assetId);
      }
      pump();
    },
    all: (asset, localeId) => suggestionsFor(known(asset), localeId, asset),
    best: (asset, localeId) => bestSuggestion(known(asset), localeId, asset),
    dispose() {
      disposed = true;
      queue.length = 0;
      for (const timer of retries) clearTimeout(timer);
    },
  };
}
