/**
 * Leases on journal changes: an applier (the panel's Designer applier or the server applier)
 * takes open changes for a while, applies them, and acknowledges each outcome. A change is
 * held by one applier at a time; only its holder may acknowledge it; a lapsed lease frees it.
 */
import type { ChangeField } from '../../core/api.ts';
import type { Queryable } from './db.ts';
import {
  CHANGE_COLUMNS,
  type ChangeRow,
  isJournalId,
  toJournalChange,
  type Applier,
  type JournalChange,
} from './journal.ts';
import type { Migration } from './migrations.ts';
import { storableOrNull } from './text.ts';

export const leaseMigrations: readonly Migration[] = [
  {
    name: 'journal_002_appliers_seen',
    sql: `
      -- When each applier last asked for work: the server applier stands back while a
      -- Designer applier is active on the site (it is faster and costs no API quota).
      CREATE TABLE journal_appliers (
        site_id text NOT NULL,
        applier_id text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('designer', 'server')),
        seen_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (site_id, applier_id)
      );
    `,
  },
  {
    name: 'journal_leases_001_appliers_released',
    sql: `
      -- An applier that gave back what it held (a panel closing) is kept as released, not
      -- forgotten: a lease request of its that reaches the store after the release (cut off by
      -- the closing page, or a long poll woken by the release itself) is granted nothing.
      ALTER TABLE journal_appliers ADD COLUMN released_at timestamptz;
    `,
  },
];

export interface LeaseRequest {
  siteId: string;
  applierId: string;
  kind: Applier;
  /** The fields this applier can apply (the server applier cannot move assets between folders). */
  fields: readonly ChangeField[];
  limit: number;
  seconds: number;
  /** The page open in this applier's Designer: its element changes are leased too. Null: no element change. */
  pageId: string | null;
  /**
   * What this applier may apply: asset changes, element changes (of `pageId` only), CMS changes
   * (the server applier's alone: docs/decisions/cms-changes.md).
   */
  targets: ReadonlyArray<'asset' | 'element' | 'cms'>;
  /**
   * Only changes of these assets (the server applier's walk through the site's listing leases
   * one page's changes at a time). Absent: any asset's.
   */
  assetIds?: readonly string[];
}

/**
 * The lease: leases up to `limit` open changes, oldest first, and renews the ones this applier already
 * holds. A change waits while an older change of the same value (asset or element, field, locale) is still
 * open (pending or leased), so changes of one value are applied in the order they were made. Rows another
 * transaction is leasing are skipped (SKIP LOCKED), so concurrent appliers never share one.
 *
 * The oldest open change of each value is found once, as an array (an InitPlan), and the rows
 * are then taken by primary key: linear in the open changes whatever the planner believes.
 * Written as `id IN (DISTINCT ON …)`, a journal the planner had no statistics for (PGlite has
 * no autovacuum; PostgreSQL's runs a minute later) was joined row by row against the subquery:
 * 0.7–1 s to lease 500 of a fresh batch of 1,000 (docs/decisions/lease-query-plan.md).
 */
export const LEASE_SQL = `UPDATE journal_changes
   SET status = 'leased', lease_holder = $2, lease_kind = $3,
       lease_expires_at = now() + make_interval(secs => $4::int),
       lease_count = lease_count + CASE WHEN status = 'leased' AND lease_holder = $2 THEN 0 ELSE 1 END
   WHERE id IN (
     SELECT c.id FROM journal_changes c
     WHERE c.id = ANY(ARRAY(
         -- The oldest open change of each value (asset or element, field, locale): only it may be
         -- applied. Only the targets this applier may apply; element changes only of its open page.
         SELECT DISTINCT ON (value_key, field, locale_id) id FROM journal_changes
         WHERE site_id = $1 AND field = ANY($5::text[]) AND status IN ('pending', 'leased')
           AND target_kind = ANY($8::text[]) AND (target_kind <> 'element' OR page_id = $7::text)
           AND ($9::text[] IS NULL OR asset_id = ANY($9::text[]))
         ORDER BY value_key, field, locale_id, id))
       -- Tested on the row locked, so a change another applier leased meanwhile is not taken.
       AND (c.status = 'pending' OR (c.status = 'leased' AND (c.lease_expires_at <= now() OR c.lease_holder = $2)))
     -- The applier's own changes first, so that asking again always renews what it holds.
     ORDER BY c.lease_holder = $2 IS TRUE DESC, c.id
     LIMIT $6
     FOR UPDATE SKIP LOCKED)
   RETURNING ${CHANGE_COLUMNS}`;

