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
import type { SkippedItem } from '../store/asset-index.ts';
import type { ListedAsset } from '../store/refresh-listing.ts';
import { folderOf, indexedAssetOf, localesOf } from './asset-index-wire.ts';

export const PAGE_SIZE = 100;

export interface SiteSnapshot {
  displayName: string;
  locales: Locale[];
  folders: Folder[];
  /**
   * False when the listing moved under the reader (assets added or deleted meanwhile) and some
   * asset may have been skipped: absence from the listing then proves nothing.
   */
  complete: boolean;
  /** Assets and folders Webflow listed in a shape the index cannot hold, left out by name. */
  skipped: SkippedItem[];
}

/**
 * Where the listing goes as it is read, a batch of whole documents at a time (the service: what
 * differs from the index goes to the store, store/refresh-listing.ts), so that the reader never
 * holds more than two batches (one written, the next gathering), the pages in flight and the few
 * assets whose locales' values are not in yet. Batches are written one after another, in order.
 */
export interface ListingSink {
  /** Documents with every locale's alt text in them (without md5: hashes are the index's, not Webflow's). */
  listed(docs: ListedAsset[]): Promise<void>;
}

/** Whole documents per write to the sink. */
export const LISTING_BATCH = 1000;

export interface ReadProgress {
  /** Asset rows read so far, over every locale's pass. */
  done: number;
  /** Rows to read over every pass, from Webflow's first total. */
  total: number;
}

/**
 * Reads the site's assets a group of pages at a time: the primary locale's page at an offset and
 * each secondary locale's page at the same offset, which list the same assets while the listing
 * does not move, so that each asset's document is whole (every locale's alt text in it) as soon as
 * its group is in, and is handed over then. Costs what reading each locale's listing on its own
 * costs; an asset whose locale's value is not in its group (the listing moved) waits for it.
 */
export async function readSite(
  webflow: WebflowClient,
  token: string,
  siteId: string,
  priority: Priority,
  sink: ListingSink,
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
  const secondaries = locales.filter((l) => !l.primary).map((l) => l.id);
  const passes = [undefined, ...secondaries];
  // Only the primary's listing says whether an absence means removed: only it counts its ids.
  const listings = passes.map((_, pass) => new ListingWatch(pass === 0));
  const documents = new DocumentAssembly(secondaries);
  const batches = inBatches((docs: ListedAsset[]) => sink.listed(docs));

  let done = 0;
  let total = 0;
  /** Reads the pages at `offset`, hands over what became whole; answers the primary page's length. */
  const readGroup = async (offset: number): Promise<number> => {
    const pages = await Promise.all(
      passes.map(async (localeId, pass) => {
        const page = await webflow.listAssets(token, siteId, { offset, limit: PAGE_SIZE, priority, ...(localeId ? { localeId } : {}) });
        listings[pass]!.saw(page.pagination.total, page.assets);
        return page.assets;
      }),
    );
    const [primary, ...secondaryPages] = pages as [WireAsset[], ...WireAsset[][]];
    const whole = documents.add(primary, secondaryPages, (wire) => skipped.push(skippedOf('asset', wire)));
    await batches.add(whole);
    done += pages.reduce((sum, page) => sum + page.length, 0);
    if (total === 0) total = (listings[0]!.firstTotal ?? 0) * passes.length;
    await onProgress({ done, total: Math.max(total, done) });
    return primary.length;
  };

  await readGroup(0);
  // The first pages say how many there are: the rest are read a few groups at a time, keeping
  // about PAGES_IN_FLIGHT requests in flight whatever the number of locales.
  const firstTotal = listings[0]!.firstTotal ?? 0;
  const offsets: number[] = [];
  for (let offset = PAGE_SIZE; offset < firstTotal; offset += PAGE_SIZE) offsets.push(offset);
  let next = 0;
  const groupsInFlight = Math.max(1, Math.ceil(PAGES_IN_FLIGHT / passes.length));
  await Promise.all(
    Array.from({ length: Math.min(groupsInFlight, offsets.length) }, async () => {
      while (next < offsets.length) await readGroup(offsets[next++] as number);
    }),
  );
  // Assets added while reading: follow the listing to its new end, one group at a time.
  const largestTotal = () => Math.max(...listings.map((l) => l.largestTotal));
  for (let offset = Math.max(PAGE_SIZE, offsets.length * PAGE_SIZE + PAGE_SIZE); offset < largestTotal(); offset += PAGE_SIZE) {
    if ((await readGroup(offset)) < PAGE_SIZE) break;
  }
  // An asset a locale's listing never gave (created during the refresh, or moved out of reach)
  // shows the primary's alt text in that locale until the next refresh.
  await batches.add(documents.rest());
  await batches.flush();

  return {
    displayName: typeof site.displayName === 'string' ? site.displayName : '',
    locales,
    folders,
    complete: listings[0]!.complete,
    skipped,
  };
}

/** One locale's listing as its pages come: whether it moved (assets added or deleted meanwhile). */
class ListingWatch {
  firstTotal: number | undefined;
  largestTotal = 0;
  private moved = false;
  private readonly ids = new Set<string>();

  /** `countIds`: keep the ids seen, to tell whether every asset the first total promised came. */
  constructor(private readonly countIds: boolean) {}

  saw(total: number, assets: readonly WireAsset[]): void {
    this.firstTotal ??= total;
    if (total !== this.firstTotal) this.moved = true;
    this.largestTotal = Math.max(this.largestTotal, total);
    if (this.countIds) for (const asset of assets) this.ids.add(asset.id);
  }

