/**
 * "CMS images": every image use in the site's CMS (an Image field, one image of a MultiImage
 * field, one `<img>` of a Rich Text field, per locale), fixed with the grid's keys and journaled
 * as changes of that use (`cmsTarget`). Only the server applier applies them: a saved use shows
 * as pending, watched in the journal until it is applied (then the applied value shows), or
 * conflicts (Webflow's value shows, and why), or fails.
 */
import { batch as batchSignals, computed, signal, type ReadonlySignal } from '@preact/signals';
import type { AltText, Batch, ChangeInput } from '../../core/api.ts';
import type { CmsImages } from '../../core/cms-images.ts';
import type { UsageCrawlState } from '../../core/usage.ts';
import type { BackendPort } from '../ports/backend.ts';
import { describeError, type AnnouncerModel } from '../models/announcer.ts';
import type { EditsModel } from '../models/edits.ts';
import { createPlaceDrafts } from '../models/place-drafts.ts';
import { createTargetChanges } from '../models/target-changes.ts';
import { shouldPoll } from '../usage/model.ts';
import { cmsTargetOf, cmsUsesOf, filterUses, NO_FILTERS, placeLabel, supportsDecorative, targetOf, useKeyOfTarget, type CmsFilters, type CmsUse } from './uses.ts';
import { createChangeWatcher } from './watch.ts';
import { createCmsPublishingModel, type CmsPublishingModel } from './publishing.ts';

export type CmsLoad = 'idle' | 'loading' | 'ready' | 'failed';

export interface CmsImagesModel {
  loadState: ReadonlySignal<CmsLoad>;
  error: ReadonlySignal<string | null>;
  crawl: ReadonlySignal<UsageCrawlState | null>;
  uses: ReadonlySignal<readonly CmsUse[]>;
  collections: ReadonlySignal<CmsImages['collections']>;
  filters: ReadonlySignal<CmsFilters>;
  /** The uses the filters keep, in the backend's order. */
  shown: ReadonlySignal<readonly CmsUse[]>;
  drafts: ReadonlySignal<ReadonlyMap<string, string>>;
  setFilters(change: Partial<CmsFilters>): void;
  /** The use's alt text: its newest saved change's, else what the journal applied, else the read. */
  altText(use: CmsUse): AltText;
  /** What its field shows: the draft, else its alt text. */
  fieldValue(use: CmsUse): string;
  /** Saved and not applied by the server yet. */
  isPending(key: string): boolean;
  /** Why its last change did not go through, or null. */
  problem(key: string): string | null;
  /** The asset's alt text in the use's locale, offered when it would change the field. */
  suggestion(use: CmsUse): string | null;
  setDraft(key: string, text: string): void;
  revert(key: string): void;
  /** Journals the draft; true when saved (or nothing to save). */
  save(key: string): Promise<boolean>;
  /** Journals `alt=""` for a Rich Text image (the only kind that can be decorative). */
  markDecorative(key: string): Promise<boolean>;
  load(): Promise<void>;
  /** The items our applied changes left staged, and publishing them (read on the first load and after each change applied). */
  publishing: CmsPublishingModel;
  /** Every batch journaled (saves and undos). */
  recorded(batch: Batch): void;
  dispose(): void;
}

export interface CmsImagesOptions {
  backend: BackendPort;
  siteId: string;
  edits: EditsModel;
  announcer: AnnouncerModel;
  /** The asset's alt text in a locale (its own there, else the primary's); undefined when not indexed. */
  assetAltText(assetId: string, localeId: string | null): AltText | undefined;
  /** How often the listing is asked for while the usage crawl runs. */
  pollMs?: number;
  /** How often open changes are looked up in the journal. */
  watchMs?: number;
}

