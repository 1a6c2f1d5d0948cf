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
];

export interface QuotaGrant {
  granted: boolean;
  /** When not granted: how long until it is worth asking again. */
  waitMs: number;
}

/**
 * Takes one request from the token's window if `cap` allows, atomically (several processes may
 * ask at once). A window older than `windowMs` starts afresh.
 */
export async function takeQuota(
  db: Queryable,
  request: { tokenKey: string; now: number; windowMs: number; limit: number; backgroundCap: number; interactive: boolean },
): Promise<QuotaGrant> {
  const { tokenKey, now, windowMs, limit, backgroundCap, interactive } = request;
  await db.query(`INSERT INTO webflow_quota (token_key, window_start, used) VALUES ($1, $2::bigint, 0) ON CONFLICT (token_key) DO NOTHING`, [tokenKey, now]);
  const rows = await db.query<{ used: number }>(
    `UPDATE webflow_quota SET
       window_start = CASE WHEN $2::bigint - window_start >= $3::bigint THEN $2::bigint ELSE window_start END,
       used = CASE WHEN $2::bigint - window_start >= $3::bigint THEN 1 ELSE used + 1 END,
       interactive_at = CASE WHEN $6::boolean THEN $2::bigint ELSE interactive_at END
     WHERE token_key = $1 AND blocked_until <= $2::bigint
       AND ($2::bigint - window_start >= $3::bigint
            OR used < CASE WHEN $6::boolean OR $2::bigint - interactive_at >= $3::bigint THEN $4::integer ELSE $5::integer END)
     RETURNING used`,
    [tokenKey, now, windowMs, limit, backgroundCap, interactive],
  );
  if (rows.length > 0) return { granted: true, waitMs: 0 };
  const [state] = await db.query<{ window_start: string; blocked_until: string }>(
    `SELECT window_start::text, blocked_until::text FROM webflow_quota WHERE token_key = $1`,
    [tokenKey],
  );
  const blockedUntil = Number(state?.blocked_until ?? 0);
  const windowEnd = Number(state?.window_start ?? now) + windowMs;
  return { granted: false, waitMs: Math.max(1, blockedUntil > now ? blockedUntil - now : windowEnd - now) };
}

/** Webflow said how many requests remain: never believe we have more than that. */
export async function noteRemaining(db: Queryable, tokenKey: string, limit: number, remaining: number): Promise<void> {
  await db.query(`UPDATE webflow_quota SET used = GREATEST(used, $2::integer) WHERE token_key = $1`, [tokenKey, limit - remaining]);
}

/** Webflow answered 429: nobody uses the token until Retry-After has passed. */
export async function blockQuota(db: Queryable, tokenKey: string, until: number): Promise<void> {
  await db.query(`UPDATE webflow_quota SET blocked_until = GREATEST(blocked_until, $2::bigint) WHERE token_key = $1`, [tokenKey, until]);
}
