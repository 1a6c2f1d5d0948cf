/**
 * The thumbnail route, below `/api/sites/:siteId` behind the session middleware: an asset's 80 ×
 * 80 WebP for the grid. `?v=` is the panel's mark of the hosted file's URL, so that a replaced
 * file is asked for anew; the answer is kept by the browser for as long as that URL holds.
 */
import { Hono } from 'hono';
import { visible } from '../edge.ts';
import type { AppEnv } from '../env.ts';
import { HttpError } from '../errors.ts';
import { pathId } from '../routes/validate.ts';
import type { Thumbnails } from './service.ts';

const VERSION = /^[0-9a-z]{1,16}$/;

export function thumbnailsRoutes(deps: { thumbnails: Thumbnails }): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/thumbnails/:assetId', async (c) => {
    const assetId = pathId(c, 'assetId');
    const version = c.req.query('v');
    if (version !== undefined && !VERSION.test(version)) {
      throw new HttpError(400, 'validation_error', `v: must be up to 16 lowercase letters and digits (got "${visible(version)}")`, { details: [{ path: 'v', message: 'must be up to 16 lowercase letters and digits' }] });
    }
    const thumbnail = await deps.thumbnails.forAsset(c.var.session.siteId, assetId);
    c.header('Content-Type', thumbnail.contentType);
    c.header('Cache-Control', version === undefined ? 'private, no-cache' : 'private, max-age=604800, immutable');
    return c.body(thumbnail.bytes as Uint8Array<ArrayBuffer>);
  });
  return app;
}
