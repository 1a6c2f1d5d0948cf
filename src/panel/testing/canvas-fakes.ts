/**
 * A fake of the `webflow` global's canvas part (pages, their elements, the selection), for the
 * canvas port and "On this page" tests: the real port runs over it, so the tests follow each
 * Designer round trip. Image elements answer `getAltText` as the Designer does: their own alt
 * text, or the asset's when they have none.
 */
import type { AltText } from '../../core/api.ts';
import { createCanvasPort, type CanvasPort } from '../ports/canvas.ts';
import type { FakeDesigner } from './fakes.ts';

export interface FakeImage {
  elementId: string;
  assetId: string | null;
  /** The element's own setting: null uses the asset's alt text. */
  alt: string | null;
}

export interface FakePage {
  id: string;
  name: string;
  /** The page's elements in page order: images, and other elements by id and type. */
  elements: Array<FakeImage | { elementId: string; type: string }>;
}

type Listener = (value: unknown) => void;

export class FakeCanvas {
  pages: FakePage[];
  currentPageId: string;
  selectedId: string | null = null;
  /** Round trips by method name. */
  calls = new Map<string, number>();
  /** Element ids whose alt writes fail, with the message. */
  failing = new Map<string, string>();
  private listeners = new Map<string, Set<Listener>>();

  constructor(
    pages: FakePage[],
    /** The asset's primary alt text, as the Designer holds it. */
    private assetAlt: (assetId: string) => AltText,
  ) {
    this.pages = pages;
    this.currentPageId = pages[0]?.id ?? '';
  }

  private count(name: string): void {
    this.calls.set(name, (this.calls.get(name) ?? 0) + 1);
  }

  page(pageId: string): FakePage {
    const found = this.pages.find((each) => each.id === pageId);
    if (!found) throw new Error(`No page ${pageId}`);
    return found;
  }

  image(elementId: string): FakeImage {
    for (const page of this.pages) {
      const found = page.elements.find((each): each is FakeImage => 'alt' in each && each.elementId === elementId);
      if (found) return found;
    }
    throw new Error(`No image ${elementId}`);
  }

  private pageHandle(page: FakePage) {
    return { id: page.id, type: 'Page', getName: async () => (this.count('getName'), page.name) };
  }

  private elementHandle(element: FakePage['elements'][number]) {
    const id = { component: 'page-root', element: element.elementId };
    if (!('alt' in element)) return { id, type: element.type };
    return {
      id,
      type: 'Image',
      getAltText: async () => {
        this.count('getAltText');
        return element.alt ?? (element.assetId ? this.assetAlt(element.assetId) ?? '' : '');
      },
      setAltText: async (alt: string | null) => {
        this.count('setAltText');
        const failure = this.failing.get(element.elementId);
        if (failure) throw new Error(failure);
        element.alt = alt;
        return null;
      },
      getAsset: async () => (this.count('getAsset'), element.assetId ? { id: element.assetId } : null),
    };
  }

  /** The designer opens a page on the canvas. */
  openPage(pageId: string): void {
    this.currentPageId = pageId;
    this.selectedId = null;
    this.emit('currentpage', this.pageHandle(this.page(pageId)));
  }

  /** The designer clicks an element on the canvas. */
  select(elementId: string | null): void {
    this.selectedId = elementId;
    const element = elementId ? this.page(this.currentPageId).elements.find((each) => each.elementId === elementId) : undefined;
    this.emit('selectedelement', element ? this.elementHandle(element) : null);
  }

  private emit(event: string, value: unknown): void {
    for (const listener of this.listeners.get(event) ?? []) listener(value);
  }

  /** The part of the `webflow` global the canvas port uses. */
  api() {
    return {
      getCurrentPage: async () => (this.count('getCurrentPage'), this.pageHandle(this.page(this.currentPageId))),
      getAllElements: async () => (this.count('getAllElements'), this.page(this.currentPageId).elements.map((each) => this.elementHandle(each))),
      getAllPagesAndFolders: async () => (this.count('getAllPagesAndFolders'), this.pages.map((each) => this.pageHandle(each))),
      switchPage: async (page: { id: string }) => {
        this.count('switchPage');
        this.openPage(page.id);
        return null;
      },
      setSelectedElement: async (element: { id: { element: string } }) => {
        this.count('setSelectedElement');
        this.selectedId = element.id.element;
        return element;
      },
      subscribe: (event: string, listener: Listener) => {
        const set = this.listeners.get(event) ?? new Set();
        set.add(listener);
        this.listeners.set(event, set);
        return () => set.delete(listener);
      },
    };
  }

  port(): CanvasPort {
    return createCanvasPort(this.api() as unknown as Parameters<typeof createCanvasPort>[0]);
  }
}

/** A fake designer whose assets live in `designer.values`, with a canvas over the given pages. */
export function designerWithCanvas(designer: FakeDesigner, pages: FakePage[]): { designer: FakeDesigner & { canvas: CanvasPort }; canvas: FakeCanvas } {
  const canvas = new FakeCanvas(pages, (assetId) => designer.values.get(assetId)?.altText ?? '');
  return { designer: Object.assign(designer, { canvas: canvas.port() }), canvas };
}
