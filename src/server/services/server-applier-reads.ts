/**
 * Reading many assets' current values in few requests, for the server applier. A PATCH per
 * change is the floor of the site's quota; a GET before each would double it. The site's
 * listing (100 assets a request) shows many values at once, and the applier writes straight
 * away where it shows the change's before-value. Anything else (a different value, an asset
 * not listed, a page read too long ago) is confirmed with a GET of its own, so a stale or
 * shifted listing can delay a change but never mark it wrongly.
 *
 * The listing is kept page by page (docs/decisions/server-applier-page-reads.md): each page is
 * trusted for its own max age, and where each asset was seen is remembered, so once the whole
 * listing was read (a batch with more changes than the site has pages), a page gone stale is
 * read again right before the changes on it are written, rather than the whole listing.
 */
import type { Priority } from '../webflow/types.ts';

export interface ListedAsset {
  id: string;
  altText?: string | null;
  displayName?: string | null;
}

/** One page of a site's assets (`GET /v2/sites/{siteId}/assets?localeId&offset&limit`). */
export type ListAssets = (
  token: string,
  siteId: string,
  options: { localeId?: string; offset: number; limit: number; priority: Priority },
) => Promise<{ assets: ListedAsset[]; pagination: { total: number } }>;

export const PAGE = 100;
/** Pages of a whole listing in flight at once (as the index's refresh): the quota still paces them. */
const PAGES_IN_FLIGHT = 4;
/** Assets remembered as expected per site and locale: a hint, so a huge batch cannot grow it without end. */
const MAX_EXPECTED = 200_000;

export interface SnapshotOptions {
  listAssets: ListAssets;
  /** A page read longer ago than this is read again (or its assets one by one) before it is trusted. */
  maxAgeMs: number;
  /** The clock of the pages' ages (a test's, to play hours of Webflow's pace in no time). */
  now?: () => number;
}

/** An asset's value as its page showed it (or as written since), and when that page was asked for. */
interface Entry {
  asset: ListedAsset;
  takenAt: number;
}

/** What is known of one site's listing in one locale. */
interface Listing {
  entries: Map<string, Entry>;
  /** Where each asset was last seen: where to look for it again, never proof of a value. */
  offsets: Map<string, number>;
  /** When each page (by its offset) was last asked for. */
  pageReadAt: Map<number, number>;
  /** The assets each page (by its offset) showed when last read, in order. */
  pageAssets: Map<number, string[]>;
  pagesReading: Map<number, Promise<void>>;
  /** A whole listing on its way (read ahead, or for a batch). */
  whole?: Promise<void>;
  /** Our writes per asset: how many are in flight, and when the last one ended. */
  writes: Map<string, { inFlight: number; endedAt: number }>;
  /** Assets with changes recorded and not yet applied (told by the read-ahead): how many each. */
  expected: Map<string, number>;
}

/** A leased batch's reads in one locale. */
export interface BatchReads {
  /**
   * The asset's value as a fresh listing shows it, its page read first when that is due and
   * pays; undefined when the change must read the asset with a GET of its own.
   */
  listed(assetId: string): Promise<ListedAsset | undefined>;
}

/** Ends a write: with what Webflow now holds, or undefined when the write failed (it may still have landed). */
export type WriteDone = (written: Partial<Pick<ListedAsset, 'altText' | 'displayName'>> | undefined) => void;

const pageOf = (offset: number) => offset - (offset % PAGE);

