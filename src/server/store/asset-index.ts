/**
 * The asset index: each site's assets and folders as the panel sees them (`IndexedAsset` of
 * src/core/api.ts, kept as one JSON document per asset), with a version per site that rises
 * with every change, so a panel can ask for what changed since the version it holds.
 * Removed assets stay as tombstones for that purpose.
 */
import { createHash } from 'node:crypto';
import type { Folder, IndexedAsset, Locale, RefreshState } from '../../core/api.ts';
import type { Queryable } from './db.ts';
import type { Migration } from './migrations.ts';
import { restoredJson, restoredOrNull, restoredText, storableJson, storableOrNull, storableText } from './text.ts';

export const assetIndexMigrations: readonly Migration[] = [
  {
    name: 'asset_index_001_sites_assets_folders',
    sql: `
      CREATE TABLE index_sites (
        site_id text PRIMARY KEY,
        display_name text NOT NULL DEFAULT '',
        locales jsonb NOT NULL DEFAULT '[]',
        version bigint NOT NULL DEFAULT 0,
        refresh_state text NOT NULL DEFAULT 'idle',
        refresh_done integer NOT NULL DEFAULT 0,
        refresh_total integer,
        refresh_error text,
        refresh_finished_at timestamptz,
        -- One refresh per site at a time, across processes: its holder renews this.
        refresh_owner text,
        refresh_lease_until timestamptz
      );
      CREATE TABLE index_assets (
        site_id text NOT NULL,
        asset_id text NOT NULL,
        doc jsonb NOT NULL,
        md5 text,
        version bigint NOT NULL,
        removed boolean NOT NULL DEFAULT false,
        PRIMARY KEY (site_id, asset_id)
      );
      CREATE INDEX index_assets_by_version ON index_assets (site_id, version);
      CREATE INDEX index_assets_by_md5 ON index_assets (site_id, md5) WHERE md5 IS NOT NULL AND NOT removed;
      CREATE TABLE index_folders (
        site_id text NOT NULL,
        folder_id text NOT NULL,
        name text NOT NULL,
        parent_id text,
        removed boolean NOT NULL DEFAULT false,
        PRIMARY KEY (site_id, folder_id)
      );
    `,
  },
  {
    name: 'asset_index_002_built_and_unreadable_files',
    // built_at: the index is the site's only once a refresh finished (before, GET /index starts
    // one). hash_failed replaces the 'unreadable' md5 the first hasher wrote, which panels saw.
    sql: `
      ALTER TABLE index_sites ADD COLUMN built_at timestamptz;
      UPDATE index_sites SET built_at = refresh_finished_at WHERE display_name <> '' AND refresh_finished_at IS NOT NULL;
      ALTER TABLE index_assets ADD COLUMN hash_failed boolean NOT NULL DEFAULT false;
      UPDATE index_assets SET md5 = NULL, hash_failed = true WHERE md5 = 'unreadable';
      CREATE INDEX index_assets_unhashed ON index_assets (site_id, asset_id) WHERE md5 IS NULL AND NOT hash_failed AND NOT removed;
    `,
  },
  {
    // A digest of each document ({@link fingerprintOf}): a refresh compares what it read with
    // what is stored without reading every document back. Rows from before it have none, and
    // are written again by the next refresh.
    name: 'asset_index_003_fingerprints',
    sql: `ALTER TABLE index_assets ADD COLUMN fingerprint text;`,
  },
  {
    // What the last refresh read but could not index ({@link SkippedItem}), shown by name.
    name: 'asset_index_004_refresh_skipped',
    sql: `ALTER TABLE index_sites ADD COLUMN refresh_skipped jsonb NOT NULL DEFAULT '[]';`,
  },
  {
    // The Data API base the index was last read from: its hosted URLs are that Webflow's (the
    // sandbox's CDN moves with its port), so a backend reading from elsewhere refreshes first.
    name: 'asset_index_005_source',
    sql: `ALTER TABLE index_sites ADD COLUMN source text;`,
  },
  {
    // Changes since a version are read page by page in (version, asset_id) order: one index
    // walks it (docs/decisions/backend-memory.md).
    name: 'asset_index_006_by_version_and_id',
    sql: `
      CREATE INDEX index_assets_by_version_id ON index_assets (site_id, version, asset_id);
      DROP INDEX index_assets_by_version;
    `,
  },
  {
    // Which store a version belongs to (issue 20): a panel keeps the last index it read and asks
    // only the changes since its version; a store made anew (a reset folder, another database)
    // counts versions from 0 again, and a kept index must then be read whole, not patched.
    // Each existing site gets its own value (a volatile default is evaluated per row).
    name: 'asset_index_007_epoch',
    sql: `ALTER TABLE index_sites ADD COLUMN epoch text NOT NULL DEFAULT md5(random()::text || clock_timestamp()::text);`,
  },
];

