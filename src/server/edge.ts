/**
 * The backend's edge, before any route: what every `/api/*` request must be whatever route it
 * reaches. Its path and query hold text we can store (no NUL, no half characters, bounded); a
 * body is JSON, said so by its Content-Type; and a body over the limit is refused with a 413
 * the client can read, even one still sending (docs/decisions/text-at-the-edge.md).
 */
import type { MiddlewareHandler } from 'hono';
import { textProblem } from '../core/api.ts';
import type { AppEnv } from './env.ts';
import { HttpError } from './errors.ts';

/** Longest path segment or query value any route takes (ids are 64; a status list is short). */
export const MAX_PARAM_LENGTH = 256;

/**
 * NUL, lone surrogates and oversized values in the path or the query are refused here, once for
 * every route, naming the parameter. Routes still check their own ids' form (routes/validate.ts).
 */
export function checkPathAndQuery(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const url = new URL(c.req.url);
    const segments = url.pathname.split('/');
    segments.forEach((raw, i) => {
      const value = decodeSegment(raw);
      const problem = paramProblem(value);
      // A segment is named by the one before it: the id after /assets/ is "the path after /assets/".
      if (problem) throw invalid(`path after /${segments.slice(1, i).map(decodeSegment).map(visible).join('/')}/`, problem);
    });
    for (const [name, value] of url.searchParams) {
      const problem = paramProblem(name) ?? paramProblem(value);
      if (problem) throw invalid(`query parameter ${visible(name)}`, problem);
    }
    await next();
  };
}

function paramProblem(value: string): string | undefined {
  if (value.length > MAX_PARAM_LENGTH) return `must be at most ${MAX_PARAM_LENGTH} characters`;
  return textProblem(value);
}

function invalid(field: string, problem: string): HttpError {
  return new HttpError(400, 'validation_error', `${field}: ${problem}`, { details: [{ path: field, message: problem }] });
}

/** A path segment as routes see it; one that is not valid percent-encoding stays as sent. */
function decodeSegment(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** Shown back in a message: control characters and half characters as escapes, and short. */
export function visible(value: string): string {
  const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
  // eslint-disable-next-line no-control-regex -- control characters are what it finds
  return shown.replace(/[\u0000-\u001f\u007f]|[\uD800-\uDFFF]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * A request refused before its body was read (no session, 415, a bad path id, 404) has its
 * body read and thrown away, up to `drainBytes`, before the answer leaves: left unread,
 * @hono/node-server closes the connection under a keep-alive client, whose next request on it
 * then fails ("other side closed"). Beyond `drainBytes` the connection is closed after the answer.
 */
export function drainUnreadBody(options: { drainBytes: number }): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    if (withoutBody(c.req.method)) return;
    const body = c.req.raw.body;
    if (!body || c.req.raw.bodyUsed) return;
    const reader = body.getReader();
    let size = 0;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        size += value.byteLength;
        if (size > options.drainBytes) {
          await reader.cancel();
          c.res.headers.set('Connection', 'close');
          return;
        }
      }
    } catch {
      // The client went away meanwhile: nothing is left to answer.
    }
  };
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * GET and HEAD never carry a body through @hono/node-server (it gives them none), and asking
 * for `c.req.raw.body` would make it build the whole Request for nothing on every read: a third
 * of the index route's time under load.
 */
function withoutBody(method: string): boolean {
  return method === 'GET' || method === 'HEAD';
}

/**
 * Every `/api/*` route takes JSON: a body sent as anything else (text/plain, a form) is refused
 * with 415 rather than guessed at. `charset=utf-8` may be said; another charset is refused too,
 * since the body is read as UTF-8. A request without a body needs no Content-Type. The one
 * exception, `csvAt`, takes a CSV file (`text/csv`, UTF-8) instead.
 */
export function requireJsonBody(options: { csvAt?: RegExp } = {}): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!BODY_METHODS.has(c.req.method) || !hasBody(c.req.raw)) return next();
    const type = c.req.header('content-type');
    // The CSV route checks its own type after the session, so another site's session hears 403 first.
    if (options.csvAt?.test(new URL(c.req.url).pathname)) return next();
    if (!type || !isJsonType(type)) {
      throw new HttpError(415, 'unsupported_media_type', `Send the body as JSON with Content-Type: application/json${type ? ` (not ${visible(type)})` : ''}.`);
    }
    await next();
  };
}

export function isJsonType(header: string): boolean {
  const [type, ...params] = header.split(';').map((part) => part.trim().toLowerCase());
  if (type !== 'application/json') return false;
  return params.every((param) => param === '' || /^charset="?utf-8"?$/.test(param));
}

export function isCsvType(header: string): boolean {
  const [type, ...params] = header.split(';').map((part) => part.trim().toLowerCase());
  if (type !== 'text/csv') return false;
  return params.every((param) => param === '' || /^charset="?utf-8"?$/.test(param) || /^header="?(present|absent)"?$/.test(param));
}

function hasBody(request: Request): boolean {
  if (request.headers.has('transfer-encoding')) return true;
  const length = request.headers.get('content-length');
  if (length !== null) return Number(length) > 0;
  return request.body !== null;
}

/**
 * The body limit. Over it, the body is still read (and thrown away) up to `drainBytes` before
 * the 413 is sent: an HTTP client writes the whole body before it reads the answer, and a
 * server that answers and closes while it is still sending makes it fail with a reset instead
 * of showing the 413. Beyond `drainBytes` the connection is closed after the answer.
 */
export function limitBody(options: { maxBytes: number; drainBytes: number; tooLarge: () => HttpError }): MiddlewareHandler<AppEnv> {
  const { maxBytes, drainBytes } = options;
  return async (c, next) => {
    if (withoutBody(c.req.method)) return next();
    const body = c.req.raw.body;
    if (!body) return next();
    const declared = c.req.raw.headers.has('transfer-encoding') ? null : c.req.raw.headers.get('content-length');
    if (declared !== null && Number(declared) <= maxBytes) return next();
    const reader = body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    let over = declared !== null;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) over = true;
      if (!over) chunks.push(value);
      if (size > drainBytes) {
        await reader.cancel().catch(() => undefined);
        break;
      }
    }
    if (over) {
      // Keep-alive would leave the client a connection whose request stream we cut short.
      c.header('Connection', 'close');
      throw options.tooLarge();
    }
    const whole = new Uint8Array(size);
    let offset = 0;
    for (const chunk of chunks) {
      whole.set(chunk, offset);
      offset += chunk.byteLength;
    }
    c.req.raw = new Request(c.req.raw, { body: whole });
    await next();
  };
}
