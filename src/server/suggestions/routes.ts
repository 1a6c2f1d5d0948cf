/**
 * The suggestion routes, below `/api/sites/:siteId` behind the session middleware: one asset's
 * suggestions from every source the backend has. An asset of another site is not found.
 */
import { Hono } from 'hono';
import type { AppEnv } from '../env.ts';
import { pathId } from '../routes/validate.ts';
import type { Suggestions } from './service.ts';

export function suggestionsRoutes(deps: { suggestions: Suggestions }): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/suggestions/assets/:assetId', async (c) => {
    const assetId = pathId(c, 'assetId');
    c.header('Cache-Control', 'private, no-cache');
    return c.json(await deps.suggestions.forAsset(c.var.session.siteId, assetId));
  });
  return app;
}
