/**
 * The canvas part of the sandbox's Designer API: pages (`getCurrentPage`,
 * `getAllPagesAndFolders`, `switchPage`), the current page's elements (`getAllElements`, Image
 * elements' alt text and asset), the selection, and an event stream for `webflow.subscribe`.
 * Mounted inside the Designer routes (same site check, latency and batching). Image changes
 * write the world the Data API reads (docs/decisions/sandbox-canvas.md).
 */
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { z } from 'zod';
import { text } from '../../core/api.ts';
import { body } from './arguments.ts';
import type { CanvasWorld } from './canvas-port.ts';
import { wireElement, type CanvasElement, type CanvasStates } from './canvas-state.ts';
import type { CanvasEvent, WireElement } from './canvas-wire.ts';
import { DesignerFailure, type DesignerWorld } from './port.ts';

export type CanvasEnv = { Variables: { siteId: string } };

export interface CanvasDeps {
  world: DesignerWorld;
  canvas: CanvasWorld;
  states: CanvasStates;
  /** Whether the site's user has this Designer ability now. */
  can(siteId: string, mode: AppMode): boolean;
}

/** Events are streamed as long as the client listens; a comment every so often keeps proxies from closing it. */
const KEEPALIVE_MS = 15_000;

const id = text(100).pipe(z.string().min(1, 'must not be empty'));
const pageChange = z.object({ pageId: id });
const selection = z.object({ element: z.object({ component: id, element: id }) });
const altTextChange = z.object({ altText: text(2000).nullable() });
const assetChange = z.object({ assetId: id.nullable() });

const WHAT: Partial<Record<AppMode, string>> = {
  canAccessCanvas: 'use the canvas',
  canAccessAssets: 'see assets',
  canModifyImageElement: 'change Image elements',
};

/** The element's effective alt text in the primary locale: its own, else its asset's ('' when decorative or gone). */
export function effectiveAlt(world: DesignerWorld, siteId: string, element: CanvasElement): string {
  if (element.node.kind !== 'image') return '';
  if (element.node.alt !== null) return element.node.alt;
  if (!world.findAsset(siteId, element.node.assetId)) return '';
  return world.altText(siteId, element.node.assetId, world.localeIds(siteId)[0] as string) ?? '';
}

