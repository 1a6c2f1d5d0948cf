/**
 * The server applier's CMS work (docs/decisions/cms-changes.md): the site's open CMS changes
 * are leased together, grouped by collection and CMS locale; the items' staged values are read
 * (a listing when it costs fewer requests than one GET per item), each change's use is compared
 * with its before-value, and every item with something to write is sent in one
 * `PATCH /v2/collections/{id}/items`, 100 items a request, within the site's quota.
 *
 * Exactly once: a change is written only under this applier's lease, after a read of the item
 * shows its before-value; a change whose use already shows its after-value (an earlier write
 * whose acknowledgement was lost) is acknowledged without a write. A PATCH that failed in a way
 * that may have landed releases its changes; the next lease reads again and sees which did.
 */
import type { Change, CmsTarget } from '../../core/api.ts';
import type { ErrorVerdict } from '../services/apply-errors.ts';
import { SERVER_FIELDS, type AckResult, type Journal, type LeasedChange } from '../services/journal.ts';
import type { Store } from '../store/db.ts';
import { recordApplied, type AppliedCmsChange } from '../store/cms.ts';
import { readUsageSite, writeItemSources, type CrawlLocale, type SourceRow } from '../store/usage.ts';
import { crawlLocalesOf, itemDocOf } from '../usage/crawl.ts';
import { MAX_ITEMS_PER_REQUEST, type CmsWriter, type WireItemUpdate } from '../webflow/cms.ts';
import type { SiteContentReader, WireCollection, WireItem } from '../webflow/site-content.ts';
import { useIn, withUseAlt } from './field-values.ts';
import { isNotFound, isPublished, readStagedItems } from './items.ts';

export type CmsWebflow = Pick<SiteContentReader, 'getSite' | 'getCollection' | 'listItems'> & Pick<CmsWriter, 'getItem' | 'updateItems'>;

/** What the server applier hands its CMS part (services/server-applier.ts, option `cms`). */
export interface CmsApplierContext {
  journal: Journal;
  applierId: string;
  leaseSeconds: number;
  classifyError(error: unknown): ErrorVerdict;
  /** Tries in a row that find Webflow unavailable before a change fails. */
  unavailableTries: number;
  isStopped(): boolean;
}

export interface CmsApplierOptions extends CmsApplierContext {
  store: Store;
  webflow: CmsWebflow;
  /** CMS changes leased at a time: many, so that one PATCH carries up to 100 items. */
  batchSize?: number;
}

export type CmsApplier = ReturnType<typeof createCmsApplier>;

type CmsChange = LeasedChange & { cmsTarget: CmsTarget };

/** What one pass over leased changes ends with: wait this long before the next (Webflow asked), or go on. */
interface PassEnd {
  waitMs?: number;
}

/** A reason to stop the pass: Webflow asked to wait (rate limit, unavailable, token refused). */
class Wait extends Error {
  constructor(readonly verdict: Extract<ErrorVerdict, { retryInMs: number }>) {
    super(verdict.message);
  }
}

const isCms = (change: LeasedChange): change is CmsChange => change.cmsTarget !== undefined;

