import { describe, expect, it, vi } from 'vitest';
import type { ChangeInput } from '../../core/api.ts';
import { createJournal } from './journal.ts';
import { defaultClassifyError, UNAVAILABLE_TRIES } from './apply-errors.ts';
import { createServerApplier, type AssetWriter } from './server-applier.ts';
import { QuotaWaitStopped } from '../webflow/quota.ts';
import { testStoreKinds, useTestStore } from '../../../test/server/store-test-helpers.ts';

const SITE = 'site1';
const TOKEN = 'token-of-site1';

/** Webflow's assets in memory: alt text per locale ('' key = primary), and the PATCHes seen. */
function fakeWebflow(assets: Record<string, { displayName: string; altText: Record<string, string | null> }>) {
  const patches: { assetId: string; localeId?: string; altText?: string | null; displayName?: string }[] = [];
  let failNext: unknown;
  const writer: AssetWriter = {
    async getAsset(token, assetId, { localeId }) {
      if (token !== TOKEN) throw Object.assign(new Error('not authorized'), { status: 401 });
      if (failNext) {
        const error = failNext;
        failNext = undefined;
        throw error;
      }
      const asset = assets[assetId];
      if (!asset) throw Object.assign(new Error(`Asset ${assetId} not found`), { status: 404 });
      const altText = localeId && localeId in asset.altText ? asset.altText[localeId] : asset.altText[''];
      return { displayName: asset.displayName, altText: altText ?? null };
    },
    async updateAsset(_token, assetId, update) {
      const asset = assets[assetId]!;
      patches.push({ assetId, ...update });
      if (update.altText !== undefined) asset.altText[update.localeId ?? ''] = update.altText;
      if (update.displayName !== undefined) asset.displayName = update.displayName;
      return asset;
    },
  };
  return { writer, assets, patches, failNextWith: (error: unknown) => (failNext = error) };
}

/** Waits for a condition by counting tries, not by the clock (a test may hold Date still). */
async function until(what: string, condition: () => Promise<boolean>, tries = 3000): Promise<void> {
  for (let n = 0; n < tries; n += 1) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`Still waiting for ${what} after ${tries} tries`);
}

const alt = (assetId: string, before: string | null, after: string | null, localeId?: string): ChangeInput => ({
  assetId,
  field: 'altText',
  before,
  after,
  ...(localeId ? { localeId } : {}),
});

/** A panel's lease. */
const designerLease = { applierId: 'designer-applier', kind: 'designer' as const, limit: 10, seconds: 30 };

