/**
 * `POST /api/session`, and the middleware that guards every `/api/sites/{siteId}/…` route:
 * a session of that very site, not expired, not forged.
 */
import { Hono, type MiddlewareHandler } from 'hono';
import { sessionRequest } from '../../core/api.ts';
import type { AppEnv } from '../env.ts';
import { HttpError } from '../errors.ts';
import type { Sessions } from '../services/sessions.ts';
import { parseJson } from './validate.ts';

export function sessionRoutes(sessions: Sessions): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.post('/api/session', async (c) => {
    const request = await parseJson(c, sessionRequest);
    try {
      return c.json(await sessions.open(request, { socketAddress: socketAddressOf(c.env), forwardedFor: c.req.header('x-forwarded-for') }));
    } catch (error) {
      const retryAfterMs = error instanceof HttpError && error.status === 429 ? (error.details as { retryAfterMs?: number | null } | undefined)?.retryAfterMs : undefined;
      if (retryAfterMs) c.header('Retry-After', String(Math.max(1, Math.ceil(retryAfterMs / 1000))));
      throw error;
    }
  });
  return app;
}

/** The peer of the connection, from @hono/node-server's bindings (absent under `app.request`). */
function socketAddressOf(env: unknown): string | undefined {
  const bindings = env as { incoming?: { socket?: { remoteAddress?: unknown } } } | undefined;
  const address = bindings?.incoming?.socket?.remoteAddress;
  return typeof address === 'string' ? address : undefined;
}

export function requireSession(sessions: Sessions): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    // Exactly `Bearer <token>`: one form, one meaning (docs/decisions/text-at-the-edge.md).
    const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(c.req.header('authorization') ?? '');
    if (!match) throw new HttpError(401, 'unauthorized', 'Sign in first: this route needs a session, sent as exactly "Authorization: Bearer <sessionToken>".');
    const check = sessions.verify(match[1] as string);
    if (!check.ok) {
      throw new HttpError(401, 'unauthorized', check.reason === 'expired' ? 'Your session has expired; the panel renews it, or reopen the panel.' : 'The session token is not valid.');
    }
    const siteId = c.req.param('siteId');
    if (siteId !== check.claims.siteId) throw new HttpError(403, 'forbidden', 'This session belongs to another site.');
    c.set('session', { userId: check.claims.userId, siteId: check.claims.siteId });
    await next();
  };
}