export function createAssetSnapshots({ listAssets, maxAgeMs, now = Date.now }: SnapshotOptions) {
  const listings = new Map<string, Listing>();
  const siteSizes = new Map<string, number>();
  const keyOf = (siteId: string, localeId: string | null) => `${siteId}\n${localeId ?? ''}`;

  const listingOf = (siteId: string, localeId: string | null): Listing => {
    const key = keyOf(siteId, localeId);
    let listing = listings.get(key);
    if (!listing) {
      listing = { entries: new Map(), offsets: new Map(), pageReadAt: new Map(), pageAssets: new Map(), pagesReading: new Map(), writes: new Map(), expected: new Map() };
      listings.set(key, listing);
    }
    return listing;
  };

  const recent = (takenAt: number | undefined): boolean => takenAt !== undefined && now() - takenAt < maxAgeMs;
  const fresh = (entry: Entry | undefined): entry is Entry => entry !== undefined && recent(entry.takenAt);

  /** Whether listing the whole site costs fewer requests than reading `waiting` assets one by one. */
  const listingPays = (siteId: string, waiting: number): boolean => Math.ceil((siteSizes.get(siteId) ?? PAGE * 10) / PAGE) < waiting;

  /**
   * Keeps a page's assets, each with the time the page was asked for, except those a write of
   * ours overlapped (in flight or ended since the page was asked for): the page may show them
   * before or after the write, so their entry stays as the write left it.
   */
  function keepPage(listing: Listing, offset: number, takenAt: number, assets: readonly ListedAsset[]): void {
    listing.pageReadAt.set(offset, takenAt);
    listing.pageAssets.set(offset, assets.map((asset) => asset.id));
    const seen = new Set<string>();
    assets.forEach((asset, n) => {
      seen.add(asset.id);
      listing.offsets.set(asset.id, offset + n);
      const write = listing.writes.get(asset.id);
      if (write && (write.inFlight > 0 || write.endedAt >= takenAt)) return;
      listing.entries.set(asset.id, { asset, takenAt });
    });
    // Assets thought to be here and not listed have moved (assets added or deleted before them).
    for (const [id, at] of listing.offsets) if (pageOf(at) === offset && !seen.has(id)) listing.offsets.delete(id);
  }

  async function readPage(token: string, siteId: string, localeId: string | null, offset: number) {
    const takenAt = now();
    const page = await listAssets(token, siteId, { ...(localeId ? { localeId } : {}), offset, limit: PAGE, priority: 'background' });
    siteSizes.set(siteId, page.pagination.total);
    return { takenAt, page };
  }

  /**
   * One page, read again (once at a time). A failure leaves its assets to their own GETs, which
   * meet the error, and the page is not asked for again within its max age: one failed read, not
   * one for each of its changes.
   */
  function rereadPage(token: string, siteId: string, localeId: string | null, offset: number): Promise<void> {
    const listing = listingOf(siteId, localeId);
    const reading = listing.pagesReading.get(offset);
    if (reading) return reading;
    const askedAt = now();
    const read = readPage(token, siteId, localeId, offset)
      .then(({ takenAt, page }) => keepPage(listing, offset, takenAt, page.assets))
      .catch(() => void listing.pageReadAt.set(offset, askedAt))
      .finally(() => listing.pagesReading.delete(offset));
    listing.pagesReading.set(offset, read);
    return read;
  }

  /**
   * The whole listing, a few pages at a time, when the first page shows it costs fewer requests
   * than reading `waiting` assets one by one (otherwise nothing of it is kept). A failure keeps
   * the pages read before it.
   */
  function readWhole(token: string, siteId: string, localeId: string | null, waiting: number): Promise<void> {
    const listing = listingOf(siteId, localeId);
    if (listing.whole) return listing.whole;
    const whole = (async () => {
      try {
        // The first page tells the site's size (one read within its max age, as the read-ahead's, does).
        const stale = !recent(listing.pageReadAt.get(0)) || !listing.pageAssets.has(0) || !siteSizes.has(siteId);
        const first = stale ? await readPage(token, siteId, localeId, 0) : null;
        // A site far bigger than the work waiting: reading one by one is cheaper after all.
        if (!listingPays(siteId, waiting)) return;
        if (first) keepPage(listing, 0, first.takenAt, first.page.assets);
        const offsets: number[] = [];
        for (let offset = PAGE; offset < (siteSizes.get(siteId) ?? 0); offset += PAGE) offsets.push(offset);
        let next = 0;
        await Promise.all(
          Array.from({ length: Math.min(PAGES_IN_FLIGHT, offsets.length) }, async () => {
            for (let offset = offsets[next++]; offset !== undefined; offset = offsets[next++]) {
              const { takenAt, page } = await readPage(token, siteId, localeId, offset);
              keepPage(listing, offset, takenAt, page.assets);
            }
          }),
        );
      } catch {
        // The changes not listed read their assets one by one, and meet the error there.
      }
    })().finally(() => (listing.whole = undefined));
    listing.whole = whole;
    return whole;
  }

  /**
   * The assets on the listing's page at `offset` (in this locale) and the listing's size, the
   * page read first unless it was asked for within its max age. A failed read throws: the
   * walk through the listing waits out a Retry-After like any request.
   */
  async function pageAt(token: string, siteId: string, localeId: string | null, offset: number): Promise<{ assetIds: readonly string[]; total: number }> {
    const listing = listingOf(siteId, localeId);
    if (listing.whole) await listing.whole;
    const reading = listing.pagesReading.get(offset);
    if (reading) await reading;
    if (!recent(listing.pageReadAt.get(offset)) || !listing.pageAssets.has(offset)) {
      const read = readPage(token, siteId, localeId, offset).then(({ takenAt, page }) => keepPage(listing, offset, takenAt, page.assets));
      listing.pagesReading.set(offset, read.catch(() => undefined).finally(() => listing.pagesReading.delete(offset)));
      await read;
    }
    return { assetIds: listing.pageAssets.get(offset) ?? [], total: siteSizes.get(siteId) ?? 0 };
  }

  /** How many of `assetIds` (counted as often as they occur) sit on each page, as far as known. */
  function perPage(listing: Listing, assetIds: Iterable<[string, number]>): Map<number, number> {
    const counts = new Map<number, number>();
    for (const [id, times] of assetIds) {
      const offset = listing.offsets.get(id);
      if (offset !== undefined) counts.set(pageOf(offset), (counts.get(pageOf(offset)) ?? 0) + times);
    }
    return counts;
  }

  return {
    listingPays,

    /**
     * Reads the listing's first page ahead of a batch being recorded, when listing pays for
     * `waiting` changes (the applier then walks the listing page by page, from this one), and
     * remembers the batch's assets as expected: a page is worth reading again for one change
     * of a leased batch when more changes will want it.
     */
    async readAhead(token: string, siteId: string, localeId: string | null, assetIds: readonly string[]): Promise<void> {
      const listing = listingOf(siteId, localeId);
      for (const id of assetIds) {
        if (listing.expected.size >= MAX_EXPECTED) break;
        listing.expected.set(id, (listing.expected.get(id) ?? 0) + 1);
      }
      if (!listingPays(siteId, assetIds.length)) return;
      // A failure is met again by the walk's own read of the page.
      await pageAt(token, siteId, localeId, 0).catch(() => undefined);
    },

    page: pageAt,

    /**
     * Plans a leased batch's reads in one locale (`assetIds`: the changes that may trust a
     * listing). Waits for a whole listing on its way, or reads one when the batch's unknown
     * assets outnumber the site's pages; then a stale page is read again, when a change on it
     * comes up, if two or more changes (of the batch, or expected) are on it: for a single
     * change a GET costs the same and cannot land on a shifted page.
     */
    async prepare(token: string, siteId: string, localeId: string | null, assetIds: readonly string[]): Promise<BatchReads> {
      const listing = listingOf(siteId, localeId);
      const stale = assetIds.filter((id) => !fresh(listing.entries.get(id)));
      const unknown = stale.filter((id) => !listing.offsets.has(id)).length;
      if (listing.whole) await listing.whole;
      else if (unknown > 0 && listingPays(siteId, unknown)) await readWhole(token, siteId, localeId, unknown);
      // Every change of the batch counts, fresh ones too: a page fresh now may be stale by the
      // time its last changes come up (at Webflow's pace a page's changes take longer than its trust).
      const inBatch = new Map<string, number>();
      for (const id of assetIds) inBatch.set(id, (inBatch.get(id) ?? 0) + 1);
      const batchPages = perPage(listing, inBatch);
      const singles = [...batchPages].filter(([, count]) => count < 2).map(([page]) => page);
      const expectedPages = singles.length > 0 && listing.expected.size > 0 ? perPage(listing, listing.expected) : new Map<number, number>();
      const worthReading = new Set([...batchPages].filter(([page, count]) => Math.max(count, expectedPages.get(page) ?? 0) >= 2).map(([page]) => page));

      return {
        async listed(assetId) {
          const known = listing.entries.get(assetId);
          if (fresh(known)) return known.asset;
          const offset = listing.offsets.get(assetId);
          if (offset === undefined || !worthReading.has(pageOf(offset))) return undefined;
          const page = pageOf(offset);
          // A page read within its max age that did not show the asset fresh (it moved, or a
          // write of ours overlapped the read) is not read again for it: the GET is as cheap.
          if (recent(listing.pageReadAt.get(page)) && !listing.pagesReading.has(page)) return undefined;
          await rereadPage(token, siteId, localeId, page);
          const entry = listing.entries.get(assetId);
          return fresh(entry) ? entry.asset : undefined;
        },
      };
    },

    /**
     * A write of ours to the asset begins: until Webflow answers, no listing can tell its value
     * (a PATCH that fails may still have landed, so the next try must read it with a GET).
     */
    writing(siteId: string, localeId: string | null, assetId: string, field: 'altText' | 'displayName'): WriteDone {
      const listing = listingOf(siteId, localeId);
      const write = listing.writes.get(assetId) ?? { inFlight: 0, endedAt: -Infinity };
      write.inFlight += 1;
      listing.writes.set(assetId, write);
      const entry = listing.entries.get(assetId);
      if (entry) delete entry.asset[field];
      return (written) => {
        write.inFlight -= 1;
        write.endedAt = now();
        const kept = listing.entries.get(assetId);
        if (written && kept) Object.assign(kept.asset, written);
      };
    },

    /** A change of the asset was settled (applied, conflicting, failed or taken by another applier): one fewer expected. */
    settled(siteId: string, localeId: string | null, assetId: string): void {
      const listing = listings.get(keyOf(siteId, localeId));
      const left = (listing?.expected.get(assetId) ?? 0) - 1;
      if (left > 0) listing?.expected.set(assetId, left);
      else listing?.expected.delete(assetId);
    },

    /** The site has no changes for this applier now (none left, or a Designer applier applies them): none expected. */
    forgetExpected(siteId: string): void {
      for (const [key, listing] of listings) {
        if (key.startsWith(`${siteId}\n`)) listing.expected.clear();
      }
    },
  };
}

export type AssetSnapshots = ReturnType<typeof createAssetSnapshots>;
