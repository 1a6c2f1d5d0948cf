/**
 * The asset index of each site: refreshed from the Data API in the background (one refresh per
 * site at a time, across processes, through a lease row in the store), answered whole to the
 * panel, and kept current between refreshes by the journal's applied changes, uploads and new
 * folders. Every write raises the site's version, so panels fetch only what changed.
 */
import { randomUUID } from 'node:crypto';
import type { Change, Folder, IndexChangesResponse, IndexResponse, IndexedAsset, RefreshState } from '../../core/api.ts';
import type { Store } from '../store/db.ts';
import {
  abandonRefresh,
  addFolder,
  claimRefresh,
  lockSite,
  finishRefresh,
  fingerprintOf,
  markRemoved,
  nextVersion,
  noteRefreshProgress,
  readAssets,
  readAssetsById,
  readFingerprints,
  readFolders,
  readSite as readSiteRow,
  refreshStateOf,
  renewRefreshLease,
  replaceFolders,
  saveSiteInfo,
  saveSiteSource,
  sitesReadElsewhere,
  staleSites,
  upsertAssets,
} from '../store/asset-index.ts';
import { addListed, clearSiteListing, commitListing, dropListing, type ListingRun } from '../store/refresh-listing.ts';
import { QuotaClosed } from '../webflow/quota.ts';
import type { Priority, WebflowClient } from '../webflow/types.ts';
import { readSite, RefreshStopped, refreshFailureMessage, type ListingSink, type SiteSnapshot } from './asset-index-refresh.ts';
import { folderOf, localesOf } from './asset-index-wire.ts';

export { indexedAssetOf, thumbUrlOf } from './asset-index-wire.ts';

/**
 * A refresh renews its lease on every page and, whatever it waits on (a Webflow slow to answer,
 * a long commit), every quarter of it; a holder silent this long is taken to be dead.
 */
const LEASE_SECONDS = 120;

/**
 * How long {@link IndexState} read from the store is answered again by `state(siteId, {fresh:
 * false})` when no write of this process touched the site since. Writes of this process forget
 * it at once; writes of other processes sharing PostgreSQL, and a lease that lapses, show within
 * this (docs/decisions/index-under-load.md).
 */
export const STATE_MAX_AGE_MS = 1000;

export interface AssetIndexOptions {
  store: Store;
  webflow: WebflowClient;
  getSiteToken(siteId: string): Promise<string | undefined>;
  /**
   * Where the index reads from: the Data API base URL. Hosted URLs are that Webflow's (the
   * sandbox's CDN moves with its port), so an index last read from another base is refreshed at
   * start and when a panel opens it; the listing's URLs then replace the stored ones.
   */
  source?: string;
  /** Told about refreshes that failed (never with a token). */
  onError?: (error: unknown, siteId: string) => void;
  /** Told about each refresh that finished without error (the usage index crawls then). */
  onRefreshed?: (siteId: string) => void;
  /** The clock of the cached state's age (tests hold it still). */
  now?: () => number;
  /** How long a refresh holds its site without renewing (whole seconds; tests shorten it). */
  leaseSeconds?: number;
}

export interface IndexState {
  version: number;
  /** Which store the version counts in (a store made anew starts again from 0). */
  epoch: string;
  refresh: RefreshState;
  /** A refresh has finished at least once: the index is the site's, not a partial guess. */
  built: boolean;
}

export type AssetIndex = ReturnType<typeof createAssetIndex>;

