/**
 * Which items Asset Desk changed now wait for publishing, and publishing those whose only
 * pending change is ours. Asset Desk never publishes by itself: only when the user asks, and
 * never an item with someone else's unpublished changes or a draft (docs/decisions/cms-changes.md).
 * Each answer reads the items from Webflow (interactive), so it tells what holds now.
 */
import type { PublishResponse, UnpublishedItem } from '../../core/cms.ts';
import { HttpError } from '../errors.ts';
import type { Store } from '../store/db.ts';
import { settleItems, waitingItems, type WaitingItem } from '../store/cms.ts';
import { httpErrorOf } from '../services/webflow-errors.ts';
import { MAX_ITEMS_PER_REQUEST, type CmsWriter } from '../webflow/cms.ts';
import type { WireItem } from '../webflow/site-content.ts';
import { isPublished, readStagedItems, type ItemReader } from './items.ts';

export interface CmsPublishingOptions {
  store: Store;
  webflow: ItemReader & Pick<CmsWriter, 'publishItems'>;
  getSiteToken(siteId: string): Promise<string | undefined>;
}

export type CmsPublishing = ReturnType<typeof createCmsPublishing>;

const priority = 'interactive' as const;

export function createCmsPublishing({ store, webflow, getSiteToken }: CmsPublishingOptions) {
  async function tokenOf(siteId: string): Promise<string> {
    const token = await getSiteToken(siteId);
    if (!token) throw new HttpError(409, 'not_installed', 'Asset Desk is not installed on this site: install it, then publish.');
    return token;
  }

  /**
   * The waiting items as Webflow holds them now; items published since (by anyone) or gone no
   * longer wait and are settled.
   */
  async function current(siteId: string, token: string, itemIds?: readonly string[]): Promise<UnpublishedItem[]> {
    const waiting = await waitingItems(store, siteId, itemIds);
    const groups = new Map<string, WaitingItem[]>();
    for (const entry of waiting) {
      const key = `${entry.collectionId}\n${entry.cmsLocaleId ?? ''}`;
      groups.set(key, [...(groups.get(key) ?? []), entry]);
    }
    const answer: UnpublishedItem[] = [];
    const settled: WaitingItem[] = [];
    for (const entries of groups.values()) {
      const first = entries[0] as WaitingItem;
      let items: Map<string, WireItem>;
      try {
        items = await readStagedItems(webflow, token, { collectionId: first.collectionId, cmsLocaleId: first.cmsLocaleId ?? undefined, itemIds: entries.map((e) => e.itemId), priority });
      } catch (error) {
        // The collection itself is gone: its items wait for nothing.
        if ((error as { status?: unknown }).status === 404) {
          settled.push(...entries);
          continue;
        }
        throw httpErrorOf(error, 'Reading the items that wait for publishing');
      }
      for (const entry of entries) {
        const item = items.get(entry.itemId);
        if (!item || isPublished(item)) {
          settled.push(entry);
          continue;
        }
        answer.push({
          collectionId: entry.collectionId,
          itemId: entry.itemId,
          localeId: entry.localeId,
          name: typeof item.fieldData.name === 'string' ? item.fieldData.name : item.id,
          lastUpdated: item.lastUpdated ?? null,
          isDraft: item.isDraft === true,
          onlyOurs: entry.wasPublished && item.isDraft !== true && item.lastUpdated === entry.lastUpdated,
          changeIds: entry.changeIds,
        });
      }
    }
    await settleItems(store, siteId, settled);
    return answer;
  }

  return {
    /** Items we changed that wait for publishing, each saying whether the wait is ours alone. */
    async unpublished(siteId: string): Promise<UnpublishedItem[]> {
      return current(siteId, await tokenOf(siteId));
    },

    /**
     * Publishes these items in every locale we changed, when their only pending change is ours;
     * the others are refused with the reason, and what Webflow did not publish is told as failed.
     */
    async publish(siteId: string, itemIds: readonly string[]): Promise<PublishResponse> {
      const token = await tokenOf(siteId);
      const asked = [...new Set(itemIds)];
      const waiting = await current(siteId, token, asked);
      const refused: PublishResponse['refused'] = [];
      for (const itemId of asked) {
        if (!waiting.some((w) => w.itemId === itemId)) refused.push({ itemId, localeId: null, reason: 'No change of Asset Desk waits in this item: nothing to publish.' });
      }
      // An item is published whole or not at all: every locale of it we changed must be ours alone.
      const publishable = waiting.filter((w) => waiting.every((other) => other.itemId !== w.itemId || other.onlyOurs));
      for (const entry of waiting) {
        if (publishable.includes(entry)) continue;
        const reason = entry.isDraft
          ? `“${entry.name}” is a draft: publishing it would put it live; publish it in Webflow if it is ready.`
          : entry.onlyOurs
            ? `“${entry.name}” has other unpublished changes in another locale; publish it in Webflow.`
            : `“${entry.name}” has unpublished changes that are not Asset Desk's; publish it in Webflow once they are ready.`;
        refused.push({ itemId: entry.itemId, localeId: entry.localeId, reason });
      }
      const published: PublishResponse['published'] = [];
      const failed: PublishResponse['failed'] = [];
      const groups = new Map<string, UnpublishedItem[]>();
      for (const entry of publishable) groups.set(entry.collectionId, [...(groups.get(entry.collectionId) ?? []), entry]);
      const cmsLocaleOf = new Map((await waitingItems(store, siteId, asked)).map((w) => [`${w.itemId}\n${w.localeId ?? ''}`, w.cmsLocaleId]));
      for (const [collectionId, entries] of groups) {
        // Per item: its CMS locales (none named: the primary, sent as `itemIds`).
        const perItem = new Map<string, string[]>();
        for (const entry of entries) {
          const cmsLocaleId = cmsLocaleOf.get(`${entry.itemId}\n${entry.localeId ?? ''}`) ?? null;
          perItem.set(entry.itemId, [...(perItem.get(entry.itemId) ?? []), ...(cmsLocaleId ? [cmsLocaleId] : [])]);
        }
        const requests = [...perItem].map(([id, cmsLocaleIds]) => ({ id, cmsLocaleIds }));
        for (let start = 0; start < requests.length; start += MAX_ITEMS_PER_REQUEST) {
          const chunk = requests.slice(start, start + MAX_ITEMS_PER_REQUEST);
          const chunkEntries = entries.filter((e) => chunk.some((r) => r.id === e.itemId));
          let answer;
          try {
            answer = await webflow.publishItems(token, collectionId, chunk, { priority });
          } catch (error) {
            const reason = httpErrorOf(error, 'Publishing').message;
            for (const entry of chunkEntries) failed.push({ itemId: entry.itemId, localeId: entry.localeId, reason });
            continue;
          }
          const done = new Set(answer.publishedItemIds);
          for (const entry of chunkEntries) {
            if (done.has(entry.itemId)) published.push({ itemId: entry.itemId, localeId: entry.localeId });
            else failed.push({ itemId: entry.itemId, localeId: entry.localeId, reason: answer.errors.find((e) => e.includes(entry.itemId)) ?? answer.errors[0] ?? 'Webflow did not publish it and did not say why.' });
          }
        }
      }
      await settleItems(store, siteId, published);
      return { published, refused, failed };
    },
  };
}
