/**
 * The wire of the sandbox's canvas: what the Designer routes answer about pages, elements and
 * the selection, and the events they stream. The browser's `webflow` global and the routes
 * both import these types (docs/decisions/sandbox-canvas.md).
 */

/** Where the sandbox serves its canvas page (`?siteId=…`); `/view` is its body alone. */
export const CANVAS_PATH = '/_sandbox/canvas';

/** The element types the sandbox's pages hold, named as the typings name them. */
export type CanvasElementType = 'Image' | 'Heading' | 'Paragraph' | 'Block' | 'ComponentInstance';

export interface WireElement {
  id: FullElementId;
  type: CanvasElementType;
}

export interface WirePage {
  id: string;
  name: string;
  slug: string;
  title: string;
  description: string;
  collectionId: string | null;
  isHomepage: boolean;
  publishPath: string;
}

/** What `GET …/events` streams (server-sent events named by `event`, `data` the rest as JSON). */
export type CanvasEvent =
  | { event: 'currentpage'; pageId: string }
  | { event: 'selectedelement'; element: WireElement | null }
  /** An element's alt text or asset changed (the canvas draws it again). */
  | { event: 'elementchange'; element: WireElement };
