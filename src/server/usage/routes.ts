/**
 * The usage routes, below `/api/sites/:siteId` behind the session middleware: the compact
 * summary the panel reads (which starts a crawl when the index is missing or stale), every image
 * use in the CMS (the "CMS images" view), one
 * asset's uses in detail, a crawl on demand, what each source was last read, and the background
 * images the panel read from the site's styles.
 */
import { Hono } from 'hono';
import { styleUsesRequest } from '../../core/usage.ts';
import type { AppEnv } from '../env.ts';
import { parseJson, pathId } from '../routes/validate.ts';
import type { UsageIndex } from './usage-index.ts';

export function usageRoutes(deps: { usage: Pick<UsageIndex, 'summary' | 'cmsImages' | 'assetUsage' | 'crawl' | 'sources' | 'putStyles'> }): Hono<AppEnv> {
  const { usage } = deps;
  const app = new Hono<AppEnv>();

  app.get('/usage', async (c) => {
    c.header('Cache-Control', 'private, no-cache');
    return c.json(await usage.summary(c.var.session.siteId));
  });

  app.get('/usage/cms-images', async (c) => {
    c.header('Cache-Control', 'private, no-cache');
    return c.json(await usage.cmsImages(c.var.session.siteId));
  });

  app.get('/usage/assets/:assetId', async (c) => {
    const assetId = pathId(c, 'assetId');
    c.header('Cache-Control', 'private, no-cache');
    return c.json(await usage.assetUsage(c.var.session.siteId, assetId));
  });

  app.post('/usage/crawl', (c) => {
    // Background, as every crawl: dozens of requests the user's edits must not wait behind.
    void usage.crawl(c.var.session.siteId);
    return c.json({}, 202);
  });

  app.get('/usage/sources', async (c) => {
    c.header('Cache-Control', 'private, no-cache');
    return c.json(await usage.sources(c.var.session.siteId));
  });

  app.put('/usage/styles', async (c) => {
    const { uses } = await parseJson(c, styleUsesRequest);
    return c.json(await usage.putStyles(c.var.session.siteId, uses));
  });

  return app;
}
