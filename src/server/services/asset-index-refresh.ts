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
import { WebflowError, type Priority, type WebflowClient, type WireAsset, type WireFolder } from '../webflow/types.ts';
import { fingerprintOf, type SkippedItem } from '../store/asset-index.ts';
import { folderOf, indexedAssetOf, localesOf } from './asset-index-wire.ts';

export const PAGE_SIZE = 100;

export interface SiteSnapshot {
  displayName: string;
  locales: Locale[];
  folders: Folder[];
  /** Without md5: hashes are the index's, not Webflow's. */
  assets: IndexedAsset[];
  /**
   * Each asset's fingerprint (`fingerprintOf`), computed page by page as the listing arrives, in
   * the time the quota makes the reader wait anyway: at the end of a 10,000-asset refresh they
   * cost 80 ms of the commit.
   */
  fingerprints: Map<string, string>;
  /**
   * False when the listing moved under the reader (assets added or deleted meanwhile) and some
   * asset may have been skipped: absence from `assets` then proves nothing.
   */
  complete: boolean;
  /** Assets and folders Webflow listed in a shape the index cannot hold, left out by name. */
  skipped: SkippedItem[];
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
  const skipped: SkippedItem[] = [];
  const folders: Folder[] = [];
  for (const wire of wireFolders) {
    const folder = readable(() => folderOf(checkedFolder(wire)));
    if (folder) folders.push(folder);
    else skipped.push(skippedOf('folder', wire));
  }
  const secondaries = locales.filter((l) => !l.primary);
  const passes = 1 + secondaries.length;

  const docs = new Map<string, IndexedAsset>();
  const fingerprints = new Map<string, string>();
  let done = 0;
  let total = 0;
  const pass = async (localeId: string | undefined, take: (assets: WireAsset[]) => void) =>
    listAll(webflow, token, siteId, priority, localeId, async (assets, passTotal) => {
      take(assets);
      if (total === 0) total = passTotal * passes;
      done += assets.length;
      await onProgress({ done, total: Math.max(total, done) });
    });

  const { complete } = await pass(undefined, (assets) => {
    for (const wire of assets) {
      const doc = readable(() => indexedAssetOf(checkedAsset(wire), { primary: wire.altText ?? null, locales: {} }));
      if (!doc) {
        skipped.push(skippedOf('asset', wire));
        continue;
      }
      docs.set(doc.id, doc);
      fingerprints.set(doc.id, fingerprintOf(doc));
    }
  });
  for (const locale of secondaries) {
    await pass(locale.id, (assets) => {
      for (const wire of assets) {
        const doc = docs.get(wire.id);
        // An asset created during a secondary locale's pass is not in the primary pass: it
        // waits for the next refresh (uploads through Asset Desk are indexed at once anyway).
        if (!doc) continue;
        const own = typeof wire.altText === 'string' ? wire.altText : null;
        const had = Object.hasOwn(doc.localeAltText, locale.id);
        if (own === doc.altText && !had) continue;
        if (own === doc.altText) delete doc.localeAltText[locale.id];
        else doc.localeAltText[locale.id] = own;
        fingerprints.set(doc.id, fingerprintOf(doc));
      }
    });
  }

  return { displayName: typeof site.displayName === 'string' ? site.displayName : '', locales, folders, assets: [...docs.values()], fingerprints, complete, skipped };
}

/**
 * One asset or folder Webflow listed without what the index needs (an id, a type, a URL, a
 * name: what the panel shows and searches), or with something the conversion trips on: it is
 * left out and named, and the rest of the refresh goes on.
 */
function readable<T>(convert: () => T): T | undefined {
  try {
    return convert();
  } catch {
    return undefined;
  }
}

class Unreadable extends Error {}

function checkedAsset(wire: WireAsset): WireAsset {
  const fields = [wire.id, wire.contentType, wire.hostedUrl, wire.originalFileName, wire.createdOn, wire.lastUpdated] as unknown[];
  if (!fields.every((field) => typeof field === 'string') || !wire.id || typeof wire.size !== 'number') throw new Unreadable();
  if (wire.altText !== null && wire.altText !== undefined && typeof wire.altText !== 'string') throw new Unreadable();
  return wire;
}

function checkedFolder(wire: WireFolder): WireFolder {
  if (typeof wire.id !== 'string' || !wire.id || typeof wire.displayName !== 'string') throw new Unreadable();
  return wire;
}

function skippedOf(kind: SkippedItem['kind'], wire: { id?: unknown; displayName?: unknown; originalFileName?: unknown }): SkippedItem {
  const name = [wire.displayName, (wire as { originalFileName?: unknown }).originalFileName].find((value) => typeof value === 'string' && value !== '');
  return { kind, id: typeof wire.id === 'string' ? wire.id : '', name: typeof name === 'string' ? name : '(no name)' };
}

/**
 * What a failed refresh tells the user: our own words, never a database's or a library's
 * message (those go to the log through `onError`).
 */
export function refreshFailureMessage(error: unknown): string {
  if (error instanceof RefreshStopped) return error.message;
  if (error instanceof WebflowError) {
    if (error.status === 429) return 'Webflow’s request limit for this site was reached during the refresh; it will be tried again shortly, or refresh in a minute.';
    if (error.status === 401 || error.status === 403) return 'Webflow refused Asset Desk’s access to this site (the app may have been uninstalled): install it again, then refresh.';
    if (error.status === 404) return 'Webflow did not find this site: it may have been deleted, or Asset Desk was installed on another one.';
    if (error.status === 0) return 'Webflow could not be reached; refresh again in a moment.';
    return `Webflow answered the refresh with an error (HTTP ${error.status}); refresh again in a moment.`;
  }
  return 'The refresh could not save what it read from Webflow; refresh again. If it keeps failing, the backend’s log says why.';
}

/** A refresh stopped for a reason the user can act on, said in the message. */
export class RefreshStopped extends Error {}

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
  onPage: (assets: WireAsset[], total: number) => Promise<void>,
): Promise<{ complete: boolean }> {
  const ids = new Set<string>();
  let firstTotal: number | undefined;
  let moved = false;
  let largestTotal = 0;
  const read = async (offset: number): Promise<number> => {
    const page = await webflow.listAssets(token, siteId, { offset, limit: PAGE_SIZE, priority, ...(localeId ? { localeId } : {}) });
    firstTotal ??= page.pagination.total;
    if (page.pagination.total !== firstTotal) moved = true;
    largestTotal = Math.max(largestTotal, page.pagination.total);
    for (const asset of page.assets) ids.add(asset.id);
    await onPage(page.assets, firstTotal);
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
  return { complete: !moved && ids.size >= (firstTotal ?? 0) };
}
