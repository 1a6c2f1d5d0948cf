/**
 * A tiny app for route tests: a fixed session of one site (as the session middleware would set
 * it), the sub-apps under `/api/sites/:siteId`, and HttpErrors mapped to the API's error shape
 * as the real app does.
 */
import { Hono } from 'hono';
import type { ApiError } from '../../src/core/api.ts';
import type { AppEnv } from '../../src/server/env.ts';
import { isHttpError } from '../../src/server/errors.ts';

export function siteApp(session: { userId: string; siteId: string }, ...routes: Hono<AppEnv>[]): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use('/api/sites/:siteId/*', async (c, next) => {
    c.set('session', session);
    await next();
  });
  for (const sub of routes) app.route('/api/sites/:siteId', sub);
  app.onError((error, c) => {
    if (!isHttpError(error)) throw error;
    const body: ApiError = { error: { code: error.code, message: error.message, ...(error.details !== undefined ? { details: error.details } : {}) } };
    return c.json(body, error.status);
  });
  return app;
}

export function jsonPost(body: unknown): RequestInit {
  return { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
}
