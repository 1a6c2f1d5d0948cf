/**
 * Who may send the next request with a token, and when. The count lives in the store (several
 * backends on one store share a token's budget); in each process, interactive work (a user
 * waits) goes before background work, and background work leaves interactive work a fifth of
 * the window while someone is working interactively. A window of ours ends when Webflow's
 * surely has: one Webflow window after the answer to the request that opened Webflow's (which
 * arrived before that answer left), or a margin past Webflow's window when that answer is lost;
 * so our count never runs ahead of Webflow's and earns a 429.
 *
 * On a busy machine a request may reach Webflow long after its grant (seconds, when both cores
 * are taken), in a later window of Webflow's than the one it was counted in. So a request counts
 * in every window of ours from its grant until its answer arrives; and one answered after its
 * Webflow window may have turned counts in the next window of ours too (it may have opened
 * Webflow's next window, or joined it). An answer in time proves its request reached the window
 * it was counted for, and frees its place at once. Both facts live in the store, so backends
 * sharing it never together send a window more than the limit
 * (docs/decisions/quota-late-requests.md).
 *
 * A few requests of every window are kept for opening sessions (the Designer's ID token
 * resolve): neither a refresh nor a burst of interactive work can make a designer who opens the
 * panel wait for the next window. Unauthenticated callers cannot spend that reserve freely:
 * services/session-guard.ts bounds the resolves nobody has proven real.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Store } from '../store/db.ts';
import { answerQuota, blockQuota, takeQuota, type QuotaGrant } from '../store/quota.ts';
import type { Priority } from './types.ts';

export const INTERACTIVE_RESERVE = 0.2;
/** Share of each window only session resolves may use (at least {@link MIN_SESSION_RESERVE} requests). */
export const SESSION_RESERVE = 0.05;
export const MIN_SESSION_RESERVE = 2;

/** What a request is for, as the quota sees it: sessions may use the whole window. */
export type QuotaClass = Priority | 'session';

/** Requests of a window each class may use, for a token allowed `limit` a window. */
export function capsOf(limit: number): Record<QuotaClass, number> {
  const reserve = Math.min(limit - 1, Math.max(MIN_SESSION_RESERVE, Math.ceil(limit * SESSION_RESERVE)));
  const interactive = Math.max(1, limit - reserve);
  return { session: limit, interactive, background: Math.max(1, Math.min(interactive, Math.floor(limit * (1 - INTERACTIVE_RESERVE)))) };
}
/**
 * Webflow's window starts when its first request arrives, ours when we grant it; the delay
 * between the two varies (a new connection, a busy event loop, a queued store) by tens of
 * milliseconds. Until the answer to the first request tells us more, a window of ours lasts
 * this much longer than Webflow's, and requests are granted only until this much before its
 * end. 2% of a minute covers that; a fast test window needs this floor.
 */
export const MIN_MARGIN_MS = 200;

export interface QuotaOptions {
  store: Store;
  /** Webflow's window: a minute (tests and benchmarks use the sandbox's fast window). */
  windowMs: number;
  /** Extra time per window, so clocks and transit never let us run ahead of Webflow. */
  marginMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** A test's clock, in milliseconds; the store's clock otherwise. */
  now?: () => number;
  /**
   * The longest a request may go unanswered (the client's timeout): one unanswered for longer
   * (its process died with it) is forgotten a Webflow window later.
   */
  requestTimeoutMs?: number;
}

/** Webflow's X-RateLimit-* headers in an answer. */
export interface RateLimitNote {
  remaining: number;
  /** X-RateLimit-Limit, when sent. */
  limit?: number;
}

export type Quota = ReturnType<typeof createQuota>;

/** The backend is stopping: work that waits for quota gives up rather than hold the shutdown. */
export class QuotaClosed extends Error {
  override name = 'QuotaClosed';
  constructor() {
    super('The backend is stopping; this request to Webflow was not sent.');
  }
}

/** The caller stopped waiting for quota (its signal aborted): the request was not sent. */
export class QuotaWaitStopped extends Error {
  override name = 'QuotaWaitStopped';
  constructor() {
    super('This request to Webflow was not sent: its caller stopped waiting for quota.');
  }
}

