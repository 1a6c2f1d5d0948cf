/**
 * The journal's settled changes counted in full, as the status bar and the report once counted
 * them: what the counts kept as changes settle (src/server/store/journal-settled.ts) must equal,
 * and the baseline of the journal benchmark.
 */
import type { Queryable } from '../../src/server/store/db.ts';

export async function countedInFull(q: Queryable, siteId: string) {
  const statuses = await q.query<{ status: string; count: string }>(
    `SELECT status, count(*)::text AS count FROM journal_changes WHERE site_id = $1 AND status IN ('applied', 'discarded') GROUP BY 1 ORDER BY 1`,
    [siteId],
  );
  const days = await q.query<{ day: string; locale_id: string; fixed: string; emptied: string; changes: string }>(
    `SELECT to_char(applied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, locale_id,
       count(*) FILTER (WHERE before_value IS NOT NULL AND btrim(before_value) = '' AND btrim(coalesce(after_value, '')) <> '')::text AS fixed,
       count(*) FILTER (WHERE btrim(coalesce(before_value, '')) <> '' AND after_value IS NOT NULL AND btrim(after_value) = '')::text AS emptied,
       count(*)::text AS changes
     FROM journal_changes
     WHERE site_id = $1 AND status = 'applied' AND field = 'altText' AND target_kind = 'asset' AND applied_at IS NOT NULL
     GROUP BY 1, 2 ORDER BY 1, 2`,
    [siteId],
  );
  const people = await q.query<{ day: string; user_id: string; changes: string }>(
    `SELECT to_char(applied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, user_id, count(*)::text AS changes
     FROM journal_changes WHERE site_id = $1 AND status = 'applied' AND applied_at IS NOT NULL
     GROUP BY 1, 2 ORDER BY 1, 2`,
    [siteId],
  );
  return {
    applied: Number(statuses.find((row) => row.status === 'applied')?.count ?? 0),
    discarded: Number(statuses.find((row) => row.status === 'discarded')?.count ?? 0),
    days: days.map((row) => ({ day: row.day, localeId: row.locale_id, fixed: Number(row.fixed), emptied: Number(row.emptied), changes: Number(row.changes) })),
    people: people.map((row) => ({ day: row.day, userId: row.user_id, changes: Number(row.changes) })),
  };
}

