/**
 * The deletion routes, below `/api/sites/:siteId` behind the session middleware:
 * `POST /deletions/check` (which of these assets may be deleted, and what that rests on) and
 * `POST /deletions` (journal their deletion: 201 {batch}, or 409 with why). Undo is the
 * journal's `POST /batches/{id}/undo`.
 */
import { Hono } from 'hono';
import { deletionCheckRequest, recordDeletionsRequest } from '../../core/deletion.ts';
import type { AppEnv } from '../env.ts';
import { parseJson } from '../routes/validate.ts';
import type { Deletions } from './service.ts';

export function deletionRoutes(deps: { deletions: Deletions; onRecorded?: (siteId: string) => void }): Hono<AppEnv> {
  const { deletions } = deps;
  const app = new Hono<AppEnv>();

  app.post('/deletions/check', async (c) => {
    const { assetIds } = await parseJson(c, deletionCheckRequest);
    c.header('Cache-Control', 'private, no-cache');
    return c.json(await deletions.check(c.var.session.siteId, assetIds));
  });

  app.post('/deletions', async (c) => {
    const { siteId, userId } = c.var.session;
    const { assetIds, label } = await parseJson(c, recordDeletionsRequest);
    const batch = await deletions.record(siteId, userId, assetIds, label);
    deps.onRecorded?.(siteId);
    return c.json({ batch }, 201);
  });

  return app;
}
