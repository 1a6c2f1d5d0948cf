/**
 * Upload routes below `/api/sites/:siteId`: create (201 with the presigned POST, or 200 with the
 * asset the site already has), complete, fail (204).
 */
import { Hono } from 'hono';
import { completeUploadRequest, failUploadRequest, uploadRequest } from '../../core/api.ts';
import type { AppEnv } from '../env.ts';
import type { Uploads } from '../services/uploads.ts';
import { parseJson, pathId } from './validate.ts';

export function uploadsRoutes(deps: { uploads: Uploads }): Hono<AppEnv> {
  const { uploads } = deps;
  const app = new Hono<AppEnv>();
  app.post('/uploads', async (c) => {
    const request = await parseJson(c, uploadRequest);
    const answer = await uploads.create(c.get('session'), request);
    return c.json(answer, answer.status === 'created' ? 201 : 200);
  });
  app.post('/uploads/:uploadId/complete', async (c) => {
    const { altText } = await parseJson(c, completeUploadRequest);
    return c.json({ asset: await uploads.complete(c.get('session').siteId, pathId(c, 'uploadId'), altText) });
  });
  app.post('/uploads/:uploadId/fail', async (c) => {
    const { reason } = await parseJson(c, failUploadRequest);
    await uploads.fail(c.get('session').siteId, pathId(c, 'uploadId'), reason);
    return c.body(null, 204);
  });
  return app;
}