/** An asset or folder a refresh read from Webflow and could not index. */
export type SkippedItem = NonNullable<RefreshState['skipped']>[number];

/**
 * What an asset's document says (not its md5, kept apart), whatever the key order: documents
 * read back from jsonb have their keys reordered.
 */
export function fingerprintOf(doc: Omit<IndexedAsset, 'md5'>): string {
  const locales = Object.keys(doc.localeAltText).sort().map((id) => [id, doc.localeAltText[id] ?? null]);
  const content = JSON.stringify([
    doc.id, doc.name, doc.fileName, doc.contentType, doc.size, doc.url, doc.thumbUrl, doc.folderId,
    doc.createdOn, doc.lastUpdated, doc.altText, locales,
  ]);
  return createHash('sha1').update(content).digest('base64');
}

export interface SiteRow {
  site_id: string;
  display_name: string;
  locales: Locale[];
  version: string;
  built: boolean;
  refresh_state: RefreshState['state'];
  /** A running refresh whose holder stopped renewing its lease (its process died). */
  refresh_lapsed: boolean;
  refresh_done: number;
  refresh_total: number | null;
  refresh_error: string | null;
  refresh_finished_at: Date | null;
  refresh_skipped: SkippedItem[];
  /** The Data API base the index was last read from; null before it was recorded. */
  source: string | null;
  /** Made with the site's row: versions of another epoch are of another store. */
  epoch: string;
}

const SITE_COLUMNS = `site_id, display_name, locales, version::text AS version, epoch, built_at IS NOT NULL AS built, refresh_state, source,
  (refresh_state = 'running' AND refresh_lease_until < now()) AS refresh_lapsed,
  refresh_done, refresh_total, refresh_error, refresh_finished_at, refresh_skipped`;

export async function ensureSite(db: Queryable, siteId: string): Promise<void> {
  await db.query(`INSERT INTO index_sites (site_id) VALUES ($1) ON CONFLICT (site_id) DO NOTHING`, [siteId]);
}

export async function readSite(db: Queryable, siteId: string): Promise<SiteRow | undefined> {
  const [row] = await db.query<SiteRow>(`SELECT ${SITE_COLUMNS} FROM index_sites WHERE site_id = $1`, [siteId]);
  return row && { ...row, display_name: restoredText(row.display_name), locales: restoredJson(row.locales), refresh_error: restoredOrNull(row.refresh_error), refresh_skipped: restoredJson(row.refresh_skipped ?? []) };
}

export function refreshStateOf(row: SiteRow | undefined): RefreshState {
  if (row?.refresh_lapsed) {
    return { state: 'failed', done: row.refresh_done, total: row.refresh_total, finishedAt: null, error: 'The refresh stopped before it finished; refresh again.' };
  }
  return {
    state: row?.refresh_state ?? 'idle',
    done: row?.refresh_done ?? 0,
    total: row?.refresh_total ?? null,
    finishedAt: row?.refresh_finished_at ? new Date(row.refresh_finished_at).toISOString() : null,
    error: row?.refresh_error ?? null,
    ...(row?.refresh_skipped.length ? { skipped: row.refresh_skipped } : {}),
  };
}

/**
 * Takes the site's refresh for `owner` unless another live holder has it. Answers the index's
 * version at that moment (what the refresh read from Webflow is at least as new as), or
 * undefined when another refresh runs.
 */
export async function claimRefresh(db: Queryable, siteId: string, owner: string, leaseSeconds: number): Promise<number | undefined> {
  await ensureSite(db, siteId);
  const [row] = await db.query<{ version: string }>(
    `UPDATE index_sites SET refresh_owner = $2, refresh_lease_until = now() + make_interval(secs => $3),
       refresh_state = 'running', refresh_done = 0, refresh_total = NULL, refresh_error = NULL
     WHERE site_id = $1 AND (refresh_state <> 'running' OR refresh_lease_until IS NULL OR refresh_lease_until < now() OR refresh_owner = $2)
     RETURNING version::text AS version`,
    [siteId, owner, leaseSeconds],
  );
  return row ? Number(row.version) : undefined;
}