  /** Nothing moved and every asset the first total promised was seen (ids counted): an absence means removed. */
  get complete(): boolean {
    return !this.moved && this.ids.size >= (this.firstTotal ?? 0);
  }
}

/**
 * Documents from the primary locale's pages, with each secondary locale's alt text put in as its
 * pages give it: kept only where it differs from the primary's (a locale that set the very same
 * text reads as falling back, which shows the same to the user). A document is whole once every
 * locale gave its value; the few that are not when their group is in (the listing moved) wait,
 * and a locale's value for an asset the primary has not listed yet waits for it.
 *
 * When the listing moves (an asset added or deleted while the refresh reads), the primary may
 * list an asset twice, and the other locales' pages, read a moment apart, need not list it again.
 * The later listing counts for what it gives; the locale values the earlier one had already put
 * in are kept; and a second listing that never becomes whole is not handed over again when the
 * first one was (it would show the primary's text in every locale it lacks).
 */
class DocumentAssembly {
  private readonly waiting = new Map<string, { doc: ListedAsset; missing: Set<string> }>();
  private readonly early = new Map<string, Map<string, string | null>>();
  /** Ids handed over whole (with other locales: without, no document waits). */
  private readonly handedOver = new Set<string>();

  constructor(private readonly secondaries: readonly string[]) {}

  /** The group's primary page and its secondary pages (in `secondaries`' order); answers what became whole. */
  add(primary: readonly WireAsset[], secondaryPages: readonly (readonly WireAsset[])[], onUnreadable: (wire: WireAsset) => void): ListedAsset[] {
    const touched = new Set<string>();
    for (const wire of primary) {
      const doc = readable(() => withoutMd5(indexedAssetOf(checkedAsset(wire), { primary: wire.altText ?? null, locales: {} })));
      if (!doc) {
        onUnreadable(wire);
        continue;
      }
      // Listed again (the listing moved): the later listing counts, with what the earlier one
      // already had of the other locales (their pages may not list the asset again).
      const entry = { doc, missing: new Set(this.secondaries) };
      const earlier = this.waiting.get(doc.id);
      if (earlier) {
        for (const localeId of this.secondaries) {
          if (earlier.missing.has(localeId)) continue;
          // A locale that gave the primary's text falls back: only while the primary's is the same.
          if (Object.hasOwn(earlier.doc.localeAltText, localeId)) this.put(entry, localeId, earlier.doc.localeAltText[localeId] ?? null);
          else if (earlier.doc.altText === doc.altText) this.put(entry, localeId, doc.altText);
        }
      }
      this.waiting.set(doc.id, entry);
      touched.add(doc.id);
      for (const [localeId, value] of this.early.get(doc.id) ?? []) this.put(entry, localeId, value);
      this.early.delete(doc.id);
    }
    secondaryPages.forEach((page, index) => {
      const localeId = this.secondaries[index]!;
      for (const wire of page) {
        if (typeof wire.id !== 'string' || !wire.id) continue;
        const value = typeof wire.altText === 'string' ? wire.altText : null;
        const entry = this.waiting.get(wire.id);
        if (entry) {
          this.put(entry, localeId, value);
          touched.add(wire.id);
        } else {
          // Not listed by the primary yet, or already whole (listed twice): kept until it is, or the end.
          const values = this.early.get(wire.id) ?? new Map<string, string | null>();
          this.early.set(wire.id, values.set(localeId, value));
        }
      }
    });
    const whole: ListedAsset[] = [];
    for (const id of touched) {
      const entry = this.waiting.get(id);
      if (entry && entry.missing.size === 0) {
        whole.push(entry.doc);
        this.waiting.delete(id);
        // With one locale every document is whole at once and never waits: nothing to tell apart.
        if (this.secondaries.length > 0) this.handedOver.add(id);
      }
    }
    return whole;
  }

  /**
   * What is still waiting, as it is: a locale that gave no value shows the primary's. A second
   * listing of an asset already handed over whole is left out: the whole one stands.
   */
  rest(): ListedAsset[] {
    const rest = [...this.waiting.values()].filter((entry) => !this.handedOver.has(entry.doc.id)).map((entry) => entry.doc);
    this.waiting.clear();
    this.early.clear();
    this.handedOver.clear();
    return rest;
  }

  private put(entry: { doc: ListedAsset; missing: Set<string> }, localeId: string, value: string | null): void {
    if (value === entry.doc.altText) delete entry.doc.localeAltText[localeId];
    else entry.doc.localeAltText[localeId] = value;
    entry.missing.delete(localeId);
  }
}

function withoutMd5({ md5: _md5, ...doc }: IndexedAsset): ListedAsset {
  return doc;
}

/**
 * Entries gathered until a batch is full, then written; writes run one after another, in order.
 * One batch is written while the next gathers; beyond that `add` waits, so the pages in flight
 * wait for the store and the reader holds at most two batches and those pages.
 */
function inBatches<T>(write: (batch: T[]) => Promise<void>): { add(entries: T[]): Promise<void>; flush(): Promise<void> } {
  let gathered: T[] = [];
  let writing = Promise.resolve();
  let queued = 0;
  const flush = () => {
    const batch = gathered;
    gathered = [];
    if (batch.length > 0) {
      queued += 1;
      writing = writing.then(() => write(batch)).finally(() => void (queued -= 1));
      // Awaited by the next add or the last flush: not unhandled meanwhile.
      writing.catch(() => undefined);
    }
    return writing;
  };
  return {
    async add(entries) {
      gathered.push(...entries);
      if (gathered.length >= LISTING_BATCH) void flush();
      if (queued > 1) await writing;
    },
    flush,
  };
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
