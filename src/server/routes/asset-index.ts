/**
 * The index routes, below `/api/sites/:siteId` behind the session middleware: the whole index
 * in one response, the changes since a version, and a refresh on demand.
 *
 * The whole index is the same bytes for every panel of a site between two versions, so it is
 * serialized and gzipped once per site, layout, version and refresh state, and served from that
 * buffer; the ETag names the version, so a panel holding it gets a 304 without a body. Finding
 * the current version costs no store read on most requests: the index service keeps it, and
 * forgets it on every write (docs/decisions/index-under-load.md).
 */
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gunzip as gunzipCallback, gzip as gzipCallback } from 'node:zlib';
import { Hono } from 'hono';
import { encodeCompactIndex } from '../../core/compact-index.ts';
import type { AppEnv } from '../env.ts';
import { HttpError } from '../errors.ts';
import type { AssetIndex, IndexState } from '../services/asset-index.ts';

const gzip = promisify(gzipCallback);
const gunzip = promisify(gunzipCallback);

type Layout = 'compact' | 'plain';

interface IndexBody {
  /** The ETag of the identity bytes; the gzipped ones carry it with `-gz`. */
  etag: string;
  /** A Uint8Array (an ArrayBuffer would go through a whole Response): @hono/node-server writes it as it is. */
  gzipped: Uint8Array<ArrayBuffer>;
  /** Made from the gzipped bytes for the first client that does not take gzip, then kept. */
  identity?: Promise<Uint8Array<ArrayBuffer>>;
}

export function indexRoutes(deps: { index: AssetIndex }): Hono<AppEnv> {
  const { index } = deps;
  const app = new Hono<AppEnv>();
  // One body per site and layout (the latest); concurrent requests for the same state share one build.
  const bodies = new Map<string, { key: string; body: Promise<IndexBody> }>();

  async function build(siteId: string, layout: Layout): Promise<IndexBody> {
    const whole = await index.index(siteId);
    // The panel asks for the compact layout (src/core/compact-index.ts); other clients get the plain one.
    const json = JSON.stringify(layout === 'compact' ? encodeCompactIndex(whole) : whole);
    return { etag: etagOf(whole, layout), gzipped: new Uint8Array(await gzip(json, { level: 9 })) };
  }

  function bodyOf(siteId: string, state: IndexState, layout: Layout): Promise<IndexBody> {
    const key = keyOf(state);
    const slot = `${siteId}:${layout}`;
    const cached = bodies.get(slot);
    // Before the first refresh finishes, GET /index is what starts it: never answer from memory.
    if (cached && cached.key === key && state.built) return cached.body;
    const body = build(siteId, layout);
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
    const layout: Layout = format === 'compact' ? 'compact' : 'plain';
    const gzipped = acceptsGzip(c.req.header('accept-encoding'));
    const state = await index.state(siteId, { fresh: false });
    c.header('Cache-Control', 'private, no-cache');
    c.header('Vary', 'Accept-Encoding', { append: true });
    // A panel holding the current version: no body to find, none to send.
    const current = representationTag(etagOf(state, layout), gzipped);
    if (state.built && matches(c.req.header('if-none-match'), current)) {
      c.header('ETag', current);
      return c.body(null, 304);
    }
    const body = await bodyOf(siteId, state, layout);
    c.header('ETag', representationTag(body.etag, gzipped));
    c.header('Content-Type', 'application/json; charset=utf-8');
    if (gzipped) {
      c.header('Content-Encoding', 'gzip');
      return c.body(body.gzipped);
    }
    body.identity ??= gunzip(body.gzipped).then((bytes) => new Uint8Array(bytes));
    return c.body(await body.identity);
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
  return `${state.epoch}:${state.version}:${JSON.stringify(state.refresh)}`;
}

/**
 * Strong: the store's epoch, the version and the refresh state the body says, and its layout. The
 * epoch is in it because a store made anew counts versions from 0 again: its version 7 is not the
 * body a panel kept from another store's version 7.
 */
function etagOf(state: Pick<IndexState, 'version' | 'epoch' | 'refresh'>, layout: Layout): string {
  const refresh = createHash('sha1').update(JSON.stringify(state.refresh)).digest('base64url').slice(0, 16);
  return `"${state.version}-${layout === 'compact' ? 'c' : 'p'}-${state.epoch.slice(0, 12)}-${refresh}"`;
}

/** A strong ETag names one representation: the gzipped bytes get their own. */
function representationTag(etag: string, gzipped: boolean): string {
  return gzipped ? `${etag.slice(0, -1)}-gz"` : etag;
}

/** `If-None-Match` compares weakly (RFC 9110 13.1.2): a list of tags, `W/` ignored, or `*`. */
function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
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
