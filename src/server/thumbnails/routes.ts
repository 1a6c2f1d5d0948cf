/**
 * The thumbnail routes. Behind the session (below `/api/sites/:siteId`): the key to the site's
 * thumbnails. Open to whoever holds that key (`/api/thumbnails/:siteId/:assetId?v=&k=`): an
 * asset's 80 × 80 WebP, for an `<img src>`, which sends no bearer and so costs no CORS preflight
 * per image. `v` is the panel's mark of the hosted file's URL, so that a replaced file is asked
 * for anew; the answer is kept by the browser for as long as that URL holds.
 */
import { Hono } from 'hono';
import { visible } from '../edge.ts';
import type { AppEnv } from '../env.ts';
import { HttpError } from '../errors.ts';
import { pathId } from '../routes/validate.ts';
import type { Thumbnails } from './service.ts';

const MARK = /^[0-9a-z]{1,16}$/;

/** `GET …/thumbnails/key`, behind the session. */
export function thumbnailKeyRoutes(deps: { thumbnails: Thumbnails }): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/thumbnails/key', (c) => {
    c.header('Cache-Control', 'private, no-store');
    return c.json(deps.thumbnails.keyFor(c.var.session.siteId));
  });
  return app;
}

/** `GET /api/thumbnails/:siteId/:assetId?v=&k=`, before the session: the key is checked first, and nothing is read without it. */
export function thumbnailsRoutes(deps: { thumbnails: Thumbnails }): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/api/thumbnails/:siteId/:assetId', async (c) => {
    const siteId = pathId(c, 'siteId');
    const assetId = pathId(c, 'assetId');
    const key = c.req.query('k') ?? '';
    const check = deps.thumbnails.checkKey(siteId, key);
    if (!check.ok) {
      throw new HttpError(401, 'unauthorized', check.reason === 'expired' ? 'The thumbnail key has expired; reopen the panel.' : 'No valid thumbnail key for this site.');
    }
    const mark = c.req.query('v');
    if (mark !== undefined && !MARK.test(mark)) {
      throw new HttpError(400, 'validation_error', `v: must be up to 16 lowercase letters and digits (got "${visible(mark)}")`, { details: [{ path: 'v', message: 'must be up to 16 lowercase letters and digits' }] });
    }
    const thumbnail = await deps.thumbnails.forAsset(siteId, assetId, mark);
    c.header('Content-Type', thumbnail.contentType);
    c.header('Cache-Control', mark === undefined ? 'private, no-cache' : 'private, max-age=604800, immutable');
    return c.body(thumbnail.bytes as Uint8Array<ArrayBuffer>);
  });
  return app;
}
