/**
 * Reading many assets' current values in few requests, for the server applier. A PATCH per
 * change is the floor of the site's quota; a GET before each would double it. When a site has
 * more changes waiting in one locale than it has pages of assets, one listing (100 assets a
 * request) reads them all, and the applier writes straight away where the listing shows the
 * change's before-value. Anything else (a different value, an asset not listed) is confirmed
 * with a GET of its own, so a stale listing can delay a change but never mark it wrongly.
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

const PAGE = 100;

export interface SnapshotOptions {
  listAssets: ListAssets;
  /** A listing older than this is read again before it is trusted. */
  maxAgeMs: number;
}

/**
 * Listings per (site, locale), kept while fresh. The applier updates the listed assets it
 * hands out in place with what it writes, so a listing stays true to its own writes.
 */
export function createAssetSnapshots({ listAssets, maxAgeMs }: SnapshotOptions) {
  const listings = new Map<string, { takenAt: number; assets: Map<string, ListedAsset> }>();
  const siteSizes = new Map<string, number>();
  const inFlight = new Map<string, Promise<Map<string, ListedAsset> | undefined>>();
  const keyOf = (siteId: string, localeId: string | null) => `${siteId}\n${localeId ?? ''}`;

  /** Whether listing the site costs fewer requests than reading `waiting` assets one by one. */
  const listingPays = (siteId: string, waiting: number): boolean => Math.ceil((siteSizes.get(siteId) ?? PAGE * 10) / PAGE) < waiting;

  return {
    listingPays,

    /**
     * The site's assets in this locale, when listing them costs fewer requests than reading
     * `waiting` assets one by one; undefined otherwise (or when the listing fails: the applier
     * then reads each asset, and meets the error there).
     */
    read(
      token: string,
      siteId: string,
      localeId: string | null,
      waiting: number,
    ): Promise<Map<string, ListedAsset> | undefined> {
      const key = keyOf(siteId, localeId);
      const fresh = listings.get(key);
      if (fresh && Date.now() - fresh.takenAt < maxAgeMs) return Promise.resolve(fresh.assets);
      // A listing on its way (read ahead while the journal recorded the batch) is waited for.
      const reading = inFlight.get(key);
      if (reading) return reading;
      if (!listingPays(siteId, waiting)) return Promise.resolve(undefined);
      const read = readListing(key, token, siteId, localeId, waiting).finally(() => inFlight.delete(key));
      inFlight.set(key, read);
      return read;
    },
  };

  async function readListing(key: string, token: string, siteId: string, localeId: string | null, waiting: number) {
    const takenAt = Date.now();
    const assets = new Map<string, ListedAsset>();
    try {
      for (let offset = 0; ; offset += PAGE) {
        const page = await listAssets(token, siteId, {
          ...(localeId ? { localeId } : {}),
          offset,
          limit: PAGE,
          priority: 'background',
        });
        for (const asset of page.assets) assets.set(asset.id, asset);
        siteSizes.set(siteId, page.pagination.total);
        if (page.assets.length === 0 || offset + PAGE >= page.pagination.total) break;
        // A site far bigger than the work waiting: reading one by one is cheaper after all.
        if (offset === 0 && !listingPays(siteId, waiting)) return undefined;
      }
    } catch {
      return undefined;
    }
    listings.set(key, { takenAt, assets });
    return assets;
  }
}

export type AssetSnapshots = ReturnType<typeof createAssetSnapshots>;
