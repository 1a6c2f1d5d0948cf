/**
 * The site's assets and folders as the backend indexes them: the whole index in one request,
 * then small polls of /index/changes so a refresh's results (and its progress) show up
 * without a reload. With a {@link KeptIndex}, the index read last time is shown at once and
 * only what changed since its version is asked (docs/decisions/kept-index.md).
 */
import { batch, computed, signal, type ReadonlySignal } from '@preact/signals';
import type { Folder, IndexChangesResponse, IndexResponse, IndexedAsset, Locale, RefreshState } from '../../core/api.ts';
import type { BackendPort } from '../ports/backend.ts';
import type { KeptIndex } from '../index-cache/index-cache.ts';
import { describeError } from './announcer.ts';
import { sameValue } from './same-value.ts';

export type LoadState = 'idle' | 'loading' | 'ready' | 'failed';

export interface AssetsModel {
  loadState: ReadonlySignal<LoadState>;
  error: ReadonlySignal<string | null>;
  assets: ReadonlySignal<IndexedAsset[]>;
  byId: ReadonlySignal<Map<string, IndexedAsset>>;
  folders: ReadonlySignal<Folder[]>;
  locales: ReadonlySignal<Locale[]>;
  refresh: ReadonlySignal<RefreshState | null>;
  load(): Promise<void>;
  /** Picks up changes since the last answer; called by the poller and after writes. */
  poll(): Promise<void>;
  /** Asks the backend to re-read Webflow now. */
  refreshNow(): Promise<void>;
  startPolling(intervalMs?: number): void;
  /** Adds or replaces assets the panel learned about itself (an upload, an applied change). */
  upsert(assets: IndexedAsset[]): void;
  addFolder(folder: Folder): void;
  dispose(): void;
}

export interface AssetsModelOptions {
  /** Where the last index read is kept between opens; none: every open reads the whole index. */
  kept?: KeptIndex;
  /**
   * A kept index that needed more than this many assets' changes on opening is replaced by the
   * whole body, read in the background: the next open then asks less.
   */
  keepFreshAbove?: number;
}