export function createAssetIndex(options: AssetIndexOptions) {
  const { store, webflow, getSiteToken } = options;
  const owner = `refresh-${randomUUID()}`;
  const running = new Map<string, { claimed: Promise<void>; done: Promise<void> }>();
  let autoRefresh: NodeJS.Timeout | undefined;
  /** Writes of this process to each site's index, counted: a state read before the last one is stale. */
  const writes = new Map<string, number>();
  const states = new Map<string, { writes: number; readAt: number; state: Promise<IndexState> }>();
  const now = options.now ?? Date.now;
  const leaseSeconds = options.leaseSeconds ?? LEASE_SECONDS;

  /** Runs a write of the site's index (or of its refresh state), then forgets its cached state. */
  async function writing<T>(siteId: string, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } finally {
      writes.set(siteId, (writes.get(siteId) ?? 0) + 1);
      states.delete(siteId);
    }
  }

  async function runRefresh(siteId: string, priority: Priority, onClaimed: () => void): Promise<void> {
    let startVersion: number | undefined;
    try {
      startVersion = await writing(siteId, () => claimRefresh(store, siteId, owner, leaseSeconds));
    } finally {
      onClaimed();
    }
    if (startVersion === undefined) return; // another process refreshes this site
    const heartbeat = keepLease(siteId);
    // The listing goes to the store as it is read (store/refresh-listing.ts), under this run's id.
    const runId = randomUUID();
    try {
      const token = await getSiteToken(siteId);
      if (!token) throw new RefreshStopped('Asset Desk is not installed on this site: install it, then refresh.');
      // What an earlier run of this site left (a crash, a lease lost mid-page): the lease is ours.
      await clearSiteListing(store, siteId);
      let last = { done: 0, total: 0 };
      const run = { siteId, runId, startVersion };
      // What the index holds, each live asset's fingerprint, read while the quota keeps the reader
      // waiting rather than after it (from the first documents on: before them, the store is busy
      // granting the first requests). Each listed asset is taken out: what is left was not listed.
      let before: Promise<Map<string, string | null>> | undefined;
      const known = () => (before ??= readFingerprints(store, siteId));
      const sink: ListingSink = {
        listed: async (docs) => {
          const fingerprints = await known();
          const differing = docs.filter((doc) => {
            const stored = fingerprints.get(doc.id);
            fingerprints.delete(doc.id);
            // New, changed, or written before fingerprints were kept (null).
            return stored !== fingerprintOf(doc);
          });
          await addListed(store, run, differing);
        },
      };
      const snapshot = await readSite(webflow, token, siteId, priority, sink, async (progress) => {
        last = progress;
        if (!(await writing(siteId, () => noteRefreshProgress(store, siteId, owner, progress.done, progress.total, leaseSeconds)))) {
          throw new RefreshStopped('Another refresh took over this site.');
        }
      });
      if (heartbeat.lost) throw new RefreshStopped('Another refresh took over this site.');
      const unlisted = snapshot.complete ? [...(await known()).keys()] : [];
      await commitSnapshot(snapshot, run, unlisted);
      await writing(siteId, () => noteRefreshProgress(store, siteId, owner, last.total, last.total, leaseSeconds));
      await writing(siteId, () => finishRefresh(store, siteId, owner, { error: null, skipped: snapshot.skipped }));
      options.onRefreshed?.(siteId);
    } catch (error) {
      if (error instanceof QuotaClosed) {
        // The backend stops: not a failure to show at the next start. Nothing was committed.
        await writing(siteId, () => abandonRefresh(store, siteId, owner));
        return;
      }
      options.onError?.(error, siteId);
      await writing(siteId, () => finishRefresh(store, siteId, owner, { error: refreshFailureMessage(error) }));
    } finally {
      await heartbeat.stop();
      await dropListing(store, runId).catch((error: unknown) => options.onError?.(error, siteId));
    }
  }

  /**
   * Renews the refresh's lease every quarter of it until stopped. Renewing on each page alone let
   * the lease lapse while no page came: at 100,000 assets the sandbox's folder listing took 34 s,
   * Webflow's client gives up after 30 s and reads again, and the panel saw the refresh "failed"
   * while it ran (another process could have taken the site over meanwhile).
   */
  function keepLease(siteId: string): { readonly lost: boolean; stop(): Promise<void> } {
    let lost = false;
    let renewing: Promise<void> | undefined;
    const timer = setInterval(() => {
      if (renewing || lost) return;
      renewing = writing(siteId, () => renewRefreshLease(store, siteId, owner, leaseSeconds))
        .then((held) => void (lost = !held))
        .catch((error: unknown) => options.onError?.(error, siteId))
        .finally(() => (renewing = undefined));
    }, (leaseSeconds * 1000) / 4);
    timer.unref();
    return {
      get lost() {
        return lost;
      },
      // A renewal under way ends before the refresh's own last write is followed by anything else.
      stop: async () => {
        clearInterval(timer);
        await renewing;
      },
    };
  }

  /**
   * Writes what the refresh read and found different (store/refresh-listing.ts), and removes
   * what it did not list: assets written since the refresh began (a mirrored change, an upload,
   * a deletion) are newer than the listing and stay as they are. The version rises only when
   * something changed.
   */
  async function commitSnapshot(snapshot: SiteSnapshot, run: ListingRun, unlisted: readonly string[]): Promise<void> {
    const { siteId } = run;
    await writing(siteId, () => store.transaction(async (tx) => {
      await lockSite(tx, siteId);
      await saveSiteInfo(tx, siteId, snapshot.displayName, snapshot.locales);
      if (options.source !== undefined) await saveSiteSource(tx, siteId, options.source);
      // The site's row is locked: the next version is this one, unless nothing changes.
      const version = Number((await readSiteRow(tx, siteId))?.version ?? 0) + 1;
      const { written, removed } = await commitListing(tx, run, version, unlisted);
      const foldersChanged = await replaceFolders(tx, siteId, snapshot.folders);
      if (written === 0 && removed === 0 && !foldersChanged) return;
      const raised = await nextVersion(tx, siteId);
      if (raised !== version) throw new Error(`The site's version moved during the refresh's commit (${version} expected, ${raised} raised).`);
    }));
  }

  /** `claimed` settles once the refresh holds the site (or knows another process does). */
  function start(siteId: string, priority: Priority): { claimed: Promise<void>; done: Promise<void> } {
    const current = running.get(siteId);
    if (current) return current;
    let claimedNow = () => {};
    const claimed = new Promise<void>((resolve) => (claimedNow = resolve));
    const done = runRefresh(siteId, priority, claimedNow)
      .catch((error: unknown) => options.onError?.(error, siteId))
      .finally(() => running.delete(siteId));
    const started = { claimed, done };
    running.set(siteId, started);
    return started;
  }

  const readElsewhere = (site: { built: boolean; source: string | null } | undefined): boolean =>
    options.source !== undefined && site?.built === true && site.source !== options.source;

  async function readState(siteId: string): Promise<IndexState> {
    const site = await readSiteRow(store, siteId);
    return { version: Number(site?.version ?? 0), epoch: site?.epoch ?? '', refresh: refreshStateOf(site), built: site?.built ?? false };
  }

  /**
   * The site's version and refresh state. `fresh: false` (the index route, on every request)
   * answers a read made less than {@link STATE_MAX_AGE_MS} ago when no write of this process
   * came after it, and lets concurrent callers share one read.
   */
  function state(siteId: string, stateOptions: { fresh?: boolean } = {}): Promise<IndexState> {
    const written = writes.get(siteId) ?? 0;
    const cached = states.get(siteId);
    if (stateOptions.fresh === false && cached && cached.writes === written && now() - cached.readAt < STATE_MAX_AGE_MS) return cached.state;
    const read = readState(siteId);
    states.set(siteId, { writes: written, readAt: now(), state: read });
    read.catch(() => {
      if (states.get(siteId)?.state === read) states.delete(siteId);
    });
    return read;
  }

  const index = {
    /**
     * Starts a refresh unless one runs (here or in another process); resolves when it ends.
     * Never rejects: a failure is the site's refresh state.
     */
    refresh(siteId: string, refreshOptions: { priority?: Priority } = {}): Promise<void> {
      return start(siteId, refreshOptions.priority ?? 'background').done;
    },

    state,

    /** The whole index. Before the first refresh finished, starts one and answers what there is. */
    async index(siteId: string): Promise<IndexResponse> {
      let site = await readSiteRow(store, siteId);
      if (!site?.built && (site?.refresh_state !== 'running' || site.refresh_lapsed)) {
        await start(siteId, 'background').claimed;
        site = await readSiteRow(store, siteId);
      } else if (readElsewhere(site)) {
        // Answer what there is now; the panel's next poll brings the URLs the refresh reads.
        start(siteId, 'interactive');
      }
      if (!site?.display_name) {
        // The panel learns the site's name and locales from this answer only (changes since a
        // version carry assets), so read them now rather than when the first refresh ends.
        const token = await getSiteToken(siteId);
        if (token) {
          try {
            const wire = await webflow.getSite(token, siteId, { priority: 'interactive' });
            await writing(siteId, () => saveSiteInfo(store, siteId, wire.displayName, localesOf(wire)));
            site = await readSiteRow(store, siteId);
          } catch (error) {
            // The refresh reads them too, and reports its own failure: answer what there is.
            options.onError?.(error, siteId);
          }
        }
      }
      const [assets, folders] = await Promise.all([readAssets(store, siteId), readFolders(store, siteId)]);
      return {
        version: Number(site?.version ?? 0),
        epoch: site?.epoch ?? '',
        site: { id: siteId, displayName: site?.display_name ?? '', locales: site?.locales ?? [] },
        folders,
        assets: assets.map((a) => a.doc),
        refresh: refreshStateOf(site),
      };
    },

    /**
     * What changed after `version`: assets written since, assets removed since, all folders
     * (few), and the site's name and locales (a panel that kept an index learns of a new locale).
     * `epoch` says which store the versions count in: a panel holding another epoch's version
     * must read the whole index.
     */
    async changesSince(siteId: string, version: number): Promise<IndexChangesResponse> {
      const site = await readSiteRow(store, siteId);
      const [assets, folders] = await Promise.all([readAssets(store, siteId, { sinceVersion: version, includeRemoved: true }), readFolders(store, siteId)]);
      return {
        version: Number(site?.version ?? 0),
        epoch: site?.epoch ?? '',
        site: { id: siteId, displayName: site?.display_name ?? '', locales: site?.locales ?? [] },
        assets: assets.filter((a) => !a.removed).map((a) => a.doc),
        removedAssetIds: assets.filter((a) => a.removed).map((a) => a.doc.id),
        folders,
        refresh: refreshStateOf(site),
      };
    },

    /** Applied journal changes, written into the index so every panel sees them. */
    async mirror(siteId: string, changes: readonly Change[]): Promise<void> {
      const applied = changes.filter((c) => c.status === 'applied');
      if (applied.length === 0) return;
      await writing(siteId, () => store.transaction(async (tx) => {
        await lockSite(tx, siteId);
        const stored = await readAssetsById(tx, siteId, [...new Set(applied.map((c) => c.assetId))]);
        const docs = new Map([...stored].map(([id, a]) => [id, a.doc]));
        for (const change of applied) {
          const doc = docs.get(change.assetId);
          if (!doc) continue; // not indexed yet: the next refresh brings it with the change
          if (change.field === 'altText') {
            if (change.localeId) doc.localeAltText = { ...doc.localeAltText, [change.localeId]: change.after };
            else doc.altText = change.after;
          } else if (change.field === 'displayName' && change.after) {
            doc.name = change.after;
          } else if (change.field === 'folder') {
            doc.folderId = change.after;
          }
        }
        if (docs.size === 0) return;
        await upsertAssets(tx, siteId, [...docs.values()], await nextVersion(tx, siteId));
      }));
    },

    /** An asset uploaded through Asset Desk, indexed at once (with its md5). */
    async addAsset(siteId: string, doc: IndexedAsset): Promise<void> {
      await writing(siteId, () => store.transaction(async (tx) => {
        await lockSite(tx, siteId);
        await upsertAssets(tx, siteId, [doc], await nextVersion(tx, siteId));
      }));
    },

    async removeAsset(siteId: string, assetId: string): Promise<void> {
      await writing(siteId, () => store.transaction(async (tx) => {
        await lockSite(tx, siteId);
        await markRemoved(tx, siteId, [assetId], await nextVersion(tx, siteId));
      }));
    },

    async folders(siteId: string): Promise<Folder[]> {
      return readFolders(store, siteId);
    },

    /** Reads the site's folders from Webflow now (one request), without a whole refresh. */
    async refreshFolders(siteId: string, priority: Priority): Promise<Folder[]> {
      const token = await getSiteToken(siteId);
      if (!token) throw new Error('Asset Desk is not installed on this site.');
      const folders = (await webflow.listFolders(token, siteId, { priority })).map(folderOf);
      await writing(siteId, () => store.transaction(async (tx) => {
        await lockSite(tx, siteId);
        if (await replaceFolders(tx, siteId, folders)) await nextVersion(tx, siteId);
      }));
      return readFolders(store, siteId);
    },

    async addFolder(siteId: string, folder: Folder): Promise<void> {
      await writing(siteId, () => store.transaction(async (tx) => {
        await lockSite(tx, siteId);
        await addFolder(tx, siteId, folder);
        await nextVersion(tx, siteId);
      }));
    },

    /**
     * Refreshes, one after another, the sites whose index is older than `staleAfterMs`
     * (sites a panel has opened; others are not known here), checking every `everyMs`.
     */
    startAutoRefresh(intervals: { staleAfterMs?: number; everyMs?: number } = {}): void {
      if (autoRefresh) return;
      // Indexes read from another Data API base hold hosted URLs that may no longer load: now,
      // not at the first stale check a minute from now.
      if (options.source !== undefined) {
        sitesReadElsewhere(store, options.source)
          .then((siteIds) => siteIds.forEach((siteId) => start(siteId, 'background')))
          .catch((error: unknown) => options.onError?.(error, ''));
      }
      const staleSeconds = (intervals.staleAfterMs ?? 10 * 60_000) / 1000;
      let busy = false;
      autoRefresh = setInterval(() => {
        if (busy) return;
        busy = true;
        void (async () => {
          for (const siteId of await staleSites(store, staleSeconds)) await index.refresh(siteId);
        })()
          .catch((error: unknown) => options.onError?.(error, ''))
          .finally(() => (busy = false));
      }, intervals.everyMs ?? 60_000);
      autoRefresh.unref();
    },

    stopAutoRefresh(): void {
      clearInterval(autoRefresh);
      autoRefresh = undefined;
    },

    /** Waits for refreshes this process runs (shutdown). */
    async idle(): Promise<void> {
      await Promise.allSettled([...running.values()].map((r) => r.done));
    },
  };
  return index;
}
