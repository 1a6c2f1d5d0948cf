/**
 * The index routes, below `/api/sites/:siteId` behind the session middleware: the whole index
 * in one response (serialized and gzipped once per version and refresh state, then served from
 * memory: 10,000 assets are a few MB of JSON, too slow to rebuild on every panel open), the
 * changes since a version, and a refresh on demand.
 */
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import { Hono } from 'hono';
import { encodeCompactIndex } from '../../core/compact-index.ts';
import type { AppEnv } from '../env.ts';
import { HttpError } from '../errors.ts';
import type { AssetIndex, IndexState } from '../services/asset-index.ts';

const gzip = promisify(gzipCallback);

interface IndexBody {
  etag: string;
  json: string;
  gzipped: ArrayBuffer;
}

export function indexRoutes(deps: { index: AssetIndex }): Hono<AppEnv> {
  const { index } = deps;
  const app = new Hono<AppEnv>();
  // One body per site and format (the latest); concurrent requests for the same state share one build.
  const bodies = new Map<string, { key: string; body: Promise<IndexBody> }>();

  async function build(siteId: string, compact: boolean): Promise<IndexBody> {
    const whole = await index.index(siteId);
    // The panel asks for the compact layout (src/core/compact-index.ts); other clients get the plain one.
    const json = JSON.stringify(compact ? encodeCompactIndex(whole) : whole);
    return { etag: etagOf(whole.version, whole.refresh, compact), json, gzipped: new Uint8Array(await gzip(json, { level: 9 })).buffer };
  }

  function bodyOf(siteId: string, state: IndexState, compact: boolean): Promise<IndexBody> {
    const key = keyOf(state);
    const slot = `${siteId}:${compact ? 'compact' : 'plain'}`;
    const cached = bodies.get(slot);
    // Before the first refresh finishes, GET /index is what starts it: never answer from memory.
    if (cached && cached.key === key && state.built) return cached.body;
    const body = build(siteId, compact);
    bodies.set(slot, { key, body });
    body.catch(() => {
      if (bodies.get(slot)?.body === body) bodies.delete(slot);
    });
    return body;
  }

  app.get('/index', async (c) => {
    const { siteId } = c.var.session;
    const format = c.req.query('format');
    if (format !== undefined && format !== 'compact' && format !== 'plain') {
      throw new HttpError(400, 'validation_error', 'format must be compact or plain (the default).');
    }
    const body = await bodyOf(siteId, await index.state(siteId), format === 'compact');
    c.header('ETag', body.etag);
    c.header('Cache-Control', 'private, no-cache');
    c.header('Vary', 'Accept-Encoding');
    if (c.req.header('if-none-match') === body.etag) return c.body(null, 304);
    c.header('Content-Type', 'application/json; charset=utf-8');
    if (acceptsGzip(c.req.header('accept-encoding'))) {
      c.header('Content-Encoding', 'gzip');
      return c.body(body.gzipped);
    }
    return c.body(body.json);
  });

  app.get('/index/changes', async (c) => {
    const since = Number(c.req.query('since'));
    if (!Number.isSafeInteger(since) || since < 0) {
      throw new HttpError(400, 'validation_error', 'since must be the version of the index you hold (a whole number, 0 or more).');
    }
    return c.json(await index.changesSince(c.var.session.siteId, since));
  });

  app.post('/index/refresh', (c) => {
    // Background even when a user asks: a refresh is dozens of requests, and the user's edits
    // and uploads (interactive) must not wait behind them.
    void index.refresh(c.var.session.siteId);
    return c.json({}, 202);
  });

  return app;
}

function keyOf(state: IndexState): string {
  return `${state.version}:${JSON.stringify(state.refresh)}`;
}

function etagOf(version: number, refresh: IndexState['refresh'], compact: boolean): string {
  return `"${version}-${compact ? 'c' : 'p'}-${createHash('sha1').update(JSON.stringify(refresh)).digest('base64url').slice(0, 16)}"`;
}

function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  return header.split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    if (coding !== 'gzip' && coding !== '*') return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return !q || Number(q.slice(2)) > 0;
  });
}
