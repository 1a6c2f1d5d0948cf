/**
 * The CMS routes, below `/api/sites/:siteId` behind the session middleware: the items Asset Desk
 * changed that wait for publishing, and publishing those whose only pending change is ours. The
 * changes themselves are journaled through the changes routes (src/server/routes/changes.ts).
 */
import { Hono } from 'hono';
import { publishRequest } from '../../core/cms.ts';
import type { AppEnv } from '../env.ts';
import { parseJson } from '../routes/validate.ts';
import type { CmsPublishing } from './publishing.ts';

export function cmsRoutes(deps: { publishing: CmsPublishing }): Hono<AppEnv> {
  const { publishing } = deps;
  const app = new Hono<AppEnv>();

  app.get('/cms/unpublished', async (c) => {
    c.header('Cache-Control', 'private, no-cache');
    return c.json({ items: await publishing.unpublished(c.var.session.siteId) });
  });

  app.post('/cms/publish', async (c) => {
    const { itemIds } = await parseJson(c, publishRequest);
    return c.json(await publishing.publish(c.var.session.siteId, itemIds));
  });

  return app;
}
