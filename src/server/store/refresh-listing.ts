/**
 * A refresh's listing, kept in the store as it is read instead of in the backend's memory: the
 * documents that differ from the index, by refresh run. At 50,000 assets the listing held in
 * JavaScript until the commit was ~72 MB of live objects, and V8 let its heap grow to ~290 MB
 * during the refresh (docs/decisions/backend-memory.md, "The listing in the store"). The reader
 * compares each whole document with the index's fingerprints as it arrives, so an unchanged site
 * writes nothing here, and the commit copies inside the database whatever the site's size.
 *
 * The table is UNLOGGED: a crash loses what it held, and a refresh that crashed starts over anyway.
 * Rows carry their run's id, so a refresh that lost its lease and still writes a page cannot mix
 * into the run that took the site over; the next claim of the site clears what any run left.
 */
import type { IndexedAsset } from '../../core/api.ts';
import { fingerprintOf } from './asset-index.ts';
import type { Queryable } from './db.ts';
import type { Migration } from './migrations.ts';
import { restoredText, storableJson, storableText } from './text.ts';

export const refreshListingMigrations: readonly Migration[] = [
  {
    name: 'refresh_listing_001_table',
    sql: `
      CREATE UNLOGGED TABLE refresh_listing (
        run_id text NOT NULL,
        site_id text NOT NULL,
        asset_id text NOT NULL,
        doc jsonb NOT NULL,
        fingerprint text NOT NULL,
        PRIMARY KEY (run_id, asset_id)
      );
      CREATE INDEX refresh_listing_by_site ON refresh_listing (site_id);
    `,
  },
];

/** A listed document without its md5 (hashes are the index's, not Webflow's). */
export type ListedAsset = Omit<IndexedAsset, 'md5'>;

/** The run a listing belongs to, and the site version its refresh began at. */
export interface ListingRun {
  siteId: string;
  runId: string;
  startVersion: number;
}

/** Forgets what any earlier run of the site left (call holding the site's refresh lease). */
export async function clearSiteListing(db: Queryable, siteId: string): Promise<void> {
  await db.query(`DELETE FROM refresh_listing WHERE site_id = $1`, [siteId]);
}

export async function dropListing(db: Queryable, runId: string): Promise<void> {
  await db.query(`DELETE FROM refresh_listing WHERE run_id = $1`, [runId]);
}

/** Keeps listed documents; one listed again (the listing moved under the reader) replaces its earlier listing. */
export async function addListed(db: Queryable, run: ListingRun, docs: readonly ListedAsset[]): Promise<void> {
  if (docs.length === 0) return;
  // One row per id in a statement: ON CONFLICT cannot touch a row twice. The last listing wins.
  const byId = new Map(docs.map((doc) => [doc.id, doc]));
  const rows = [...byId.values()].map((doc) => ({ id: storableText(doc.id), doc: storableJson(doc), fingerprint: fingerprintOf(doc) }));
  await db.query(
    `INSERT INTO refresh_listing (run_id, site_id, asset_id, doc, fingerprint)
     SELECT $1, $2, v.id, v.doc, v.fingerprint FROM jsonb_to_recordset($3::jsonb) AS v(id text, doc jsonb, fingerprint text)
     ON CONFLICT (run_id, asset_id) DO UPDATE SET doc = EXCLUDED.doc, fingerprint = EXCLUDED.fingerprint`,
    [run.runId, run.siteId, JSON.stringify(rows)],
  );
}

/**
 * Writes the run's documents into the site's index at `version`, but for index rows written after
 * the refresh began (a mirrored change, an upload, a deletion: newer than the listing); a known
 * md5 stays (the listing has none). Removes `unlisted` (live assets the listing did not hold),
 * again but for those written since. Answers how many rows each part wrote; call inside the
 * commit's transaction, holding the site's row lock.
 */
export async function commitListing(db: Queryable, run: ListingRun, version: number, unlisted: readonly string[]): Promise<{ written: number; removed: number }> {
  const [written] = await db.query<{ count: string }>(
    `WITH written AS (
       INSERT INTO index_assets (site_id, asset_id, doc, md5, version, removed, fingerprint)
       SELECT $1, l.asset_id, l.doc, a.md5, $4, false, l.fingerprint
       FROM refresh_listing l LEFT JOIN index_assets a ON a.site_id = $1 AND a.asset_id = l.asset_id
       WHERE l.run_id = $2 AND (a.asset_id IS NULL OR a.version <= $3)
       ON CONFLICT (site_id, asset_id) DO UPDATE SET doc = EXCLUDED.doc, version = EXCLUDED.version, removed = false, fingerprint = EXCLUDED.fingerprint
       RETURNING 1)
     SELECT count(*)::text AS count FROM written`,
    [run.siteId, run.runId, run.startVersion, version],
  );
  let removed = 0;
  if (unlisted.length > 0) {
    const [gone] = await db.query<{ count: string }>(
      `WITH gone AS (
         UPDATE index_assets SET removed = true, version = $3
         WHERE site_id = $1 AND NOT removed AND version <= $2 AND asset_id IN (SELECT jsonb_array_elements_text($4::jsonb))
         RETURNING 1)
       SELECT count(*)::text AS count FROM gone`,
      [run.siteId, run.startVersion, version, JSON.stringify(unlisted.map(storableText))],
    );
    removed = Number(gone?.count ?? 0);
  }
  return { written: Number(written?.count ?? 0), removed };
}

/** The ids a run holds (tests and checks; the commit never reads them into memory). */
export async function listedIds(db: Queryable, runId: string): Promise<string[]> {
  const rows = await db.query<{ asset_id: string }>(`SELECT asset_id FROM refresh_listing WHERE run_id = $1 ORDER BY asset_id`, [runId]);
  return rows.map((row) => restoredText(row.asset_id));
}