export function createCmsApplier(options: CmsApplierOptions) {
  const { journal, store, webflow, applierId, leaseSeconds } = options;
  const batchSize = options.batchSize ?? 1000;
  const { classifyError } = options;
  /** Tries in a row that found Webflow unavailable, per change (in this process). */
  const unavailableTries = new Map<string, number>();
  const priority = 'background' as const;

  /** Applies the site's open CMS changes until none is left, or Webflow asks to wait. */
  async function drain(siteId: string, token: string): Promise<PassEnd> {
    for (;;) {
      if (options.isStopped()) return {};
      const leased = await journal.lease(siteId, { applierId, kind: 'server', fields: SERVER_FIELDS, limit: batchSize, seconds: leaseSeconds, serverTargets: ['cms'] });
      const changes = leased.changes.filter(isCms);
      if (changes.length === 0) return {};
      const end = await pass(siteId, token, changes, leased.leaseExpiresAt);
      if (end.waitMs !== undefined) return end;
    }
  }

  /** One pass over leased changes: every one is acknowledged, or released when Webflow asked to wait. */
  async function pass(siteId: string, token: string, changes: CmsChange[], leaseExpiresAt: string | null): Promise<PassEnd> {
    let expiresAt = leaseExpiresAt;
    let held = new Set(changes.map((c) => c.id));
    /** Renews the lease when a third of it is left; answers whether a change is still ours. */
    const stillHeld = async (changeId: string): Promise<boolean> => {
      if (!expiresAt || Date.parse(expiresAt) - Date.now() < (leaseSeconds * 1000) / 3) {
        const renewed = await journal.lease(siteId, { applierId, kind: 'server', fields: SERVER_FIELDS, limit: batchSize, seconds: leaseSeconds, serverTargets: ['cms'] });
        expiresAt = renewed.leaseExpiresAt;
        held = new Set(renewed.changes.map((c) => c.id));
        // Changes leased by the renewal that this pass does not hold go back at once.
        const extra = renewed.changes.filter((c) => !changes.some((mine) => mine.id === c.id)).map((c) => c.id);
        if (extra.length > 0) await journal.release(siteId, applierId, extra, true);
      }
      return held.has(changeId);
    };
    const outcomes: AckResult[] = [];
    const settled = new Set<string>();
    const settle = (result: AckResult) => {
      settled.add(result.changeId);
      outcomes.push(result);
    };
    /** Changes whose PATCH was sent but not answered as done: they may be on Webflow. */
    const mayHaveLanded = new Set<string>();
    let waitMs: number | undefined;
    let finished = false;
    try {
      const locales = await siteLocales(siteId, token);
      const byCollection = new Map<string, Array<{ change: CmsChange; locale: CrawlLocale }>>();
      for (const change of changes) {
        const locale = change.localeId === null ? locales.find((l) => l.primary) : locales.find((l) => l.id === change.localeId);
        if (!locale) {
          settle(failed(change, `The locale ${change.localeId ?? ''} is not one of the site's locales any more; nothing was written.`));
          continue;
        }
        const group = byCollection.get(change.cmsTarget.collectionId) ?? [];
        group.push({ change, locale });
        byCollection.set(change.cmsTarget.collectionId, group);
      }
      for (const [collectionId, group] of byCollection) {
        await applyCollection(siteId, token, collectionId, group, { settle, stillHeld, mayHaveLanded });
      }
      finished = true;
    } catch (error) {
      if (!(error instanceof Wait)) throw error;
      finished = true;
      waitMs = error.verdict.retryInMs;
      // Webflow unavailable: a change is failed after a few such passes in a row, not kept forever.
      if (error.verdict.reason === 'unavailable') {
        for (const change of changes) {
          if (settled.has(change.id)) continue;
          const tries = (unavailableTries.get(change.id) ?? 0) + 1;
          if (tries < options.unavailableTries) unavailableTries.set(change.id, tries);
          else {
            unavailableTries.delete(change.id);
            settle(failed(change, `Webflow did not take the change after ${tries} tries (${error.verdict.message}); retry it later`));
          }
        }
      }
    } finally {
      // Whatever happened, every change is acknowledged or given back: none waits for its lease to lapse.
      for (const id of settled) unavailableTries.delete(id);
      const open = changes.filter((c) => !settled.has(c.id));
      const landed = open.filter((c) => mayHaveLanded.has(c.id)).map((c) => c.id);
      const untouched = open.filter((c) => !mayHaveLanded.has(c.id)).map((c) => c.id);
      const giveBack = async () => {
        if (outcomes.length > 0) await journal.ack(siteId, applierId, outcomes);
        if (landed.length > 0) await journal.release(siteId, applierId, landed);
        if (untouched.length > 0) await journal.release(siteId, applierId, untouched, true);
      };
      if (finished) await giveBack();
      else await giveBack().catch(() => undefined);
    }
    return waitMs === undefined ? {} : { waitMs };
  }

  interface PassTools {
    settle(result: AckResult): void;
    stillHeld(changeId: string): Promise<boolean>;
    mayHaveLanded: Set<string>;
  }

  /** One collection's changes: its schema, then each CMS locale's items, read, compared and written. */
  async function applyCollection(siteId: string, token: string, collectionId: string, group: Array<{ change: CmsChange; locale: CrawlLocale }>, tools: PassTools): Promise<void> {
    let collection: WireCollection;
    try {
      collection = await webflow.getCollection(token, collectionId, { priority });
    } catch (error) {
      const reason = refusal(error, 'collection');
      for (const { change } of group) tools.settle(failed(change, reason));
      return;
    }
    const fields = new Map(collection.fields.map((f) => [f.slug ?? '', f]));
    const byLocale = new Map<string, { locale: CrawlLocale; changes: CmsChange[] }>();
    for (const { change, locale } of group) {
      const field = fields.get(change.cmsTarget.fieldSlug);
      if (!field || field.type !== change.cmsTarget.fieldType) {
        const now = field ? `is now a ${field.type} field` : 'is no longer in it (removed or renamed)';
        tools.settle(failed(change, `The field “${change.cmsTarget.fieldSlug}” of collection “${collection.displayName}” ${now}: its schema changed, so nothing was written. List its CMS images again.`));
        continue;
      }
      const key = locale.id ?? '';
      const entry = byLocale.get(key) ?? { locale, changes: [] };
      entry.changes.push(change);
      byLocale.set(key, entry);
    }
    for (const { locale, changes } of byLocale.values()) {
      const cmsLocaleId = locale.primary ? undefined : (locale.cmsLocaleId ?? undefined);
      let items: Map<string, WireItem>;
      try {
        items = await readItems(token, collectionId, cmsLocaleId, [...new Set(changes.map((c) => c.cmsTarget.itemId))]);
      } catch (error) {
        const reason = refusal(error, 'item');
        for (const change of changes) tools.settle(failed(change, reason));
        continue;
      }
      const updates: WireItemUpdate[] = [];
      const writes = new Map<string, CmsChange[]>();
      const applied: AppliedCmsChange[] = [];
      const appliedRecord = (change: CmsChange, item: WireItem): AppliedCmsChange => ({
        changeId: change.id,
        collectionId,
        itemId: item.id,
        localeId: locale.id && !locale.primary ? locale.id : null,
        cmsLocaleId: cmsLocaleId ?? null,
        wasPublished: isPublished(item),
        lastUpdated: item.lastUpdated ?? null,
      });
      for (const [itemId, itemChanges] of groupBy(changes, (c) => c.cmsTarget.itemId)) {
        const item = items.get(itemId);
        if (!item) {
          for (const change of itemChanges) tools.settle(failed(change, `The item ${itemId} is no longer in collection “${collection.displayName}” (deleted in Webflow); nothing was written.`));
          continue;
        }
        const fieldData: Record<string, unknown> = {};
        const toWrite: CmsChange[] = [];
        for (const change of itemChanges) {
          const { fieldSlug } = change.cmsTarget;
          const value = fieldSlug in fieldData ? fieldData[fieldSlug] : item.fieldData[fieldSlug];
          const use = useIn(change.cmsTarget, value);
          const where = describeUse(change, collection, item);
          if (!use) {
            tools.settle(failed(change, `${where} is not there any more (the item changed in Webflow); nothing was written. List its CMS images again.`));
            continue;
          }
          if (use.assetId !== change.assetId) {
            tools.settle(failed(change, `${where} now shows another image (the item changed in Webflow); nothing was written. List its CMS images again.`));
            continue;
          }
          if (use.alt === change.after) {
            applied.push(appliedRecord(change, item));
            tools.settle({ changeId: change.id, outcome: 'applied' });
            continue;
          }
          if (use.alt !== change.before) {
            tools.settle({ changeId: change.id, outcome: 'conflict', current: use.alt });
            continue;
          }
          fieldData[fieldSlug] = withUseAlt(change.cmsTarget, value, change.after);
          toWrite.push(change);
        }
        if (toWrite.length === 0) continue;
        updates.push({ id: itemId, ...(cmsLocaleId ? { cmsLocaleId } : {}), fieldData });
        writes.set(itemId, toWrite);
      }
      const written = await writeItems(token, collectionId, updates, writes, items, tools);
      for (const item of written) for (const change of writes.get(item.id) ?? []) applied.push({ ...appliedRecord(change, items.get(item.id) ?? item), lastUpdated: item.lastUpdated ?? null });
      // Before the acknowledgement: a crash in between writes these again, never loses them.
      await recordApplied(store, siteId, applied);
      await updateUsage(siteId, collectionId, collection, locale, written);
    }
  }

  /**
   * Sends the updates 100 items a request. A request Webflow refused whole (one item deleted or
   * invalid since it was read) is sent again item by item, so the others still go. Answers the
   * items as Webflow staged them.
   */
  async function writeItems(
    token: string,
    collectionId: string,
    updates: readonly WireItemUpdate[],
    writes: ReadonlyMap<string, CmsChange[]>,
    read: ReadonlyMap<string, WireItem>,
    tools: PassTools,
  ): Promise<WireItem[]> {
    const written: WireItem[] = [];
    const changesOf = (update: WireItemUpdate) => writes.get(update.id) ?? [];
    for (let start = 0; start < updates.length; start += MAX_ITEMS_PER_REQUEST) {
      const chunk: WireItemUpdate[] = [];
      for (const update of updates.slice(start, start + MAX_ITEMS_PER_REQUEST)) {
        // An item some of whose changes another applier took is left to it whole.
        const held = await Promise.all(changesOf(update).map((c) => tools.stillHeld(c.id)));
        if (held.every(Boolean)) chunk.push(update);
      }
      if (chunk.length === 0) continue;
      const send = async (items: WireItemUpdate[]): Promise<void> => {
        for (const update of items) for (const change of changesOf(update)) tools.mayHaveLanded.add(change.id);
        let answer: WireItem[];
        try {
          answer = await webflow.updateItems(token, collectionId, items, { priority });
        } catch (error) {
          const reason = refusal(error, 'item');
          // Refused whole: nothing of the request was written.
          for (const update of items) for (const change of changesOf(update)) tools.mayHaveLanded.delete(change.id);
          if (items.length > 1) {
            for (const update of items) await send([update]);
            return;
          }
          for (const change of items.flatMap(changesOf)) tools.settle(failed(change, reason));
          return;
        }
        const staged = new Map(answer.map((item) => [item.id, item]));
        for (const update of items) {
          const before = read.get(update.id) as WireItem;
          written.push(staged.get(update.id) ?? { ...before, fieldData: { ...before.fieldData, ...update.fieldData } });
          for (const change of changesOf(update)) tools.settle({ changeId: change.id, outcome: 'applied' });
        }
      };
      await send(chunk);
    }
    return written;
  }

  /** The staged items with these ids (items.ts); Webflow asking to wait is thrown as {@link Wait}. */
  async function readItems(token: string, collectionId: string, cmsLocaleId: string | undefined, itemIds: readonly string[]): Promise<Map<string, WireItem>> {
    try {
      return await readStagedItems(webflow, token, { collectionId, cmsLocaleId, itemIds, priority });
    } catch (error) {
      const verdict = classifyError(error);
      if ('retryInMs' in verdict) throw new Wait(verdict);
      throw error;
    }
  }

  /** The site's locales: as the usage index last read them, else from Webflow. */
  async function siteLocales(siteId: string, token: string): Promise<CrawlLocale[]> {
    const known = await readUsageSite(store, siteId);
    if (known?.built && known.locales.length > 0) return known.locales;
    try {
      return crawlLocalesOf(await webflow.getSite(token, siteId, { priority }));
    } catch (error) {
      const verdict = classifyError(error);
      if ('retryInMs' in verdict) throw new Wait(verdict);
      throw error;
    }
  }

  /** The usage index shows what was written at once, without waiting for the next crawl. */
  async function updateUsage(siteId: string, collectionId: string, collection: WireCollection, locale: CrawlLocale, items: readonly WireItem[]): Promise<void> {
    const rows: SourceRow[] = items.map((item) => ({ kind: 'item', sourceId: item.id, localeId: locale.id, parentId: collectionId, lastUpdated: item.lastUpdated ?? null, doc: itemDocOf(collection, item) }));
    await writeItemSources(store, siteId, rows);
  }

  /** A refusal of Webflow's that is the change's to carry (a retry verdict is thrown as {@link Wait}). */
  function refusal(error: unknown, what: 'collection' | 'item'): string {
    const verdict = classifyError(error);
    if ('retryInMs' in verdict) throw new Wait(verdict);
    if (isNotFound(error)) return `The ${what} is no longer on Webflow (deleted); nothing was written.`;
    return verdict.failed;
  }

  return { drain };
}

function failed(change: Change, error: string): AckResult {
  return { changeId: change.id, outcome: 'failed', error };
}

function describeUse(change: CmsChange, collection: WireCollection, item: WireItem): string {
  const name = typeof item.fieldData.name === 'string' ? item.fieldData.name : item.id;
  const { fieldSlug, fieldType, position } = change.cmsTarget;
  const which = fieldType === 'Image' ? 'The image' : fieldType === 'MultiImage' ? `Image ${(position ?? 0) + 1} of the gallery` : `Inline image ${(position ?? 0) + 1}`;
  return `${which} in “${fieldSlug}” of “${name}” (${collection.displayName})`;
}

function groupBy<T>(values: readonly T[], key: (value: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const value of values) {
    const group = groups.get(key(value));
    if (group) group.push(value);
    else groups.set(key(value), [value]);
  }
  return groups;
}
