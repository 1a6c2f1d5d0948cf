/**
 * What stands in front of the sandbox's Data API, as in front of Webflow's: injected faults
 * (latency, a share of 500s, a 429 storm, 429 storms that come back), the bearer token, the per-token rate limit with
 * `X-RateLimit-*` headers and `Retry-After`, and the request counts tests and benchmarks read.
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { AccessToken, Scope, World } from '../world/world.ts';

export interface RateLimit {
  /** Requests a token may make per window (Webflow: 60 or 120 a minute). */
  perWindow: number;
  /** 60,000 as in Webflow; tests and benchmarks use a short window (the fast mode). */
  windowMs: number;
}

export interface Faults {
  /** Added to every Data API request. */
  latencyMs?: number;
  /** Share (0..1) of Data API requests answered 500 before they do anything. */
  errorRate?: number;
  /** Every Data API request is answered 429 for this long from when it is set. */
  stormMs?: number;
  /**
   * 429 storms that come back: from when it is set, every `everyMs` a storm of `lastMs` during
   * which every Data API request is answered 429 with Retry-After for the storm's rest (the first
   * storm at once). What a long run meets when Webflow sheds load now and then.
   */
  storms?: { everyMs: number; lastMs: number };
  /**
   * The next `count` writes (every method but GET, or only `route`, e.g. `POST /v2/sites/:id/assets`)
   * are applied, then answered with a 500 (`error`) or the connection is dropped (`drop`):
   * the client cannot tell whether Webflow acted. Writes Webflow refused are not counted.
   */
  failAfterApplying?: { count: number; answer: 'error' | 'drop'; route?: string };
}

export interface Stats {
  requests: number;
  tooManyRequests: number;
  serverErrors: number;
  /** Requests per `METHOD /path` with ids replaced by `:id`. */
  byRoute: Record<string, number>;
  /**
   * Writes the Data API made, per `METHOD /path` with the ids kept (every method but GET, answered
   * under 400 by the route, whether or not the answer then reached the client): what a test
   * counts to prove each change reached Webflow exactly once.
   */
  writes: Record<string, number>;
  /** When the first and the last counted request arrived (epoch ms; null before any). */
  firstAt: number | null;
  lastAt: number | null;
  /** Every rate-limit window opened (any token): when its first request arrived, and how many it let through. */
  windows: Array<{ startedAt: number; requests: number }>;
}

export type GateEnv = { Variables: { token: AccessToken } };

export type Gate = ReturnType<typeof createGate>;

