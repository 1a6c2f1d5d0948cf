/**
 * Uploads in flight: the asset Webflow created for a file the browser is sending to storage,
 * until the panel says it arrived (complete), failed, or the policy expired unanswered.
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

export async function insertUpload(db: Queryable, row: Omit<UploadRow, 'status'> & { user_id: string }): Promise<void> {
  await db.query(
    `INSERT INTO uploads (upload_id, site_id, asset_id, md5, file_name, folder_id, user_id, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [row.upload_id, row.site_id, row.asset_id, row.md5, row.file_name, row.folder_id, row.user_id, row.expires_at],
  );
}

export async function findUpload(db: Queryable, siteId: string, uploadId: string): Promise<UploadRow | undefined> {
  const [row] = await db.query<UploadRow>(
    `SELECT upload_id, site_id, asset_id, md5, file_name, folder_id, status, expires_at FROM uploads WHERE site_id = $1 AND upload_id = $2`,
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

export async function expiredUploads(db: Queryable, limit: number): Promise<UploadRow[]> {
  return db.query<UploadRow>(
    `SELECT upload_id, site_id, asset_id, md5, file_name, folder_id, status, expires_at FROM uploads WHERE status = 'pending' AND expires_at < now() ORDER BY expires_at LIMIT $1`,
    [limit],
  );
}
