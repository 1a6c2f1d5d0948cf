/**
 * The canvas part of the designer port: the page open in the Designer, its Image elements, the
 * selection, and page switches, over the `webflow` global. Every Designer call is a round trip:
 * the page's elements are read once per page (one `getAllElements`) and their handles kept
 * until the designer switches pages; a row never asks for them again.
 */
import { DesignerError } from './designer-error.ts';

export interface CanvasPage {
  id: string;
  name: string;
}

/** An Image element of the open page, as the Designer shows it. */
export interface CanvasImage {
  /** The node id (`id.element`): the Data API DOM's node id too. */
  elementId: string;
  /** `id.component`: which component (or page) tree the element belongs to. */
  componentId: string | null;
  /** The asset it shows; null when the element has no image set. */
  assetId: string | null;
  /** What it shows as alt text: its own, or the asset's when it has none (`getAltText`). */
  shownAltText: string;
}

export interface CanvasPort {
  currentPage(): Promise<CanvasPage>;
  /** Called when the designer opens another page; returns the unsubscribe. */
  onPageChange(listener: (page: CanvasPage) => void): () => void;
  /** The open page's Image elements in page order: one `getAllElements`, then each image's asset and alt together. */
  images(): Promise<CanvasImage[]>;
  /** What the element shows now; a DesignerError when its page is not the open one. */
  shownAltText(pageId: string, elementId: string): Promise<string>;
  /** null: the element uses the asset's alt text again; '' an empty override; text an override. */
  setAltText(pageId: string, elementId: string, altText: string | null): Promise<void>;
  /** Selects an element of the open page on the canvas (any element: an image, a component instance). */
  selectElement(elementId: string): Promise<void>;
  /** Called with the selected element's id (null when nothing is); returns the unsubscribe. */
  onSelect(listener: (elementId: string | null) => void): () => void;
  switchPage(pageId: string): Promise<void>;
}

type CanvasApi = Pick<
  WebflowApi,
  'getCurrentPage' | 'getAllElements' | 'getAllPagesAndFolders' | 'switchPage' | 'setSelectedElement' | 'subscribe'
>;

type ImageHandle = Extract<AnyElement, { type: 'Image' }>;

const isImage = (element: AnyElement): element is ImageHandle => element.type === 'Image';
const elementIdOf = (element: AnyElement): string => (element.id as FullElementId).element;

export function createCanvasPort(api: CanvasApi): CanvasPort {
  /** The open page's id, as last read or told. */
  let openPageId: string | null = null;
  /** The open page's elements by id, read once per page. */
  let elements: { pageId: string; byId: Promise<Map<string, AnyElement>>; inOrder: Promise<AnyElement[]> } | null = null;

  async function page(): Promise<Page> {
    const current = await api.getCurrentPage();
    if (current.id !== openPageId) elements = null;
    openPageId = current.id;
    return current;
  }

  async function pageElements(pageId: string) {
    if (openPageId !== pageId) await page();
    if (openPageId !== pageId) throw new DesignerError(`The page ${pageId} is not open in the Designer; open it to change its images.`);
    if (!elements || elements.pageId !== pageId) {
      const inOrder = api.getAllElements();
      const byId = inOrder.then((all) => new Map(all.map((element) => [elementIdOf(element), element])));
      // A failed read must not stick: the next call reads again.
      byId.catch(() => (elements = null));
      elements = { pageId, byId, inOrder };
    }
    return elements;
  }

  async function element(pageId: string, elementId: string): Promise<AnyElement> {
    const found = (await (await pageElements(pageId)).byId).get(elementId);
    if (!found) throw new DesignerError(`The element ${elementId} is no longer on this page; it may have been deleted.`);
    return found;
  }

  async function image(pageId: string, elementId: string): Promise<ImageHandle> {
    const found = await element(pageId, elementId);
    if (!isImage(found)) throw new DesignerError(`The element ${elementId} is not an image any more.`);
    return found;
  }

  return {
    async currentPage() {
      const current = await page();
      return { id: current.id, name: await current.getName() };
    },
    onPageChange(listener) {
      return api.subscribe('currentpage', (current) => {
        openPageId = current.id;
        elements = null;
        void current.getName().then(
          (name) => listener({ id: current.id, name }),
          () => listener({ id: current.id, name: current.id }),
        );
      });
    },
    async images() {
      const current = await page();
      const all = await (await pageElements(current.id)).inOrder;
      return Promise.all(
        all.filter(isImage).map(async (each) => {
          const [asset, shown] = await Promise.all([each.getAsset(), each.getAltText()]);
          const id = each.id as FullElementId;
          return { elementId: id.element, componentId: id.component ?? null, assetId: asset?.id ?? null, shownAltText: shown ?? '' };
        }),
      );
    },
    async shownAltText(pageId, elementId) {
      return (await (await image(pageId, elementId)).getAltText()) ?? '';
    },
    async setAltText(pageId, elementId, altText) {
      await (await image(pageId, elementId)).setAltText(altText);
    },
    async selectElement(elementId) {
      const current = await page();
      await api.setSelectedElement(await element(current.id, elementId));
    },
    onSelect(listener) {
      return api.subscribe('selectedelement', (selected) => listener(selected ? elementIdOf(selected) : null));
    },
    async switchPage(pageId) {
      if (openPageId === pageId) return;
      const target = (await api.getAllPagesAndFolders()).find((each): each is Page => each.type === 'Page' && each.id === pageId);
      if (!target) throw new DesignerError(`The page ${pageId} is no longer on this site; it may have been deleted.`);
      await api.switchPage(target);
      openPageId = pageId;
      elements = null;
    },
  };
}
