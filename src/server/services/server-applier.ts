/**
 * The server applier: when no panel is open to apply a site's changes in the Designer, the
 * backend applies alt text and display names itself with `PATCH /v2/assets/{id}?localeId=`,
 * within the site's API quota (as background work). Folder moves wait for a Designer applier.
 *
 * Exactly once across crashes: a change is applied only under this applier's lease and
 * acknowledged right after; if the process dies in between, the lease lapses and the change
 * is leased again, and the GET before the PATCH finds Webflow already holding the new value,
 * so it is acknowledged as applied without a second PATCH.
 */
import { randomUUID } from 'node:crypto';
import type { Change, ChangeInput } from '../../core/api.ts';
import type { CmsApplier, CmsApplierContext } from '../cms/applier.ts';
import { SERVER_FIELDS, type AckResult, type Journal } from './journal.ts';
import { createAssetSnapshots, PAGE, type BatchReads, type ListAssets, type ListedAsset } from './server-applier-reads.ts';
import { createSiteLoop } from './site-loop.ts';
import type { Priority } from '../webflow/types.ts';
import { defaultClassifyError, UNAVAILABLE_TRIES, type ErrorVerdict } from './apply-errors.ts';
import { QuotaWaitStopped } from '../webflow/quota.ts';

/** What the server applier needs of the Webflow client (C2's client satisfies it). */
export interface AssetWriter {
  /** `signal`: stops the wait for quota (then QuotaWaitStopped, and nothing was sent). */
  getAsset(
    token: string,
    assetId: string,
    options: { localeId?: string; priority: Priority; signal?: AbortSignal },
  ): Promise<{ displayName?: string | null; altText?: string | null }>;
  /** `signal`: stops the wait for quota; QuotaWaitStopped here may follow an attempt that landed. */
  updateAsset(
    token: string,
    assetId: string,
    update: { localeId?: string; altText?: string | null; displayName?: string },
    options: { priority: Priority; signal?: AbortSignal },
  ): Promise<unknown>;
  /** Optional: one page of the site's assets, to read many values in one request. */
  listAssets?: ListAssets;
}


/** A walk through a site's listing: the next page's offset, the listing's size once read, the changes it began for. */
interface Walk {
  offset: number;
  total: number;
  waiting: number;
}

/** A change whose lane stopped while waiting for quota (a Designer applier took the site's work over). */
interface Stopped {
  stopped: true;
  /** A PATCH was tried before the stop: it may have landed, so the change is not given back as untouched. */
  mayHaveLanded: boolean;
}

/**
 * How often a batch under way asks the store whether a Designer applier arrived: one in another
 * backend process sharing the store, whose lease request cannot reach this one's standBack.
 */
const DESIGNER_CHECK_MS = 1_000;

const STOPPED = Symbol('stopped');

/** `promise`'s value, or STOPPED as soon as `signal` aborts (the promise goes on, unheard). */
function unlessStopped<T>(promise: Promise<T>, signal: AbortSignal): Promise<T | typeof STOPPED> {
  if (signal.aborted) return Promise.resolve(STOPPED);
  return new Promise((resolve, reject) => {
    const stopped = (): void => resolve(STOPPED);
    signal.addEventListener('abort', stopped, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', stopped);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', stopped);
        reject(error);
      },
    );
  });
}

/** Outcomes acknowledged to the journal together. */
const ACK_EVERY = 20;
/** Requests in flight per site (the quota still decides when each may go). */
const LANES = 4;

export interface ServerApplierOptions {
  journal: Journal;
  webflow: AssetWriter;
  /** The site's access token, or undefined when the site has no installation. */
  getSiteToken(siteId: string): Promise<string | undefined>;
  applierId?: string;
  /** How long a lease lasts; it is renewed while the work goes on. */
  leaseSeconds?: number;
  /** Changes leased at a time. */
  batchSize?: number;
  /** How often to look for sites with work. */
  pollMs?: number;
  /** Stand back while a Designer applier asked for work within this many seconds. */
  designerGraceSeconds?: number;
  /** How long a page of the site's listing is trusted to skip the GET before a PATCH. */
  listingMaxAgeMs?: number;
  /** The clock of the listing's ages (a test's; the system's otherwise). */
  listingClock?: () => number;
  classifyError?: (error: unknown) => ErrorVerdict;
  /** Told about errors the loop survives (never with a token). */
  onError?: (error: unknown, siteId: string) => void;
  /**
   * Told when a batch gave changes back to the journal (it stood back, or left some for a later
   * look): a panel waiting for the site's work leases them now.
   */
  onGivenBack?: (siteId: string) => void;
  /**
   * The CMS part (src/server/cms/applier.ts): CMS changes are this applier's alone, applied even
   * while a Designer applier is here (it cannot apply them). Absent: CMS changes wait.
   */
  cms?: (context: CmsApplierContext) => Pick<CmsApplier, 'drain'>;
}

