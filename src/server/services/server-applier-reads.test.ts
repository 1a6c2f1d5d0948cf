import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAssetSnapshots, type ListAssets } from './server-applier-reads.ts';

const SITE = 'site1';
const TOKEN = 'token-of-site1';
const MAX_AGE_MS = 30_000;
const BATCH = 100;

/**
 * A site of `size` assets listed 100 a page, and an applier's use of the snapshots as the
 * server applier makes it: a leased batch is prepared, and each change trusts the listed value
 * when it is the before-value, or reads the asset with a GET; every request is counted.
 */
function site(size: number) {
  let ids = Array.from({ length: size }, (_, i) => `a${i}`);
  const altText = new Map(ids.map((id) => [id, '']));
  const requests = { list: 0, get: 0, patch: 0 };
  let failing = 0;
  const listAssets: ListAssets = async (_token, _siteId, { offset, limit }) => {
    requests.list += 1;
    if (failing > 0) {
      failing -= 1;
      throw Object.assign(new Error('Webflow answered 500'), { status: 500 });
    }
    const assets = ids.slice(offset, offset + limit).map((id) => ({ id, altText: altText.get(id) ?? null }));
    return { assets, pagination: { total: ids.length } };
  };
  const snapshots = createAssetSnapshots({ listAssets, maxAgeMs: MAX_AGE_MS });
  const outcomes: Array<{ assetId: string; outcome: 'applied' | 'conflict'; listed: boolean }> = [];

  /** Applies `changes` (asset, before, after) in leased batches of 100, as the server applier does. */
  async function apply(changes: ReadonlyArray<{ assetId: string; before: string; after: string }>) {
    for (let start = 0; start < changes.length; start += BATCH) {
      const batch = changes.slice(start, start + BATCH);
      const reads = await snapshots.prepare(TOKEN, SITE, null, batch.map((c) => c.assetId));
      for (const change of batch) {
        const listed = await reads.listed(change.assetId);
        const trusted = listed?.altText === change.before;
        if (!trusted) {
          requests.get += 1;
          if (altText.get(change.assetId) !== change.before) {
            outcomes.push({ assetId: change.assetId, outcome: 'conflict', listed: false });
            snapshots.settled(SITE, null, change.assetId);
            continue;
          }
        }
        const done = snapshots.writing(SITE, null, change.assetId, 'altText');
        requests.patch += 1;
        altText.set(change.assetId, change.after);
        done({ altText: change.after });
        outcomes.push({ assetId: change.assetId, outcome: 'applied', listed: trusted });
        snapshots.settled(SITE, null, change.assetId);
      }
    }
  }

  return {
    requests,
    outcomes,
    snapshots,
    apply,
    /** Tells of `assetIds` as expected (the read-ahead of a batch being recorded) and reads the whole listing for them, as a batch of unknown places does. */
    async listFor(assetIds: readonly string[]) {
      await snapshots.readAhead(TOKEN, SITE, null, assetIds);
      await snapshots.prepare(TOKEN, SITE, null, assetIds);
    },
    altText,
    /** The next `count` listing requests fail. */
    failListing: (count: number) => (failing = count),
    /** Removes assets from the listing (as a delete in Webflow does): those after them move up. */
    remove: (removed: readonly string[]) => (ids = ids.filter((id) => !removed.includes(id))),
  };
}

/** `count` different assets out of `size`, in an order unrelated to the listing's. */
function scattered(size: number, count: number): string[] {
  const picked: string[] = [];
  // A fixed stride coprime with the site's size visits every asset once, far from listing order.
  for (let n = 0, at = 0; n < count; n += 1, at = (at + 7919) % size) picked.push(`a${at}`);
  return picked;
}

const edits = (assetIds: readonly string[], before = '', after = 'New alt text') => assetIds.map((assetId) => ({ assetId, before, after }));

