/**
 * Journal tables: batches of changes to assets and the changes themselves, with their status.
 * Leasing lives in `leases.ts`; the rules (undo, resolve, retry) in `services/journal.ts`.
 */
import type { Batch, Change, ChangeField, ChangeStatus, CmsTarget, ElementTarget } from '../../core/api.ts';
import type { Queryable } from './db.ts';
import { settledCounts } from './journal-settled.ts';
import type { Migration } from './migrations.ts';
import { restoredOrNull, storableOrNull } from './text.ts';

export const journalMigrations: readonly Migration[] = [
  {
    name: 'journal_001_batches_and_changes',
    sql: `
      CREATE TABLE journal_batches (
        id bigserial PRIMARY KEY,
        site_id text NOT NULL,
        user_id text NOT NULL,
        label text,
        undo_of bigint REFERENCES journal_batches (id),
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX journal_batches_one_undo ON journal_batches (undo_of) WHERE undo_of IS NOT NULL;

      CREATE TABLE journal_changes (
        id bigserial PRIMARY KEY,
        batch_id bigint NOT NULL REFERENCES journal_batches (id),
        site_id text NOT NULL,
        asset_id text NOT NULL,
        field text NOT NULL CHECK (field IN ('altText', 'displayName', 'folder')),
        -- '' is the primary locale, so (asset, field, locale) compares with plain equality.
        locale_id text NOT NULL DEFAULT '',
        before_value text,
        after_value text,
        status text NOT NULL DEFAULT 'pending'
          CHECK (status IN ('pending', 'leased', 'applied', 'conflict', 'failed', 'discarded')),
        -- Webflow's value when the change conflicted; current_known tells null (decorative) from unknown.
        current_known boolean NOT NULL DEFAULT false,
        current_value text,
        error text,
        user_id text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        applied_at timestamptz,
        applied_by text CHECK (applied_by IN ('designer', 'server')),
        lease_holder text,
        lease_kind text CHECK (lease_kind IN ('designer', 'server')),
        lease_expires_at timestamptz
      );
      CREATE INDEX journal_changes_open ON journal_changes (site_id, id) WHERE status IN ('pending', 'leased');
      CREATE INDEX journal_changes_by_asset ON journal_changes (site_id, asset_id, id);
      CREATE INDEX journal_changes_by_batch ON journal_changes (batch_id, id);
      CREATE INDEX journal_changes_by_status ON journal_changes (site_id, status);
    `,
  },
  {
    name: 'journal_003_open_changes_by_value',
    // Leasing looks for the oldest open change of each value (asset, field, locale).
    sql: `
      CREATE INDEX journal_changes_open_by_value ON journal_changes (site_id, asset_id, field, locale_id, id)
        WHERE status IN ('pending', 'leased');
    `,
  },
  {
    name: 'journal_004_lease_count',
    // A change granted more than once may have been written by an earlier holder whose
    // acknowledgement never came: its applier must read Webflow's value, not trust a listing.
    sql: `ALTER TABLE journal_changes ADD COLUMN lease_count integer NOT NULL DEFAULT 0;`,
  },
  {
    name: 'journal_005_change_targets',
    // A change sets an asset's value (every change before this) or a page element's alt text
    // (docs/decisions/element-changes.md). `value_key` names the value a change sets, so that
    // changes of one value are leased in order whatever their target; an element change's
    // asset_id is the asset the element showed, which is not part of the element's value.
    sql: `
      ALTER TABLE journal_changes
        ADD COLUMN target_kind text NOT NULL DEFAULT 'asset' CHECK (target_kind IN ('asset', 'element')),
        ADD COLUMN page_id text,
        ADD COLUMN element_id text,
        ADD COLUMN component_id text;
      ALTER TABLE journal_changes ADD CONSTRAINT journal_changes_target_shape CHECK (
        (target_kind = 'asset' AND page_id IS NULL AND element_id IS NULL AND component_id IS NULL)
        OR (target_kind = 'element' AND page_id IS NOT NULL AND element_id IS NOT NULL AND field = 'altText' AND locale_id = ''));
      ALTER TABLE journal_changes ADD COLUMN value_key text GENERATED ALWAYS AS (
        CASE WHEN target_kind = 'asset' THEN asset_id
             ELSE 'element:' || page_id || ':' || coalesce(component_id, '') || ':' || element_id END) STORED;
      DROP INDEX journal_changes_open_by_value;
      CREATE INDEX journal_changes_open_by_value_key ON journal_changes (site_id, value_key, field, locale_id, id)
        WHERE status IN ('pending', 'leased');
    `,
  },
  {
    name: 'journal_006_cms_targets',
    // A change may set the alt text of one image use in a CMS item (docs/decisions/cms-changes.md):
    // its item's Image field, one image of a MultiImage field, or one <img> of a Rich Text field, in
    // one locale. Its value_key names that use, so one use's changes are leased in order.
    sql: `
      ALTER TABLE journal_changes
        ADD COLUMN collection_id text,
        ADD COLUMN item_id text,
        ADD COLUMN field_slug text,
        ADD COLUMN field_type text CHECK (field_type IN ('Image', 'MultiImage', 'RichText')),
        ADD COLUMN position integer;
      ALTER TABLE journal_changes DROP CONSTRAINT journal_changes_target_kind_check;
      ALTER TABLE journal_changes ADD CONSTRAINT journal_changes_target_kind_check CHECK (target_kind IN ('asset', 'element', 'cms'));
      ALTER TABLE journal_changes DROP CONSTRAINT journal_changes_target_shape;
      ALTER TABLE journal_changes ADD CONSTRAINT journal_changes_target_shape CHECK (
        (target_kind = 'asset' AND page_id IS NULL AND element_id IS NULL AND component_id IS NULL AND collection_id IS NULL)
        OR (target_kind = 'element' AND page_id IS NOT NULL AND element_id IS NOT NULL AND field = 'altText' AND locale_id = '' AND collection_id IS NULL)
        OR (target_kind = 'cms' AND collection_id IS NOT NULL AND item_id IS NOT NULL AND field_slug IS NOT NULL AND field_type IS NOT NULL
            AND field = 'altText' AND page_id IS NULL AND (position IS NULL) = (field_type = 'Image')));
      ALTER TABLE journal_changes DROP COLUMN value_key;
      ALTER TABLE journal_changes ADD COLUMN value_key text GENERATED ALWAYS AS (
        CASE WHEN target_kind = 'asset' THEN asset_id
             WHEN target_kind = 'cms' THEN 'cms:' || collection_id || ':' || item_id || ':' || field_slug || ':' || coalesce(position::text, '')
             ELSE 'element:' || page_id || ':' || coalesce(component_id, '') || ':' || element_id END) STORED;
      CREATE INDEX journal_changes_open_by_value_key ON journal_changes (site_id, value_key, field, locale_id, id)
        WHERE status IN ('pending', 'leased');
    `,
  },
  {
    name: 'journal_007_asset_deletions',
    // A change of field 'deletion' deletes its asset ('kept' → 'deleted') or, as an undo, puts
    // its kept file back ('deleted' → 'kept'): docs/decisions/asset-deletion.md.
    sql: `
      ALTER TABLE journal_changes DROP CONSTRAINT journal_changes_field_check;
      ALTER TABLE journal_changes ADD CONSTRAINT journal_changes_field_check
        CHECK (field IN ('altText', 'displayName', 'folder', 'deletion'));
      ALTER TABLE journal_changes ADD CONSTRAINT journal_changes_deletion_shape CHECK (
        field <> 'deletion' OR (target_kind = 'asset' AND locale_id = ''
          AND before_value IN ('kept', 'deleted') AND after_value IN ('kept', 'deleted') AND before_value <> after_value));
    `,
  },
];