export function leaseParams(request: LeaseRequest): unknown[] {
  return [request.siteId, request.applierId, request.kind, request.seconds, request.fields, request.limit, request.pageId, request.targets, request.assetIds ?? null];
}

/** Runs {@link LEASE_SQL}: the changes leased or renewed, in id order. */
export async function leaseChanges(q: Queryable, request: LeaseRequest): Promise<JournalChange[]> {
  const rows = await q.query<ChangeRow>(LEASE_SQL, leaseParams(request));
  return rows.map(toJournalChange).sort((a, b) => Number(a.id) - Number(b.id));
}

/**
 * The site's asset changes of these fields that an applier could lease now (pending, or leased
 * and lapsed), recorded after change `afterId`, and the newest one's id: how much work waits,
 * for the server applier to choose how to read Webflow's values.
 */
export async function countLeasable(
  q: Queryable,
  siteId: string,
  fields: readonly ChangeField[],
  afterId: string,
): Promise<{ count: number; lastId: string }> {
  const [row] = await q.query<{ count: string | number; last_id: string | null }>(
    `SELECT count(*) AS count, max(id)::text AS last_id FROM journal_changes
     WHERE site_id = $1 AND field = ANY($2::text[]) AND target_kind = 'asset' AND id > $3::bigint
       AND (status = 'pending' OR (status = 'leased' AND lease_expires_at <= now()))`,
    [siteId, fields, isJournalId(afterId) ? afterId : '0'],
  );
  return { count: Number(row?.count ?? 0), lastId: row?.last_id ?? afterId };
}

export type AckOutcome =
  | { outcome: 'applied' }
  | { outcome: 'conflict'; current: string | null }
  | { outcome: 'failed'; error: string };

/**
 * Records the outcomes of changes this applier holds (even past their leases, as long as no
 * other applier took them since), in two statements whatever their number (a panel acknowledges
 * a hundred at a time): the rows are locked in id order first, as undo locks them, so the two
 * never deadlock on PostgreSQL. Answers the changes that were settled, in id order.
 */
export async function ackChanges(
  q: Queryable,
  siteId: string,
  applierId: string,
  results: ReadonlyArray<{ changeId: string } & AckOutcome>,
): Promise<JournalChange[]> {
  const rows = results
    .filter((result) => isJournalId(result.changeId))
    .map((result) => ({
      change_id: result.changeId,
      outcome: result.outcome,
      cur: result.outcome === 'conflict' ? storableOrNull(result.current) : null,
      err: result.outcome === 'failed' ? storableOrNull(result.error) : null,
    }));
  if (rows.length === 0) return [];
  const values = JSON.stringify(rows);
  await q.query(
    `SELECT id FROM journal_changes
     WHERE site_id = $1 AND id IN (SELECT (x->>'change_id')::bigint FROM jsonb_array_elements($2::jsonb) AS x)
     ORDER BY id FOR UPDATE`,
    [siteId, values],
  );
  const settled = await q.query<ChangeRow>(
    `UPDATE journal_changes
     SET status = v.outcome,
         applied_at = CASE WHEN v.outcome = 'applied' THEN now() END,
         applied_by = CASE WHEN v.outcome = 'applied' THEN lease_kind END,
         current_known = v.outcome = 'conflict',
         current_value = CASE WHEN v.outcome = 'conflict' THEN v.cur END,
         error = CASE WHEN v.outcome = 'failed' THEN v.err END,
         lease_holder = NULL, lease_kind = NULL, lease_expires_at = NULL
     FROM jsonb_to_recordset($2::jsonb) AS v(change_id bigint, outcome text, cur text, err text)
     WHERE site_id = $1 AND id = v.change_id AND status = 'leased' AND lease_holder = $3
     RETURNING ${CHANGE_COLUMNS}`,
    [siteId, values, applierId],
  );
  return settled.map(toJournalChange).sort((a, b) => Number(a.id) - Number(b.id));
}