/** Progress of a running refresh; renews its lease. False when the refresh was taken over. */
export async function noteRefreshProgress(db: Queryable, siteId: string, owner: string, done: number, total: number | null, leaseSeconds: number): Promise<boolean> {
  const rows = await db.query(
    `UPDATE index_sites SET refresh_done = $3, refresh_total = $4, refresh_lease_until = now() + make_interval(secs => $5)
     WHERE site_id = $1 AND refresh_owner = $2 AND refresh_state = 'running' RETURNING site_id`,
    [siteId, owner, done, total, leaseSeconds],
  );
  return rows.length > 0;
}

/** Renews the lease of the owner's running refresh, nothing else. False when the refresh was taken over. */
export async function renewRefreshLease(db: Queryable, siteId: string, owner: string, leaseSeconds: number): Promise<boolean> {
  const rows = await db.query(
    `UPDATE index_sites SET refresh_lease_until = now() + make_interval(secs => $3)
     WHERE site_id = $1 AND refresh_owner = $2 AND refresh_state = 'running' RETURNING site_id`,
    [siteId, owner, leaseSeconds],
  );
  return rows.length > 0;
}

/** Ends the owner's refresh: failed with `error`, or done, naming what it `skipped` (none unless said). */
export async function finishRefresh(db: Queryable, siteId: string, owner: string, outcome: { error: string | null; skipped?: SkippedItem[] }): Promise<void> {
  await db.query(
    `UPDATE index_sites SET refresh_state = $3, refresh_error = $4, refresh_finished_at = now(), refresh_owner = NULL, refresh_lease_until = NULL,
       built_at = CASE WHEN $4::text IS NULL THEN now() ELSE built_at END, refresh_skipped = $5::jsonb
     WHERE site_id = $1 AND refresh_owner = $2`,
    [siteId, owner, outcome.error ? 'failed' : 'idle', storableOrNull(outcome.error), JSON.stringify(storableJson(outcome.skipped ?? []))],
  );
}

/**
 * Lets go of the owner's refresh without an outcome (the backend stops under it): the index keeps
 * its last refresh, which the state goes on showing, and the next stale check or start reads again.
 */
export async function abandonRefresh(db: Queryable, siteId: string, owner: string): Promise<void> {
  await db.query(
    `UPDATE index_sites SET refresh_state = 'idle', refresh_owner = NULL, refresh_lease_until = NULL WHERE site_id = $1 AND refresh_owner = $2`,
    [siteId, owner],
  );
}

/** Sites whose last successful refresh is older than `seconds` (or that failed), none running. */
export async function staleSites(db: Queryable, seconds: number): Promise<string[]> {
  const rows = await db.query<{ site_id: string }>(
    `SELECT site_id FROM index_sites
     WHERE (refresh_state <> 'running' OR refresh_lease_until < now())
       AND (refresh_finished_at IS NULL OR refresh_finished_at < now() - make_interval(secs => $1))
     ORDER BY refresh_finished_at NULLS FIRST`,
    [seconds],
  );
  return rows.map((row) => row.site_id);
}

export async function saveSiteInfo(db: Queryable, siteId: string, displayName: string, locales: Locale[]): Promise<void> {
  await db.query(`UPDATE index_sites SET display_name = $2, locales = $3::jsonb WHERE site_id = $1`, [siteId, storableText(displayName), JSON.stringify(storableJson(locales))]);
}

export async function saveSiteSource(db: Queryable, siteId: string, source: string): Promise<void> {
  await db.query(`UPDATE index_sites SET source = $2 WHERE site_id = $1`, [siteId, source]);
}

/** Built sites last read from another Data API base than `source` (or from one not recorded). */
export async function sitesReadElsewhere(db: Queryable, source: string): Promise<string[]> {
  const rows = await db.query<{ site_id: string }>(`SELECT site_id FROM index_sites WHERE built_at IS NOT NULL AND source IS DISTINCT FROM $1 ORDER BY site_id`, [source]);
  return rows.map((row) => row.site_id);
}

/**
 * Locks the site's row for the rest of the transaction. Every transaction that writes the
 * site's index takes it first, so writers queue on the site instead of locking folder or asset
 * rows in different orders and deadlocking each other on PostgreSQL.
 */