// ---------------------------------------------------------------------------------- rows

export type Applier = 'designer' | 'server';

export interface ChangeRow {
  id: string;
  batch_id: string;
  asset_id: string;
  field: ChangeField;
  locale_id: string;
  before_value: string | null;
  after_value: string | null;
  status: ChangeStatus;
  current_known: boolean;
  current_value: string | null;
  error: string | null;
  user_id: string;
  created_at: Date | string;
  applied_at: Date | string | null;
  applied_by: Applier | null;
  lease_holder: string | null;
  lease_kind: Applier | null;
  lease_expires_at: Date | string | null;
  lease_count: number;
  target_kind: 'asset' | 'element' | 'cms';
  page_id: string | null;
  element_id: string | null;
  component_id: string | null;
  collection_id: string | null;
  item_id: string | null;
  field_slug: string | null;
  field_type: CmsTarget['fieldType'] | null;
  position: number | null;
}

interface BatchRow {
  id: string;
  label: string | null;
  user_id: string;
  created_at: Date | string;
  undo_of: string | null;
}

/** A change whose lease lapsed is open work again: say so, whatever its row still holds. */
export const OPEN_STATUS = "CASE WHEN status = 'leased' AND lease_expires_at <= now() THEN 'pending' ELSE status END";

/** The columns of a change, ids as text (bigint arrives as a string from `pg`, a BigInt from PGlite). */
/**
 * A change's columns as the API gives them: ids as text. In an ORDER BY, `id` would then name that
 * text (an output column's name comes first), and "10" sorts before "9": order by
 * `journal_changes.id`, the number.
 */
