/**
 * The suggestions the panel offers for an asset's alt text: the file name's, known at once, and
 * the backend's (what the file embeds, the text in it, where it is used, a vision model's when
 * one is configured), asked for the rows in view, each asset once per locale, a few at a time.
 * Ranked by the shared trust order (src/core/suggestions/sources.ts); the grid's chip and the
 * bulk review offer the same one. Also which sources run, said beside the review.
 */
import { signal, type ReadonlySignal } from '@preact/signals';
import type { IndexedAsset } from '../../core/api.ts';
import { fileNameSuggestions } from '../../core/suggestions/file-name.ts';
import { bestSuggestion, suggestionsFor, type Suggestion, type SuggestionSourcesStatus } from '../../core/suggestions/sources.ts';
import type { UseSuggestions } from '../../core/suggestions/sources.ts';
import type { BackendPort } from '../ports/backend.ts';

/** Requests to the backend at once: each may fetch a file from the CDN. */
const PARALLEL = 3;
/** How long to wait before asking again about a file whose text the backend is still reading. */
const PENDING_RETRY_MS = 2_000;
/** Answers with the vision model's texts arrive in bursts: its cost is asked for once per burst. */
const SOURCES_REFRESH_MS = 1_000;
/**
 * How long the grid's rows rest in view before they are asked about: rows that pass while the
 * designer types a search or scrolls would cost a request each and be gone before the answer
 * (114 requests for 94 keystrokes at 20,000 assets, measured before this wait).
 */
const SETTLE_MS = 250;

export interface SuggestionsModel {
  /** The backend's suggestions by asset id, for the assets asked about that answered. */
  byAsset: ReadonlySignal<ReadonlyMap<string, readonly Suggestion[]>>;
  /** Per use, where the uses of an asset call for different texts (the "Where used" view shows them). */
  uses: ReadonlySignal<ReadonlyMap<string, readonly UseSuggestions[]>>;
  /** Which sources run for the site (null until the backend said), with the vision model's requests today. */
  sources: ReadonlySignal<SuggestionSourcesStatus | null>;
  /**
   * Asks the backend about these assets for a locale (null: the primary), each once; an answer
   * that failed is asked again later. The locale matters only to the vision model, which writes in its language.
   */
  want(assetIds: Iterable<string>, localeId?: string | null): void;
  /**
   * The rows the grid shows now: asked about (as `want`) once they rest in view, each call
   * replacing the one before; an empty list asks for nothing (the grid went away).
   */
  inView(assetIds: readonly string[], localeId: string | null): void;
  /** These assets are going (a deletion): never asked about again, whatever is queued or waiting. */
  forget(assetIds: Iterable<string>): void;
  /** Asks the backend again which sources run (after a vision answer, its cost changed). */
  refreshSources(): void;
  /** Every usable suggestion for the asset's alt text in a locale (null: the primary), best first. */
  all(asset: IndexedAsset, localeId: string | null): Suggestion[];
  /** The one a row offers, or null. */
  best(asset: IndexedAsset, localeId: string | null): Suggestion | null;
  dispose(): void;
}

interface Ask {
  assetId: string;
  localeId: string | null;
}

const askKey = (ask: Ask) => `${ask.assetId}\u0000${ask.localeId ?? ''}`;

export function createSuggestionsModel(
  backend: Pick<BackendPort, 'assetSuggestions'> & Partial<Pick<BackendPort, 'suggestionSources'>>,
  siteId: string,
  options: { pendingRetryMs?: number; sourcesRefreshMs?: number; settleMs?: number } = {},
): SuggestionsModel {
  const byAsset = signal<ReadonlyMap<string, readonly Suggestion[]>>(new Map());
  const uses = signal<ReadonlyMap<string, readonly UseSuggestions[]>>(new Map());
  const sources = signal<SuggestionSourcesStatus | null>(null);
  const asked = new Set<string>();
  const gone = new Set<string>();
  const queue: Ask[] = [];
  let running = 0;
  let disposed = false;
  const retries = new Set<ReturnType<typeof setTimeout>>();

  function refreshSources(): void {
    backend.suggestionSources?.(siteId).then(
      (status) => !disposed && (sources.value = status),
      () => undefined, // said again on the next answer; the review shows nothing about sources meanwhile
    );
  }

  let sourcesTimer: ReturnType<typeof setTimeout> | null = null;
  function refreshSourcesSoon(): void {
    if (sourcesTimer !== null) return;
    sourcesTimer = setTimeout(() => {
      sourcesTimer = null;
      refreshSources();
    }, options.sourcesRefreshMs ?? SOURCES_REFRESH_MS);
  }

  function askAgainLater(ask: Ask): void {
    const timer = setTimeout(() => {
      retries.delete(timer);
      queue.push(ask);
      pump();
    }, options.pendingRetryMs ?? PENDING_RETRY_MS);
    retries.add(timer);
  }

  function pump(): void {
    while (!disposed && running < PARALLEL && queue.length > 0) {
      const ask = queue.shift() as Ask;
      const { assetId, localeId } = ask;
      if (gone.has(assetId)) continue;
      running += 1;
      backend.assetSuggestions(siteId, assetId, localeId).then(
        (answer) => {
          if (disposed) return;
          // The vision model's texts of other locales stay: each locale's came with its own answer.
          const kept = (byAsset.value.get(assetId) ?? []).filter((s) => s.source === 'vision' && (s.localeId ?? null) !== localeId);
          byAsset.value = new Map(byAsset.value).set(assetId, [...answer.suggestions, ...kept]);
          uses.value = new Map(uses.value).set(assetId, answer.uses);
          // The vision model's cost changed: said again once, however many rows' answers come in together.
          if (answer.suggestions.some((s) => s.source === 'vision')) refreshSourcesSoon();
          // A source that could not read the file this time is asked again when the row is next in view.
          if (answer.unread.length > 0) asked.delete(askKey(ask));
          else if (answer.pending.length > 0) askAgainLater(ask);
        },
        () => asked.delete(askKey(ask)),
      ).finally(() => {
        running -= 1;
        pump();
      });
    }
  }

  let settling: ReturnType<typeof setTimeout> | null = null;
  function want(assetIds: Iterable<string>, localeId: string | null = null): void {
    for (const assetId of assetIds) {
      if (gone.has(assetId)) continue;
      const ask = { assetId, localeId };
      if (asked.has(askKey(ask))) continue;
      asked.add(askKey(ask));
      queue.push(ask);
    }
    pump();
  }

  const known = (asset: IndexedAsset): Suggestion[] => [...(byAsset.value.get(asset.id) ?? []), ...fileNameSuggestions(asset.fileName)];
  refreshSources();
  return {
    byAsset,
    uses,
    sources,
    want,
    inView(assetIds, localeId) {
      if (settling !== null) clearTimeout(settling);
      settling = null;
      if (assetIds.length === 0 || disposed) return;
      settling = setTimeout(() => {
        settling = null;
        want(assetIds, localeId);
      }, options.settleMs ?? SETTLE_MS);
    },
    forget(assetIds) {
      for (const assetId of assetIds) gone.add(assetId);
    },
    refreshSources,
    all: (asset, localeId) => suggestionsFor(known(asset), localeId, asset),
    best: (asset, localeId) => bestSuggestion(known(asset), localeId, asset),
    dispose() {
      disposed = true;
      queue.length = 0;
      for (const timer of retries) clearTimeout(timer);
      if (sourcesTimer !== null) clearTimeout(sourcesTimer);
      if (settling !== null) clearTimeout(settling);
    },
  };
}
