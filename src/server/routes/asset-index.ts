/**
 * The index routes, below `/api/sites/:siteId` behind the session middleware: the whole index
 * in one response (serialized and compressed once per version and refresh state, then served
 * from memory), the changes since a version, and a refresh on demand.
 */
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import { Hono } from 'hono';
import type { AppEnv } from '../env.ts';
import { HttpError } from '../errors.ts';
import type { AssetIndex } from '../services/asset-index.ts';

const gzip = promisify(gzipCallback);

interface CachedBody {
  key: string;
  json: string;
  gzipped: Buffer;
}

export function indexRoutes(deps: { index: AssetIndex }): Hono<AppEnv> {
  const { index } = deps;
  const app = new Hono<AppEnv>();
  const cache = new Map<string, CachedBody>();

  app.get('/index', async (c) => {
    const siteId = c.req.param('siteId') as string;
    const state = await index.version(siteId);
    const key = `${state.version}:${JSON.stringify(state.refresh)}`;
    let body = cache.get(siteId);
    if (!body || body.key !== key || !state.known) {
      const whole = await index.index(siteId);
      const json = JSON.stringify(whole);
      body = { key: `${whole.version}:${JSON.stringify(whole.refresh)}`, json, gzipped: await gzip(json, { level: 6 }) };
      cache.set(siteId, body);
    }
    const etag = `"${Buffer.from(body.key).toString('base64url')}"`;
    c.header('ETag', etag);
    c.header('Cache-Control', 'private, no-cache');
    c.header('Vary', 'Accept-Encoding');
    if (c.req.header('if-none-match') === etag) return c.body(null, 304);
    c.header('Content-Type', 'application/json; charset=utf-8');
    if (/\bgzip\b/.test(c.req.header('accept-encoding') ?? '')) {
      c.header('Content-Encoding', 'gzip');
      return c.body(new Uint8Array(body.gzipped));
    }
    return c.body(body.json);
  });

  app.get('/index/changes', async (c) => {
    const since = Number(c.req.query('since'));
    if (!Number.isInteger(since) || since < 0) throw new HttpError(400, 'validation_error', 'since must be the whole-number version of the index you hold.');
    return c.json(await index.changesSince(c.req.param('siteId') as string, since));
  });

  app.post('/index/refresh', (c) => {
    void index.refresh(c.req.param('siteId') as string);
    return c.body(null, 202);
  });

  return app;
}