describe.each(testStoreKinds)('server applier on %s', (kind) => {
  const stores = useTestStore(kind);

  function setup(webflow: ReturnType<typeof fakeWebflow>) {
    const journal = createJournal({ store: stores.current() });
    const applier = createServerApplier({
      journal,
      webflow: webflow.writer,
      getSiteToken: async (siteId) => (siteId === SITE ? TOKEN : undefined),
      batchSize: 3,
    });
    const statuses = async () => (await journal.list(SITE, ['pending'], 1)).counts;
    return { journal, applier, statuses };
  }

  it('applies pending alt text and display names with one PATCH each, per locale', async () => {
    const webflow = fakeWebflow({
      a1: { displayName: 'door.jpg', altText: { '': '', fr: '' } },
      a2: { displayName: 'IMG_1.jpg', altText: { '': null } },
    });
    const { journal, applier } = setup(webflow);
    await journal.record(SITE, 'u1', {
      changes: [
        alt('a1', '', 'A red door'),
        alt('a1', '', 'Une porte rouge', 'fr'),
        alt('a2', null, 'A lake'),
        { assetId: 'a2', field: 'displayName', before: 'IMG_1.jpg', after: 'Lake' },
      ],
    });
    await applier.drain(SITE);
    expect(webflow.assets.a1?.altText).toEqual({ '': 'A red door', fr: 'Une porte rouge' });
    expect(webflow.assets.a2).toEqual({ displayName: 'Lake', altText: { '': 'A lake' } });
    expect(webflow.patches).toHaveLength(4);
    const { changes } = await journal.list(SITE, ['applied'], 10);
    expect(changes.map((c) => c.appliedBy)).toEqual(['server', 'server', 'server', 'server']);
  });

  it('writes a locale that inherits the primary’s alt text when Webflow reads it as empty', async () => {
    const webflow = fakeWebflow({ a1: { displayName: 'door.jpg', altText: { '': 'A red door', fr: '' } } });
    const { journal, applier } = setup(webflow);
    await journal.record(SITE, 'u1', { changes: [alt('a1', 'A red door', 'Une porte rouge', 'fr')] });
    await applier.drain(SITE);
    expect(webflow.assets.a1?.altText).toEqual({ '': 'A red door', fr: 'Une porte rouge' });
    expect((await journal.list(SITE, ['applied'], 10)).changes).toHaveLength(1);
  });

  it('still reports a conflict when a locale’s own alt text changed in Webflow', async () => {
    const webflow = fakeWebflow({ a1: { displayName: 'door.jpg', altText: { '': 'A red door', fr: 'Porte' } } });
    const { journal, applier } = setup(webflow);
    await journal.record(SITE, 'u1', { changes: [alt('a1', 'A red door', 'Une porte rouge', 'fr')] });
    await applier.drain(SITE);
    expect(webflow.patches).toEqual([]);
    expect((await journal.list(SITE, ['conflict'], 10)).changes[0]?.current).toBe('Porte');
  });

  it('puts Webflow back as it was when an applied batch is undone', async () => {
    const webflow = fakeWebflow({
      a1: { displayName: 'door.jpg', altText: { '': '' } },
      a2: { displayName: 'lake.jpg', altText: { '': 'Old lake' } },
    });
    const { journal, applier } = setup(webflow);
    const batch = await journal.record(SITE, 'u1', {
      changes: [alt('a1', '', 'A red door'), alt('a2', 'Old lake', null), alt('a1', 'A red door', 'A door')],
    });
    await applier.drain(SITE);
    expect(webflow.assets.a1?.altText['']).toBe('A door');
    expect(webflow.assets.a2?.altText['']).toBeNull();
    await journal.undo(SITE, batch.id, 'u1');
    await applier.drain(SITE);
    expect(webflow.assets.a1?.altText['']).toBe('');
    expect(webflow.assets.a2?.altText['']).toBe('Old lake');
    expect((await journal.list(SITE, ['pending', 'conflict', 'failed'], 10)).changes).toEqual([]);
  });

  it('marks a change as conflicting when Webflow changed it, without writing', async () => {
    const webflow = fakeWebflow({ a1: { displayName: 'door.jpg', altText: { '': 'Written in Webflow' } } });
    const { journal, applier } = setup(webflow);
    await journal.record(SITE, 'u1', { changes: [alt('a1', '', 'A red door')] });
    await applier.drain(SITE);
    expect(webflow.patches).toEqual([]);
    const { changes } = await journal.list(SITE, ['conflict'], 10);
    expect(changes[0]).toMatchObject({ status: 'conflict', current: 'Written in Webflow' });
  });

  it('counts a change Webflow already has as applied, without a second PATCH', async () => {
    const webflow = fakeWebflow({ a1: { displayName: 'door.jpg', altText: { '': 'A red door' } } });
    const { journal, applier } = setup(webflow);
    await journal.record(SITE, 'u1', { changes: [alt('a1', '', 'A red door')] });
    await applier.drain(SITE);
    expect(webflow.patches).toEqual([]);
    expect((await journal.list(SITE, ['applied'], 10)).changes).toHaveLength(1);
  });

  it('leaves folder moves to a Designer applier', async () => {
    const webflow = fakeWebflow({ a1: { displayName: 'door.jpg', altText: { '': '' } } });
    const { journal, applier } = setup(webflow);
    await journal.record(SITE, 'u1', { changes: [{ assetId: 'a1', field: 'folder', before: null, after: 'f1' }] });
    await applier.drain(SITE);
    expect((await journal.list(SITE, ['pending'], 10)).changes.map((c) => c.field)).toEqual(['folder']);
  });

  it('stands back while a Designer applier is at work, and never touches its changes', async () => {
    const webflow = fakeWebflow({ a1: { displayName: 'door.jpg', altText: { '': '' } } });
    const { journal, applier } = setup(webflow);
    await journal.record(SITE, 'u1', { changes: [alt('a1', '', 'A red door'), alt('a2', '', 'x')] });
    await journal.lease(SITE, { applierId: 'designer-applier', kind: 'designer', limit: 1, seconds: 30 });
    await applier.drain(SITE);
    expect(webflow.patches).toEqual([]);
    expect((await journal.list(SITE, ['leased', 'pending'], 10)).changes.map((c) => c.status)).toEqual([
      'leased',
      'pending',
    ]);
  });

  it('leaves a change to the applier that took it while Webflow was slow to answer', async () => {
    const webflow = fakeWebflow({ a1: { displayName: 'door.jpg', altText: { '': '' } } });
    const journal = createJournal({ store: stores.current() });
    await journal.record(SITE, 'u1', { changes: [alt('a1', '', 'A red door')] });
    const slowGet = webflow.writer.getAsset;
    const writer: AssetWriter = {
      ...webflow.writer,
      async getAsset(token, assetId, options) {
        // The lease (1 s) lapses during this read, and a Designer applier takes the change.
        await until('the server applier’s lease lapsed', async () => (await journal.list(SITE, ['pending'], 1)).counts.pending === 1);
        await journal.lease(SITE, { applierId: 'designer-applier', kind: 'designer', limit: 10, seconds: 30 });
        return slowGet(token, assetId, options);
      },
    };
    const applier = createServerApplier({ journal, webflow: writer, getSiteToken: async () => TOKEN, leaseSeconds: 1 });
    await applier.drain(SITE);
    expect(webflow.patches).toEqual([]);
    const [change] = (await journal.list(SITE, ['leased'], 10)).changes;
    expect(change?.status).toBe('leased');
  });

  /** A request that waits for quota until its caller stops waiting, as the quota's acquire does behind a crawl. */
  const waitsForQuota = (signal: AbortSignal | undefined) =>
    new Promise<never>((_resolve, reject) => signal?.addEventListener('abort', () => reject(new QuotaWaitStopped())));

  it('hands its batch to a Designer applier that asks for work while its reads wait for quota, having sent nothing', async () => {
    const webflow = fakeWebflow({
      a1: { displayName: 'a.jpg', altText: { '': '' } },
      a2: { displayName: 'b.jpg', altText: { '': '' } },
      a3: { displayName: 'c.jpg', altText: { '': '' } },
    });
    const journal = createJournal({ store: stores.current() });
    await journal.record(SITE, 'u1', { changes: [alt('a1', '', 'one'), alt('a2', '', 'two'), alt('a3', '', 'three')] });
    const waiting: string[] = [];
    const writer: AssetWriter = {
      ...webflow.writer,
      getAsset(_token, assetId, options) {
        waiting.push(assetId);
        return waitsForQuota(options.signal);
      },
    };
    const givenBack: string[] = [];
    const applier = createServerApplier({ journal, webflow: writer, getSiteToken: async () => TOKEN, onGivenBack: (siteId) => givenBack.push(siteId) });
    const draining = applier.drain(SITE);
    await until('every lane waiting for quota', async () => waiting.length === 3);
    // A panel opens: the server holds every change.
    expect((await journal.lease(SITE, designerLease)).changes).toEqual([]);
    expect(await applier.standBack(SITE)).toBe(true);
    // A panel's long poll waiting for the site's work is woken for them.
    expect(givenBack).toEqual([SITE]);
    const lease = await journal.lease(SITE, designerLease);
    // Given back untouched: the panel's is the first grant that counts.
    expect(lease.changes.map((change) => [change.assetId, change.leaseCount])).toEqual([
      ['a1', 1],
      ['a2', 1],
      ['a3', 1],
    ]);
    await draining;
    expect(webflow.patches).toEqual([]);
    // Nothing under way any more, and the drain stands back for the panel.
    expect(await applier.standBack(SITE)).toBe(false);
    await applier.drain(SITE);
    expect(waiting).toHaveLength(3);
  });

  it('stands back by itself when a Designer applier arrives through another backend process', async () => {
    const webflow = fakeWebflow({ a1: { displayName: 'a.jpg', altText: { '': '' } }, a2: { displayName: 'b.jpg', altText: { '': '' } } });
    const journal = createJournal({ store: stores.current() });
    await journal.record(SITE, 'u1', { changes: [alt('a1', '', 'one'), alt('a2', '', 'two')] });
    let waiting = 0;
    const writer: AssetWriter = {
      ...webflow.writer,
      getAsset(_token, _assetId, options) {
        waiting += 1;
        return waitsForQuota(options.signal);
      },
    };
    const givenBack: string[] = [];
    const applier = createServerApplier({ journal, webflow: writer, getSiteToken: async () => TOKEN, onGivenBack: (siteId) => givenBack.push(siteId) });
    const draining = applier.drain(SITE);
    await until('both lanes waiting for quota', async () => waiting === 2);
    // The panel's lease reached another process: nobody calls standBack here; the store tells.
    expect((await journal.lease(SITE, designerLease)).changes).toEqual([]);
    await draining;
    // Told, so a panel waiting in this process hears of them (one in the other process finds them when its wait ends).
    expect(givenBack).toEqual([SITE]);
    expect((await journal.lease(SITE, designerLease)).changes.map((change) => [change.assetId, change.leaseCount])).toEqual([
      ['a1', 1],
      ['a2', 1],
    ]);
    expect(webflow.patches).toEqual([]);
  });

  it('gives back a change whose PATCH was waiting for quota as one that may have landed', async () => {
    const webflow = fakeWebflow({ a1: { displayName: 'a.jpg', altText: { '': '' } } });
    const journal = createJournal({ store: stores.current() });
    await journal.record(SITE, 'u1', { changes: [alt('a1', '', 'one')] });
    let patching = false;
    const writer: AssetWriter = {
      ...webflow.writer,
      updateAsset(_token, _assetId, _update, options) {
        // A retry waiting for quota after an attempt whose answer was lost: it may have landed.
        patching = true;
        return waitsForQuota(options.signal);
      },
    };
    const applier = createServerApplier({ journal, webflow: writer, getSiteToken: async () => TOKEN });
    const draining = applier.drain(SITE);
    await until('the PATCH waiting for quota', async () => patching);
    await journal.lease(SITE, designerLease);
    expect(await applier.standBack(SITE)).toBe(true);
    const [change] = (await journal.lease(SITE, designerLease)).changes;
    // A second grant: whoever holds it reads Webflow's value before writing.
    expect(change?.leaseCount).toBe(2);
    await draining;
  });

  it('sends nothing to Webflow until Retry-After has passed after a 429, and loses nothing', async () => {
    // Only Date is the test's: the applier's loop runs on real timers, and its wait is read
    // from Date.now(), which moves only when the test says Retry-After has passed.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    const webflow = fakeWebflow({ a1: { displayName: 'door.jpg', altText: { '': '' } } });
    const reads: string[] = [];
    const counted: AssetWriter = {
      ...webflow.writer,
      getAsset(token, assetId, options) {
        reads.push(assetId);
        return webflow.writer.getAsset(token, assetId, options);
      },
    };
    const real = createJournal({ store: stores.current() });
    let polls = 0;
    const journal: typeof real = {
      ...real,
      sitesWithOpenChanges(fields) {
        polls += 1;
        return real.sitesWithOpenChanges(fields);
      },
    };
    const applier = createServerApplier({ journal, webflow: counted, getSiteToken: async () => TOKEN, pollMs: 5 });
    try {
      await real.record(SITE, 'u1', { changes: [alt('a1', '', 'A red door')] });
      webflow.failNextWith(Object.assign(new Error('Too many requests'), { status: 429, retryAfterSeconds: 60 }));
      applier.start();
      await until('the 429 answered and the change given back', async () => reads.length === 1 && (await real.list(SITE, ['pending'], 1)).counts.pending === 1);

      // Many polls and a kick later, still within Retry-After: not one request.
      const seen = polls;
      applier.kick(SITE);
      await until('five more polls', async () => polls >= seen + 5);
      expect(reads).toEqual(['a1']);
      expect(webflow.patches).toEqual([]);

      vi.setSystemTime(Date.now() + 60_000);
      await until('the change applied', async () => (await real.list(SITE, ['applied'], 1)).counts.applied === 1);
      expect(webflow.patches).toEqual([{ assetId: 'a1', altText: 'A red door' }]);
    } finally {
      await applier.stop();
      vi.useRealTimers();
    }
  });

  it('keeps several requests in flight, and an asset\'s changes in the order they were made', async () => {
    const webflow = fakeWebflow({
      a1: { displayName: 'door.jpg', altText: { '': '' } },
      a2: { displayName: 'lake.jpg', altText: { '': '' } },
      a3: { displayName: 'tree.jpg', altText: { '': '' } },
      a4: { displayName: 'sky.jpg', altText: { '': '' } },
    });
    let inFlight = 0;
    let most = 0;
    // Each write is held until two were in flight at once (as they are with Webflow's latency),
    // not for a time: a busy machine may take any time to start the second. An applier that
    // sends one at a time lets the first go only at the deadline, and `most` stays 1.
    let overlapped!: () => void;
    const overlap = new Promise<void>((resolve) => (overlapped = resolve));
    const deadline = setTimeout(overlapped, 10_000);
    const slow: AssetWriter = {
      ...webflow.writer,
      async updateAsset(token, assetId, update, options) {
        inFlight += 1;
        most = Math.max(most, inFlight);
        if (most > 1) overlapped();
        await overlap;
        inFlight -= 1;
        return webflow.writer.updateAsset(token, assetId, update, options);
      },
    };
    const journal = createJournal({ store: stores.current() });
    const applier = createServerApplier({ journal, webflow: slow, getSiteToken: async () => TOKEN, batchSize: 10 });
    await journal.record(SITE, 'u1', {
      changes: [alt('a1', '', 'A door'), alt('a1', 'A door', 'A red door'), alt('a2', '', 'A lake'), alt('a3', '', 'A tree'), alt('a4', '', 'The sky')],
    });
    await applier.drain(SITE);
    clearTimeout(deadline);
    expect(most).toBeGreaterThan(1);
    expect(webflow.patches.filter((p) => p.assetId === 'a1').map((p) => p.altText)).toEqual(['A door', 'A red door']);
    expect(webflow.assets.a1?.altText['']).toBe('A red door');
    expect((await journal.list(SITE, ['pending'], 1)).counts).toMatchObject({ pending: 0, applied: 5, conflict: 0 });
  });

  it('fails a change after Webflow answered 500 five times in a row, and goes on with the others', async () => {
    const webflow = fakeWebflow({
      a1: { displayName: 'door.jpg', altText: { '': '' } },
      a2: { displayName: 'lake.jpg', altText: { '': '' } },
    });
    const { journal, statuses } = setup(webflow);
    const failing: AssetWriter = {
      ...webflow.writer,
      async getAsset(token, assetId, options) {
        if (assetId === 'a1') throw Object.assign(new Error('Webflow answered 500'), { status: 500 });
        return webflow.writer.getAsset(token, assetId, options);
      },
    };
    const applier = createServerApplier({ journal, webflow: failing, getSiteToken: async () => TOKEN, classifyError: (error) => {
      const verdict = defaultClassifyError(error);
      return 'retryInMs' in verdict ? { ...verdict, retryInMs: 0 } : verdict;
    } });
    await journal.record(SITE, 'u1', { changes: [alt('a1', '', 'A red door'), alt('a2', '', 'A lake')] });
    for (let round = 1; round < UNAVAILABLE_TRIES; round++) {
      await applier.drain(SITE);
      // The other asset's change went out beside it, in a lane of its own.
      expect(await statuses()).toMatchObject({ pending: 1, applied: 1, failed: 0 });
    }
    await applier.drain(SITE);
    expect(await statuses()).toMatchObject({ pending: 0, failed: 1, applied: 1 });
    const [failed] = (await journal.list(SITE, ['failed'], 10)).changes;
    expect(failed?.error).toMatch(/after 5 tries \(Webflow answered 500\); retry it later/);
  });

  it('fails a change whose asset is gone, with a message the user can act on', async () => {
    const webflow = fakeWebflow({});
    const { journal, applier } = setup(webflow);
    await journal.record(SITE, 'u1', { changes: [alt('gone', '', 'x')] });
    await applier.drain(SITE);
    const [failed] = (await journal.list(SITE, ['failed'], 10)).changes;
    expect(failed?.error).toMatch(/no longer on Webflow/);
  });

  it('leaves a site without an installation alone', async () => {
    const webflow = fakeWebflow({ a1: { displayName: 'door.jpg', altText: { '': '' } } });
    const { journal, applier } = setup(webflow);
    await journal.record('site-not-installed', 'u1', { changes: [alt('a1', '', 'x')] });
    await applier.drain('site-not-installed');
    expect((await journal.list('site-not-installed', ['pending'], 10)).changes).toHaveLength(1);
  });

  it('finds sites with work by itself once started', async () => {
    const webflow = fakeWebflow({ a1: { displayName: 'door.jpg', altText: { '': '' } } });
    const journal = createJournal({ store: stores.current() });
    await journal.record(SITE, 'u1', { changes: [alt('a1', '', 'A red door')] });
    const applied = new Promise<string[]>((resolve) =>
      journal.onApplied((_siteId, changes) => resolve(changes.map((c) => c.after ?? ''))),
    );
    const applier = createServerApplier({ journal, webflow: webflow.writer, getSiteToken: async () => TOKEN, pollMs: 50 });
    applier.start();
    try {
      expect(await applied).toEqual(['A red door']);
    } finally {
      await applier.stop();
    }
  });
});

