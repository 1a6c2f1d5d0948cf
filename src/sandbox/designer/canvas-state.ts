/**
 * The Designer's canvas per site: the page it shows (the home page at first), the selected
 * element (none at first) and who listens for changes. In memory, like the Designer's own
 * session: a sandbox restart opens the home page again. The elements of a page are listed as
 * the Designer lists them, in page order, a component instance followed by the elements of its
 * component (docs/decisions/sandbox-canvas.md).
 */
import type { CanvasComponent, CanvasNode, CanvasWorld } from './canvas-port.ts';
import type { CanvasElementType, CanvasEvent, WireElement } from './canvas-wire.ts';
import { DesignerFailure } from './port.ts';

/** An element of the current page, with the node it shows and the instance it sits in. */
export interface CanvasElement extends WireElement {
  node: CanvasNode;
  /** The component instance (its element id) this element is inside; absent on the page itself. */
  instance?: { element: string; component: CanvasComponent };
}

export interface CanvasStates {
  currentPageId(siteId: string): string;
  switchPage(siteId: string, pageId: string): void;
  elements(siteId: string): CanvasElement[];
  /** The element of the current page with this id; ResourceMissing when it is not on it. */
  element(siteId: string, id: FullElementId): CanvasElement;
  selected(siteId: string): CanvasElement | null;
  select(siteId: string, id: FullElementId): CanvasElement;
  /** Tells the listeners that an element changed (its alt text or asset). */
  changed(siteId: string, element: WireElement): void;
  listen(siteId: string, listener: (event: CanvasEvent) => void): () => void;
  /** How many event streams listen to the site now (tests wait on it). */
  listeners(siteId: string): number;
}

const sameId = (a: FullElementId, b: FullElementId): boolean => a.component === b.component && a.element === b.element;

export const wireElement = ({ id, type }: WireElement): WireElement => ({ id: { component: id.component, element: id.element }, type });

function typeOf(node: CanvasNode): CanvasElementType {
  if (node.kind === 'image') return 'Image';
  if (node.kind === 'component-instance') return 'ComponentInstance';
  if (/^\s*<h[1-6][\s>]/i.test(node.html)) return 'Heading';
  if (/^\s*<p[\s>]/i.test(node.html)) return 'Paragraph';
  return 'Block';
}

export function createCanvasStates(world: CanvasWorld): CanvasStates {
  const sites = new Map<string, { pageId: string | null; selected: FullElementId | null; listeners: Set<(event: CanvasEvent) => void> }>();
  const of = (siteId: string) => {
    let site = sites.get(siteId);
    if (!site) {
      site = { pageId: null, selected: null, listeners: new Set() };
      sites.set(siteId, site);
    }
    return site;
  };
  const emit = (siteId: string, event: CanvasEvent): void => {
    for (const listener of of(siteId).listeners) listener(event);
  };
  const currentPageId = (siteId: string): string => {
    const site = of(siteId);
    const pages = world.pages(siteId);
    // The page shown may have gone (a world loaded again); the Designer then opens the home page.
    if (site.pageId === null || !pages.some((page) => page.id === site.pageId)) {
      const home = pages.find((page) => page.isHomepage) ?? pages[0];
      if (!home) throw new DesignerFailure('ResourceMissing', 'This site has no pages to show on the canvas.');
      site.pageId = home.id;
    }
    return site.pageId;
  };
  const elements = (siteId: string): CanvasElement[] => {
    const pageId = currentPageId(siteId);
    const list: CanvasElement[] = [];
    for (const node of world.pageNodes(siteId, pageId)) {
      list.push({ id: { component: pageId, element: node.id }, type: typeOf(node), node });
      if (node.kind !== 'component-instance') continue;
      const component = world.component(siteId, node.componentId);
      for (const inner of component.nodes) {
        list.push({ id: { component: component.id, element: inner.id }, type: typeOf(inner), node: inner, instance: { element: node.id, component } });
      }
    }
    return list;
  };
  const element = (siteId: string, id: FullElementId): CanvasElement => {
    const found = elements(siteId).find((each) => sameId(each.id, id));
    if (!found) throw new DesignerFailure('ResourceMissing', `The element ${id.element} (of ${id.component}) is not on the page open on the canvas; get the elements again.`);
    return found;
  };

  return {
    currentPageId,
    switchPage(siteId, pageId) {
      if (!world.pages(siteId).some((page) => page.id === pageId)) {
        throw new DesignerFailure('ResourceMissing', `The page ${pageId} is not on this site; get the pages again and pick one.`);
      }
      const site = of(siteId);
      const hadSelection = site.selected !== null;
      site.pageId = pageId;
      site.selected = null;
      emit(siteId, { event: 'currentpage', pageId });
      if (hadSelection) emit(siteId, { event: 'selectedelement', element: null });
    },
    elements,
    element,
    selected(siteId) {
      const { selected } = of(siteId);
      if (selected === null) return null;
      return elements(siteId).find((each) => sameId(each.id, selected)) ?? null;
    },
    select(siteId, id) {
      const found = element(siteId, id);
      of(siteId).selected = found.id;
      emit(siteId, { event: 'selectedelement', element: wireElement(found) });
      return found;
    },
    changed: (siteId, changedElement) => emit(siteId, { event: 'elementchange', element: wireElement(changedElement) }),
    listen(siteId, listener) {
      const { listeners } = of(siteId);
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    listeners: (siteId) => of(siteId).listeners.size,
  };
}