/** Sleeps `ms`, or less when `signal` aborts first. */
function pause(sleep: (ms: number) => Promise<void>, ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return sleep(ms);
  return new Promise<void>((resolve) => {
    const done = () => {
      signal.removeEventListener('abort', done);
      resolve();
    };
    signal.addEventListener('abort', done);
    void sleep(ms).then(done);
  });
}

/**
 * A granted request: the last window (by the store's clock) it was counted in, as far as this
 * process knows. Until {@link Quota.answered}, a window opening later counts it there too (this
 * process moves it on when it grants in that window).
 */
export interface QuotaTicket {
  windowStart: number;
  /** The requests counted in that window when this one was counted there, itself included. */
  used: number;
  /** Its record among the store's requests on their way. */
  readonly flightId: string;
  /** When it was granted, by the store's clock: it reached Webflow after that. */
  readonly grantedAt: number;
}

export function tokenKey(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

type Answer = Parameters<typeof answerQuota>[1]['answers'][number];

/**
 * Answers on their way to the store, per token: those that arrive while one statement runs go
 * together in the next (each request would otherwise cost the store a second statement, and
 * embedded PGlite has one connection). A store that fails here leaves the requests on their
 * way (counted in every window until they are forgotten): the safe side, and the request's own
 * outcome matters more than this record. On a test's clock each answer goes alone, at its time.
 */
function answerQueue(store: Store, webflowWindowMs: number, now: (() => number) | undefined) {
  const waiting = new Map<string, Answer[]>();
  const running = new Map<string, Promise<void>>();
  async function write(key: string): Promise<void> {
    for (;;) {
      const answers = waiting.get(key) ?? [];
      waiting.delete(key);
      if (answers.length === 0) return;
      await answerQuota(store, { tokenKey: key, answers, webflowWindowMs }).catch(() => undefined);
    }
  }
  return {
    push(key: string, answer: Answer): void {
      waiting.set(key, [...(waiting.get(key) ?? []), answer]);
    },
    /** Resolves when the token's answers pushed so far are in the store. */
    async flush(key: string): Promise<void> {
      if (now) {
        const answers = waiting.get(key) ?? [];
        waiting.delete(key);
        await answerQuota(store, { tokenKey: key, answers, webflowWindowMs, now: now() }).catch(() => undefined);
        return;
      }
      for (;;) {
        // A statement running may have taken this answer or not: wait for it, then look again.
        const current = running.get(key);
        if (current) {
          await current;
          continue;
        }
        if (!waiting.has(key)) return;
        const run = write(key).finally(() => running.delete(key));
        running.set(key, run);
        await run;
        return;
      }
    },
  };
}

export function createQuota(options: QuotaOptions) {
  const { store } = options;
  const marginMs = Math.min(options.marginMs ?? Math.max(MIN_MARGIN_MS, Math.round(options.windowMs * 0.02)), options.windowMs / 4);
  // Requests are granted in the window's first `openMs` only, and the next window opens after
  // `windowMs`: whatever the delay of a request to Webflow within the margin, it counts in the
  // Webflow window its own window's first request opened.
  const windowMs = options.windowMs + marginMs;
  const openMs = options.windowMs - marginMs;
  const flightMs = (options.requestTimeoutMs ?? 30_000) + options.windowMs;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  /** Interactive requests waiting in this process, per token. */
  const interactiveWaiting = new Map<string, number>();
  const limits = new Map<string, number>();
  /** Granted requests of this process not yet answered, per token. */
  const inFlight = new Map<string, Set<QuotaTicket>>();
  /** Requests of this process asking the store for a grant, per token. */
  const asking = new Map<string, number>();
  const now = options.now;
  const answering = answerQueue(store, options.windowMs, now);
  let closed = false;

  return {
    /**
     * Stops granting: every request waiting for quota, and every later one, fails with
     * {@link QuotaClosed} within a second, so background work (a crawl waiting for the next
     * window, minutes at 60 a minute) ends and a shutdown does not wait for it.
     */
    close(): void {
      closed = true;
    },

    /** The token's requests per window, from introspection (60 until known). */
    setLimit(token: string, limit: number): void {
      limits.set(tokenKey(token), Math.max(1, limit));
    },
    limitOf(token: string): number {
      return limits.get(tokenKey(token)) ?? 60;
    },

    /**
     * Resolves when a request may be sent, with the window it counts in. `signal`: the caller may
     * stop waiting (the server applier handing its changes to a panel), and then this throws
     * {@link QuotaWaitStopped}; once granted, the request is the caller's to send.
     */
    async acquire(token: string, priority: QuotaClass, signal?: AbortSignal): Promise<QuotaTicket> {
      const key = tokenKey(token);
      const caps = capsOf(limits.get(key) ?? 60);
      const backgroundCap = caps.background;
      const interactive = priority !== 'background';
      // The store's `limit` is the cap of this request's class: without interactive work of late,
      // background work may use what interactive work may.
      const limit = priority === 'session' ? caps.session : caps.interactive;
      if (interactive) interactiveWaiting.set(key, (interactiveWaiting.get(key) ?? 0) + 1);
      try {
        for (;;) {
          if (closed) throw new QuotaClosed();
          if (signal?.aborted) throw new QuotaWaitStopped();
          if (!interactive && (interactiveWaiting.get(key) ?? 0) > 0) {
            await pause(sleep, 5, signal);
            continue;
          }
          // No more of this process's requests on their way (or asking) than a window holds:
          // only an answer frees a place, so look again soon.
          if ((inFlight.get(key)?.size ?? 0) + (asking.get(key) ?? 0) >= limit) {
            await pause(sleep, 10, signal);
            continue;
          }
          const flightId = randomUUID();
          asking.set(key, (asking.get(key) ?? 0) + 1);
          let grant: QuotaGrant;
          try {
            grant = await takeQuota(store, {
              tokenKey: key,
              flightId,
              windowMs,
              webflowWindowMs: options.windowMs,
              openMs,
              limit,
              backgroundCap,
              interactive,
              flightMs,
              ...(now ? { now: now() } : {}),
            });
          } finally {
            asking.set(key, (asking.get(key) ?? 1) - 1);
          }
          if (grant.granted) {
            const flying = inFlight.get(key) ?? new Set<QuotaTicket>();
            // The window counted this process's requests still on their way (with everyone's).
            for (const ticket of flying) {
              if (ticket.windowStart < grant.windowStart) Object.assign(ticket, { windowStart: grant.windowStart, used: grant.used });
            }
            const ticket: QuotaTicket = { windowStart: grant.windowStart, used: grant.used, flightId, grantedAt: grant.grantedAt };
            inFlight.set(key, flying.add(ticket));
            return ticket;
          }
          await pause(sleep, Math.min(grant.waitMs, 1000), signal);
        }
      } finally {
        if (interactive) interactiveWaiting.set(key, (interactiveWaiting.get(key) ?? 1) - 1);
      }
    },

    /**
     * The answer to the request sent with `ticket` arrived (or it failed), with Webflow's
     * X-RateLimit-* headers when it had them: it counts in no later window, unless it came so
     * late that the request may have reached Webflow's next window. The limit comes with the
     * headers because the answer to the introspection that tells us the limit arrives before
     * we know it.
     */
    async answered(token: string, ticket: QuotaTicket, note?: RateLimitNote): Promise<void> {
      const key = tokenKey(token);
      const flying = inFlight.get(key);
      if (!flying?.delete(ticket)) return;
      if (flying.size === 0) inFlight.delete(key);
      // Webflow's X-RateLimit-Limit is the token's limit now (a plan changes): later grants follow it.
      const limit = note?.limit !== undefined && note.limit >= 1 ? note.limit : undefined;
      if (limit !== undefined && limit !== limits.get(key)) limits.set(key, limit);
      answering.push(key, { flightId: ticket.flightId, grantedAt: ticket.grantedAt, ...(note ? { note: { limit: limit ?? limits.get(key) ?? 60, remaining: note.remaining } } : {}) });
      await answering.flush(key);
    },

    async blockFor(token: string, ms: number): Promise<void> {
      await blockQuota(store, tokenKey(token), ms, now?.());
    },
  };
}
