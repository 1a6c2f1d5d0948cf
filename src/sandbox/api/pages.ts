/**
 * Pages on the sandbox's Data API: `GET /v2/sites/{site_id}/pages`, `GET /v2/pages/{page_id}`
 * and `GET /v2/pages/{page_id}/dom`, in a locale (`localeId`), paginated with `limit` and
 * `offset` (at most 100), behind the `pages:read` scope. Mounted by data-api.ts, behind the gate.
 */
import { Hono, type Context } from 'hono';
import { WorldError } from '../world/errors.ts';
import type { WorldPage } from '../world/site-content.ts';
import type { World } from '../world/world.ts';
import { wireNode, wirePage } from './content-wire.ts';
import { missingScope, outsideSite, type GateEnv } from './gate.ts';
import { objectId, pageParams } from './params.ts';

export function pageRoutes(world: World): Hono<GateEnv> {
  const app = new Hono<GateEnv>();

  /** A page of a site the token may see; another site's page does not exist for it. */
  const pageOfToken = (c: Context<GateEnv>): WorldPage => {
    const page = world.content.page(objectId(c.req.param('pageId'), 'page_id'));
    if (!c.get('token').siteIds.includes(page.siteId)) throw new WorldError('not_found', `Page ${page.id} was not found.`);
    return page;
  };

  app.get('/v2/sites/:siteId/pages', (c) => {
    const siteId = c.req.param('siteId');
    const refused = missingScope(c, 'pages:read') ?? outsideSite(c, siteId);
    if (refused) return refused;
    const { limit, offset } = pageParams(c);
    const localeId = world.locale(siteId, c.req.query('localeId')).id;
    const all = world.content.listPages(siteId);
    return c.json({
      pages: all.slice(offset, offset + limit).map((page) => wirePage(world, page, localeId)),
      pagination: { limit, offset, total: all.length },
    });
  });

  app.get('/v2/pages/:pageId', (c) => {
    const refused = missingScope(c, 'pages:read');
    if (refused) return refused;
    const page = pageOfToken(c);
    return c.json(wirePage(world, page, world.locale(page.siteId, c.req.query('localeId')).id));
  });

  app.get('/v2/pages/:pageId/dom', (c) => {
    const refused = missingScope(c, 'pages:read');
    if (refused) return refused;
    const page = pageOfToken(c);
    const localeId = world.locale(page.siteId, c.req.query('localeId')).id;
    const { limit, offset } = pageParams(c);
    return c.json({
      pageId: page.id,
      branchId: null,
      nodes: page.nodes.slice(offset, offset + limit).map((node) => wireNode(world, page.siteId, node, localeId)),
      pagination: { limit, offset, total: page.nodes.length },
      lastUpdated: page.lastUpdated,
    });
  });

  return app;
}
