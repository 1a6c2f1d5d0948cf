/**
 * The journal as the report reads it: alt-text changes applied per day and locale (missing
 * alt text given text, text taken away), changes per day and person (both from the counts kept
 * as changes settle, journal-settled.ts), and one person's recent changes for their stretch of
 * work. Read only; days are UTC.
 */
import type { DayProgress } from '../../core/report.ts';
import type { Queryable } from './db.ts';

/** Alt-text changes to assets applied per day and locale. Missing means empty text, not decorative (null). */
export async function progressByDay(db: Queryable, siteId: string): Promise<DayProgress[]> {
  const rows = await db.query<{ day: string; locale_id: string; fixed: string; emptied: string; changes: string }>(
    `SELECT to_char(day, 'YYYY-MM-DD') AS day, locale_id, sum(fixed)::text AS fixed, sum(emptied)::text AS emptied, sum(changes)::text AS changes
     FROM journal_settled
     WHERE site_id = $1 AND status = 'applied' AND asset_alt
     GROUP BY 1, 2 ORDER BY 1, 2`,
    [siteId],
  );
  return rows.map((row) => ({ day: row.day, localeId: row.locale_id, fixed: Number(row.fixed), emptied: Number(row.emptied), changes: Number(row.changes) }));
}

/** Changes applied per day and person (every field and target). */
export async function changesByPerson(db: Queryable, siteId: string): Promise<Array<{ day: string; userId: string; changes: number }>> {
  const rows = await db.query<{ day: string; user_id: string; changes: string }>(
    `SELECT to_char(day, 'YYYY-MM-DD') AS day, user_id, sum(changes)::text AS changes
     FROM journal_settled
     WHERE site_id = $1 AND status = 'applied'
     GROUP BY 1, 2 ORDER BY 1, 2`,
    [siteId],
  );
  return rows.map((row) => ({ day: row.day, userId: row.user_id, changes: Number(row.changes) }));
}

export interface RecentChange {
  assetId: string;
  createdAt: Date;
  /** Alt text that was empty and is given text. */
  fixes: boolean;
}

/** One person's alt-text changes of the last day, newest first (discarded ones left out). */
export async function recentChangesBy(db: Queryable, siteId: string, userId: string, limit = 50_000): Promise<RecentChange[]> {
  const rows = await db.query<{ asset_id: string; created_at: Date | string; fixes: boolean }>(
    `SELECT asset_id, created_at,
       (field = 'altText' AND before_value IS NOT NULL AND btrim(before_value) = '' AND btrim(coalesce(after_value, '')) <> '') AS fixes
     FROM journal_changes
     WHERE site_id = $1 AND user_id = $2 AND status <> 'discarded' AND created_at > now() - interval '1 day'
     ORDER BY created_at DESC, id DESC LIMIT $3`,
    [siteId, userId, limit],
  );
  return rows.map((row) => ({ assetId: row.asset_id, createdAt: new Date(row.created_at), fixes: row.fixes }));
}