export function createAssetsModel(backend: BackendPort, siteId: string, options: AssetsModelOptions = {}): AssetsModel {
  const { kept } = options;
  const keepFreshAbove = options.keepFreshAbove ?? 500;
  const loadState = signal<LoadState>('idle');
  const error = signal<string | null>(null);
  const assets = signal<IndexedAsset[]>([]);
  const folders = signal<Folder[]>([]);
  const locales = signal<Locale[]>([]);
  const refresh = signal<RefreshState | null>(null);
  let version = 0;
  /** The store the version counts in; answers of another epoch are of a store made anew. */
  let epoch: string | null = null;
  let disposed = false;
  let timer: ReturnType<typeof setInterval> | undefined;
  let polling = false;

  function upsert(changed: IndexedAsset[], removedIds: string[] = []): void {
    if (changed.length === 0 && removedIds.length === 0) return;
    const replacements = new Map(changed.map((asset) => [asset.id, asset]));
    const removed = new Set(removedIds);
    const next: IndexedAsset[] = [];
    for (const asset of assets.value) {
      if (removed.has(asset.id)) continue;
      const replacement = replacements.get(asset.id);
      next.push(replacement ?? asset);
      replacements.delete(asset.id);
    }
    next.push(...replacements.values());
    assets.value = next;
  }

  /**
   * Every answer carries all folders and the refresh's state; only what differs is set, so a
   * poll that brings nothing new leaves the search index and the grid alone (it rebuilt them
   * every three seconds, in the middle of typing).
   */
  function mergeFolders(changed: Folder[]): void {
    const byId = new Map(folders.value.map((folder) => [folder.id, folder]));
    let differs = false;
    for (const folder of changed) {
      const known = byId.get(folder.id);
      if (known && sameValue(known, folder)) continue;
      byId.set(folder.id, folder);
      differs = true;
    }
    if (differs) folders.value = [...byId.values()];
  }

  function setRefresh(next: RefreshState | null): void {
    if (!sameValue(refresh.value, next)) refresh.value = next;
  }

  function apply(changes: IndexChangesResponse): void {
    batch(() => {
      version = Math.max(version, changes.version);
      upsert(changes.assets, changes.removedAssetIds);
      mergeFolders(changes.folders);
      if (!sameValue(locales.value, changes.site.locales)) locales.value = changes.site.locales;
      setRefresh(changes.refresh);
    });
  }

  function show(index: IndexResponse): void {
    batch(() => {
      version = index.version;
      epoch = index.epoch;
      assets.value = index.assets;
      folders.value = index.folders;
      locales.value = index.site.locales;
      refresh.value = index.refresh;
      loadState.value = 'ready';
    });
  }

  async function readWhole(): Promise<void> {
    const { index, body } = await backend.getIndex(siteId);
    show(index);
    if (kept && !disposed) void kept.write(siteId, body);
  }

  /** Shows the index kept from last time, if there is one this panel can read. */
  async function showKept(): Promise<{ changes: Promise<IndexChangesResponse> } | undefined> {
    const index = kept ? await kept.take(siteId) : undefined;
    if (!index || disposed) return undefined;
    // Asked before the grid renders the kept index (hundreds of milliseconds at 100,000 assets), so the answer is on its way meanwhile.
    const changes = backend.getIndexChanges(siteId, index.version);
    changes.catch(() => undefined); // awaited by the caller; not unhandled while the grid renders
    show(index);
    return { changes };
  }

  /** The whole body again, kept for the next open (read in the background, not shown). */
  async function keepFresh(): Promise<void> {
    if (!kept) return;
    const body = await backend.getIndexBody(siteId).catch(() => undefined);
    if (body !== undefined && !disposed) await kept.write(siteId, body);
  }

  /** Picks up changes since the version held; another epoch's answer means the whole index again. Answers how many assets changed. */
  async function catchUp(asked = backend.getIndexChanges(siteId, version)): Promise<number> {
    const changes = await asked;
    if (disposed) return 0;
    if (changes.epoch !== epoch) {
      await readWhole();
      return 0;
    }
    apply(changes);
    return changes.assets.length + changes.removedAssetIds.length;
  }

  /** {@link catchUp} as a poll: one at a time, its failure said and kept until one succeeds. Answers how many assets changed. */
  async function catchUpSaying(asked?: Promise<IndexChangesResponse>): Promise<number> {
    polling = true;
    try {
      const changed = await catchUp(asked);
      error.value = null;
      return changed;
    } catch (failure) {
      error.value = `Changes from Webflow could not be fetched: ${describeError(failure)}`;
      return 0;
    } finally {
      polling = false;
    }
  }

  async function poll(): Promise<void> {
    if (polling || loadState.value !== 'ready') return;
    await catchUpSaying();
  }

  return {
    loadState,
    error,
    assets,
    byId: computed(() => new Map(assets.value.map((asset) => [asset.id, asset]))),
    folders,
    locales,
    refresh,
    async load() {
      loadState.value = 'loading';
      error.value = null;
      const shown = await showKept();
      if (shown) {
        // The grid shows what was kept; what changed since follows, as a poll (a failure leaves
        // the kept index, and the next poll asks again).
        if ((await catchUpSaying(shown.changes)) > keepFreshAbove) void keepFresh();
        return;
      }
      try {
        await readWhole();
      } catch (failure) {
        error.value = `The site's assets could not be loaded: ${describeError(failure)}`;
        loadState.value = 'failed';
      }
    },
    poll,
    async refreshNow() {
      try {
        await backend.refreshIndex(siteId);
        setRefresh({ state: 'running', done: 0, total: refresh.value?.total ?? null, finishedAt: null, error: null });
      } catch (failure) {
        error.value = `A refresh from Webflow could not start: ${describeError(failure)}`;
      }
    },
    startPolling(intervalMs = 3_000) {
      clearInterval(timer);
      timer = setInterval(() => void poll(), intervalMs);
    },
    upsert: (changed) => upsert(changed),
    addFolder: (folder) => mergeFolders([folder]),
    dispose() {
      disposed = true;
      clearInterval(timer);
    },
  };
}
