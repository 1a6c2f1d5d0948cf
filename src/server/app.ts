/**
 * The backend's HTTP app: security headers, CORS for the extension's origins only, a body
 * limit, the install and session routes, and every site route behind a session of that site.
 * Errors leave in one shape, `{error: {code, message, details?}}`, never with a stack or a token.
 */
import { Hono, type Context } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { ApiError } from '../core/api.ts';
import { cors } from './cors.ts';
import { MAX_IMPORT_BYTES } from '../core/csv-import.ts';
import { CSV_IMPORT_PATH } from './csv/routes.ts';
import { MAX_BYTES } from '../core/limits.ts';
import { REPLACEMENT_UPLOAD_PATH } from './replace/routes.ts';
import { checkPathAndQuery, drainUnreadBody, limitBody, requireJsonBody } from './edge.ts';
import type { AppEnv } from './env.ts';
import { HttpError, isHttpError } from './errors.ts';
import { requireSession, sessionRoutes } from './routes/session.ts';
import type { Sessions } from './services/sessions.ts';

export const MAX_BODY_BYTES = 2 * 1024 * 1024;
/** How much of a body over the limit is read before the 413, so a client still sending reads it. */
export const DRAIN_BODY_BYTES = 16 * 1024 * 1024;

export interface AppDeps {
  panelOrigins: string[];
  sessions: Sessions;
  /** The install flow (`/oauth/*`). */
  oauth: Hono;
  /** Sub-apps mounted below `/api/sites/:siteId` behind the session middleware. */
  siteRoutes: Hono<AppEnv>[];
  /** Routes below `/api` that check their own key instead of a session (the thumbnails' `<img src>`). */
  keyedRoutes?: Hono<AppEnv>[];
  log?: (message: string) => void;
}

export function createApp(deps: AppDeps): Hono<AppEnv> {
  const log = deps.log ?? ((message: string) => console.error(message));
  const app = new Hono<AppEnv>();
  app.use('*', drainUnreadBody({ drainBytes: DRAIN_BODY_BYTES }));
  // Nothing of the backend is ever framed (the OAuth pages say so in their CSP too).
  app.use('*', secureHeaders({ crossOriginResourcePolicy: false, xFrameOptions: 'DENY' }));
  app.use(
    '/api/*',
    cors({
      allowed: (origin) => deps.panelOrigins.includes(origin),
      // PUT: the panel's `PUT …/usage/styles` (the styles' background images).
      methods: ['GET', 'POST', 'PUT', 'OPTIONS'],
      headers: ['Authorization', 'Content-Type'],
      maxAgeSeconds: 600,
    }),
  );
  app.use('/api/*', checkPathAndQuery());
  // The CSV import and a replacement's file check their own body type, after the session.
  app.use('/api/*', requireJsonBody({ csvAt: new RegExp(`${CSV_IMPORT_PATH.source}|${REPLACEMENT_UPLOAD_PATH.source}`) }));
  const jsonLimit = limitBody({
    maxBytes: MAX_BODY_BYTES,
    drainBytes: DRAIN_BODY_BYTES,
    tooLarge: () => new HttpError(413, 'payload_too_large', `The request body is larger than ${MAX_BODY_BYTES / 1024 / 1024} MB; send the changes in smaller batches.`),
  });
  // A CSV import is a whole file: the import's own limit (the panel's), read past before the 413 as the JSON limit is.
  const csvLimit = limitBody({
    maxBytes: MAX_IMPORT_BYTES,
    drainBytes: MAX_IMPORT_BYTES + DRAIN_BODY_BYTES,
    tooLarge: () => new HttpError(413, 'payload_too_large', `The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB, the most Asset Desk imports at once; split it into smaller files.`),
  });
  // A replacement's file: at most Webflow's largest limit (a document's); its own kind's is checked after.
  const fileLimit = limitBody({
    maxBytes: MAX_BYTES.document,
    drainBytes: MAX_BYTES.document + DRAIN_BODY_BYTES,
    tooLarge: () => new HttpError(413, 'payload_too_large', `The file is larger than ${MAX_BYTES.document / 1024 / 1024} MB, more than Webflow accepts for any asset.`),
  });
  app.use('/api/*', (c, next) => {
    const path = new URL(c.req.url).pathname;
    if (CSV_IMPORT_PATH.test(path)) return csvLimit(c, next);
    return REPLACEMENT_UPLOAD_PATH.test(path) ? fileLimit(c, next) : jsonLimit(c, next);
  });

  app.get('/healthz', (c) => c.json({ ok: true }));
  app.route('/', deps.oauth);
  app.route('/', sessionRoutes(deps.sessions));
  for (const routes of deps.keyedRoutes ?? []) app.route('/', routes);
  app.use('/api/sites/:siteId/*', requireSession(deps.sessions));
  for (const routes of deps.siteRoutes) app.route('/api/sites/:siteId', routes);

  app.notFound((c) => errorResponse(c, new HttpError(404, 'not_found', `There is no ${c.req.method} ${new URL(c.req.url).pathname}.`)));
  app.onError((error, c) => {
    if (isHttpError(error)) {
      if (error.status >= 500) log(`${c.req.method} ${new URL(c.req.url).pathname}: ${error.message}${error.cause instanceof Error ? ` (${error.cause.message})` : ''}`);
      return errorResponse(c, error);
    }
    log(`${c.req.method} ${new URL(c.req.url).pathname} failed: ${error instanceof Error ? error.message : String(error)}`);
    return errorResponse(c, new HttpError(500, 'internal_error', 'Something went wrong on our side; nothing you sent was lost. Try again.'));
  });
  return app;
}

function errorResponse(c: Context, error: HttpError): Response {
  const body: ApiError = { error: { code: error.code, message: error.message, ...(error.details !== undefined ? { details: error.details } : {}) } };
  return c.json(body, error.status);
}