export function createCmsImagesModel(options: CmsImagesOptions): CmsImagesModel {
  const { backend, siteId, edits, announcer } = options;
  const loadState = signal<CmsLoad>('idle');
  const error = signal<string | null>(null);
  const answer = signal<CmsImages | null>(null);
  const filters = signal<CmsFilters>(NO_FILTERS);
  const places = createPlaceDrafts();
  const { drafts } = places;
  const uses = computed(() => (answer.value ? cmsUsesOf(answer.value) : []));
  const byKey = computed(() => new Map(uses.value.map((use) => [use.key, use])));
  let timer: ReturnType<typeof setTimeout> | undefined;
  let disposed = false;

  const changes = createTargetChanges({
    keyOf(change) {
      const target = cmsTargetOf(change);
      return target ? useKeyOfTarget(target, change.localeId) : null;
    },
    problemOf(change) {
      if (change.status === 'failed') return `Not saved: ${change.error ?? 'Webflow refused the change'}. Retry it from the status bar.`;
      const now = change.current == null || change.current === '' ? 'it has no alt text' : `it is “${change.current}”`;
      return `Not saved: this image’s alt text changed in Webflow meanwhile (${now}). Review it in the status bar’s conflicts.`;
    },
  });
  const publishing = createCmsPublishingModel({ backend, siteId, announcer });
  const watcher = createChangeWatcher({
    backend,
    siteId,
    intervalMs: options.watchMs,
    onSettled(settled) {
      changes.settle(settled);
      // A change applied is staged in its item: the item waits for publishing now.
      if (settled.some((change) => change.status === 'applied')) void publishing.load();
    },
  });

  const altText = (use: CmsUse): AltText => changes.valueOf(use.key, use.altText);

  async function load(): Promise<void> {
    clearTimeout(timer);
    if (!answer.value) loadState.value = 'loading';
    if (publishing.loadState.value === 'idle') void publishing.load();
    try {
      const next = await backend.cmsImages(siteId);
      if (disposed) return;
      // What the journal applied before this read finished is in it; later values still show.
      const readAt = next.crawl.finishedAt ? Date.parse(next.crawl.finishedAt) : null;
      const stale = [...changes.known.value].filter(([, known]) => readAt !== null && known.appliedAt !== null && Date.parse(known.appliedAt) < readAt);
      batchSignals(() => {
        changes.forget(stale.map(([key]) => key));
        answer.value = next;
        loadState.value = 'ready';
        error.value = null;
      });
    } catch (failure) {
      if (disposed) return;
      error.value = `The CMS images could not be read: ${describeError(failure)}`;
      if (!answer.value) loadState.value = 'failed';
    }
    if (!disposed && shouldPoll(answer.value?.crawl ?? null)) timer = setTimeout(() => void load(), options.pollMs ?? 3_000);
  }

  async function journal(use: CmsUse, after: AltText, label: string): Promise<boolean> {
    const before = altText(use);
    if (before === after) return true;
    const change: ChangeInput = { assetId: use.assetId, field: 'altText', localeId: use.localeId, target: targetOf(use), before, after };
    const recorded = await edits.recordTargetChanges([change], label);
    return recorded.length === 1;
  }

  const labelOf = (use: CmsUse) => `Alt text of ${use.itemName}, ${placeLabel(use)}`;

  return {
    loadState,
    error,
    crawl: computed(() => answer.value?.crawl ?? null),
    uses,
    collections: computed(() => answer.value?.collections ?? []),
    filters,
    shown: computed(() => filterUses(uses.value, filters.value, altText)),
    drafts,
    setFilters(change) {
      const next = { ...filters.value, ...change };
      // A field belongs to a collection: another collection starts with all its fields.
      if (change.collectionId !== undefined && change.fieldSlug === undefined) next.fieldSlug = 'all';
      filters.value = next;
    },
    altText,
    fieldValue(use) {
      return drafts.value.get(use.key) ?? altText(use) ?? '';
    },
    isPending: (key) => changes.isPending(key),
    problem: (key) => changes.problems.value.get(key) ?? null,
    suggestion(use) {
      const assetAlt = options.assetAltText(use.assetId, use.localeId);
      if (!assetAlt || assetAlt.trim() === '') return null;
      return assetAlt === (drafts.value.get(use.key) ?? altText(use)) ? null : assetAlt;
    },
    setDraft: places.set,
    revert: places.drop,
    async save(key) {
      const draft = drafts.value.get(key);
      const use = byKey.value.get(key);
      if (draft === undefined || !use) return true;
      // An emptied field of a use without alt text changes nothing.
      const after = draft === '' && altText(use) === null ? null : draft;
      const saved = await places.save(key, () => journal(use, after, labelOf(use)));
      if (saved) announcer.say(`Saved the alt text of ${use.itemName}, ${placeLabel(use)}: Webflow gets it shortly.`, 'success');
      return saved;
    },
    async markDecorative(key) {
      const use = byKey.value.get(key);
      if (!use || !supportsDecorative(use.fieldType)) return false;
      const saved = await places.save(key, () => journal(use, '', `${use.itemName}, ${placeLabel(use)} is decorative`));
      if (saved) announcer.say(`Marked decorative: ${use.itemName}, ${placeLabel(use)}.`, 'success');
      return saved;
    },
    load,
    publishing,
    recorded(batch) {
      // An undo takes its batch's unapplied changes off the watch: the undo's own changes say what each use goes back to.
      const undoOf = batch.undoOf;
      if (undoOf) watcher.drop([...changes.pending.value.values()].filter((pending) => pending.batchId === undoOf).map((pending) => pending.changeId));
      changes.recorded(batch);
      watcher.watch(batch.changes.filter((change) => cmsTargetOf(change) !== null));
    },
    dispose() {
      disposed = true;
      clearTimeout(timer);
      watcher.dispose();
      publishing.dispose();
    },
  };
}
