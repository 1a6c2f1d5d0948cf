/**
 * What the canvas routes need from the sandbox's world: the site's pages, each page's and
 * component's DOM in the primary locale, and a change to an Image element. Adapted from the
 * world in canvas-world.ts, as port.ts is in world-adapter.ts.
 */
import type { WirePage } from './canvas-wire.ts';

/** A DOM node as the canvas sees it, in the site's primary locale. */
export type CanvasNode =
  | { id: string; kind: 'text'; html: string }
  /** `alt`: the element's own setting (null = uses the asset's). */
  | { id: string; kind: 'image'; assetId: string; alt: string | null }
  | { id: string; kind: 'component-instance'; componentId: string };

export interface CanvasComponent {
  id: string;
  name: string;
  nodes: CanvasNode[];
}

/** Every method takes the site first; another site's page or component is missing (`ResourceMissing`). */
export interface CanvasWorld {
  pages(siteId: string): WirePage[];
  pageNodes(siteId: string, pageId: string): CanvasNode[];
  component(siteId: string, componentId: string): CanvasComponent;
  /** The owner is the page's or the component's id; `alt` is the primary locale's. */
  updateImage(siteId: string, ownerId: string, nodeId: string, change: { alt?: string | null; assetId?: string }): void;
}
