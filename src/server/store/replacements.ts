/**
 * Files of replacements (docs/decisions/replace-file.md): a change of field `file` names its
 * files by MD5; both are kept here, the new one for the Designer applier to set and the old one
 * (read from Webflow's CDN when the replacement was recorded) for an undo to set back, for 30
 * days. In the store, as deleted assets are, so that backends sharing one database share them.
 */
import type { Queryable } from './db.ts';
import type { Migration } from './migrations.ts';
import { restoredText, storableText } from './text.ts';

export const replacementMigrations: readonly Migration[] = [
  {
    name: 'journal_008_file_replacements',
    // A change of field 'file' replaces its asset's file: before and after are MD5 digests.
    sql: `
      ALTER TABLE journal_changes DROP CONSTRAINT journal_changes_field_check;
      ALTER TABLE journal_changes ADD CONSTRAINT journal_changes_field_check
        CHECK (field IN ('altText', 'displayName', 'folder', 'deletion', 'file'));
      ALTER TABLE journal_changes ADD CONSTRAINT journal_changes_file_shape CHECK (
        field <> 'file' OR (target_kind = 'asset' AND locale_id = ''
          AND before_value ~ '^[a-f0-9]{32}$' AND after_value ~ '^[a-f0-9]{32}$' AND before_value <> after_value));
    `,
  },
  {
    name: 'replacements_002_replaced_files',
    sql: `
      CREATE TABLE replaced_files (
        site_id text NOT NULL,
        asset_id text NOT NULL,
        md5 text NOT NULL CHECK (md5 ~ '^[a-f0-9]{32}$'),
        file_name text NOT NULL,
        content_type text NOT NULL,
        bytes bytea NOT NULL,
        kept_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (site_id, asset_id, md5)
      );
      CREATE INDEX replaced_files_expiry ON replaced_files (expires_at);
    `,
  },
];

export interface ReplacedFile {
  siteId: string;
  assetId: string;
  md5: string;
  fileName: string;
  contentType: string;
  bytes: Uint8Array;
  expiresAt: Date;
}

interface ReplacedRow {
  site_id: string;
  asset_id: string;
  md5: string;
  file_name: string;
  content_type: string;
  bytes: Uint8Array;
  expires_at: Date | string;
}

/** Keeps a file; the same file kept again (a replacement undone, then made again) gets the later date. */
export async function keepFile(db: Queryable, file: ReplacedFile): Promise<void> {
  await db.query(
    `INSERT INTO replaced_files (site_id, asset_id, md5, file_name, content_type, bytes, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (site_id, asset_id, md5) DO UPDATE SET file_name = EXCLUDED.file_name, content_type = EXCLUDED.content_type,
       kept_at = now(), expires_at = greatest(replaced_files.expires_at, EXCLUDED.expires_at)`,
    [file.siteId, file.assetId, file.md5, storableText(file.fileName), storableText(file.contentType), file.bytes, file.expiresAt],
  );
}

export async function findFile(db: Queryable, siteId: string, assetId: string, md5: string): Promise<ReplacedFile | undefined> {
  const [row] = await db.query<ReplacedRow>(
    `SELECT site_id, asset_id, md5, file_name, content_type, bytes, expires_at FROM replaced_files
     WHERE site_id = $1 AND asset_id = $2 AND md5 = $3 AND expires_at > now()`,
    [siteId, assetId, md5],
  );
  if (!row) return undefined;
  return {
    siteId: row.site_id,
    assetId: row.asset_id,
    md5: row.md5,
    fileName: restoredText(row.file_name),
    contentType: restoredText(row.content_type),
    bytes: new Uint8Array(row.bytes),
    expiresAt: new Date(row.expires_at),
  };
}

/** Forgets files past their date; answers how many. */
export async function purgeExpiredFiles(db: Queryable): Promise<number> {
  const rows = await db.query(`DELETE FROM replaced_files WHERE expires_at <= now() RETURNING md5`);
  return rows.length;
}

/** Whether the asset has a replacement journaled and not settled yet (pending, or held by an applier). */
export async function hasOpenReplacement(db: Queryable, siteId: string, assetId: string): Promise<boolean> {
  const rows = await db.query(
    `SELECT 1 FROM journal_changes WHERE site_id = $1 AND asset_id = $2 AND field = 'file' AND status IN ('pending', 'leased') LIMIT 1`,
    [siteId, assetId],
  );
  return rows.length > 0;
}