export const CHANGE_COLUMNS = `id::text AS id, batch_id::text AS batch_id, asset_id, field, locale_id,
  before_value, after_value, ${OPEN_STATUS} AS status, current_known, current_value, error, user_id, created_at,
  applied_at, applied_by, lease_holder, lease_kind, lease_expires_at, lease_count, target_kind, page_id, element_id, component_id,
  collection_id, item_id, field_slug, field_type, position`;

const BATCH_COLUMNS = 'id::text AS id, label, user_id, created_at, undo_of::text AS undo_of';

/** A change as the journal keeps it: the API's shape plus who holds its lease. */
export interface JournalChange extends Change {
  leaseHolder: string | null;
  leaseKind: Applier | null;
  leaseExpiresAt: string | null;
  /** How many times an applier was granted this change (renewals aside). */
  leaseCount: number;
}

const iso = (time: Date | string): string => new Date(time).toISOString();

export function toJournalChange(row: ChangeRow): JournalChange {
  return {
    id: row.id,
    batchId: row.batch_id,
    assetId: row.asset_id,
    field: row.field,
    localeId: row.locale_id === '' ? null : row.locale_id,
    ...(row.target_kind === 'element'
      ? { target: { kind: 'element' as const, pageId: row.page_id ?? '', elementId: row.element_id ?? '', componentId: row.component_id } }
      : {}),
    ...(row.target_kind === 'cms' ? { cmsTarget: cmsTargetOf(row) } : {}),
    // Values are Webflow's or a user's, kept whatever they hold (store/text.ts).
    before: restoredOrNull(row.before_value),
    after: restoredOrNull(row.after_value),
    status: row.status,
    ...(row.current_known ? { current: restoredOrNull(row.current_value) } : {}),
    error: restoredOrNull(row.error),
    userId: row.user_id,
    createdAt: iso(row.created_at),
    appliedAt: row.applied_at === null ? null : iso(row.applied_at),
    appliedBy: row.applied_by,
    leaseHolder: row.lease_holder,
    leaseKind: row.lease_kind,
    leaseExpiresAt: row.lease_expires_at === null ? null : iso(row.lease_expires_at),
    leaseCount: row.lease_count,
  };
}

function cmsTargetOf(row: ChangeRow): CmsTarget {
  return {
    kind: 'cms',
    collectionId: row.collection_id ?? '',
    itemId: row.item_id ?? '',
    fieldSlug: row.field_slug ?? '',
    fieldType: row.field_type ?? 'Image',
    position: row.position === null ? null : Number(row.position),
  };
}