export async function lockSite(db: Queryable, siteId: string): Promise<void> {
  await ensureSite(db, siteId);
  await db.query(`SELECT 1 FROM index_sites WHERE site_id = $1 FOR UPDATE`, [siteId]);
}

/** Raises the site's version and answers it; call inside the transaction that writes the change. */
export async function nextVersion(db: Queryable, siteId: string): Promise<number> {
  await ensureSite(db, siteId);
  const [row] = await db.query<{ version: string }>(`UPDATE index_sites SET version = version + 1 WHERE site_id = $1 RETURNING version::text AS version`, [siteId]);
  return Number(row?.version ?? 0);
}

export interface StoredAsset {
  doc: IndexedAsset;
  version: number;
  removed: boolean;
}

type AssetRow = { doc: Omit<IndexedAsset, 'md5'>; md5: string | null; version: string; removed: boolean };

const stored = (row: AssetRow): StoredAsset => ({ doc: { ...restoredJson(row.doc), md5: row.md5 }, version: Number(row.version), removed: row.removed });

/**
 * Rows per statement of {@link readAssets}. Embedded PGlite holds a statement's whole result in
 * its WebAssembly memory, which never shrinks: one statement over a 100,000-asset index kept that
 * result's size in the backend's RSS for the rest of its life (docs/decisions/backend-memory.md).
 */
export const ASSET_PAGE_ROWS = 2000;

/**
 * The site's assets (written after `sinceVersion`, removed ones too with `includeRemoved`), newest
 * first: read {@link ASSET_PAGE_ROWS} at a time by key (the whole index by primary key; changes
 * by version then id), so the store's memory holds one page whatever the site's size.
 */
export async function readAssets(db: Queryable, siteId: string, options: { sinceVersion?: number; includeRemoved?: boolean; pageRows?: number } = {}): Promise<StoredAsset[]> {
  const includeRemoved = options.includeRemoved ?? false;
  const limit = options.pageRows ?? ASSET_PAGE_ROWS;
  const assets: StoredAsset[] = [];
  let after: { version: string; assetId: string } | undefined;
  for (;;) {
    const rows =
      options.sinceVersion === undefined
        ? await db.query<AssetRow & { asset_id: string }>(
            `SELECT asset_id, doc, md5, version::text AS version, removed FROM index_assets
             WHERE site_id = $1 AND ($2 OR NOT removed) AND asset_id > $3 ORDER BY asset_id LIMIT $4`,
            [siteId, includeRemoved, after?.assetId ?? '', limit],
          )
        : await db.query<AssetRow & { asset_id: string }>(
            `SELECT asset_id, doc, md5, version::text AS version, removed FROM index_assets
             WHERE site_id = $1 AND version > $2 AND ($3 OR NOT removed) AND (version, asset_id) > ($4::bigint, $5)
             ORDER BY version, asset_id LIMIT $6`,
            [siteId, options.sinceVersion, includeRemoved, after?.version ?? options.sinceVersion, after?.assetId ?? '', limit],
          );
    for (const row of rows) assets.push(stored(row));
    if (rows.length < limit) break;
    const last = rows[rows.length - 1]!;
    after = { version: last.version, assetId: last.asset_id };
  }
  return assets.sort(newestFirst);
}

/** The index's order: newest first, then by id (code units, as the store's C collation orders them). */
function newestFirst(a: StoredAsset, b: StoredAsset): number {
  if (a.doc.createdOn !== b.doc.createdOn) return a.doc.createdOn < b.doc.createdOn ? 1 : -1;
  return a.doc.id < b.doc.id ? -1 : a.doc.id > b.doc.id ? 1 : 0;
}

/**
 * Each live asset's fingerprint (null for rows written before fingerprints were kept), read
 * `chunk` rows per statement: on embedded PGlite, with its one connection, a single statement
 * over 10,000 rows held every other query (the quota's among them) for 100 ms.
 */
export async function readFingerprints(db: Queryable, siteId: string, chunk = 1000): Promise<Map<string, string | null>> {
  const fingerprints = new Map<string, string | null>();
  let after = '';
  for (;;) {
    const rows = await db.query<{ asset_id: string; fingerprint: string | null }>(
      `SELECT asset_id, fingerprint FROM index_assets WHERE site_id = $1 AND NOT removed AND asset_id > $2 ORDER BY asset_id LIMIT $3`,
      [siteId, after, chunk],
    );
    for (const row of rows) fingerprints.set(restoredText(row.asset_id), row.fingerprint);
    if (rows.length < chunk) return fingerprints;
    after = rows[rows.length - 1]!.asset_id;
  }
}