describe.each(testStoreKinds)('server applier reading a listing on %s', (kind) => {
  const stores = useTestStore(kind);

  /**
   * A site of `size` assets with empty alt text (in the primary locale and `locales`), listed
   * 100 a page, counting every request and the listing's pages asked for. `pace`: the listing's
   * clock moves on this much with each request, as Webflow's quota spaces them (120 a minute:
   * 500 ms), so the test plays an hour of Webflow's pace in no time.
   */
  function listedSite(size: number, options: { listingArrives?: Promise<void>; locales?: string[]; pace?: number; gate?: (page: string, nth: number) => Promise<void> | undefined } = {}) {
    const ids = Array.from({ length: size }, (_, i) => `a${i}`);
    const webflow = fakeWebflow(
      Object.fromEntries(
        ids.map((id) => [id, { displayName: `${id}.jpg`, altText: Object.fromEntries(['', ...(options.locales ?? [])].map((locale) => [locale, ''])) as Record<string, string | null> }]),
      ),
    );
    const requests = { get: 0, list: 0, patch: 0 };
    const pages: string[] = [];
    let clock = Date.parse('2026-12-01T00:00:00Z');
    const step = () => (clock += options.pace ?? 0);
    const writer: AssetWriter = {
      getAsset: (...args) => (requests.get++, step(), webflow.writer.getAsset(...args)),
      updateAsset: (...args) => (requests.patch++, step(), webflow.writer.updateAsset(...args)),
      async listAssets(_token, _siteId, { offset, limit, localeId }) {
        requests.list++;
        step();
        const page = `${localeId ?? ''}@${offset}`;
        pages.push(page);
        await options.listingArrives;
        await options.gate?.(page, pages.filter((each) => each === page).length);
        const assets = ids.slice(offset, offset + limit).map((id) => ({
          id,
          displayName: webflow.assets[id]!.displayName,
          altText: webflow.assets[id]!.altText[localeId ?? ''] ?? null,
        }));
        return { assets, pagination: { total: ids.length } };
      },
    };
    const journal = createJournal({ store: stores.current() });
    const applier = createServerApplier({ journal, webflow: writer, getSiteToken: async () => TOKEN, ...(options.pace ? { listingClock: () => clock } : {}) });
    return { webflow, requests, pages, journal, applier };
  }

  /** `count` different assets out of `size`, in an order unrelated to the listing's (as a CSV sorted by name). */
  const scattered = (size: number, count: number) => Array.from({ length: count }, (_, n) => `a${(n * 7919) % size}`);

  it('applies many changes with one PATCH each and a listing instead of a GET each', async () => {
    const { webflow, requests, journal, applier } = listedSite(250);
    await journal.record(SITE, 'u1', { changes: Array.from({ length: 200 }, (_, i) => alt(`a${i}`, '', `Alt ${i}`)) });
    await applier.drain(SITE);
    expect(requests).toEqual({ get: 0, list: 3, patch: 200 });
    expect(webflow.assets.a199?.altText['']).toBe('Alt 199');
    expect((await journal.list(SITE, ['applied'], 1)).counts.applied).toBe(200);
  });

  it('reads the first page ahead while a batch is recorded, and the drain waits for it rather than reading it again', async () => {
    let arrive = () => {};
    const listingArrives = new Promise<void>((resolve) => (arrive = resolve));
    const { requests, pages, journal, applier } = listedSite(250, { listingArrives });
    applier.start();
    try {
      const changes = Array.from({ length: 200 }, (_, i) => alt(`a${i}`, '', `Alt ${i}`));
      const ahead = applier.readAhead(SITE, changes);
      await journal.record(SITE, 'u1', { changes });
      const drained = applier.drain(SITE);
      await until('the read-ahead’s request', async () => requests.list > 0);
      arrive();
      await Promise.all([ahead, drained]);
      // Each page once, in the listing's order: the first by the read-ahead only.
      expect(pages).toEqual(['@0', '@100', '@200']);
      expect(requests).toEqual({ get: 0, list: 3, patch: 200 });
      expect((await journal.list(SITE, ['applied'], 1)).counts.applied).toBe(200);
    } finally {
      await applier.stop();
    }
  });

  it('hands its batch to a Designer applier that asks for work while the page in the changes’ locale waits for quota', async () => {
    let arrive = () => {};
    const frenchPage = new Promise<void>((resolve) => (arrive = resolve));
    const { requests, journal, applier } = listedSite(150, { locales: ['fr'], gate: (page) => (page.startsWith('fr@') ? frenchPage : undefined) });
    await journal.record(SITE, 'u1', { changes: Array.from({ length: 100 }, (_, i) => alt(`a${i}`, '', `Porte ${i}`, 'fr')) });
    const draining = applier.drain(SITE);
    await until('the French page asked for', async () => requests.list === 2);
    // The first page's changes are leased; the panel opens and finds nothing it may take.
    expect((await journal.lease(SITE, designerLease)).changes).toEqual([]);
    expect(await applier.standBack(SITE)).toBe(true);
    const lease = await journal.lease(SITE, { ...designerLease, limit: 500 });
    expect(lease.changes).toHaveLength(100);
    expect(lease.changes.every((change) => change.leaseCount === 1)).toBe(true);
    arrive();
    await draining;
    expect(requests.patch).toBe(0);
  });

  it('hands the rest of its batch to a Designer applier while a page read again (its trust lapsed) waits for quota', async () => {
    let arrive = () => {};
    const secondRead = new Promise<void>((resolve) => (arrive = resolve));
    // Each request moves the listing's clock on 500 ms: after 60 the page's 30 s of trust are over.
    const { requests, journal, applier } = listedSite(100, { pace: 500, gate: (_page, nth) => (nth === 2 ? secondRead : undefined) });
    await journal.record(SITE, 'u1', { changes: Array.from({ length: 100 }, (_, i) => alt(`a${i}`, '', `Alt ${i}`)) });
    const draining = applier.drain(SITE);
    await until('the page asked for again', async () => requests.list === 2);
    const sent = requests.patch;
    expect(sent).toBeGreaterThan(0);
    expect(sent).toBeLessThan(100);
    expect(await applier.standBack(SITE)).toBe(true);
    const lease = await journal.lease(SITE, { ...designerLease, limit: 500 });
    // Every change not sent goes to the panel untouched; none is written twice.
    expect(lease.changes).toHaveLength(100 - sent);
    expect(lease.changes.every((change) => change.leaseCount === 1)).toBe(true);
    arrive();
    await draining;
    expect(requests.patch).toBe(sent);
  });

  it('walks a scattered import page by page at Webflow’s pace: a read or two a page, never one a change', async () => {
    const { webflow, requests, journal, applier } = listedSite(2_000, { pace: 500 });
    const assetIds = scattered(2_000, 1_500);
    await journal.record(SITE, 'u1', { changes: assetIds.map((id) => alt(id, '', `Alt of ${id}`)) });
    await applier.drain(SITE);
    // 20 pages; a page's ~75 changes take ~37 s at 2 requests a second, past the 30 s a read is
    // trusted: its last changes read it once more. Leased in the order recorded, each batch of
    // 100 would sit on most pages, read again for nearly every change.
    expect(requests.get).toBe(0);
    expect(requests.patch).toBe(1_500);
    expect(requests.list).toBeLessThanOrEqual(40);
    expect((await journal.list(SITE, ['applied'], 1)).counts.applied).toBe(1_500);
    expect(assetIds.every((id) => webflow.assets[id]!.altText[''] === `Alt of ${id}`)).toBe(true);
  });

  it('walks every locale of the changes, each page read in each locale', async () => {
    const { webflow, requests, pages, journal, applier } = listedSite(1_000, { locales: ['fr', 'de'] });
    const assetIds = scattered(1_000, 600);
    await journal.record(SITE, 'u1', {
      changes: assetIds.flatMap((id) => [alt(id, '', `Alt of ${id}`), alt(id, '', `Texte de ${id}`, 'fr'), alt(id, '', `Text von ${id}`, 'de')]),
    });
    await applier.drain(SITE);
    expect(requests).toEqual({ get: 0, list: 30, patch: 1_800 });
    expect(new Set(pages).size).toBe(30);
    expect(assetIds.every((id) => webflow.assets[id]!.altText.fr === `Texte de ${id}` && webflow.assets[id]!.altText.de === `Text von ${id}`)).toBe(true);
  });

  it('does not read ahead while a Designer applier is at work', async () => {
    const { requests, journal, applier } = listedSite(250);
    applier.start();
    try {
      await journal.lease(SITE, { applierId: 'designer-1', kind: 'designer', limit: 1, seconds: 30 });
      await applier.readAhead(SITE, Array.from({ length: 200 }, (_, i) => alt(`a${i}`, '', `Alt ${i}`)));
      expect(requests).toEqual({ get: 0, list: 0, patch: 0 });
    } finally {
      await applier.stop();
    }
  });

  it('confirms with a GET what the listing shows differently, so a stale listing marks no false conflict', async () => {
    const { webflow, requests, journal, applier } = listedSite(150);
    await journal.record(SITE, 'u1', { changes: Array.from({ length: 120 }, (_, i) => alt(`a${i}`, '', `Alt ${i}`)) });
    await applier.drain(SITE);
    // After the listing was read, a Designer applier wrote a0; the next change builds on that.
    webflow.assets.a0!.altText[''] = 'Written in the Designer';
    await journal.record(SITE, 'u1', {
      changes: [
        alt('a0', 'Written in the Designer', 'Mine'),
        alt('a1', 'Alt 1', 'Again'),
        ...Array.from({ length: 20 }, (_, i) => alt(`a${i + 2}`, `Alt ${i + 2}`, 'More')),
      ],
    });
    const before = { ...requests };
    await applier.drain(SITE);
    expect({ list: requests.list - before.list, get: requests.get - before.get }).toEqual({ list: 0, get: 1 });
    expect((await journal.list(SITE, ['conflict'], 10)).changes).toEqual([]);
    expect(webflow.assets.a0?.altText['']).toBe('Mine');
    expect(webflow.assets.a1?.altText['']).toBe('Again');
  });

  it('reads the value again after a PATCH whose answer was lost, and does not write twice', async () => {
    const { webflow, requests, journal, applier } = listedSite(150);
    const updateAsset = webflow.writer.updateAsset;
    let lose = true;
    webflow.writer.updateAsset = async (...args) => {
      const written = await updateAsset(...args);
      if (lose && args[1] === 'a5') {
        lose = false;
        throw Object.assign(new Error('Webflow answered 500'), { status: 500 });
      }
      return written;
    };
    await journal.record(SITE, 'u1', { changes: Array.from({ length: 120 }, (_, i) => alt(`a${i}`, '', `Alt ${i}`)) });
    await applier.drain(SITE);
    await applier.drain(SITE);
    expect(webflow.patches.filter((patch) => patch.assetId === 'a5')).toHaveLength(1);
    expect((await journal.list(SITE, ['applied'], 1)).counts.applied).toBe(120);
    expect(requests.get).toBe(1);
  });

  it('reads assets one by one when the site has more pages than changes waiting', async () => {
    const { requests, journal, applier } = listedSite(1500);
    // One change on each of 12 pages.
    const assetIds = Array.from({ length: 12 }, (_, i) => `a${i * 100 + 50}`);
    await journal.record(SITE, 'u1', { changes: assetIds.map((id) => alt(id, '', 'Alt')) });
    await applier.drain(SITE);
    // The first page tells the site's size (15 pages for 12 changes): its change is listed there,
    // the 11 others are read one by one.
    expect(requests).toEqual({ get: 11, list: 1, patch: 12 });
    await journal.record(SITE, 'u1', { changes: assetIds.map((id) => alt(id, 'Alt', 'Again')) });
    await applier.drain(SITE);
    expect(requests).toEqual({ get: 22, list: 1, patch: 24 });
  });
});

describe('classifying Webflow errors', () => {
  it('waits on rate limits, server errors and network trouble', () => {
    expect(defaultClassifyError(Object.assign(new Error('slow down'), { status: 429, retryAfterSeconds: 7 }))).toEqual({
      retryInMs: 7000,
      reason: 'rate_limited',
      message: 'slow down',
    });
    expect(defaultClassifyError(Object.assign(new Error('oops'), { status: 503 }))).toHaveProperty('retryInMs');
    expect(defaultClassifyError(Object.assign(new Error('reset'), { name: 'NetworkError' }))).toHaveProperty('retryInMs');
  });

  it('waits when the site’s token is refused, rather than failing every change', () => {
    expect(defaultClassifyError(Object.assign(new Error('not authorized'), { status: 401 }))).toMatchObject({
      retryInMs: 60_000,
      reason: 'not_authorized',
    });
  });

  it('fails the change on a refusal, with Webflow’s message', () => {
    expect(defaultClassifyError(Object.assign(new Error('missing scope'), { status: 403 }))).toEqual({
      failed: 'Webflow refused the change: missing scope',
    });
  });
});
