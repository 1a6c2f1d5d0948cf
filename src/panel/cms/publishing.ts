/**
 * Staged vs live in "CMS images": the items whose alt text Asset Desk changed and which wait for
 * publishing (the backend's `GET …/cms/unpublished`, which reads them from Webflow), and
 * publishing those whose only unpublished change is ours, when the user asks. The others are
 * told as "publish in Webflow", with why (docs/decisions/cms-changes.md).
 */
import { computed, signal, type ReadonlySignal } from '@preact/signals';
import type { UnpublishedItem } from '../../core/cms.ts';
import type { BackendPort } from '../ports/backend.ts';
import { describeError, type AnnouncerModel } from '../models/announcer.ts';

/** One item waiting for publishing, in every locale our changes wait in. */
export interface WaitingItem {
  collectionId: string;
  itemId: string;
  name: string;
  /** Null: Asset Desk may publish it (its only unpublished change is ours); else why it is left to Webflow. */
  inWebflowBecause: string | null;
}

/**
 * The backend's entries (one per item and locale) as items, in the backend's order. An item is
 * published whole, so it is ours to publish only when every locale of it is ours alone.
 */
export function waitingItemsOf(entries: readonly UnpublishedItem[]): WaitingItem[] {
  const byItem = new Map<string, UnpublishedItem[]>();
  for (const entry of entries) byItem.set(entry.itemId, [...(byItem.get(entry.itemId) ?? []), entry]);
  return [...byItem.values()].map((locales) => {
    const first = locales[0] as UnpublishedItem;
    return { collectionId: first.collectionId, itemId: first.itemId, name: first.name, inWebflowBecause: reasonOf(locales) };
  });
}

function reasonOf(locales: readonly UnpublishedItem[]): string | null {
  if (locales.some((each) => each.isDraft)) return 'It is a draft: publishing it would put the whole item live.';
  const others = locales.filter((each) => !each.onlyOurs);
  if (others.length === 0) return null;
  return others.length < locales.length ? 'Another locale of it has changes that are not Asset Desk’s.' : 'It has unpublished changes that are not Asset Desk’s.';
}

export type PublishingLoad = 'idle' | 'loading' | 'ready' | 'failed';

export interface CmsPublishingModel {
  loadState: ReadonlySignal<PublishingLoad>;
  error: ReadonlySignal<string | null>;
  /** Every item waiting for publishing. */
  waiting: ReadonlySignal<readonly WaitingItem[]>;
  byItemId: ReadonlySignal<ReadonlyMap<string, WaitingItem>>;
  /** The waiting items Asset Desk may publish. */
  publishable: ReadonlySignal<readonly WaitingItem[]>;
  /** The waiting items left to Webflow. */
  inWebflow: ReadonlySignal<readonly WaitingItem[]>;
  publishing: ReadonlySignal<boolean>;
  /** What the last publish could not do: each item's name and why. */
  notPublished: ReadonlySignal<ReadonlyArray<{ name: string; reason: string }>>;
  /** Reads what waits now (again once a read running ends, when asked meanwhile). */
  load(): Promise<void>;
  /** Publishes these items, then reads what waits again. */
  publish(items: readonly WaitingItem[]): Promise<void>;
  dispose(): void;
}

export function createCmsPublishingModel(options: { backend: BackendPort; siteId: string; announcer: AnnouncerModel }): CmsPublishingModel {
  const { backend, siteId, announcer } = options;
  const loadState = signal<PublishingLoad>('idle');
  const error = signal<string | null>(null);
  const waiting = signal<readonly WaitingItem[]>([]);
  const publishing = signal(false);
  const notPublished = signal<ReadonlyArray<{ name: string; reason: string }>>([]);
  let reading: Promise<void> | null = null;
  let again = false;
  let disposed = false;

  async function read(): Promise<void> {
    do {
      again = false;
      if (loadState.value !== 'ready') loadState.value = 'loading';
      try {
        const entries = await backend.cmsUnpublished(siteId);
        if (disposed) return;
        waiting.value = waitingItemsOf(entries);
        loadState.value = 'ready';
        error.value = null;
      } catch (failure) {
        if (disposed) return;
        error.value = `Which items wait for publishing could not be read: ${describeError(failure)}`;
        if (loadState.value !== 'ready') loadState.value = 'failed';
      }
    } while (again && !disposed);
  }

  function load(): Promise<void> {
    // Each read costs requests to Webflow: one at a time, and one more if asked meanwhile.
    if (reading) {
      again = true;
      return reading;
    }
    reading = read().finally(() => (reading = null));
    return reading;
  }

  return {
    loadState,
    error,
    waiting,
    byItemId: computed(() => new Map(waiting.value.map((item) => [item.itemId, item]))),
    publishable: computed(() => waiting.value.filter((item) => item.inWebflowBecause === null)),
    inWebflow: computed(() => waiting.value.filter((item) => item.inWebflowBecause !== null)),
    publishing,
    notPublished,
    load,
    async publish(items) {
      if (items.length === 0 || publishing.value) return;
      publishing.value = true;
      const names = new Map(items.map((item) => [item.itemId, item.name]));
      try {
        const answer = await backend.publishCmsItems(siteId, items.map((item) => item.itemId));
        if (disposed) return;
        const published = new Set(answer.published.map((each) => each.itemId)).size;
        const problems = new Map<string, string>();
        for (const each of [...answer.refused, ...answer.failed]) problems.set(each.itemId, each.reason);
        notPublished.value = [...problems].map(([itemId, reason]) => ({ name: names.get(itemId) ?? itemId, reason }));
        const told = problems.size > 0 ? ` ${problems.size === 1 ? 'One item was' : `${problems.size} items were`} not published: see why above the list.` : '';
        announcer.say(`Published ${published} ${published === 1 ? 'item' : 'items'}: ${published === 1 ? 'its' : 'their'} alt text is live.${told}`, problems.size > 0 ? 'error' : 'success');
      } catch (failure) {
        if (disposed) return;
        announcer.say(`Nothing was published: ${describeError(failure)}`, 'error');
      } finally {
        publishing.value = false;
      }
      await load();
    },
    dispose() {
      disposed = true;
    },
  };
}