/** The API's view of a change: the lease is the appliers' business. */
export function toApiChange(change: JournalChange): Change {
  const { leaseHolder: _holder, leaseKind: _kind, leaseExpiresAt: _expires, leaseCount: _count, ...rest } = change;
  return rest;
}

/** Ids are bigserial; anything else names no row (and must not reach SQL as a bigint cast). */
export function isJournalId(id: string): boolean {
  return /^[1-9][0-9]{0,17}$/.test(id);
}

// ---------------------------------------------------------------------------------- writes

export interface NewChange {
  assetId: string;
  field: ChangeField;
  localeId: string | null;
  before: string | null;
  after: string | null;
  /** Absent: the asset itself. */
  target?: ElementTarget | CmsTarget;
  /** Pending unless said otherwise (an undo journals the inverse of a never-applied change as discarded). */
  status?: 'pending' | 'discarded';
}

export interface NewBatch {
  siteId: string;
  userId: string;
  label: string | null;
  undoOf: string | null;
  changes: readonly NewChange[];
}

/** Inserts a batch and its changes (pending, in the given order). Run it in a transaction. */
export async function insertBatch(tx: Queryable, batch: NewBatch): Promise<Batch> {
  const [row] = await tx.query<BatchRow>(
    `INSERT INTO journal_batches (site_id, user_id, label, undo_of) VALUES ($1, $2, $3, $4)
     RETURNING ${BATCH_COLUMNS}`,
    [batch.siteId, batch.userId, storableOrNull(batch.label), batch.undoOf],
  );
  if (!row) throw new Error('Inserting a batch returned no row');
  const changes = await insertChanges(tx, { batchId: row.id, siteId: batch.siteId, userId: batch.userId }, batch.changes);
  return toBatch(row, changes.map(toApiChange));
}

/** Adds pending changes to a batch, in the given order. */
export async function insertChanges(
  tx: Queryable,
  into: { batchId: string; siteId: string; userId: string },
  changes: readonly NewChange[],
): Promise<JournalChange[]> {
  if (changes.length === 0) return [];
  // One statement for the whole batch (up to 5,000 changes), ids in the given order. It
  // returns only what the database decided (a third of the statement's time on PGlite went to
  // returning every column of 1,000 fresh rows); the rest is what was asked for.
  const rows = await tx.query<{ id: string; created_at: Date | string }>(
    `INSERT INTO journal_changes
       (batch_id, site_id, user_id, asset_id, field, locale_id, before_value, after_value, status,
        target_kind, page_id, element_id, component_id, collection_id, item_id, field_slug, field_type, position)
     SELECT $1::bigint, $2, $3, asset_id, field, locale_id, before_value, after_value, status,
       CASE WHEN page_id IS NOT NULL THEN 'element' WHEN collection_id IS NOT NULL THEN 'cms' ELSE 'asset' END,
       page_id, element_id, component_id, collection_id, item_id, field_slug, field_type, position::integer
     FROM unnest($4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[],
                 $13::text[], $14::text[], $15::text[], $16::text[], $17::text[])
       WITH ORDINALITY AS c (asset_id, field, locale_id, before_value, after_value, status, page_id, element_id, component_id,
                             collection_id, item_id, field_slug, field_type, position, n)
     ORDER BY c.n
     RETURNING id::text AS id, created_at`,
    [
      into.batchId,
      into.siteId,
      into.userId,
      changes.map((c) => c.assetId),
      changes.map((c) => c.field),
      changes.map((c) => c.localeId ?? ''),
      changes.map((c) => storableOrNull(c.before)),
      changes.map((c) => storableOrNull(c.after)),
      changes.map((c) => c.status ?? 'pending'),
      changes.map((c) => elementOf(c)?.pageId ?? null),
      changes.map((c) => elementOf(c)?.elementId ?? null),
      changes.map((c) => elementOf(c)?.componentId ?? null),
      changes.map((c) => cmsOf(c)?.collectionId ?? null),
      changes.map((c) => cmsOf(c)?.itemId ?? null),
      changes.map((c) => cmsOf(c)?.fieldSlug ?? null),
      changes.map((c) => cmsOf(c)?.fieldType ?? null),
      changes.map((c) => cmsOf(c)?.position?.toString() ?? null),
    ],
  );
  const inserted = rows.sort(byId);
  if (inserted.length !== changes.length) throw new Error(`Inserting ${changes.length} changes returned ${inserted.length} rows`);
  return changes.map((change, i) => {
    const { id, created_at } = inserted[i] as { id: string; created_at: Date | string };
    return toJournalChange({
      id,
      batch_id: into.batchId,
      asset_id: change.assetId,
      field: change.field,
      locale_id: change.localeId ?? '',
      before_value: storableOrNull(change.before),
      after_value: storableOrNull(change.after),
      status: change.status ?? 'pending',
      current_known: false,
      current_value: null,
      error: null,
      user_id: into.userId,
      created_at,
      applied_at: null,
      applied_by: null,
      lease_holder: null,
      lease_kind: null,
      lease_expires_at: null,
      lease_count: 0,
      target_kind: change.target?.kind ?? 'asset',
      page_id: elementOf(change)?.pageId ?? null,
      element_id: elementOf(change)?.elementId ?? null,
      component_id: elementOf(change)?.componentId ?? null,
      collection_id: cmsOf(change)?.collectionId ?? null,
      item_id: cmsOf(change)?.itemId ?? null,
      field_slug: cmsOf(change)?.fieldSlug ?? null,
      field_type: cmsOf(change)?.fieldType ?? null,
      position: cmsOf(change)?.position ?? null,
    });
  });
}