export type ServerApplier = ReturnType<typeof createServerApplier>;

export function createServerApplier(options: ServerApplierOptions) {
  const {
    journal,
    webflow,
    getSiteToken,
    applierId = `server-${randomUUID()}`,
    leaseSeconds = 60,
    batchSize = 100,
    pollMs = 2000,
    designerGraceSeconds = 20,
    listingMaxAgeMs = 30_000,
    classifyError = defaultClassifyError,
    onError = () => {},
    onGivenBack = () => {},
  } = options;

  const snapshots = webflow.listAssets
    ? createAssetSnapshots({ listAssets: webflow.listAssets.bind(webflow), maxAgeMs: listingMaxAgeMs, ...(options.listingClock ? { now: options.listingClock } : {}) })
    : undefined;
  const loop = createSiteLoop({
    drainSite: (siteId) => drainSite(siteId),
    sitesWithWork: () => journal.sitesWithOpenChanges(SERVER_FIELDS),
    pollMs,
    onError,
  });
  const cms = options.cms?.({ journal, applierId, leaseSeconds, classifyError, unavailableTries: UNAVAILABLE_TRIES, isStopped: () => loop.stopped });
  /**
   * Each site's walk through its listing, when more changes wait than the listing has pages:
   * the applier reads the listing page by page and leases the changes of each page's assets
   * together, so one read serves them all however the changes were ordered
   * (docs/decisions/server-applier-walk.md).
   */
  const walks = new Map<string, Walk>();
  /** The newest change each site's last walk began with: a next walk is for changes after it. */
  const walkedUpTo = new Map<string, string>();

  /** The site's walk under way, or a new one when enough changes wait for it to pay. */
  async function walkOf(siteId: string): Promise<Walk | undefined> {
    if (!snapshots) return undefined;
    const under = walks.get(siteId);
    if (under) return under;
    const { count, lastId } = await journal.leasable(siteId, SERVER_FIELDS, walkedUpTo.get(siteId));
    if (!snapshots.listingPays(siteId, count)) return undefined;
    walkedUpTo.set(siteId, lastId);
    const walk: Walk = { offset: 0, total: Infinity, waiting: count };
    walks.set(siteId, walk);
    return walk;
  }

  /**
   * The assets of the walk's page, read unless it was read within its max age: 'ended' when the
   * walk is over (past the last page, the site bigger than the work pays to list, or the
   * listing failing: the changes go by GET), 'wait' when Webflow said to wait.
   */
  async function walkPage(siteId: string, token: string, walk: Walk): Promise<readonly string[] | 'ended' | 'wait'> {
    const end = () => {
      walks.delete(siteId);
      return 'ended' as const;
    };
    if (!snapshots || walk.offset >= walk.total) return end();
    try {
      const page = await snapshots.page(token, siteId, null, walk.offset);
      walk.total = page.total;
      if (!snapshots.listingPays(siteId, walk.waiting)) return end();
      return page.assetIds;
    } catch (error) {
      const verdict = classifyError(error);
      if ('retryInMs' in verdict) {
        loop.wait(siteId, verdict.retryInMs);
        return 'wait';
      }
      onError(error, siteId);
      return end();
    }
  }

  /**
   * Each site's batch being applied: a Designer applier that asks for work while this applier
   * holds the site's changes takes them over (standBack), instead of waiting while they queue
   * for the quota behind a crawl (docs/decisions/server-applier-stands-back.md).
   */
  const batches = new Map<string, { stop: AbortController; over: Promise<void> }>();

  /** Tries in a row that found Webflow unavailable, per change (in this process). */
  const unavailableTries = new Map<string, number>();

  /**
   * Reads Webflow's value and writes the change when it still holds the before-value. Checks
   * the lease before each request (a request may wait long for quota): a change another
   * applier took meanwhile is left to it.
   */
  async function applyOne(
    siteId: string,
    token: string,
    change: Change,
    stillHeld: (changeId: string) => Promise<boolean>,
    listed: ListedAsset | undefined,
    signal: AbortSignal,
  ): Promise<AckResult | { retryInMs: number } | { lost: true } | Stopped> {
    const outcome = await tryOnce(siteId, token, change, stillHeld, listed, signal);
    if ('stopped' in outcome) return outcome;
    if (!('retryInMs' in outcome)) {
      unavailableTries.delete(change.id);
      return outcome;
    }
    if (outcome.reason !== 'unavailable') return outcome;
    const tries = (unavailableTries.get(change.id) ?? 0) + 1;
    if (tries < UNAVAILABLE_TRIES) {
      unavailableTries.set(change.id, tries);
      return outcome;
    }
    unavailableTries.delete(change.id);
    return {
      changeId: change.id,
      outcome: 'failed',
      error: `Webflow did not take the change after ${tries} tries (${outcome.message}); retry it later`,
    };
  }

  async function tryOnce(
    siteId: string,
    token: string,
    change: Change,
    stillHeld: (changeId: string) => Promise<boolean>,
    listed: ListedAsset | undefined,
    signal: AbortSignal,
  ): Promise<AckResult | Extract<ErrorVerdict, { retryInMs: number }> | { lost: true } | Stopped> {
    const localeId = change.localeId ?? undefined;
    const valueOf = (asset: { altText?: string | null; displayName?: string | null }) =>
      change.field === 'altText' ? (asset.altText ?? null) : (asset.displayName ?? null);
    let writing = false;
    try {
      if (!(await stillHeld(change.id))) return { lost: true };
      // A fresh listing that shows the before-value spares the GET; anything else is confirmed.
      const listedValue = listed && (change.field === 'altText' ? listed.altText : listed.displayName);
      if (listedValue === undefined || listedValue !== change.before) {
        const asset = await webflow.getAsset(token, change.assetId, {
          ...(localeId ? { localeId } : {}),
          priority: 'background',
          signal,
        });
        let current = valueOf(asset);
        if (localeId && current !== change.before && current !== change.after && (current === null || current === '')) {
          current = await inheritedAltText(token, change, current, signal);
        }
        if (current === change.after) return { changeId: change.id, outcome: 'applied' };
        if (current !== change.before) return { changeId: change.id, outcome: 'conflict', current };
      }
      const update =
        change.field === 'altText' ? { altText: change.after } : { displayName: change.after ?? '' };
      if (!(await stillHeld(change.id))) return { lost: true };
      // Until Webflow answers, the listing cannot know the value: a PATCH that fails may still
      // have landed (its answer lost), so the next try must read it with a GET.
      const written = snapshots?.writing(siteId, change.localeId, change.assetId, change.field === 'altText' ? 'altText' : 'displayName');
      writing = true;
      try {
        await webflow.updateAsset(token, change.assetId, { ...(localeId ? { localeId } : {}), ...update }, {
          priority: 'background',
          signal,
        });
      } catch (error) {
        written?.(undefined);
        throw error;
      }
      written?.(update);
      return { changeId: change.id, outcome: 'applied' };
    } catch (error) {
      // Stopped while waiting for quota: nothing sent, unless a PATCH tried before may have landed.
      if (error instanceof QuotaWaitStopped) return { stopped: true, mayHaveLanded: writing };
      const verdict = classifyError(error);
      if ('retryInMs' in verdict) return verdict;
      return { changeId: change.id, outcome: 'failed', error: verdict.failed };
    }
  }

  /**
   * A secondary locale without alt text of its own shows the primary's, and the journal's
   * before-value says so (the panel records what it shows); Webflow may answer such a locale
   * as empty instead. Then the value to compare is the primary's.
   */
  async function inheritedAltText(token: string, change: Change, current: string | null, signal: AbortSignal): Promise<string | null> {
    const primary = await webflow.getAsset(token, change.assetId, { priority: 'background', signal });
    return (primary.altText ?? null) === change.before ? change.before : current;
  }

  /** Applies the site's open CMS changes, then its asset changes, until none is left or Webflow asks to wait. */
  async function drainSite(siteId: string): Promise<void> {
    if (cms) {
      const token = await getSiteToken(siteId);
      if (!token) {
        loop.wait(siteId, 60_000);
        return;
      }
      const end = await cms.drain(siteId, token);
      if (end.waitMs !== undefined) {
        loop.wait(siteId, end.waitMs);
        return;
      }
    }
    for (;;) {
      if (loop.stopped) return;
      if (await journal.designerActive(siteId, designerGraceSeconds)) {
        snapshots?.forgetExpected(siteId);
        walks.delete(siteId);
        return;
      }
      const token = await getSiteToken(siteId);
      if (!token) {
        loop.wait(siteId, 60_000);
        return;
      }
      // Many changes waiting: the listing's next page, and only its assets' changes are leased.
      const walk = await walkOf(siteId);
      const offset = walk?.offset;
      let assetIds: readonly string[] | undefined;
      if (walk) {
        const page = await walkPage(siteId, token, walk);
        if (page === 'wait') return;
        if (page === 'ended') continue;
        assetIds = page;
      }
      const lease = () =>
        journal.lease(siteId, {
          applierId,
          kind: 'server',
          fields: SERVER_FIELDS,
          limit: batchSize,
          seconds: leaseSeconds,
          serverTargets: ['asset'],
          ...(assetIds ? { assetIds } : {}),
        });
      const leased = await lease();
      const changes = leased.changes;
      if (walk && changes.length < batchSize) walk.offset += PAGE;
      if (changes.length === 0) {
        if (walk) continue;
        snapshots?.forgetExpected(siteId);
        return;
      }
      let expiresAt = leased.leaseExpiresAt;
      let held = new Set(changes.map((c) => c.id));
      let renewing: Promise<void> | undefined;
      // Renew when a third of the lease is left, so no other applier takes these meanwhile
      // (once, however many lanes notice it).
      const stillHeld = async (changeId: string) => {
        if (expiresAt && Date.parse(expiresAt) - Date.now() > (leaseSeconds * 1000) / 3) return held.has(changeId);
        renewing ??= lease()
          .then((renewed) => {
            expiresAt = renewed.leaseExpiresAt;
            held = new Set(renewed.changes.map((c) => c.id));
          })
          .finally(() => {
            renewing = undefined;
          });
        await renewing;
        return held.has(changeId);
      };
      const reads = new Map<string, Promise<BatchReads | undefined>>();
      const readsOf = (change: Change): Promise<BatchReads | undefined> => {
        const locale = change.localeId ?? '';
        let planned = reads.get(locale);
        if (!planned) {
          // Only a first grant may trust the listing: an earlier holder may have written the change.
          const trusting = changes.filter((c) => (c.localeId ?? '') === locale && c.leaseCount === 1).map((c) => c.assetId);
          planned = snapshots ? snapshots.prepare(token, siteId, change.localeId, trusting) : Promise.resolve(undefined);
          reads.set(locale, planned);
        }
        return planned;
      };
      // Outcomes are acknowledged a few at a time: one journal write per change cost more than
      // its PATCH. A crash before the acknowledgement only means a GET when the change is
      // leased again (a change granted before is always read first), never a second PATCH.
      const outcomes: AckResult[] = [];
      const acknowledge = async (): Promise<void> => {
        if (outcomes.length > 0) await journal.ack(siteId, applierId, outcomes.splice(0));
      };
      // A few requests in flight, so the quota's window is spent while it is open rather than
      // waiting on one answer after another; an asset's changes stay in order in one lane.
      const queue = [...groupByAsset(changes)];
      const untouched = new Set(changes.map((c) => c.id));
      /** Changes whose request may have reached Webflow, though its answer said to wait. */
      const mayHaveLanded: string[] = [];
      let waitMs: number | undefined;
      const stop = new AbortController();
      const lane = async (): Promise<void> => {
        for (let group = queue.shift(); group; group = queue.shift()) {
          for (const change of group) {
            if (loop.stopped || waitMs !== undefined || stop.signal.aborted) return;
            // Waiting for a listing page (it waits for quota like any request): a Designer
            // applier arriving meanwhile takes the change untouched; the page is read on, for whoever wants it.
            const listed = change.leaseCount === 1 ? await unlessStopped(readsOf(change).then((reads) => reads?.listed(change.assetId)), stop.signal) : undefined;
            if (listed === STOPPED) return;
            untouched.delete(change.id);
            const result = await applyOne(siteId, token, change, stillHeld, listed, stop.signal);
            if ('stopped' in result) {
              // A Designer applier takes it over; nothing of it was sent, or it is read before it is written again.
              if (result.mayHaveLanded) mayHaveLanded.push(change.id);
              else untouched.add(change.id);
              return;
            }
            if (!('retryInMs' in result)) snapshots?.settled(siteId, change.localeId, change.assetId);
            if ('lost' in result) continue;
            if ('retryInMs' in result) {
              mayHaveLanded.push(change.id);
              waitMs = Math.max(waitMs ?? 0, result.retryInMs);
              return;
            }
            outcomes.push(result);
            if (outcomes.length >= ACK_EVERY) await acknowledge();
          }
        }
      };
      const over = (async () => {
        // The page in the changes' other locales is read first, once for all of its changes (a
        // failure leaves them to their own GETs, which meet the error); inside the batch, so a
        // Designer applier arriving while it waits for quota takes the changes untouched.
        if (offset !== undefined && snapshots) {
          const locales = new Set(changes.flatMap((change) => (change.localeId === null ? [] : [change.localeId])));
          await unlessStopped(Promise.all([...locales].map((localeId) => snapshots.page(token, siteId, localeId, offset).catch(() => undefined))), stop.signal);
        }
        await Promise.all(Array.from({ length: LANES }, lane));
        await acknowledge();
        const givenBack =
          (mayHaveLanded.length > 0 ? await journal.release(siteId, applierId, mayHaveLanded) : 0) +
          (untouched.size > 0 ? await journal.release(siteId, applierId, [...untouched], true) : 0);
        if (givenBack > 0) onGivenBack(siteId);
      })();
      const batch = { stop, over: over.catch(() => undefined) };
      batches.set(siteId, batch);
      const watch = setInterval(() => {
        journal
          .designerActive(siteId, designerGraceSeconds)
          .then((here) => here && stop.abort())
          .catch(() => undefined);
      }, DESIGNER_CHECK_MS);
      try {
        await over;
      } finally {
        clearInterval(watch);
        if (batches.get(siteId) === batch) batches.delete(siteId);
      }
      if (waitMs !== undefined) {
        loop.wait(siteId, waitMs);
        return;
      }
      // Stood back for a Designer applier: the loop's next look finds it here and waits.
      if (loop.stopped || stop.signal.aborted) return;
    }
  }

  return {
    applierId,

    /** Starts looking for work every `pollMs`. */
    start: loop.start,

    /**
     * A Designer applier asked for the site's work and found it leased here: the batch under way
     * stops taking changes, and its lanes waiting for quota stop waiting; what was not sent goes
     * back to the journal. Resolves once it has (a request already sent is answered first), or
     * after `maxWaitMs`. True when a batch was stopped.
     */
    async standBack(siteId: string, maxWaitMs = 2_000): Promise<boolean> {
      const batch = batches.get(siteId);
      if (!batch) return false;
      batch.stop.abort();
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([batch.over, new Promise<void>((resolve) => (timer = setTimeout(resolve, maxWaitMs)))]);
      clearTimeout(timer);
      return true;
    },

    /** Looks for work now (e.g. right after a batch was recorded); a site told to wait (Retry-After, no installation) keeps waiting. */
    kick(siteId?: string): void {
      if (siteId) loop.kick(siteId);
      else loop.pollNow();
    },

    /**
     * Reads ahead while the journal records a batch (1,000 changes take ~100 ms to insert on
     * PGlite): the listings the drain will want are on their way before it takes its lease, and
     * the drain waits for them rather than reading again; the batch's assets are remembered as
     * expected, so a stale page is read again for them later. Nothing when a Designer applier
     * is here (it applies the changes), the site was told to wait, or a listing would not pay.
     */
    async readAhead(siteId: string, changes: readonly ChangeInput[]): Promise<void> {
      if (loop.stopped || !snapshots || !loop.mayRun(siteId)) return;
      const perLocale = new Map<string, string[]>();
      for (const change of changes) {
        // Element changes are the Designer's alone (docs/decisions/element-changes.md); CMS changes are read otherwise.
        if (SERVER_FIELDS.includes(change.field) && (change.target?.kind ?? 'asset') === 'asset') {
          const assetIds = perLocale.get(change.localeId ?? '') ?? [];
          assetIds.push(change.assetId);
          perLocale.set(change.localeId ?? '', assetIds);
        }
      }
      // A save of a few changes (the usual one) asks the store nothing.
      if (![...perLocale.values()].some((assetIds) => snapshots.listingPays(siteId, assetIds.length))) return;
      try {
        // Both asked at once, so they go before the batch's insert on a store with one connection.
        const [designerHere, token] = await Promise.all([journal.designerActive(siteId, designerGraceSeconds), getSiteToken(siteId)]);
        if (designerHere || !token) return;
        await Promise.all([...perLocale].map(([localeId, assetIds]) => snapshots.readAhead(token, siteId, localeId || null, assetIds)));
      } catch (error) {
        onError(error, siteId);
      }
    },

    /** Applies one site's open changes now and resolves when none is left (or it must wait). */
    drain: loop.drain,

    /** Stops after the change being applied; changes leased but not begun go back to pending. */
    stop: loop.stop,
  };
}

/** The changes of each asset, in the order leased, one list per asset. */
function groupByAsset<T extends Change>(changes: readonly T[]): T[][] {
  const groups = new Map<string, T[]>();
  for (const change of changes) {
    const group = groups.get(change.assetId);
    if (group) group.push(change);
    else groups.set(change.assetId, [change]);
  }
  return [...groups.values()];
}
