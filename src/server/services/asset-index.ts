/**
 * The asset index of each site: refreshed from the Data API in the background (one refresh per
 * site at a time, across processes), answered whole to the panel, and kept current between
 * refreshes by the journal's applied changes, uploads and new folders.
 *
 * A refresh reads the site, its folders, and its assets 100 at a time in the primary locale,
 * then again in each secondary locale for their own alt text (Webflow lists a locale's alt text,
 * falling back to the primary's; only values that differ are kept). Cost: 2 + ceil(N/100) ×
 * (1 + secondary locales) requests, all background priority.
 */
import { randomUUID } from 'node:crypto';
import type { Change, Folder, IndexChangesResponse, IndexResponse, IndexedAsset, Locale } from '../../core/api.ts';
import type { Store } from '../store/db.ts';
import {
  addFolder,
  claimRefresh,
  finishRefresh,
  nextVersion,
  noteRefreshProgress,
  readAssets,
  readAssetsById,
  readFolders,
  readSite,
  refreshStateOf,
  replaceFolders,
  saveSiteInfo,
  upsertAssets,
  markRemoved,
  ensureSite,
} from '../store/asset-index.ts';
import type { WebflowClient, WireAsset, WireFolder, WireSite } from '../webflow/types.ts';

const PAGE = 100;
const LEASE_SECONDS = 120;

export interface AssetIndexOptions {
  store: Store;
  webflow: WebflowClient;
  getSiteToken(siteId: string): Promise<string | undefined>;
  /** Told about refreshes that failed (never with a token). */
  onError?: (error: unknown, siteId: string) => void;
}

export type AssetIndex = ReturnType<typeof createAssetIndex>;

/** The panel's view of a Data API asset; alt text per locale comes from the caller. */
export function indexedAssetOf(wire: WireAsset, altText: { primary: string | null; locales: Record<string, string | null> }, md5: string | null = null): IndexedAsset {
  const image = wire.contentType.startsWith('image/');
  const smallest = [...(wire.variants ?? [])].filter((v) => !v.error).sort((a, b) => a.width - b.width)[0];
  return {
    id: wire.id,
    name: wire.displayName ?? wire.originalFileName,
    fileName: wire.originalFileName,
    contentType: wire.contentType,
    size: wire.size,
    url: wire.hostedUrl,
    thumbUrl: image ? (smallest?.hostedUrl ?? wire.hostedUrl) : null,
    folderId: wire.folderId ?? null,
    createdOn: wire.createdOn,
    lastUpdated: wire.lastUpdated,
    altText: altText.primary,
    localeAltText: altText.locales,
    md5,
  };
}

function localesOf(site: WireSite): Locale[] {
  if (!site.locales) return [];
  const { primary, secondary } = site.locales;
  return [
    { id: primary.id, displayName: primary.displayName, tag: primary.tag, primary: true },
    ...secondary.filter((l) => l.enabled !== false).map((l) => ({ id: l.id, displayName: l.displayName, tag: l.tag, primary: false })),
  ];
}

function folderOf(wire: WireFolder): Folder {
  return { id: wire.id, name: wire.displayName, parentId: wire.parentFolder ?? null };
}

