/**
 * "On this page": the Image elements of the page open in the Designer, each with its own alt
 * text setting, fixed inline and journaled like any change (an element change: see
 * docs/decisions/element-changes.md). Follows the canvas: reads the page again when the designer
 * opens another, and asks the view to bring a selected image's row into view; focusing a row
 * selects its element on the canvas.
 */
import { batch as batchSignals, computed, signal, type ReadonlySignal } from '@preact/signals';
import type { AltText, Batch, Change, ChangeInput } from '../../core/api.ts';
import type { CanvasImage, CanvasPage, CanvasPort } from '../ports/canvas.ts';
import type { DesignerPort } from '../ports/designer.ts';
import { describeError, type AnnouncerModel } from '../models/announcer.ts';
import type { EditsModel } from '../models/edits.ts';
import { createPlaceDrafts } from '../models/place-drafts.ts';
import { createTargetChanges } from '../models/target-changes.ts';

export type PageLoad = 'idle' | 'loading' | 'ready' | 'failed';
/** The desk's views: the asset grid, the open page's images, every image use in the CMS. */
export type DeskView = 'assets' | 'page' | 'cms';

/** An Image element of the open page, with its own setting as far as the Designer tells it. */
export interface PageImage extends Omit<CanvasImage, 'shownAltText'> {
  /** null: the element uses the asset's alt text; '' an empty override; text an override. */
  own: AltText;
}

/** Changes of another page's elements, waiting until the designer opens it. */
export interface WaitingPage {
  pageId: string;
  pageName: string;
  count: number;
}

export interface OnPageModel {
  /** Whether this Designer has a canvas to follow (not in every host). */
  available: boolean;
  /** Which view the desk shows: the asset grid (default), this one, or "CMS images". */
  view: ReadonlySignal<DeskView>;
  page: ReadonlySignal<CanvasPage | null>;
  images: ReadonlySignal<readonly PageImage[]>;
  loadState: ReadonlySignal<PageLoad>;
  error: ReadonlySignal<string | null>;
  /** The element selected on the canvas (or by focusing its row). */
  selectedElementId: ReadonlySignal<string | null>;
  /** A row the view should scroll to and focus: set by a canvas selection and by "Go there". */
  follow: ReadonlySignal<{ elementId: string; seq: number } | null>;
  waiting: ReadonlySignal<readonly WaitingPage[]>;
  drafts: ReadonlySignal<ReadonlyMap<string, string>>;
  /** The element's setting, saved changes on their way included. */
  ownAltText(image: PageImage): AltText;
  /** What its field shows: the draft, else its own text ('' when it uses the asset's). */
  fieldValue(image: PageImage): string;
  /** Why the last change of this element did not go through (a conflict, a failure), or null. */
  problem(elementId: string): string | null;
  show(view: DeskView): void;
  setDraft(elementId: string, text: string): void;
  revert(elementId: string): void;
  /** Journals the draft: text overrides the asset's alt text, an empty field uses it again. */
  save(elementId: string): Promise<boolean>;
  /** Journals "use the asset's alt text" for the element. */
  useAssetAltText(elementId: string): Promise<boolean>;
  /** A row got focus: select its element on the canvas. */
  select(elementId: string): void;
  /** Opens a page in the Designer and selects an element there ("Go there"); null selects nothing. */
  goTo(pageId: string, elementId: string | null): Promise<void>;
  load(): Promise<void>;
  /** Every batch journaled (saves and undos): element changes show at once. */
  recorded(batch: Batch): void;
  /** The applier's outcomes. */
  settle(changes: readonly Change[]): void;
  start(): void;
  dispose(): void;
}

export interface OnPageOptions {
  designer: DesignerPort;
  edits: EditsModel;
  announcer: AnnouncerModel;
  /** The asset's name for labels. */
  assetName(assetId: string): string;
}

const keyOf = (pageId: string, elementId: string) => `${pageId}\u0000${elementId}`;

/** The element's own setting, told from what it shows and its asset's alt text (element-changes.md). */
export function ownSetting(shown: string, assetAltText: AltText): AltText {
  return shown === (assetAltText ?? '') ? null : shown;
}

