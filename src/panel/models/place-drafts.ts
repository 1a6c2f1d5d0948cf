/**
 * Alt text typed for places that are not the asset itself (a page's Image element in "On this
 * page", a CMS image use in "CMS images") and not saved yet, keyed by the view's own name for a
 * place. Kept in memory: such a draft names a place that may be gone by the next visit.
 */
import { signal, type ReadonlySignal } from '@preact/signals';

export interface PlaceDrafts {
  drafts: ReadonlySignal<ReadonlyMap<string, string>>;
  set(key: string, text: string): void;
  /** Forgets the draft: reverted. */
  drop(key: string): void;
  /** Saves the draft with `journal`; it is forgotten once journaled (true), kept otherwise. */
  save(key: string, journal: () => Promise<boolean>): Promise<boolean>;
}

export function createPlaceDrafts(): PlaceDrafts {
  const drafts = signal<ReadonlyMap<string, string>>(new Map());
  function drop(key: string): void {
    if (!drafts.value.has(key)) return;
    const next = new Map(drafts.value);
    next.delete(key);
    drafts.value = next;
  }
  return {
    drafts,
    set(key, text) {
      drafts.value = new Map(drafts.value).set(key, text);
    },
    drop,
    async save(key, journal) {
      const saved = await journal();
      if (saved) drop(key);
      return saved;
    },
  };
}
