/**
 * The journal's settled changes, counted as they settle. Applied and discarded are for good, and
 * they are nearly all of a site's journal: at a million changes, counting them on each look took
 * the status bar's poll ~1 s and the report ~3.5 s, each holding PGlite's one connection
 * (docs/decisions/journal-counts.md). A trigger adds every change that becomes applied or
 * discarded, by day (UTC; the day it was applied, or journaled for a discarded one), the person
 * who journaled it, its locale, and whether it is an asset's alt text, with the report's two
 * measures of alt text (missing given text, text taken away).
 */
import type { ChangeStatus } from '../../core/api.ts';
import type { Queryable } from './db.ts';
import type { Migration } from './migrations.ts';

/** The same rows as the trigger adds, from `rows` (a table of journal changes), summed by key. */
function settledSums(rows: string, where: string): string {
  return `
    SELECT site_id, status, day, user_id, locale_id, asset_alt,
      count(*) AS changes, count(*) FILTER (WHERE fixes) AS fixed, count(*) FILTER (WHERE empties) AS emptied
    FROM (
      SELECT n.site_id, n.status, (coalesce(n.applied_at, n.created_at) AT TIME ZONE 'UTC')::date AS day, n.user_id, n.locale_id,
        (n.field = 'altText' AND n.target_kind = 'asset') AS asset_alt,
        (n.before_value IS NOT NULL AND btrim(n.before_value) = '' AND btrim(coalesce(n.after_value, '')) <> '') AS fixes,
        (btrim(coalesce(n.before_value, '')) <> '' AND n.after_value IS NOT NULL AND btrim(n.after_value) = '') AS empties
      FROM ${rows}
      WHERE n.status IN ('applied', 'discarded') ${where}
    ) settled
    GROUP BY 1, 2, 3, 4, 5, 6`;
}

/** Counts every settled change of the journal: what the migration does for the changes settled before it. */
export const COUNT_SETTLED_SQL = `INSERT INTO journal_settled ${settledSums('journal_changes n', '')}`;

export const journalSettledMigrations: readonly Migration[] = [
  {
    name: 'journal_settled_001_counts',
    // A statement trigger with the rows it changed: one upsert per statement, its keys in one
    // order (two appliers acknowledging at once lock them alike, never each other's first).
    sql: `
      CREATE TABLE journal_settled (
        site_id text NOT NULL,
        status text NOT NULL CHECK (status IN ('applied', 'discarded')),
        day date NOT NULL,
        user_id text NOT NULL,
        locale_id text NOT NULL,
        asset_alt boolean NOT NULL,
        changes bigint NOT NULL,
        fixed bigint NOT NULL,
        emptied bigint NOT NULL,
        PRIMARY KEY (site_id, status, day, user_id, locale_id, asset_alt)
      );
      ${COUNT_SETTLED_SQL};

      CREATE FUNCTION journal_settled_add() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          INSERT INTO journal_settled AS s ${settledSums('settled_new n', '')} ORDER BY 1, 2, 3, 4, 5, 6
          ON CONFLICT (site_id, status, day, user_id, locale_id, asset_alt) DO UPDATE
            SET changes = s.changes + EXCLUDED.changes, fixed = s.fixed + EXCLUDED.fixed, emptied = s.emptied + EXCLUDED.emptied;
        ELSE
          INSERT INTO journal_settled AS s
            ${settledSums('settled_new n JOIN settled_old o ON o.id = n.id', 'AND o.status IS DISTINCT FROM n.status')} ORDER BY 1, 2, 3, 4, 5, 6
          ON CONFLICT (site_id, status, day, user_id, locale_id, asset_alt) DO UPDATE
            SET changes = s.changes + EXCLUDED.changes, fixed = s.fixed + EXCLUDED.fixed, emptied = s.emptied + EXCLUDED.emptied;
        END IF;
        RETURN NULL;
      END $$;
      CREATE TRIGGER journal_settled_on_insert AFTER INSERT ON journal_changes
        REFERENCING NEW TABLE AS settled_new FOR EACH STATEMENT EXECUTE FUNCTION journal_settled_add();
      CREATE TRIGGER journal_settled_on_update AFTER UPDATE ON journal_changes
        REFERENCING OLD TABLE AS settled_old NEW TABLE AS settled_new FOR EACH STATEMENT EXECUTE FUNCTION journal_settled_add();

      -- The changes still to settle, found without reading the settled ones: the status bar's
      -- conflicts and failures, and one person's recent changes (the report's stretch of work).
      CREATE INDEX journal_changes_unsettled ON journal_changes (site_id, id) WHERE status IN ('conflict', 'failed');
      CREATE INDEX journal_changes_by_user ON journal_changes (site_id, user_id, created_at);
    `,
  },
];

/** How many of the site's changes are applied and discarded, ever. */
export async function settledCounts(q: Queryable, siteId: string): Promise<Pick<Record<ChangeStatus, number>, 'applied' | 'discarded'>> {
  const rows = await q.query<{ status: 'applied' | 'discarded'; changes: string | number }>(
    'SELECT status, sum(changes)::text AS changes FROM journal_settled WHERE site_id = $1 GROUP BY status',
    [siteId],
  );
  const counts = { applied: 0, discarded: 0 };
  for (const row of rows) counts[row.status] = Number(row.changes);
  return counts;
}