/**
 * Gives held changes back (pending again) without an outcome, e.g. when Webflow asks to wait.
 * `untouched`: the applier sent nothing to Webflow for them, so this grant does not count.
 */
export async function releaseChanges(
  q: Queryable,
  siteId: string,
  applierId: string,
  changeIds: readonly string[],
  options: { untouched: boolean },
): Promise<number> {
  const ids = changeIds.filter(isJournalId);
  if (ids.length === 0) return 0;
  const rows = await q.query(
    `UPDATE journal_changes
     SET status = 'pending', lease_holder = NULL, lease_kind = NULL, lease_expires_at = NULL,
         lease_count = lease_count - CASE WHEN $4 THEN 1 ELSE 0 END
     WHERE site_id = $1 AND id = ANY($2::bigint[]) AND status = 'leased' AND lease_holder = $3
     RETURNING id`,
    [siteId, ids, applierId, options.untouched],
  );
  return rows.length;
}

/**
 * Gives back every change an applier holds (pending again), as granted: it may have written some
 * of them, so the next applier reads Webflow's value first. Answers how many.
 */
export async function releaseHeld(q: Queryable, siteId: string, applierId: string): Promise<number> {
  // Gone: the server applier need not stand back for it any longer, and a lease request of its
  // that arrives later is granted nothing (markApplierSeen). First, so that a lease being granted
  // right now (holding this row) is committed before the changes below are given back.
  await q.query(
    `INSERT INTO journal_appliers (site_id, applier_id, kind, released_at) VALUES ($1, $2, 'designer', now())
     ON CONFLICT (site_id, applier_id) DO UPDATE SET released_at = now()`,
    [siteId, applierId],
  );
  const rows = await q.query(
    `UPDATE journal_changes SET status = 'pending', lease_holder = NULL, lease_kind = NULL, lease_expires_at = NULL
     WHERE site_id = $1 AND status = 'leased' AND lease_holder = $2
     RETURNING id`,
    [siteId, applierId],
  );
  return rows.length;
}

/** Notes that the applier asked for work; false when it has been released (it is granted nothing). */
export async function markApplierSeen(q: Queryable, siteId: string, applierId: string, kind: Applier): Promise<boolean> {
  // Every panel opening is a new applier: forget the ones long gone.
  await q.query(`DELETE FROM journal_appliers WHERE site_id = $1 AND seen_at < now() - interval '1 day'`, [siteId]);
  const seen = await q.query(
    `INSERT INTO journal_appliers (site_id, applier_id, kind) VALUES ($1, $2, $3)
     ON CONFLICT (site_id, applier_id) DO UPDATE SET seen_at = now(), kind = EXCLUDED.kind
       WHERE journal_appliers.released_at IS NULL
     RETURNING applier_id`,
    [siteId, applierId, kind],
  );
  return seen.length > 0;
}

/** Whether a Designer applier asked for work on the site within the last `seconds`. */
export async function designerApplierActive(q: Queryable, siteId: string, seconds: number): Promise<boolean> {
  const rows = await q.query(
    `SELECT 1 FROM journal_appliers
     WHERE site_id = $1 AND kind = 'designer' AND released_at IS NULL AND seen_at > now() - make_interval(secs => $2::int)
     UNION ALL
     SELECT 1 FROM journal_changes
     WHERE site_id = $1 AND status = 'leased' AND lease_kind = 'designer' AND lease_expires_at > now()
     LIMIT 1`,
    [siteId, seconds],
  );
  return rows.length > 0;
}
