/**
 * Where each asset is used, as the backend's usage index says (src/core/usage.ts): loaded when
 * the panel opens, polled while the crawl runs (or before its first whole read), then left alone.
 */
import { computed, signal, type ReadonlySignal } from '@preact/signals';
import type { AssetUsage, UsageCrawlState, UsageSources, UsageSummary } from '../../core/usage.ts';
import type { AssetUseCounts } from '../find/index.ts';
import type { BackendPort } from '../ports/backend.ts';
import { describeError } from '../models/announcer.ts';

/** One used asset's counts (an asset with none is used nowhere). */
export type AssetUses = AssetUseCounts;

export interface UsageModel {
  crawl: ReadonlySignal<UsageCrawlState | null>;
  /** True once a crawl finished: only then does "no row" mean "used nowhere". */
  built: ReadonlySignal<boolean>;
  /** Used assets by id; null until the index is built. */
  byAsset: ReadonlySignal<ReadonlyMap<string, AssetUses> | null>;
  /** When each source was last read and what cannot be seen; null until the summary is read. */
  sources: ReadonlySignal<UsageSources | null>;
  /** Why the usage could not be read (the backend is unreachable, say); the grid works without it. */
  error: ReadonlySignal<string | null>;
  load(): Promise<void>;
  /** Every use of one asset, with its alt text state (the "Where used" details). */
  details(assetId: string): Promise<AssetUsage>;
  /** The asset whose uses are listed ("Where used"), if any. */
  detailsFor: ReadonlySignal<string | null>;
  showDetails(assetId: string | null): void;
  dispose(): void;
}

/** Keep asking while a crawl runs, or before the first one finished (the backend starts it when asked). */
export function shouldPoll(crawl: UsageCrawlState | null): boolean {
  if (!crawl) return false;
  return crawl.state === 'running' || (crawl.state === 'idle' && !crawl.built);
}

export function usesByAsset(summary: UsageSummary): Map<string, AssetUses> {
  const { assetId, pages, components, items, links, styles, missing } = summary.columns;
  const byAsset = new Map<string, AssetUses>();
  assetId.forEach((id, row) => {
    byAsset.set(id, { pages: pages[row] ?? 0, components: components[row] ?? 0, items: items[row] ?? 0, links: links[row] ?? 0, styles: styles[row] ?? 0, missing: missing[row] ?? 0 });
  });
  return byAsset;
}

export function createUsageModel(backend: BackendPort, siteId: string, options: { pollMs?: number } = {}): UsageModel {
  const summary = signal<UsageSummary | null>(null);
  const error = signal<string | null>(null);
  const pollMs = options.pollMs ?? 3_000;
  const detailsFor = signal<string | null>(null);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let disposed = false;

  async function load(): Promise<void> {
    clearTimeout(timer);
    try {
      const next = await backend.usage(siteId);
      if (disposed) return;
      summary.value = next;
      error.value = null;
    } catch (failure) {
      if (disposed) return;
      error.value = `Where assets are used could not be read: ${describeError(failure)}`;
    }
    if (!disposed && shouldPoll(summary.value?.crawl ?? null)) timer = setTimeout(() => void load(), pollMs);
  }

  return {
    crawl: computed(() => summary.value?.crawl ?? null),
    built: computed(() => summary.value?.crawl.built ?? false),
    byAsset: computed(() => (summary.value?.crawl.built ? usesByAsset(summary.value) : null)),
    sources: computed(() => summary.value?.sources ?? null),
    error,
    load,
    details: (assetId) => backend.assetUsage(siteId, assetId),
    detailsFor,
    showDetails(assetId) {
      detailsFor.value = assetId;
    },
    dispose() {
      disposed = true;
      clearTimeout(timer);
    },
  };
}
