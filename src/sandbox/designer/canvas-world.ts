/**
 * The sandbox's world as the canvas sees it (the {@link CanvasWorld} port): pages and their
 * DOM in the site's primary locale, the canvas's only locale (docs/decisions/sandbox-canvas.md).
 */
import { wirePage } from '../api/content-wire.ts';
import type { ContentNode } from '../seed/types.ts';
import { WorldError } from '../world/errors.ts';
import type { World } from '../world/world.ts';
import type { CanvasNode, CanvasWorld } from './canvas-port.ts';
import { designer as canvas } from './world-adapter.ts';

export function canvasWorldOf(world: World): CanvasWorld {
  const primary = (siteId: string): string => world.locale(siteId, undefined).id;
  const node = (siteId: string, each: ContentNode): CanvasNode => {
    switch (each.type) {
      case 'text':
        return { id: each.id, kind: 'text', html: world.content.inLocale(each.html, siteId, primary(siteId)) ?? '' };
      case 'image':
        return { id: each.id, kind: 'image', assetId: each.assetId, alt: each.alt === null ? null : (world.content.inLocale(each.alt, siteId, primary(siteId)) ?? null) };
      case 'component-instance':
        return { id: each.id, kind: 'component-instance', componentId: each.componentId };
    }
  };
  return {
    pages: (siteId) =>
      canvas(() =>
        world.content.listPages(siteId).map((page) => {
          const wire = wirePage(world, page, primary(siteId));
          return {
            id: page.id,
            name: wire.title,
            slug: page.slug,
            title: wire.seo.title,
            description: wire.seo.description,
            collectionId: page.collectionId,
            isHomepage: page.slug === 'home',
            publishPath: wire.publishedPath,
          };
        }),
      ),
    pageNodes: (siteId, pageId) =>
      canvas(() => {
        const page = world.content.page(pageId);
        if (page.siteId !== siteId) throw new WorldError('not_found', `Page ${pageId} was not found.`);
        return page.nodes.map((each) => node(siteId, each));
      }),
    component: (siteId, componentId) =>
      canvas(() => {
        const found = world.content.component(siteId, componentId);
        return { id: found.id, name: found.name, nodes: found.nodes.map((each) => node(siteId, each)) };
      }),
    updateImage: (siteId, ownerId, nodeId, change) => canvas(() => world.content.updateImageElement(siteId, ownerId, nodeId, change)),
  };
}

