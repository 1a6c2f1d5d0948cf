/**
 * Uploads in flight: recorded before Webflow is asked to create the asset (`creating`, no asset
 * yet), then the asset Webflow created for a file the browser is sending to storage (`pending`),
 * until the panel says it arrived (complete), failed, or the policy expired unanswered. An upload
 * left `creating` (the create's answer was lost, or the process died) is the sweeper's to look
 * for in Webflow and remove.
 */
import type { Queryable } from './db.ts';
import type { Migration } from './migrations.ts';

export const uploadMigrations: readonly Migration[] = [
  {
    name: 'uploads_001_uploads',
    sql: `
      CREATE TABLE uploads (
        upload_id text PRIMARY KEY,
        site_id text NOT NULL,
        asset_id text NOT NULL,
        md5 text NOT NULL,
        file_name text NOT NULL,
        folder_id text,
        user_id text NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'complete', 'failed', 'expired')),
        expires_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX uploads_pending ON uploads (expires_at) WHERE status = 'pending';
    `,
  },
  {
    name: 'uploads_002_fail_reason',
    // Why the browser's upload failed, as the panel reported it (for support).
    sql: `ALTER TABLE uploads ADD COLUMN fail_reason text;`,
  },
  {
    // Recorded before the create: no asset id until Webflow answers.
    name: 'uploads_003_creating',
    sql: `
      ALTER TABLE uploads ALTER COLUMN asset_id DROP NOT NULL;
      ALTER TABLE uploads DROP CONSTRAINT uploads_status_check;
      ALTER TABLE uploads ADD CONSTRAINT uploads_status_check CHECK (status IN ('creating', 'pending', 'complete', 'failed', 'expired'));
      CREATE INDEX uploads_creating ON uploads (expires_at) WHERE status = 'creating';
    `,
  },
];

export interface UploadRow {
  upload_id: string;
  site_id: string;
  asset_id: string;
  md5: string;
  file_name: string;
  folder_id: string | null;
  status: 'pending' | 'complete' | 'failed' | 'expired';
  expires_at: Date;
}

/** An upload recorded before its create: Webflow may or may not have made its asset. */
export interface CreatingUpload {
  upload_id: string;
  site_id: string;
  md5: string;
  file_name: string;
  folder_id: string | null;
  created_at: Date;
}

const COLUMNS = `upload_id, site_id, asset_id, md5, file_name, folder_id, status, expires_at`;

/** Records an upload before Webflow is asked to create its asset; `lookBy` is when the sweeper looks for it if nothing else did. */
export async function insertCreatingUpload(
  db: Queryable,
  row: { upload_id: string; site_id: string; md5: string; file_name: string; folder_id: string | null; user_id: string; lookBy: Date },
): Promise<CreatingUpload> {
  const [created] = await db.query<CreatingUpload>(
    `INSERT INTO uploads (upload_id, site_id, asset_id, md5, file_name, folder_id, user_id, status, expires_at)
     VALUES ($1, $2, NULL, $3, $4, $5, $6, 'creating', $7)
     RETURNING upload_id, site_id, md5, file_name, folder_id, created_at`,
    [row.upload_id, row.site_id, row.md5, row.file_name, row.folder_id, row.user_id, row.lookBy],
  );
  if (!created) throw new Error('The upload was not recorded');
  return created;
}

/** Webflow created the asset: the upload is pending its file until `expiresAt`. False when it was no longer creating. */
export async function assignUploadAsset(db: Queryable, uploadId: string, assetId: string, expiresAt: Date): Promise<boolean> {
  const rows = await db.query(`UPDATE uploads SET asset_id = $2, status = 'pending', expires_at = $3 WHERE upload_id = $1 AND status = 'creating' RETURNING upload_id`, [
    uploadId,
    assetId,
    expiresAt,
  ]);
  return rows.length > 0;
}

/** A create that made no asset (or whose asset was removed): the upload failed, with why (text of Webflow's, kept storable). */
export async function abandonCreatingUpload(db: Queryable, uploadId: string, status: 'failed' | 'expired', reason: string): Promise<boolean> {
  // eslint-disable-next-line no-control-regex
  const storable = reason.replace(/\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD').slice(0, 2000);
  const rows = await db.query(`UPDATE uploads SET status = $2, fail_reason = $3 WHERE upload_id = $1 AND status = 'creating' RETURNING upload_id`, [uploadId, status, storable]);
  return rows.length > 0;
}

/** Creates whose outcome nobody learnt in time (oldest first). */
export async function staleCreatingUploads(db: Queryable, limit: number): Promise<CreatingUpload[]> {
  return db.query<CreatingUpload>(
    `SELECT upload_id, site_id, md5, file_name, folder_id, created_at FROM uploads WHERE status = 'creating' AND expires_at < now() ORDER BY expires_at LIMIT $1`,
    [limit],
  );
}

/** Asset ids of the site some upload holds (so a look for a lost create never takes another upload's asset). */
export async function trackedAssetIds(db: Queryable, siteId: string, assetIds: readonly string[]): Promise<Set<string>> {
  if (assetIds.length === 0) return new Set();
  const rows = await db.query<{ asset_id: string }>(`SELECT asset_id FROM uploads WHERE site_id = $1 AND asset_id = ANY($2::text[])`, [siteId, [...assetIds]]);
  return new Set(rows.map((row) => row.asset_id));
}

/** The upload tracking an asset, whatever its status. */
export async function uploadOfAsset(db: Queryable, siteId: string, assetId: string): Promise<UploadRow | undefined> {
  const [row] = await db.query<UploadRow>(`SELECT ${COLUMNS} FROM uploads WHERE site_id = $1 AND asset_id = $2`, [siteId, assetId]);
  return row;
}

export async function findUpload(db: Queryable, siteId: string, uploadId: string): Promise<UploadRow | undefined> {
  const [row] = await db.query<UploadRow>(
    `SELECT ${COLUMNS} FROM uploads WHERE site_id = $1 AND upload_id = $2 AND asset_id IS NOT NULL`,
    [siteId, uploadId],
  );
  return row;
}

/** Moves a pending upload to its outcome; false when it was no longer pending (settled twice, or swept). */
export async function settleUpload(db: Queryable, uploadId: string, status: 'complete' | 'failed' | 'expired', failReason: string | null = null): Promise<boolean> {
  const rows = await db.query(`UPDATE uploads SET status = $2, fail_reason = $3 WHERE upload_id = $1 AND status = 'pending' RETURNING upload_id`, [
    uploadId,
    status,
    failReason,
  ]);
  return rows.length > 0;
}

/** The sweeper could not remove an expired upload's asset: it stays tracked, to be tried again at `retryAt`. */
export async function reopenUpload(db: Queryable, uploadId: string, retryAt: Date): Promise<void> {
  await db.query(`UPDATE uploads SET status = 'pending', expires_at = $2 WHERE upload_id = $1 AND status = 'expired'`, [uploadId, retryAt]);
}

export async function expiredUploads(db: Queryable, limit: number): Promise<UploadRow[]> {
  return db.query<UploadRow>(
    `SELECT ${COLUMNS} FROM uploads WHERE status = 'pending' AND expires_at < now() ORDER BY expires_at LIMIT $1`,
    [limit],
  );
}