/** The live assets among `assetIds`, {@link ASSET_PAGE_ROWS} ids a statement (a result's size stays bounded, as in `readAssets`). */
export async function readAssetsById(db: Queryable, siteId: string, assetIds: readonly string[]): Promise<Map<string, StoredAsset>> {
  const found = new Map<string, StoredAsset>();
  for (let start = 0; start < assetIds.length; start += ASSET_PAGE_ROWS) {
    const rows = await db.query<AssetRow>(
      `SELECT doc, md5, version::text AS version, removed FROM index_assets
       WHERE site_id = $1 AND NOT removed AND asset_id IN (SELECT jsonb_array_elements_text($2::jsonb))`,
      [siteId, JSON.stringify(assetIds.slice(start, start + ASSET_PAGE_ROWS).map(storableText))],
    );
    for (const row of rows) found.set(restoredText(row.doc.id), stored(row));
  }
  return found;
}

/** The live asset whose hosted URL is each of `urls`, by URL (a scan of the site's rows: for the few URLs nothing else names). */
export async function readAssetIdsByUrl(db: Queryable, siteId: string, urls: readonly string[]): Promise<Map<string, string>> {
  if (urls.length === 0) return new Map();
  const rows = await db.query<{ asset_id: string; url: string }>(
    `SELECT asset_id, doc->>'url' AS url FROM index_assets
     WHERE site_id = $1 AND NOT removed AND doc->>'url' IN (SELECT jsonb_array_elements_text($2::jsonb))`,
    [siteId, JSON.stringify([...new Set(urls)].map(storableText))],
  );
  return new Map(rows.map((row) => [restoredText(row.url), restoredText(row.asset_id)]));
}

/** Writes documents at `version` (undeleting them); a known md5 is kept unless the document brings one. */
export async function upsertAssets(db: Queryable, siteId: string, docs: IndexedAsset[], version: number): Promise<void> {
  // Chunks keep each statement's JSON parameter well below a few MB on large sites.
  for (let start = 0; start < docs.length; start += 1000) {
    // The fingerprint is of what Webflow holds; the stored document is its storable form.
    const chunk = docs.slice(start, start + 1000).map(({ md5, ...doc }) => ({ id: storableText(doc.id), doc: storableJson(doc), md5, fingerprint: fingerprintOf(doc) }));
    await db.query(
      `INSERT INTO index_assets (site_id, asset_id, doc, md5, version, removed, fingerprint)
       SELECT $1, v.id, v.doc, v.md5, $3, false, v.fingerprint FROM jsonb_to_recordset($2::jsonb) AS v(id text, doc jsonb, md5 text, fingerprint text)
       ON CONFLICT (site_id, asset_id) DO UPDATE SET doc = EXCLUDED.doc, md5 = COALESCE(EXCLUDED.md5, index_assets.md5),
         version = EXCLUDED.version, removed = false, fingerprint = EXCLUDED.fingerprint`,
      [siteId, JSON.stringify(chunk), version],
    );
  }
}

export async function markRemoved(db: Queryable, siteId: string, assetIds: string[], version: number): Promise<void> {
  if (assetIds.length === 0) return;
  await db.query(
    `UPDATE index_assets SET removed = true, version = $3 WHERE site_id = $1 AND NOT removed AND asset_id IN (SELECT jsonb_array_elements_text($2::jsonb))`,
    [siteId, JSON.stringify(assetIds.map(storableText)), version],
  );
}

export async function findByMd5(db: Queryable, siteId: string, md5: string): Promise<IndexedAsset | undefined> {
  const [row] = await db.query<AssetRow>(
    `SELECT doc, md5, version::text AS version, removed FROM index_assets WHERE site_id = $1 AND md5 = $2 AND NOT removed
     ORDER BY (doc->>'createdOn'), asset_id LIMIT 1`,
    [siteId, md5],
  );
  return row ? stored(row).doc : undefined;
}

export interface UnhashedAsset {
  siteId: string;
  id: string;
  url: string;
  size: number;
}

