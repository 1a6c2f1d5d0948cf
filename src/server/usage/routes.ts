/**
 * The usage routes, below `/api/sites/:siteId` behind the session middleware: the compact
 * summary the panel reads (which starts a crawl when the index is missing or stale), one
 * asset's uses in detail, and a crawl on demand.
 */
import { Hono } from 'hono';
import type { AppEnv } from '../env.ts';
import { pathId } from '../routes/validate.ts';
import type { UsageIndex } from './usage-index.ts';

export function usageRoutes(deps: { usage: Pick<UsageIndex, 'summary' | 'assetUsage' | 'crawl'> }): Hono<AppEnv> {
  const { usage } = deps;
  const app = new Hono<AppEnv>();

  app.get('/usage', async (c) => {
    c.header('Cache-Control', 'private, no-cache');
    return c.json(await usage.summary(c.var.session.siteId));
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

  return app;
}