const elementOf = (change: NewChange) => (change.target?.kind === 'element' ? change.target : undefined);
const cmsOf = (change: NewChange) => (change.target?.kind === 'cms' ? change.target : undefined);

const byId = (a: { id: string }, b: { id: string }) => Number(a.id) - Number(b.id);

function toBatch(row: BatchRow, changes: Change[]): Batch {
  return {
    id: row.id,
    label: restoredOrNull(row.label),
    userId: row.user_id,
    createdAt: iso(row.created_at),
    undoOf: row.undo_of,
    changes,
  };
}

/** Sets the status of open changes (never of one an applier holds); returns the changed ones. */
export async function setStatus(
  q: Queryable,
  siteId: string,
  changeIds: readonly string[],
  from: readonly ChangeStatus[],
  to: 'pending' | 'discarded',
): Promise<JournalChange[]> {
  const ids = changeIds.filter(isJournalId);
  if (ids.length === 0) return [];
  const rows = await q.query<ChangeRow>(
    `UPDATE journal_changes SET status = $4, error = NULL, current_known = false, current_value = NULL
     WHERE site_id = $1 AND id = ANY($2::bigint[]) AND status = ANY($3::text[])
     RETURNING ${CHANGE_COLUMNS}`,
    [siteId, ids, from, to],
  );
  return rows.map(toJournalChange).sort(byId);
}

// ---------------------------------------------------------------------------------- reads

export async function findChange(
  q: Queryable,
  siteId: string,
  changeId: string,
  options: { lock?: boolean } = {},
): Promise<JournalChange | undefined> {
  if (!isJournalId(changeId)) return undefined;
  const [row] = await q.query<ChangeRow>(
    `SELECT ${CHANGE_COLUMNS} FROM journal_changes WHERE site_id = $1 AND id = $2::bigint
     ${options.lock ? 'FOR UPDATE' : ''}`,
    [siteId, changeId],
  );
  return row && toJournalChange(row);
}

export async function findBatch(
  q: Queryable,
  siteId: string,
  batchId: string,
  options: { lock?: boolean } = {},
): Promise<Batch | undefined> {
  if (!isJournalId(batchId)) return undefined;
  const [row] = await q.query<BatchRow>(
    `SELECT ${BATCH_COLUMNS} FROM journal_batches WHERE site_id = $1 AND id = $2::bigint
     ${options.lock ? 'FOR UPDATE' : ''}`,
    [siteId, batchId],
  );
  if (!row) return undefined;
  const changes = await batchChanges(q, batchId, options);
  return toBatch(row, changes.map(toApiChange));
}