export function createGate(world: World, options: { rateLimit: RateLimit; faults?: Faults }) {
  let rateLimit = options.rateLimit;
  let faults: Faults = {};
  let stormUntil = 0;
  let stormsSince = 0;
  let stats: Stats = emptyStats();
  let failAfterApplying: Faults['failAfterApplying'];
  const windows = new Map<string, { start: number; count: number }>();
  /** Each token's open window in the stats (none after a reset until its next window opens). */
  const windowStats = new Map<string, Stats['windows'][number] | undefined>();

  function setFaults(next: Faults): void {
    faults = { ...next };
    stormUntil = next.stormMs ? Date.now() + next.stormMs : 0;
    stormsSince = Date.now();
    failAfterApplying = next.failAfterApplying && next.failAfterApplying.count > 0 ? { ...next.failAfterApplying } : undefined;
  }
  setFaults(options.faults ?? {});

  const middleware: MiddlewareHandler<GateEnv> = async (c, next) => {
    const arrived = Date.now();
    stats.requests += 1;
    stats.firstAt ??= arrived;
    stats.lastAt = arrived;
    const route = `${c.req.method} ${new URL(c.req.url).pathname.replace(/\/(?:[a-f0-9]{24}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?=\/|$)/g, '/:id')}`;
    stats.byRoute[route] = (stats.byRoute[route] ?? 0) + 1;
    if (faults.latencyMs) await new Promise((resolve) => setTimeout(resolve, faults.latencyMs));

    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const token = match ? world.token(match[1] as string) : undefined;
    if (!token) return webflowError(c, 401, 'not_authorized', 'Request not authorized');

    const now = Date.now();
    if (now < stormUntil) {
      stats.tooManyRequests += 1;
      return tooMany(c, Math.max(1, Math.ceil((stormUntil - now) / 1000)));
    }
    const stormLeft = faults.storms ? recurringStormLeftMs(faults.storms, stormsSince, now) : 0;
    if (stormLeft > 0) {
      stats.tooManyRequests += 1;
      return tooMany(c, Math.max(1, Math.ceil(stormLeft / 1000)));
    }
    let window = windows.get(token.token);
    if (!window || now - window.start >= rateLimit.windowMs) {
      window = { start: now, count: 0 };
      windows.set(token.token, window);
      stats.windows.push({ startedAt: now, requests: 0 });
      windowStats.set(token.token, stats.windows.at(-1));
    }
    c.header('X-RateLimit-Limit', String(rateLimit.perWindow));
    if (window.count >= rateLimit.perWindow) {
      stats.tooManyRequests += 1;
      c.header('X-RateLimit-Remaining', '0');
      return tooMany(c, Math.max(1, Math.ceil((window.start + rateLimit.windowMs - now) / 1000)));
    }
    window.count += 1;
    const counted = windowStats.get(token.token);
    if (counted) counted.requests += 1;
    c.header('X-RateLimit-Remaining', String(rateLimit.perWindow - window.count));

    if (faults.errorRate && Math.random() < faults.errorRate) {
      stats.serverErrors += 1;
      return webflowError(c, 500, 'internal_error', 'An Internal Error occurred');
    }
    c.set('token', token);
    await next();
    if (c.req.method !== 'GET' && c.res.status < 400) {
      const written = `${c.req.method} ${new URL(c.req.url).pathname}`;
      stats.writes[written] = (stats.writes[written] ?? 0) + 1;
    }

    const failing = failAfterApplying;
    const applies = failing && (failing.route ? failing.route === route : c.req.method !== 'GET');
    if (!failing || !applies || c.res.status >= 400) return;
    failing.count -= 1;
    if (failing.count <= 0) failAfterApplying = undefined;
    stats.serverErrors += 1;
    if (failing.answer === 'drop') {
      // The change is made; the answer never arrives (the socket closes under it).
      (c.env as { incoming?: { socket?: { destroy(): void } } } | undefined)?.incoming?.socket?.destroy();
    }
    c.res = undefined;
    c.res = webflowError(c, 500, 'internal_error', 'An Internal Error occurred');
  };

  return {
    middleware,
    setFaults,
    faults: (): Faults => {
      const { failAfterApplying: _set, ...rest } = faults;
      return failAfterApplying ? { ...rest, failAfterApplying: { ...failAfterApplying } } : rest;
    },
    setRateLimit(next: RateLimit): void {
      rateLimit = next;
      windows.clear();
    },
    rateLimit: (): RateLimit => rateLimit,
    stats: (): Stats => structuredClone(stats),
    resetStats(): void {
      stats = emptyStats();
      windowStats.clear();
    },
  };
}

/**
 * How much of a recurring storm is left at `now` (0 between storms): storms start at `since` and
 * every `everyMs` after it, each lasting `lastMs`.
 */
export function recurringStormLeftMs(storms: { everyMs: number; lastMs: number }, since: number, now: number): number {
  if (now < since || storms.everyMs <= 0) return 0;
  const into = (now - since) % storms.everyMs;
  return into < storms.lastMs ? storms.lastMs - into : 0;
}

function emptyStats(): Stats {
  return { requests: 0, tooManyRequests: 0, serverErrors: 0, byRoute: {}, writes: {}, firstAt: null, lastAt: null, windows: [] };
}

function tooMany(c: Context, retryAfterSeconds: number): Response {
  c.header('Retry-After', String(retryAfterSeconds));
  return webflowError(c, 429, 'too_many_requests', 'Too many requests');
}

export type WebflowStatus = 400 | 401 | 403 | 404 | 409 | 429 | 500;

/** Webflow's error body: `{code, message, externalReference, details}`. */
export function webflowError(c: Context, status: WebflowStatus, code: string, message: string, details: unknown[] = []): Response {
  return c.json({ code, message, externalReference: null, details }, status);
}

/** A scope granted under another name: v2.yml's operations ask for `page:read`, its OAuth scheme grants `pages:read`. */
const SAME_AS: Partial<Record<Scope, Scope>> = { 'page:read': 'pages:read' };

/** 403 `missing_scopes` unless the token has the scope (or the same scope under its other name). */
export function missingScope(c: Context<GateEnv>, scope: Scope): Response | undefined {
  const token = c.get('token');
  if (token.scopes.includes(scope) || token.scopes.some((granted) => SAME_AS[granted] === scope)) return undefined;
  return webflowError(c, 403, 'missing_scopes', `OAuthForbidden: You are missing the following scopes - ${scope}`);
}

/** 404 `resource_not_found` when the token is not authorized for the site: another site's objects do not exist for it. */
export function outsideSite(c: Context<GateEnv>, siteId: string): Response | undefined {
  if (c.get('token').siteIds.includes(siteId)) return undefined;
  return webflowError(c, 404, 'resource_not_found', `Requested resource not found: site ${siteId}`);
}
