/**
 * What keeps strangers from spending a site's Webflow quota on `POST /api/session`, kept in the
 * store so every backend instance on one PostgreSQL shares it:
 * - budgets of unproven ID-token resolves per client address and per site, per window (a
 *   resolve that opened a session is given back; one Webflow refused is not);
 * - what Webflow answered for an ID token, by a SHA-256 of the token, until the token expires.
 */
import type { Queryable } from './db.ts';
import type { Migration } from './migrations.ts';

export const sessionGuardMigrations: readonly Migration[] = [
  {
    name: 'session_guard_001_budgets_and_resolutions',
    sql: `
      CREATE TABLE sign_in_budgets (
        scope text NOT NULL,
        key text NOT NULL,
        window_start bigint NOT NULL,
        used integer NOT NULL,
        PRIMARY KEY (scope, key)
      );
      CREATE INDEX sign_in_budgets_age ON sign_in_budgets (window_start);
      CREATE TABLE id_token_resolutions (
        -- SHA-256 of the ID token; never the token itself.
        token_key text PRIMARY KEY,
        refused boolean NOT NULL,
        user_id text,
        email text,
        first_name text,
        last_name text,
        site_id text,
        expires_at bigint NOT NULL
      );
      CREATE INDEX id_token_resolutions_expiry ON id_token_resolutions (expires_at);
    `,
  },
];

/** The database's clock in milliseconds (one clock for every instance). */
const CLOCK = `(SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint AS now)`;

export type BudgetScope = 'address' | 'site';

export interface BudgetGrant {
  granted: boolean;
  /** The window the attempt was counted in (to give it back). */
  windowStart: number;
  /** When not granted: until the window turns. */
  retryAfterMs: number;
}

/** Counts one unproven attempt in the key's window if fewer than `limit` are counted, atomically. */
export async function takeBudget(db: Queryable, request: { scope: BudgetScope; key: string; windowMs: number; limit: number }): Promise<BudgetGrant> {
  const { scope, key, windowMs, limit } = request;
  const rows = await db.query<{ window_start: string; used: number; now: string }>(
    `WITH clock AS ${CLOCK}
     INSERT INTO sign_in_budgets AS b (scope, key, window_start, used)
     SELECT $1, $2, clock.now, 1 FROM clock
     ON CONFLICT (scope, key) DO UPDATE SET
       window_start = CASE WHEN EXCLUDED.window_start - b.window_start >= $3::bigint THEN EXCLUDED.window_start ELSE b.window_start END,
       used = CASE WHEN EXCLUDED.window_start - b.window_start >= $3::bigint THEN 1 ELSE b.used + 1 END
     WHERE EXCLUDED.window_start - b.window_start >= $3::bigint OR b.used < $4::integer
     RETURNING b.window_start::text, b.used`,
    [scope, key, windowMs, limit],
  );
  if (rows[0]) return { granted: true, windowStart: Number(rows[0].window_start), retryAfterMs: 0 };
  const [state] = await db.query<{ window_start: string; now: string }>(
    `WITH clock AS ${CLOCK} SELECT window_start::text, clock.now::text FROM sign_in_budgets, clock WHERE scope = $1 AND key = $2`,
    [scope, key],
  );
  const retryAfterMs = Math.max(1, Number(state?.window_start ?? 0) + windowMs - Number(state?.now ?? 0));
  return { granted: false, windowStart: 0, retryAfterMs };
}

/** Gives an attempt back to the window it was counted in (it proved real, or Webflow did not judge it). */
export async function refundBudget(db: Queryable, grant: { scope: BudgetScope; key: string; windowStart: number }): Promise<void> {
  await db.query(`UPDATE sign_in_budgets SET used = GREATEST(used - 1, 0) WHERE scope = $1 AND key = $2 AND window_start = $3::bigint`, [grant.scope, grant.key, grant.windowStart]);
}

export interface Resolution {
  refused: boolean;
  user: { id: string; email: string; firstName: string; lastName: string; siteId: string } | null;
}

export async function findResolution(db: Queryable, tokenKey: string): Promise<Resolution | undefined> {
  const [row] = await db.query<{ refused: boolean; user_id: string | null; email: string | null; first_name: string | null; last_name: string | null; site_id: string | null }>(
    `WITH clock AS ${CLOCK} SELECT refused, user_id, email, first_name, last_name, site_id FROM id_token_resolutions, clock WHERE token_key = $1 AND expires_at > clock.now`,
    [tokenKey],
  );
  if (!row) return undefined;
  if (row.refused || row.user_id === null) return { refused: true, user: null };
  return { refused: false, user: { id: row.user_id, email: row.email ?? '', firstName: row.first_name ?? '', lastName: row.last_name ?? '', siteId: row.site_id ?? '' } };
}

export async function saveResolution(db: Queryable, tokenKey: string, resolution: Resolution, expiresAt: number): Promise<void> {
  const user = resolution.user;
  await db.query(
    `INSERT INTO id_token_resolutions (token_key, refused, user_id, email, first_name, last_name, site_id, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (token_key) DO UPDATE SET refused = EXCLUDED.refused, user_id = EXCLUDED.user_id, email = EXCLUDED.email,
       first_name = EXCLUDED.first_name, last_name = EXCLUDED.last_name, site_id = EXCLUDED.site_id, expires_at = EXCLUDED.expires_at`,
    [tokenKey, resolution.refused, user?.id ?? null, user?.email ?? null, user?.firstName ?? null, user?.lastName ?? null, user?.siteId ?? null, Math.round(expiresAt)],
  );
}

/** Forgets expired resolutions and budgets whose window ended long ago. */
export async function pruneSessionGuard(db: Queryable, budgetWindowMs: number): Promise<void> {
  await db.query(`WITH clock AS ${CLOCK} DELETE FROM id_token_resolutions USING clock WHERE expires_at <= clock.now`);
  await db.query(`WITH clock AS ${CLOCK} DELETE FROM sign_in_budgets USING clock WHERE window_start < clock.now - $1::bigint`, [budgetWindowMs * 2]);
}