export function canvasApi({ world, canvas, states, can }: CanvasDeps): Hono<CanvasEnv> {
  const api = new Hono<CanvasEnv>();
  const need = (siteId: string, mode: AppMode): void => {
    if (!can(siteId, mode)) throw new DesignerFailure('Forbidden', `This user's role cannot ${WHAT[mode] ?? mode} on this site (${mode} is off). Ask a site admin for access.`);
  };
  const image = (siteId: string, component: string, element: string): CanvasElement & { node: { kind: 'image' } } => {
    const found = states.element(siteId, { component, element });
    if (found.node.kind !== 'image') throw new DesignerFailure('InvalidRequest', `The element ${element} is a ${found.type} element, not an Image element.`);
    return found as CanvasElement & { node: { kind: 'image' } };
  };
  const ownerOf = (found: CanvasElement): string => found.id.component;
  const elementOf = (found: CanvasElement | null): WireElement | null => (found ? wireElement(found) : null);

  // Pages: the site's pages (the sandbox's have no folders), the one on the canvas, a switch.
  api.get('/pages', (c) => {
    need(c.var.siteId, 'canAccessCanvas');
    return c.json({ ids: canvas.pages(c.var.siteId).map((page) => page.id) });
  });
  api.get('/pages/:id', (c) => {
    need(c.var.siteId, 'canAccessCanvas');
    const page = canvas.pages(c.var.siteId).find((each) => each.id === c.req.param('id'));
    if (!page) throw new DesignerFailure('ResourceMissing', `The page ${c.req.param('id')} is not on this site; it may have been deleted.`);
    return c.json(page);
  });
  api.get('/current-page', (c) => {
    need(c.var.siteId, 'canAccessCanvas');
    return c.json({ id: states.currentPageId(c.var.siteId) });
  });
  api.post('/current-page', async (c) => {
    const { pageId } = await body(c, pageChange);
    need(c.var.siteId, 'canAccessCanvas');
    states.switchPage(c.var.siteId, pageId);
    return c.json(null);
  });

  // The current page's elements and the selection.
  api.get('/elements', (c) => {
    need(c.var.siteId, 'canAccessCanvas');
    return c.json({ elements: states.elements(c.var.siteId).map(wireElement) });
  });
  api.get('/selected-element', (c) => {
    need(c.var.siteId, 'canAccessCanvas');
    return c.json({ element: elementOf(states.selected(c.var.siteId)) });
  });
  api.post('/selected-element', async (c) => {
    const { element } = await body(c, selection);
    need(c.var.siteId, 'canAccessCanvas');
    return c.json({ element: elementOf(states.select(c.var.siteId, element)) });
  });

  // Image elements.
  api.get('/elements/:component/:element/alt-text', (c) => {
    need(c.var.siteId, 'canAccessAssets');
    const found = image(c.var.siteId, c.req.param('component'), c.req.param('element'));
    return c.json({ altText: effectiveAlt(world, c.var.siteId, found) });
  });
  api.post('/elements/:component/:element/alt-text', async (c) => {
    const { altText } = await body(c, altTextChange);
    need(c.var.siteId, 'canModifyImageElement');
    const found = image(c.var.siteId, c.req.param('component'), c.req.param('element'));
    canvas.updateImage(c.var.siteId, ownerOf(found), found.id.element, { alt: altText });
    states.changed(c.var.siteId, found);
    return c.json(null);
  });
  api.get('/elements/:component/:element/asset', (c) => {
    need(c.var.siteId, 'canAccessAssets');
    const found = image(c.var.siteId, c.req.param('component'), c.req.param('element'));
    return c.json({ assetId: world.findAsset(c.var.siteId, found.node.assetId) ? found.node.assetId : null });
  });
  api.post('/elements/:component/:element/asset', async (c) => {
    const { assetId } = await body(c, assetChange);
    need(c.var.siteId, 'canModifyImageElement');
    const found = image(c.var.siteId, c.req.param('component'), c.req.param('element'));
    if (assetId === null) throw new DesignerFailure('InvalidRequest', "The sandbox's Image elements always show an asset; pass one of the site's image assets.");
    const asset = world.findAsset(c.var.siteId, assetId);
    if (!asset) throw new DesignerFailure('ResourceMissing', `The asset ${assetId} is not on this site; it may have been deleted.`);
    if (!asset.contentType.startsWith('image/')) throw new DesignerFailure('InvalidRequest', `The asset ${assetId} is a ${asset.contentType} file, not an image.`);
    canvas.updateImage(c.var.siteId, ownerOf(found), found.id.element, { assetId });
    states.changed(c.var.siteId, found);
    return c.json(null);
  });

  /** Test hook, as `GET /state`: the canvas's page, selection and open event streams. */
  api.get('/canvas', (c) => {
    const siteId = c.var.siteId;
    return c.json({ pageId: states.currentPageId(siteId), selected: elementOf(states.selected(siteId)), listeners: states.listeners(siteId) });
  });

  // Events for `webflow.subscribe` and the canvas page: a GET, so no CORS preflight.
  api.get('/events', (c) => {
    const siteId = c.var.siteId;
    return streamSSE(c, async (stream) => {
      const queue: CanvasEvent[] = [];
      let wake: (() => void) | undefined;
      const stop = states.listen(siteId, (event) => {
        queue.push(event);
        wake?.();
      });
      let open = true;
      stream.onAbort(() => {
        open = false;
        wake?.();
      });
      const keepalive = setInterval(() => wake?.(), KEEPALIVE_MS);
      try {
        await stream.write(': connected\n\n');
        while (open) {
          const next = queue.shift();
          if (next) {
            const { event, ...data } = next;
            await stream.writeSSE({ event, data: JSON.stringify(data) });
            continue;
          }
          await new Promise<void>((resolve) => (wake = resolve));
          wake = undefined;
          if (open && queue.length === 0) await stream.write(': keepalive\n\n');
        }
      } finally {
        clearInterval(keepalive);
        stop();
      }
    });
  });

  return api;
}