/** Element changes recorded and not settled (by their page), grouped by page, the open page left out. */
export function waitingPages(pending: Iterable<string>, openPageId: string | null, names: ReadonlyMap<string, string>): WaitingPage[] {
  const byPage = new Map<string, number>();
  for (const pageId of pending) if (pageId !== openPageId) byPage.set(pageId, (byPage.get(pageId) ?? 0) + 1);
  return [...byPage].map(([pageId, count]) => ({ pageId, pageName: names.get(pageId) ?? pageId, count }));
}

export function createOnPageModel(options: OnPageOptions): OnPageModel {
  const { designer, edits, announcer } = options;
  const canvas: CanvasPort | undefined = designer.canvas;
  const view = signal<DeskView>('assets');
  const page = signal<CanvasPage | null>(null);
  const images = signal<readonly PageImage[]>([]);
  const loadState = signal<PageLoad>('idle');
  const error = signal<string | null>(null);
  const selectedElementId = signal<string | null>(null);
  const follow = signal<{ elementId: string; seq: number } | null>(null);
  const places = createPlaceDrafts();
  const { drafts } = places;
  /** Saved element changes not settled yet, settings known since the page was read, and why a change did not go through. */
  const changes = createTargetChanges({
    keyOf: (change) => (change.target ? keyOf(change.target.pageId, change.target.elementId) : null),
    problemOf(change) {
      if (change.status === 'failed') return `Not saved: ${change.error ?? 'the Designer refused the change'}.`;
      const now = change.current == null ? 'it uses the asset’s alt text' : `it is “${change.current}”`;
      return `Not saved: this image’s alt text changed in the Designer meanwhile (${now}). Review it in the status bar’s conflicts.`;
    },
  });
  const pageNames = new Map<string, string>();
  const unsubscribe: Array<() => void> = [];
  let loads = 0;
  let lastLoad: Promise<void> | null = null;
  let followSeq = 0;

  const openPageId = () => page.value?.id ?? null;
  const imageOf = (elementId: string) => images.value.find((each) => each.elementId === elementId);

  function ownAltText(image: PageImage): AltText {
    // The newest saved change of this element wins; then what the applier reported; then the read.
    return changes.valueOf(keyOf(openPageId() ?? '', image.elementId), image.own);
  }

  async function readPage(): Promise<void> {
    if (!canvas) return;
    const mine = ++loads;
    loadState.value = 'loading';
    try {
      const current = await canvas.currentPage();
      if (mine !== loads) return;
      pageNames.set(current.id, current.name);
      page.value = current;
      const read = await canvas.images();
      // One read of each asset's alt text tells an element's own setting from the asset's.
      const assetIds = [...new Set(read.map((each) => each.assetId).filter((id): id is string => id !== null))];
      await designer.prepareAssets?.(assetIds).catch(() => undefined);
      const assetAlt = new Map(await Promise.all(assetIds.map(async (id) => [id, await designer.getAltText(id, null).catch(() => null)] as const)));
      if (mine !== loads) return;
      batchSignals(() => {
        images.value = read.map(({ shownAltText, ...image }) => ({
          ...image,
          own: image.assetId ? ownSetting(shownAltText, assetAlt.get(image.assetId) ?? null) : shownAltText,
        }));
        changes.forget([...changes.known.value.keys()].filter((key) => key.startsWith(`${current.id}\u0000`)));
        loadState.value = 'ready';
        error.value = null;
      });
    } catch (failure) {
      if (mine !== loads) return;
      loadState.value = 'failed';
      error.value = `The page's images could not be read from the Designer: ${describeError(failure)}`;
    }
  }

  function load(): Promise<void> {
    lastLoad = readPage();
    return lastLoad;
  }

  async function journal(elementId: string, after: AltText, label: (name: string, pageName: string) => string): Promise<boolean> {
    const image = imageOf(elementId);
    const current = page.value;
    if (!image || !current || !image.assetId) return false;
    const before = ownAltText(image);
    if (before === after) return true;
    const name = options.assetName(image.assetId);
    const change: ChangeInput = {
      assetId: image.assetId,
      field: 'altText',
      target: { kind: 'element', pageId: current.id, elementId, componentId: image.componentId },
      before,
      after,
    };
    const recorded = await edits.recordTargetChanges([change], label(name, current.name));
    return recorded.length === 1;
  }

  return {
    available: canvas !== undefined,
    view,
    page,
    images,
    loadState,
    error,
    selectedElementId,
    follow,
    waiting: computed(() =>
      waitingPages(
        [...changes.pending.value.values()].flatMap(({ change }) => (change.target ? [change.target.pageId] : [])),
        openPageId(),
        new Map(pageNames),
      ),
    ),
    drafts,
    ownAltText,
    fieldValue(image) {
      return drafts.value.get(image.elementId) ?? ownAltText(image) ?? '';
    },
    problem(elementId) {
      const pageId = openPageId();
      return pageId ? (changes.problems.value.get(keyOf(pageId, elementId)) ?? null) : null;
    },
    show(next) {
      view.value = next;
      if (next === 'page' && loadState.value === 'idle') void load();
    },
    setDraft: places.set,
    revert: places.drop,
    async save(elementId) {
      const draft = drafts.value.get(elementId);
      if (draft === undefined) return true;
      // An empty field: the element shows the asset's alt text again.
      const after = draft.trim() === '' ? null : draft;
      const saved = await places.save(elementId, () => journal(elementId, after, (name, pageName) => `Alt text of ${name} on ${pageName}`));
      if (saved) announcer.say(after === null ? 'Saved: this image uses the asset’s alt text.' : 'Saved the alt text on this page.', 'success');
      return saved;
    },
    async useAssetAltText(elementId) {
      const saved = await places.save(elementId, () => journal(elementId, null, (name, pageName) => `${name} on ${pageName} uses the asset’s alt text`));
      if (saved) announcer.say('This image uses the asset’s alt text again.', 'success');
      return saved;
    },
    select(elementId) {
      if (!canvas || selectedElementId.value === elementId) return;
      selectedElementId.value = elementId;
      canvas.selectElement(elementId).catch((failure: unknown) => announcer.say(`Could not select it on the canvas: ${describeError(failure)}`, 'error'));
    },
    async goTo(pageId, elementId) {
      if (!canvas) return;
      view.value = 'page';
      try {
        await canvas.switchPage(pageId);
        if (lastLoad) await lastLoad;
        if (openPageId() !== pageId || loadState.value !== 'ready') await load();
        if (elementId === null) return;
        selectedElementId.value = elementId;
        await canvas.selectElement(elementId);
        follow.value = { elementId, seq: ++followSeq };
        if (!imageOf(elementId)) announcer.say(`Opened ${page.value?.name ?? 'the page'} and selected the component that shows it.`);
      } catch (failure) {
        announcer.say(`Could not go there: ${describeError(failure)}`, 'error');
      }
    },
    load,
    recorded: changes.recorded,
    settle: changes.settle,
    start() {
      if (!canvas) return;
      unsubscribe.push(
        canvas.onPageChange((next) => {
          pageNames.set(next.id, next.name);
          // The old page's images must not show under the new page's name while it is read; they
          // are read now only when the view is shown (each image costs Designer round trips).
          batchSignals(() => {
            page.value = next;
            images.value = [];
            loadState.value = view.value === 'page' ? 'loading' : 'idle';
            selectedElementId.value = null;
            follow.value = null;
          });
          if (view.value === 'page') void load();
        }),
        canvas.onSelect((elementId) => {
          // The echo of a row's own selection asks for nothing.
          if (elementId === selectedElementId.value) return;
          selectedElementId.value = elementId;
          if (view.value === 'page' && elementId && imageOf(elementId)) follow.value = { elementId, seq: ++followSeq };
        }),
      );
      // The applier needs the open page from the start; the images wait for the view.
      canvas.currentPage().then(
        (current) => {
          pageNames.set(current.id, current.name);
          if (!page.value) page.value = current;
        },
        () => undefined,
      );
    },
    dispose() {
      for (const stop of unsubscribe.splice(0)) stop();
      loads += 1;
    },
  };
}