describe('reading the listing page by page for the server applier', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.parse('2026-12-01T00:00:00Z') });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('applies a dense batch with one PATCH per change and one read per page', async () => {
    const { requests, snapshots, apply, outcomes } = site(2_000);
    const assetIds = scattered(2_000, 1_500);
    await snapshots.readAhead(TOKEN, SITE, null, assetIds);
    await apply(edits(assetIds));
    expect(requests).toEqual({ list: 20, get: 0, patch: 1_500 });
    expect(outcomes.every((o) => o.outcome === 'applied' && o.listed)).toBe(true);
  });

  it('reads a stale page again right before the changes on it, not the whole listing nor a GET each', async () => {
    const { requests, snapshots, apply } = site(2_000);
    const assetIds = scattered(2_000, 1_500);
    await snapshots.readAhead(TOKEN, SITE, null, assetIds);
    const half = 700;
    await apply(edits(assetIds.slice(0, half)));
    vi.setSystemTime(Date.now() + MAX_AGE_MS);
    await apply(edits(assetIds.slice(half)));
    // The 800 changes left sit on all 20 pages: each is read once more, and no change is read alone.
    expect(requests).toEqual({ list: 40, get: 0, patch: 1_500 });
    expect((requests.list + requests.get) / (requests.list + requests.get + requests.patch)).toBeLessThanOrEqual(0.05);
  });

  it('a page is trusted for its own max age, counted from when it was read', async () => {
    const { requests, snapshots, apply } = site(1_000);
    const assetIds = scattered(1_000, 1_000);
    // The read-ahead reads the first page; the first batch, long after, the nine others.
    await snapshots.readAhead(TOKEN, SITE, null, assetIds);
    vi.setSystemTime(Date.now() + MAX_AGE_MS - 1);
    await apply(edits(assetIds.slice(0, 100)));
    expect(requests.list).toBe(10);
    vi.setSystemTime(Date.now() + 1);
    await apply(edits(assetIds.slice(100, 200)));
    // Only the first page is stale now, though the batch's changes sit on all ten.
    expect(requests).toEqual({ list: 11, get: 0, patch: 200 });
    vi.setSystemTime(Date.now() + MAX_AGE_MS - 1);
    await apply(edits(assetIds.slice(200, 300)));
    expect(requests).toEqual({ list: 20, get: 0, patch: 300 });
  });

  it('reads a sparse batch in a big site with a GET per change, not a page per change', async () => {
    const { requests, apply } = site(20_000);
    const assetIds = scattered(20_000, 30);
    await apply(edits(assetIds));
    // The first page tells the site's size (200 pages for 30 changes): then a GET each.
    expect(requests).toEqual({ list: 1, get: 30, patch: 30 });
    expect(requests.list + requests.get).toBeLessThanOrEqual(2 * assetIds.length);
  });

  it('reads a few stale changes of a big site one by one when no more are expected on their pages', async () => {
    const { requests, snapshots, apply } = site(5_000);
    const all = scattered(5_000, 5_000);
    await snapshots.readAhead(TOKEN, SITE, null, all);
    await apply(edits(all));
    vi.setSystemTime(Date.now() + MAX_AGE_MS);
    const before = { ...requests };
    // One change on each of 20 pages, long after the listing was read.
    const sparse = Array.from({ length: 20 }, (_, page) => `a${page * 100 + 7}`);
    await apply(edits(sparse, 'New alt text', 'Again'));
    expect({ list: requests.list - before.list, get: requests.get - before.get }).toEqual({ list: 0, get: 20 });
  });

  it('reads a stale page again for one change of a batch when more changes are expected on it', async () => {
    const { requests, snapshots, apply } = site(5_000);
    const all = scattered(5_000, 5_000);
    await snapshots.readAhead(TOKEN, SITE, null, all);
    await apply(edits(all.slice(0, 100)));
    vi.setSystemTime(Date.now() + MAX_AGE_MS);
    const before = { ...requests };
    // The next batch has one change or none on most pages, but the read-ahead told of 4,900 more.
    await apply(edits(all.slice(100, 200)));
    expect(requests.get - before.get).toBe(0);
    expect(requests.list - before.list).toBeLessThanOrEqual(50);
  });

  it('falls back to a GET for a change whose asset moved to another page, and marks it rightly', async () => {
    const { requests, apply, remove, outcomes, listFor } = site(1_000);
    const assetIds = scattered(1_000, 1_000);
    await listFor(assetIds);
    vi.setSystemTime(Date.now() + MAX_AGE_MS);
    // 50 assets at the top are deleted: a120 and a130 are now on the first page, not the second.
    remove(Array.from({ length: 50 }, (_, i) => `a${i}`));
    const before = { ...requests };
    await apply(edits(['a120', 'a130']));
    expect({ list: requests.list - before.list, get: requests.get - before.get }).toEqual({ list: 1, get: 2 });
    expect(outcomes).toEqual([
      { assetId: 'a120', outcome: 'applied', listed: false },
      { assetId: 'a130', outcome: 'applied', listed: false },
    ]);
    // Their place is forgotten: the next changes of them read them one by one, without listing again.
    vi.setSystemTime(Date.now() + MAX_AGE_MS);
    await apply(edits(['a120', 'a130'], 'New alt text', 'Again'));
    expect({ list: requests.list - before.list, get: requests.get - before.get }).toEqual({ list: 1, get: 4 });
  });

  it('shows the value Webflow holds now on a page read again, so a change made meanwhile is a conflict', async () => {
    const { snapshots, apply, altText, outcomes, listFor } = site(1_000);
    const assetIds = scattered(1_000, 1_000);
    await listFor(assetIds);
    vi.setSystemTime(Date.now() + MAX_AGE_MS);
    altText.set('a205', 'Written in the Designer');
    const reads = await snapshots.prepare(TOKEN, SITE, null, ['a205', 'a206']);
    expect(await reads.listed('a205')).toEqual({ id: 'a205', altText: 'Written in the Designer' });
    await apply(edits(['a205', 'a206']));
    expect(outcomes.map((o) => o.outcome)).toEqual(['conflict', 'applied']);
    expect(altText.get('a205')).toBe('Written in the Designer');
  });

  it('reads the changes of a page whose read failed one by one, without asking for the page again for each', async () => {
    const { requests, apply, failListing, listFor } = site(1_000);
    await listFor(scattered(1_000, 1_000));
    vi.setSystemTime(Date.now() + MAX_AGE_MS);
    failListing(1);
    const before = { ...requests };
    await apply(edits(['a300', 'a301', 'a302']));
    expect({ list: requests.list - before.list, get: requests.get - before.get, patch: requests.patch - before.patch }).toEqual({ list: 1, get: 3, patch: 3 });
  });

  it('does not trust a page for an asset a write of ours overlapped while the page was read', async () => {
    const { snapshots, listFor } = site(300);
    await listFor(scattered(300, 300));
    vi.setSystemTime(Date.now() + MAX_AGE_MS);
    const done = snapshots.writing(SITE, null, 'a5', 'altText');
    const reads = await snapshots.prepare(TOKEN, SITE, null, ['a5', 'a6']);
    // The page is read while the write is in flight: its value of a5 is unknowable.
    expect(await reads.listed('a6')).toEqual({ id: 'a6', altText: '' });
    done(undefined);
    expect(await reads.listed('a5')).toBeUndefined();
  });

  it('gives a page of the walk from one read within its max age, shared by callers at once, and throws when the read fails', async () => {
    const { requests, snapshots, failListing } = site(250);
    const [first, again] = await Promise.all([snapshots.page(TOKEN, SITE, null, 100), snapshots.page(TOKEN, SITE, null, 100)]);
    expect(first).toEqual({ assetIds: Array.from({ length: 100 }, (_, i) => `a${i + 100}`), total: 250 });
    expect(again).toEqual(first);
    vi.setSystemTime(Date.now() + MAX_AGE_MS - 1);
    await snapshots.page(TOKEN, SITE, null, 100);
    expect(requests.list).toBe(1);
    vi.setSystemTime(Date.now() + 1);
    failListing(1);
    await expect(snapshots.page(TOKEN, SITE, null, 100)).rejects.toThrow('Webflow answered 500');
    expect((await snapshots.page(TOKEN, SITE, null, 200)).assetIds).toHaveLength(50);
    expect(requests.list).toBe(3);
  });
});
