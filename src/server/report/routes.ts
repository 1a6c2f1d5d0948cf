/** `GET /api/sites/:siteId/report`, behind the session middleware: see src/core/report.ts. */
import { Hono } from 'hono';
import type { AppEnv } from '../env.ts';
import type { Report } from './service.ts';

export function reportRoutes(deps: { report: Report }): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/report', async (c) => {
    const { siteId, userId } = c.var.session;
    c.header('Cache-Control', 'private, no-cache');
    return c.json(await deps.report.report(siteId, userId));
  });
  return app;
}
