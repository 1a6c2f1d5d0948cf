/**
 * The suggestion routes, below `/api/sites/:siteId` behind the session middleware: one asset's
 * suggestions from every source the backend has (`?localeId=`: the locale the vision model
 * writes for), and which sources run for the site. An asset of another site is not found.
 */
import { Hono } from 'hono';
import { idSchema } from '../../core/api.ts';
import { visible } from '../edge.ts';
import type { AppEnv } from '../env.ts';
import { HttpError } from '../errors.ts';
import { pathId } from '../routes/validate.ts';
import type { Suggestions } from './service.ts';

export function suggestionsRoutes(deps: { suggestions: Suggestions }): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/suggestions/assets/:assetId', async (c) => {
    const assetId = pathId(c, 'assetId');
    const localeId = c.req.query('localeId');
    if (localeId !== undefined && !idSchema.safeParse(localeId).success) {
      throw new HttpError(400, 'validation_error', `localeId: must be a locale id (got "${visible(localeId)}")`, { details: [{ path: 'localeId', message: 'must be a locale id' }] });
    }
    c.header('Cache-Control', 'private, no-cache');
    return c.json(await deps.suggestions.forAsset(c.var.session.siteId, assetId, localeId ?? null));
  });
  app.get('/suggestions/sources', async (c) => {
    c.header('Cache-Control', 'private, no-cache');
    return c.json(await deps.suggestions.status(c.var.session.siteId));
  });
  return app;
}
