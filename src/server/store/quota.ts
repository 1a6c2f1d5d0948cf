/**
 * The Data API quota of each access token, shared by every backend process on one store:
 * requests used in the current window, the token's limit, and until when Webflow told us to
 * wait (Retry-After). Tokens are keyed by a SHA-256 of the token, never the token itself.
 */
import type { Queryable } from './db.ts';
import type { Migration } from './migrations.ts';

export const quotaMigrations: readonly Migration[] = [
  {
    name: 'quota_001_windows',
    sql: `
      CREATE TABLE webflow_quota (
        token_key text PRIMARY KEY,
        window_start bigint NOT NULL,
        used integer NOT NULL,
        blocked_until bigint NOT NULL DEFAULT 0,
        -- When interactive work last asked: background work leaves it a reserve for a window.
        interactive_at bigint NOT NULL DEFAULT 0
      );
    `,
  },
  {
    // When the next window may open: at first a margin past ours, and once Webflow's answer to
    // the window's first request is in, exactly one Webflow window after that answer.
    name: 'quota_002_window_end',
    sql: `ALTER TABLE webflow_quota ADD COLUMN window_end bigint NOT NULL DEFAULT 0;`,
  },
];

export interface QuotaGrant {
  granted: boolean;
  /** When not granted: how long until it is worth asking again. */
  waitMs: number;
  /** When granted: the start of the window the request counts in (for {@link noteRemaining}). */
  windowStart: number;
  /** When granted: the requests counted in that window, this one included. */
  used: number;
}

/**
 * The database's clock when the statement runs, in milliseconds. Not the caller's: a request
 * may wait long for the connection (PGlite has one; a busy pool queues), and a window started
 * at the time the caller asked would end before Webflow's, which starts when the request
 * arrives. One clock also serves every process on a shared PostgreSQL.
 */
function clock(param: string): string {
  return `(SELECT COALESCE(${param}::bigint, (extract(epoch FROM clock_timestamp()) * 1000)::bigint) AS now)`;
}

/**
 * Takes one request from the token's window if `cap` allows, atomically (several processes may
 * ask at once). A window starts afresh once its end has passed: `windowMs` (Webflow's window and
 * a margin) after it started, or earlier once {@link noteRemaining} has learnt when Webflow's
 * window ends. From `openMs` on the window is closed: a request sent so late may reach Webflow
 * after its window turned, and count in Webflow's next window on top of all of our next one.
 *
 * One statement for a grant (a token's first request inserts its row): every request to
 * Webflow waits on it, and on embedded PGlite, with one connection, each statement counts.
 */
export async function takeQuota(
  db: Queryable,
  request: {
    tokenKey: string;
    windowMs: number;
    openMs: number;
    limit: number;
    backgroundCap: number;
    interactive: boolean;
    /**
     * For each request of this process still waiting for its answer, the last window it was
     * counted in: it may reach Webflow in any window until it is answered, so a grant counts it
     * in the window it is granted in too (once).
     */
    inFlight: readonly number[];
    /** A test's clock (milliseconds); the database's otherwise. */
    now?: number;
  },
): Promise<QuotaGrant> {
  const { tokenKey, windowMs, openMs, limit, backgroundCap, interactive, inFlight, now: at } = request;
  // In the update, EXCLUDED.window_start is the clock's now (the row the insert proposed).
  const rows = await db.query<{ window_start: string; used: number }>(
    `WITH clock AS ${clock('$8')}
     INSERT INTO webflow_quota AS q (token_key, window_start, window_end, used, interactive_at)
     SELECT $1, clock.now, clock.now + $2::bigint, 1, CASE WHEN $5::boolean THEN clock.now ELSE 0 END FROM clock
     ON CONFLICT (token_key) DO UPDATE SET
       window_start = CASE WHEN EXCLUDED.window_start >= q.window_end THEN EXCLUDED.window_start ELSE q.window_start END,
       window_end = CASE WHEN EXCLUDED.window_start >= q.window_end THEN EXCLUDED.window_end ELSE q.window_end END,
       used = CASE WHEN EXCLUDED.window_start >= q.window_end
                THEN 1 + (SELECT count(*) FROM unnest($7::bigint[]) AS w WHERE w < EXCLUDED.window_start)
                ELSE q.used + 1 + (SELECT count(*) FROM unnest($7::bigint[]) AS w WHERE w < q.window_start) END,
       interactive_at = CASE WHEN $5::boolean THEN EXCLUDED.window_start ELSE q.interactive_at END
     WHERE q.blocked_until <= EXCLUDED.window_start
       AND (EXCLUDED.window_start >= q.window_end
            OR (EXCLUDED.window_start - q.window_start < $6::bigint
                AND q.used < CASE WHEN $5::boolean OR EXCLUDED.window_start - q.interactive_at >= $2::bigint THEN $3::integer ELSE $4::integer END))
     RETURNING q.window_start::text, q.used`,
    [tokenKey, windowMs, limit, backgroundCap, interactive, openMs, inFlight, at ?? null],
  );
  if (rows[0]) return { granted: true, waitMs: 0, windowStart: Number(rows[0].window_start), used: Number(rows[0].used) };
  const [state] = await db.query<{ window_end: string; blocked_until: string; now: string }>(
    `WITH clock AS ${clock('$2')} SELECT window_end::text, blocked_until::text, clock.now::text FROM webflow_quota, clock WHERE token_key = $1`,
    [tokenKey, at ?? null],
  );
  const now = Number(state?.now ?? 0);
  const blockedUntil = Number(state?.blocked_until ?? 0);
  const windowEnd = Number(state?.window_end ?? now);
  return { granted: false, waitMs: Math.max(1, blockedUntil > now ? blockedUntil - now : windowEnd - now), windowStart: 0, used: 0 };
}

/**
 * Webflow said how many requests remain: never believe we have more than that — in the window
 * the request was counted in. An answer that arrives after the window turned speaks of the last
 * one, and would otherwise spend the new window for nothing.
 *
 * When the answer is to the request that opened Webflow's window (one used), that window began
 * when the request arrived, which was before now: it ends no later than one `webflowWindowMs`
 * from now, by which time ours may end too. That replaces the margin, which must cover the worst
 * delay of any first request, with the delay of this one.
 */
export async function noteRemaining(
  db: Queryable,
  note: { tokenKey: string; windowStart: number; limit: number; remaining: number; webflowWindowMs: number; now?: number },
): Promise<void> {
  const { tokenKey, windowStart, limit, remaining, webflowWindowMs, now: at } = note;
  await db.query(
    `WITH clock AS ${clock('$5')}
     UPDATE webflow_quota SET
       used = GREATEST(used, $3::integer),
       window_end = CASE WHEN $3::integer = 1 THEN clock.now + $4::bigint ELSE window_end END
     FROM clock
     WHERE token_key = $1 AND window_start = $2::bigint`,
    [tokenKey, windowStart, limit - remaining, webflowWindowMs, at ?? null],
  );
}

/** Webflow answered 429: nobody uses the token for `ms` (Retry-After), by the database's clock. */
export async function blockQuota(db: Queryable, tokenKey: string, ms: number, at?: number): Promise<void> {
  await db.query(`WITH clock AS ${clock('$3')} UPDATE webflow_quota SET blocked_until = GREATEST(blocked_until, clock.now + $2::bigint) FROM clock WHERE token_key = $1`, [tokenKey, ms, at ?? null]);
}
