/**
 * The Data API quota of each access token, shared by every backend process on one store:
 * requests used in the current window, the requests on their way to Webflow, and until when
 * Webflow told us to wait (Retry-After). Tokens are keyed by a SHA-256 of the token, never the
 * token itself.
 *
 * Why a window of ours never lets Webflow count more than the limit
 * (docs/decisions/quota-late-requests.md has the proof): a window opens at `o` and may turn at
 * `window_end`; every answer before `sure_until` proves its request reached a Webflow window
 * that ends by `window_end`. When the next window opens it counts, besides its own grants,
 * every request not yet answered and every request answered after `sure_until` (it may have
 * reached a Webflow window that began before the turn and runs into the new one). Nothing of
 * this lives in one process's memory, so backends sharing the store share it.
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
  {
    // What every process sharing the store knows of the token's requests (issue 25): those not
    // answered yet (id → when granted), and those of the current window answered after its
    // Webflow window may have turned (id → when answered): they may have reached Webflow's next
    // window.
    name: 'quota_003_flights',
    sql: `
      ALTER TABLE webflow_quota ADD COLUMN flights jsonb NOT NULL DEFAULT '{}'::jsonb;
      -- Until when an answer proves its request reached the Webflow window this one counts for;
      -- it only grows within a window.
      ALTER TABLE webflow_quota ADD COLUMN sure_until bigint NOT NULL DEFAULT 0;
      ALTER TABLE webflow_quota ADD COLUMN answers jsonb NOT NULL DEFAULT '{}'::jsonb;
    `,
  },
];

export interface QuotaGrant {
  granted: boolean;
  /** When not granted: how long until it is worth asking again. */
  waitMs: number;
  /** When granted: the start of the window the request counts in. */
  windowStart: number;
  /** When granted: the requests counted in that window, this one included. */
  used: number;
  /** When granted: the grant's time by the store's clock (its request reaches Webflow after it). */
  grantedAt: number;
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
 * The requests a window opening at `at` counts before its own grant: those unanswered (but not
 * older than `flightMs`: their process died with them), and those answered after `sure_until`
 * as it stands now (it may have grown since they were answered) within the last Webflow window.
 * `q` is the row as locked by the statement (not a snapshot of the table), so concurrent grants
 * and answers of other processes are seen.
 */
function carried(at: string, flightMs: string, webflowWindowMs: string): string {
  return `((SELECT count(*) FROM jsonb_each_text(q.flights) AS f WHERE f.value::bigint > ${at} - ${flightMs})
           + (SELECT count(*) FROM jsonb_each_text(q.answers) AS x WHERE x.value::bigint > q.sure_until AND x.value::bigint + ${webflowWindowMs} > ${at}))`;
}

/**
 * Takes one request from the token's window if `cap` allows, atomically (several processes may
 * ask at once), and records it as on its way until {@link answerQuota}. A window starts afresh
 * once its end has passed: `windowMs` (Webflow's window and a margin) after it started, or
 * earlier once {@link answerQuota} has learnt when Webflow's window ends; it counts the requests
 * carried over (see {@link carried}) and opens only if they leave room for this one. From
 * `openMs` on the window is closed: a request sent so late would likely be answered late, and
 * count in the next window too.
 *
 * One statement for a grant (a token's first request inserts its row): every request to
 * Webflow waits on it, and on embedded PGlite, with one connection, each statement counts.
 */
export async function takeQuota(
  db: Queryable,
  request: {
    tokenKey: string;
    /** The request's id in the row's flights, until it is answered. */
    flightId: string;
    windowMs: number;
    /** Webflow's window (`windowMs` less the margin). */
    webflowWindowMs: number;
    openMs: number;
    limit: number;
    backgroundCap: number;
    interactive: boolean;
    /** A request unanswered this long is forgotten (its process died): more than any request's timeout. */
    flightMs: number;
    /** A test's clock (milliseconds); the database's otherwise. */
    now?: number;
  },
): Promise<QuotaGrant> {
  const { tokenKey, flightId, windowMs, webflowWindowMs, openMs, limit, backgroundCap, interactive, flightMs, now: at } = request;
  const turns = 'EXCLUDED.window_start >= q.window_end';
  const moved = carried('EXCLUDED.window_start', '$10::bigint', '$9::bigint');
  const cap = `CASE WHEN $5::boolean OR EXCLUDED.window_start - q.interactive_at >= $2::bigint THEN $3::integer ELSE $4::integer END`;
  // In the update, EXCLUDED.window_start is the clock's now (the row the insert proposed).
  const rows = await db.query<{ window_start: string; used: number; granted_at: string }>(
    `WITH clock AS ${clock('$8')}
     INSERT INTO webflow_quota AS q (token_key, window_start, window_end, used, interactive_at, flights, sure_until)
     SELECT $1, clock.now, clock.now + $2::bigint, 1, CASE WHEN $5::boolean THEN clock.now ELSE 0 END,
            jsonb_build_object($7::text, clock.now), clock.now + $2::bigint - $9::bigint FROM clock
     ON CONFLICT (token_key) DO UPDATE SET
       window_start = CASE WHEN ${turns} THEN EXCLUDED.window_start ELSE q.window_start END,
       window_end = CASE WHEN ${turns} THEN EXCLUDED.window_end ELSE q.window_end END,
       sure_until = CASE WHEN ${turns} THEN EXCLUDED.sure_until ELSE q.sure_until END,
       used = CASE WHEN ${turns} THEN 1 + ${moved} ELSE q.used + 1 END,
       answers = CASE WHEN ${turns} THEN '{}'::jsonb ELSE q.answers END,
       flights = CASE WHEN ${turns}
                   THEN COALESCE((SELECT jsonb_object_agg(f.key, f.value) FROM jsonb_each(q.flights) AS f WHERE f.value::bigint > EXCLUDED.window_start - $10::bigint), '{}'::jsonb)
                   ELSE q.flights END || EXCLUDED.flights,
       interactive_at = CASE WHEN $5::boolean THEN EXCLUDED.window_start ELSE q.interactive_at END
     WHERE q.blocked_until <= EXCLUDED.window_start
       AND (CASE WHEN ${turns} THEN 1 + ${moved} <= ${cap}
                 ELSE EXCLUDED.window_start - q.window_start < $6::bigint AND q.used < ${cap} END)
     RETURNING q.window_start::text, q.used, q.flights ->> $7::text AS granted_at`,
    [tokenKey, windowMs, limit, backgroundCap, interactive, openMs, flightId, at ?? null, webflowWindowMs, flightMs],
  );
  if (rows[0]) return { granted: true, waitMs: 0, windowStart: Number(rows[0].window_start), used: Number(rows[0].used), grantedAt: Number(rows[0].granted_at) };
  const [state] = await db.query<{ window_end: string; blocked_until: string; now: string }>(
    `WITH clock AS ${clock('$2')} SELECT window_end::text, blocked_until::text, clock.now::text FROM webflow_quota, clock WHERE token_key = $1`,
    [tokenKey, at ?? null],
  );
  const now = Number(state?.now ?? 0);
  const blockedUntil = Number(state?.blocked_until ?? 0);
  const windowEnd = Number(state?.window_end ?? now);
  // Past the window's end, requests carried over keep it from turning: only answers free them.
  const waitMs = blockedUntil > now ? blockedUntil - now : windowEnd > now ? windowEnd - now : 10;
  return { granted: false, waitMs: Math.max(1, waitMs), windowStart: 0, used: 0, grantedAt: 0 };
}