export function createAssetIndex(options: AssetIndexOptions) {
  const { store, webflow, getSiteToken } = options;
  const owner = `refresh-${randomUUID()}`;
  const running = new Map<string, Promise<void>>();

  async function readAll(token: string, siteId: string, localeId: string | undefined, onPage: (done: number, total: number) => Promise<void>): Promise<WireAsset[]> {
    const assets: WireAsset[] = [];
    for (let offset = 0; ; offset += PAGE) {
      const page = await webflow.listAssets(token, siteId, { offset, limit: PAGE, priority: 'background', ...(localeId ? { localeId } : {}) });
      assets.push(...page.assets);
      await onPage(assets.length, page.pagination.total);
      if (page.assets.length < PAGE || offset + PAGE >= page.pagination.total) return assets;
    }
  }

  async function runRefresh(siteId: string): Promise<void> {
    if (!(await claimRefresh(store, siteId, owner, LEASE_SECONDS))) return;
    try {
      const token = await getSiteToken(siteId);
      if (!token) throw new Error('Asset Desk is not installed on this site.');
      const site = await webflow.getSite(token, siteId, { priority: 'background' });
      const locales = localesOf(site);
      await saveSiteInfo(store, siteId, site.displayName, locales);
      const folders = (await webflow.listFolders(token, siteId, { priority: 'background' })).map(folderOf);

      const secondaries = locales.filter((l) => !l.primary);
      const passes = 1 + secondaries.length;
      let progressTotal: number | null = null;
      const progress = (pass: number) => async (done: number, total: number) => {
        progressTotal = total * passes;
        const alive = await noteRefreshProgress(store, siteId, owner, pass * total + done, progressTotal, LEASE_SECONDS);
        if (!alive) throw new Error('Another refresh took over this site.');
      };
      const primary = await readAll(token, siteId, undefined, progress(0));
      const localeAlt = new Map<string, Record<string, string | null>>();
      for (const [index, locale] of secondaries.entries()) {
        const listed = await readAll(token, siteId, locale.id, progress(index + 1));
        const primaryAlt = new Map(primary.map((a) => [a.id, a.altText]));
        for (const asset of listed) {
          if (!primaryAlt.has(asset.id) || asset.altText === primaryAlt.get(asset.id)) continue;
          localeAlt.set(asset.id, { ...localeAlt.get(asset.id), [locale.id]: asset.altText });
        }
      }

      await store.transaction(async (tx) => {
        const existing = new Map((await readAssets(tx, siteId)).map((a) => [a.doc.id, a.doc]));
        const changed: IndexedAsset[] = [];
        for (const wire of primary) {
          const before = existing.get(wire.id);
          const doc = indexedAssetOf(wire, { primary: wire.altText ?? null, locales: localeAlt.get(wire.id) ?? {} }, before?.md5 ?? null);
          if (!before || JSON.stringify(before) !== JSON.stringify(doc)) changed.push(doc);
          existing.delete(wire.id);
        }
        const removed = [...existing.keys()];
        await replaceFolders(tx, siteId, folders);
        if (changed.length > 0 || removed.length > 0) {
          const version = await nextVersion(tx, siteId);
          await upsertAssets(tx, siteId, changed, version);
          await markRemoved(tx, siteId, removed, version);
        } else {
          await nextVersion(tx, siteId); // folders may have changed
        }
      });
      await noteRefreshProgress(store, siteId, owner, progressTotal ?? 0, progressTotal, LEASE_SECONDS);
      await finishRefresh(store, siteId, owner, { error: null });
    } catch (error) {
      options.onError?.(error, siteId);
      await finishRefresh(store, siteId, owner, { error: error instanceof Error ? error.message : String(error) });
    }
  }

  const index = {
    /** Starts a refresh unless one runs (here or in another process); resolves when it ends. */
    refresh(siteId: string): Promise<void> {
      let current = running.get(siteId);
      if (!current) {
        current = runRefresh(siteId).finally(() => running.delete(siteId));
        running.set(siteId, current);
      }
      return current;
    },

    async version(siteId: string): Promise<{ version: number; refresh: IndexResponse['refresh']; known: boolean }> {
      const site = await readSite(store, siteId);
      return { version: Number(site?.version ?? 0), refresh: refreshStateOf(site), known: site !== undefined && site.display_name !== '' };
    },

    /** The whole index; the first request for a site starts its first refresh. */
    async index(siteId: string): Promise<IndexResponse> {
      let site = await readSite(store, siteId);
      if (!site || (site.display_name === '' && site.refresh_state !== 'running')) {
        void index.refresh(siteId);
        await ensureSite(store, siteId);
        site = await readSite(store, siteId);
      }
      const [assets, folders] = await Promise.all([readAssets(store, siteId), readFolders(store, siteId)]);
      return {
        version: Number(site?.version ?? 0),
        site: { id: siteId, displayName: site?.display_name ?? '', locales: site?.locales ?? [] },
        folders,
        assets: assets.map((a) => a.doc),
        refresh: refreshStateOf(site),
      };
    },

    async changesSince(siteId: string, version: number): Promise<IndexChangesResponse> {
      const site = await readSite(store, siteId);
      const [assets, folders] = await Promise.all([readAssets(store, siteId, { sinceVersion: version, includeRemoved: true }), readFolders(store, siteId)]);
      return {
        version: Number(site?.version ?? 0),
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
      await store.transaction(async (tx) => {
        const docs = await readAssetsById(tx, siteId, [...new Set(applied.map((c) => c.assetId))]);
        for (const change of applied) {
          const doc = docs.get(change.assetId);
          if (!doc) continue;
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
      });
    },

    async addAsset(siteId: string, doc: IndexedAsset): Promise<void> {
      await store.transaction(async (tx) => upsertAssets(tx, siteId, [doc], await nextVersion(tx, siteId)));
    },

    async removeAsset(siteId: string, assetId: string): Promise<void> {
      await store.transaction(async (tx) => markRemoved(tx, siteId, [assetId], await nextVersion(tx, siteId)));
    },

    async folders(siteId: string): Promise<Folder[]> {
      return readFolders(store, siteId);
    },

    async addFolder(siteId: string, folder: Folder): Promise<void> {
      await store.transaction(async (tx) => {
        await addFolder(tx, siteId, folder);
        await nextVersion(tx, siteId);
      });
    },

    /** Waits for refreshes this process runs (shutdown). */
    async idle(): Promise<void> {
      await Promise.allSettled([...running.values()]);
    },
  };
  return index;
}
