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
  const [site, wireFolders] = await Promise.all([webflow.getSite(token, siteId, { priority }), webflow.listFolders(token, siteId, { priority })]);
  const locales = localesOf(site);
  const folders = wireFolders.map(folderOf);
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

/**
 * Pages in flight at once. A page costs the quota one request either way; reading them one after
 * another left the quota idle for every round trip (a 10,000-asset, three-locale refresh took
 * 6.5 s in fast mode against a quota bound of 4 s), a few at a time keeps it busy.
 */
export const PAGES_IN_FLIGHT = 4;

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
  let moved = false;
  let largestTotal = 0;
  const read = async (offset: number): Promise<number> => {
    const page = await webflow.listAssets(token, siteId, { offset, limit: PAGE_SIZE, priority, ...(localeId ? { localeId } : {}) });
    firstTotal ??= page.pagination.total;
    if (page.pagination.total !== firstTotal) moved = true;
    largestTotal = Math.max(largestTotal, page.pagination.total);
    for (const asset of page.assets) byId.set(asset.id, asset);
    await onPage(page.assets.length, firstTotal);
    return page.assets.length;
  };

  await read(0);
  // The first page says how many there are: the rest are read a few at a time.
  const offsets: number[] = [];
  for (let offset = PAGE_SIZE; offset < (firstTotal ?? 0); offset += PAGE_SIZE) offsets.push(offset);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(PAGES_IN_FLIGHT, offsets.length) }, async () => {
      while (next < offsets.length) await read(offsets[next++] as number);
    }),
  );
  // Assets added while reading: follow the listing to its new end, one page at a time.
  for (let offset = Math.max(PAGE_SIZE, offsets.length * PAGE_SIZE + PAGE_SIZE); offset < largestTotal; offset += PAGE_SIZE) {
    if ((await read(offset)) < PAGE_SIZE) break;
  }
  const assets = [...byId.values()];
  return { assets, complete: !moved && assets.length >= (firstTotal ?? 0) };
}