/**
 * The answer to a request arrived (or it failed): it is no longer on its way. Answered after
 * `sure_until`, it may have reached Webflow's next window: it is kept with its time, and the
 * next window of ours counts it if it is still after `sure_until` when that window opens.
 *
 * With Webflow's X-RateLimit-Remaining (`note`), never believe we have more than that in the
 * window the request counts in. When the answer is to a request that opened a window of
 * Webflow's (one used), that window began when the request arrived, after its grant and before
 * now: it ends before one `webflowWindowMs` from now, by which time ours may end too, and every
 * answer before one `webflowWindowMs` after the grant proves its request reached that window or
 * an earlier one. That replaces the margin, which must cover the worst delay of any first
 * request, with the delay of this one; it is taken when it keeps `sure_until` where it was or
 * later (answers before it were not kept).
 */
export async function answerQuota(
  db: Queryable,
  request: {
    tokenKey: string;
    /** One or more answers, all arrived before the statement runs. */
    answers: ReadonlyArray<{ flightId: string; grantedAt: number; note?: { limit: number; remaining: number } }>;
    webflowWindowMs: number;
    now?: number;
  },
): Promise<void> {
  const { tokenKey, answers, webflowWindowMs, now: at } = request;
  if (answers.length === 0) return;
  // The answers of the row's own requests (another process's ids, or forgotten ones, count for nothing).
  const mine = 'FROM answer WHERE q.flights ? answer.id';
  // When one of them opened a window of Webflow's: the latest grant of those (the largest `sure_until`).
  const opener = `(SELECT max(answer.granted_at) ${mine} AND answer.used = 1)`;
  const later = `(clock.now + $4::bigint >= q.window_end OR ${opener} + $4::bigint >= q.sure_until)`;
  await db.query(
    `WITH clock AS ${clock('$3')},
     answer AS (SELECT * FROM unnest($2::text[], $5::bigint[], $6::integer[]) AS answer(id, granted_at, used))
     UPDATE webflow_quota AS q SET
       -- Judged again when the window turns, against sure_until as it then is.
       answers = CASE WHEN clock.now > q.sure_until
                   THEN q.answers || COALESCE((SELECT jsonb_object_agg(answer.id, clock.now) ${mine}), '{}'::jsonb)
                   ELSE q.answers END,
       used = GREATEST(q.used, COALESCE((SELECT max(answer.used) ${mine}), 0)),
       window_end = CASE WHEN ${opener} IS NOT NULL AND ${later} THEN clock.now + $4::bigint ELSE q.window_end END,
       sure_until = CASE WHEN ${opener} IS NOT NULL AND clock.now + $4::bigint >= q.window_end THEN GREATEST(q.sure_until, ${opener} + $4::bigint)
                         WHEN ${opener} IS NOT NULL AND ${later} THEN ${opener} + $4::bigint
                         ELSE q.sure_until END,
       flights = q.flights - $2::text[]
     FROM clock
     WHERE q.token_key = $1`,
    [
      tokenKey,
      answers.map((answer) => answer.flightId),
      at ?? null,
      webflowWindowMs,
      answers.map((answer) => answer.grantedAt),
      answers.map((answer) => (answer.note ? answer.note.limit - answer.note.remaining : null)),
    ],
  );
}

/** Webflow answered 429: nobody uses the token for `ms` (Retry-After), by the database's clock. */
export async function blockQuota(db: Queryable, tokenKey: string, ms: number, at?: number): Promise<void> {
  await db.query(`WITH clock AS ${clock('$3')} UPDATE webflow_quota SET blocked_until = GREATEST(blocked_until, clock.now + $2::bigint) FROM clock WHERE token_key = $1`, [tokenKey, ms, at ?? null]);
}