/** Assets whose file has not been hashed yet (the background hasher's work). */
export async function assetsWithoutMd5(db: Queryable, limit: number): Promise<UnhashedAsset[]> {
  const rows = await db.query<{ site_id: string; asset_id: string; url: string; size: string }>(
    `SELECT site_id, asset_id, doc->>'url' AS url, doc->>'size' AS size FROM index_assets
     WHERE md5 IS NULL AND NOT hash_failed AND NOT removed ORDER BY site_id, asset_id LIMIT $1`,
    [limit],
  );
  return rows.map(unhashedOf);
}

/** A site's unhashed assets of exactly `size` bytes: the only ones an upload of that size can duplicate. */
export async function unhashedOfSize(db: Queryable, siteId: string, size: number, limit: number): Promise<UnhashedAsset[]> {
  const rows = await db.query<{ site_id: string; asset_id: string; url: string; size: string }>(
    `SELECT site_id, asset_id, doc->>'url' AS url, doc->>'size' AS size FROM index_assets
     WHERE site_id = $1 AND md5 IS NULL AND NOT hash_failed AND NOT removed AND doc->>'size' = $2 ORDER BY asset_id LIMIT $3`,
    [siteId, String(size), limit],
  );
  return rows.map(unhashedOf);
}

function unhashedOf(row: { site_id: string; asset_id: string; url: string; size: string }): UnhashedAsset {
  return { siteId: row.site_id, id: row.asset_id, url: row.url, size: Number(row.size) };
}

/**
 * The hash of a hosted file, or that it could not be read. The version does not rise: only the
 * backend's duplicate check reads md5, so panels need not fetch thousands of rows again for it.
 */
export async function saveMd5(db: Queryable, siteId: string, assetId: string, md5: string | null): Promise<void> {
  await db.query(`UPDATE index_assets SET md5 = COALESCE($3, md5), hash_failed = $3::text IS NULL WHERE site_id = $1 AND asset_id = $2`, [siteId, assetId, md5]);
}

export async function readFolders(db: Queryable, siteId: string): Promise<Folder[]> {
  const rows = await db.query<{ folder_id: string; name: string; parent_id: string | null }>(
    `SELECT folder_id, name, parent_id FROM index_folders WHERE site_id = $1 AND NOT removed ORDER BY name, folder_id`,
    [siteId],
  );
  return rows.map((row) => ({ id: restoredText(row.folder_id), name: restoredText(row.name), parentId: restoredOrNull(row.parent_id) }));
}

/** The site's folders become exactly `folders` (others are marked removed); true when anything changed. */
export async function replaceFolders(db: Queryable, siteId: string, folders: Folder[]): Promise<boolean> {
  const upserted = await db.query(
    `INSERT INTO index_folders (site_id, folder_id, name, parent_id, removed)
     SELECT $1, v.id, v.name, v."parentId", false FROM jsonb_to_recordset($2::jsonb) AS v(id text, name text, "parentId" text)
     ON CONFLICT (site_id, folder_id) DO UPDATE SET name = EXCLUDED.name, parent_id = EXCLUDED.parent_id, removed = false
       WHERE index_folders.name IS DISTINCT FROM EXCLUDED.name OR index_folders.parent_id IS DISTINCT FROM EXCLUDED.parent_id OR index_folders.removed
     RETURNING folder_id`,
    [siteId, JSON.stringify(folders.map(storableFolder))],
  );
  const removed = await db.query(
    `UPDATE index_folders SET removed = true WHERE site_id = $1 AND NOT removed AND folder_id NOT IN (SELECT jsonb_array_elements_text($2::jsonb))
     RETURNING folder_id`,
    [siteId, JSON.stringify(folders.map((f) => storableText(f.id)))],
  );
  return upserted.length > 0 || removed.length > 0;
}

export async function addFolder(db: Queryable, siteId: string, folder: Folder): Promise<void> {
  await db.query(
    `INSERT INTO index_folders (site_id, folder_id, name, parent_id) VALUES ($1, $2, $3, $4)
     ON CONFLICT (site_id, folder_id) DO UPDATE SET name = EXCLUDED.name, parent_id = EXCLUDED.parent_id, removed = false`,
    [siteId, storableText(folder.id), storableText(folder.name), storableOrNull(folder.parentId)],
  );
}

function storableFolder(folder: Folder): Folder {
  return { id: storableText(folder.id), name: storableText(folder.name), parentId: storableOrNull(folder.parentId) };
}