export async function batchChanges(
  q: Queryable,
  batchId: string,
  options: { lock?: boolean } = {},
): Promise<JournalChange[]> {
  const rows = await q.query<ChangeRow>(
    `SELECT ${CHANGE_COLUMNS} FROM journal_changes WHERE batch_id = $1::bigint ORDER BY journal_changes.id
     ${options.lock ? 'FOR UPDATE' : ''}`,
    [batchId],
  );
  return rows.map(toJournalChange);
}

export async function findUndoOf(q: Queryable, batchId: string): Promise<string | undefined> {
  const [row] = await q.query<{ id: string }>(
    'SELECT id::text AS id FROM journal_batches WHERE undo_of = $1::bigint',
    [batchId],
  );
  return row?.id;
}

/**
 * The site's changes in these statuses, oldest first; with `afterId`, only those journaled after
 * that change (the next page of a listing: ids only grow).
 */
export async function listChanges(
  q: Queryable,
  siteId: string,
  statuses: readonly ChangeStatus[],
  limit: number,
  afterId: string | null = null,
): Promise<JournalChange[]> {
  // The stored statuses these can come from (a lapsed lease reads as pending), so that the
  // settled changes, nearly all of a journal, are not read to find the open ones.
  const stored = [...new Set(statuses.flatMap((status) => (status === 'pending' ? ['pending', 'leased'] : [status])))];
  const rows = await q.query<ChangeRow>(
    `SELECT ${CHANGE_COLUMNS} FROM journal_changes
     WHERE site_id = $1 AND status = ANY($4::text[]) AND ${OPEN_STATUS} = ANY($2::text[])
       AND ($5::bigint IS NULL OR id > $5::bigint)
     ORDER BY journal_changes.id LIMIT $3`,
    [siteId, statuses, limit, stored, afterId],
  );
  return rows.map(toJournalChange);
}

export async function countByStatus(q: Queryable, siteId: string): Promise<Record<ChangeStatus, number>> {
  const rows = await q.query<{ status: ChangeStatus; count: string | number }>(
    `SELECT ${OPEN_STATUS} AS status, count(*) AS count FROM journal_changes
     WHERE site_id = $1 AND status IN ('pending', 'leased', 'conflict', 'failed') GROUP BY 1`,
    [siteId],
  );
  // Applied and discarded are counted as they settle (journal-settled.ts).
  const settled = await settledCounts(q, siteId);
  const counts: Record<ChangeStatus, number> = {
    pending: 0,
    leased: 0,
    conflict: 0,
    failed: 0,
    ...settled,
  };
  for (const row of rows) counts[row.status] = Number(row.count);
  return counts;
}

/** Every change of one asset, newest first. */
export async function assetHistory(
  q: Queryable,
  siteId: string,
  assetId: string,
  limit: number,
): Promise<JournalChange[]> {
  const rows = await q.query<ChangeRow>(
    `SELECT ${CHANGE_COLUMNS} FROM journal_changes WHERE site_id = $1 AND asset_id = $2
     ORDER BY journal_changes.id DESC LIMIT $3`,
    [siteId, assetId, limit],
  );
  return rows.map(toJournalChange);
}

/**
 * Sites with changes of these fields to assets or CMS items waiting for an applier (pending, or
 * a lapsed lease): the server applier's work. Element changes wait for a Designer with their page open.
 */
export async function sitesWithOpenChanges(q: Queryable, fields: readonly ChangeField[]): Promise<string[]> {
  const rows = await q.query<{ site_id: string }>(
    `SELECT DISTINCT site_id FROM journal_changes
     WHERE field = ANY($1::text[]) AND target_kind IN ('asset', 'cms') AND status IN ('pending', 'leased')
       AND (status = 'pending' OR (status = 'leased' AND lease_expires_at <= now()))`,
    [fields],
  );
  return rows.map((row) => row.site_id);
}
