/**
 * Reading a whole site from the Data API for a refresh of its index.
 *
 * Cost, all at the caller's priority (background unless a user asked): 1 site + 1 folder list +
 * ceil(N/100) asset pages for the primary locale + ceil(N/100) pages for each enabled secondary
 * locale. Webflow has no call that lists every locale's alt text at once; a locale's listing
 * gives that locale's alt text, which is the primary's when the locale has none of its own, so
 * only values that differ from the primary are kept (a locale that set the very same text as
 * the primary reads as falling back, which shows the same to the user).
 */
import type { Folder, IndexedAsset, Locale } from '../../core/api.ts';
import type { Priority, WebflowClient, WireAsset } from '../webflow/types.ts';
import { folderOf, indexedAssetOf, localesOf } from './asset-index-wire.ts';

export const PAGE_SIZE = 100;

export interface SiteSnapshot {
  displayName: string;
  locales: Locale[];
  folders: Folder[];
  /** Without md5: hashes are the index's, not Webflow's. */
  assets: IndexedAsset[];
  /**
   * False when the listing moved under the reader (assets added or deleted meanwhile) and some
   * asset may have been skipped: absence from `assets` then proves nothing.
   */
  complete: boolean;
}

export interface ReadProgress {
  /** Asset rows read so far, over every locale's pass. */
  done: number;
  /** Rows to read over every pass, from Webflow's first total. */
  total: number;
}

export async function readSite(
  webflow: WebflowClient,
  token: string,
  siteId: string,
  priority: Priority,
  onProgress: (progress: ReadProgress) => Promise<void>,
): Promise<SiteSnapshot> {
  const site = await webflow.getSite(token, siteId, { priority });
  const locales = localesOf(site);
  const folders = (await webflow.listFolders(token, siteId, { priority })).map(folderOf);
  const secondaries = locales.filter((l) => !l.primary);
  const passes = 1 + secondaries.length;

  let done = 0;
  let total = 0;
  const pass = async (localeId: string | undefined) => {
    const listed = await listAll(webflow, token, siteId, priority, localeId, async (rows, passTotal) => {
      if (total === 0) total = passTotal * passes;
      done += rows;
      await onProgress({ done, total: Math.max(total, done) });
    });
    return listed;
  };

  const primary = await pass(undefined);
  const primaryAlt = new Map(primary.assets.map((a) => [a.id, a.altText ?? null]));
  const localeAlt = new Map<string, Record<string, string | null>>();
  const complete = primary.complete;
  for (const locale of secondaries) {
    const listed = await pass(locale.id);
    for (const asset of listed.assets) {
      const own = asset.altText ?? null;
      if (!primaryAlt.has(asset.id) || own === primaryAlt.get(asset.id)) continue;
      localeAlt.set(asset.id, { ...localeAlt.get(asset.id), [locale.id]: own });
    }
  }
  // An asset created during a secondary locale's pass is not in the primary pass: it waits
  // for the next refresh (uploads through Asset Desk are indexed at once anyway).

  return {
    displayName: site.displayName,
    locales,
    folders,
    assets: primary.assets.map((wire) => indexedAssetOf(wire, { primary: wire.altText ?? null, locales: localeAlt.get(wire.id) ?? {} })),
    complete,
  };
}

async function listAll(
  webflow: WebflowClient,
  token: string,
  siteId: string,
  priority: Priority,
  localeId: string | undefined,
  onPage: (rows: number, total: number) => Promise<void>,
): Promise<{ assets: WireAsset[]; complete: boolean }> {
  const byId = new Map<string, WireAsset>();
  let firstTotal: number | undefined;
  let lastTotal = 0;
  for (let offset = 0; ; offset += PAGE_SIZE) {
    const page = await webflow.listAssets(token, siteId, { offset, limit: PAGE_SIZE, priority, ...(localeId ? { localeId } : {}) });
    firstTotal ??= page.pagination.total;
    lastTotal = page.pagination.total;
    for (const asset of page.assets) byId.set(asset.id, asset);
    await onPage(page.assets.length, firstTotal);
    if (page.assets.length < PAGE_SIZE || offset + PAGE_SIZE >= page.pagination.total) break;
  }
  const assets = [...byId.values()];
  return { assets, complete: lastTotal === firstTotal && assets.length >= lastTotal };
}
