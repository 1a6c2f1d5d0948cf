/**
 * Deleted assets kept for an undo (docs/decisions/asset-deletion.md): before the server applier
 * deletes an asset it keeps the file's bytes, its names, folder and alt texts here for 30 days;
 * an undo re-uploads them and records the new asset. Rows past their date are purged.
 */
import type { AltText } from '../../core/api.ts';
import type { Queryable } from './db.ts';
import type { Migration } from './migrations.ts';
import { restoredJson, restoredOrNull, restoredText, storableJson, storableOrNull, storableText } from './text.ts';

export const deletionMigrations: readonly Migration[] = [
  {
    name: 'deletions_001_kept_assets',
    sql: `
      CREATE TABLE deleted_assets (
        site_id text NOT NULL,
        -- The asset as it was in Webflow, before its deletion.
        asset_id text NOT NULL,
        file_name text NOT NULL,
        display_name text NOT NULL,
        content_type text NOT NULL,
        md5 text NOT NULL,
        folder_id text,
        -- Primary locale's alt text (null: decorative), and each secondary locale's own: {localeId: alt}.
        alt_text text,
        locale_alt_text jsonb NOT NULL DEFAULT '{}',
        bytes bytea NOT NULL,
        kept_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        -- When Webflow confirmed the deletion (null: not yet, or it conflicted).
        deleted_at timestamptz,
        -- The upload an undo created (uploads.upload_id), recorded before the file is sent.
        restore_upload_id text,
        restored_asset_id text,
        restored_at timestamptz,
        PRIMARY KEY (site_id, asset_id)
      );
      CREATE INDEX deleted_assets_expiry ON deleted_assets (expires_at);
    `,
  },
];

export interface KeptAsset {
  siteId: string;
  assetId: string;
  fileName: string;
  displayName: string;
  contentType: string;
  md5: string;
  folderId: string | null;
  altText: AltText;
  localeAltText: Record<string, AltText>;
  bytes: Uint8Array;
  keptAt: Date;
  expiresAt: Date;
  deletedAt: Date | null;
  restoreUploadId: string | null;
  restoredAssetId: string | null;
}

interface KeptRow {
  site_id: string;
  asset_id: string;
  file_name: string;
  display_name: string;
  content_type: string;
  md5: string;
  folder_id: string | null;
  alt_text: string | null;
  locale_alt_text: Record<string, AltText>;
  bytes: Uint8Array;
  kept_at: Date | string;
  expires_at: Date | string;
  deleted_at: Date | string | null;
  restore_upload_id: string | null;
  restored_asset_id: string | null;
}

const dateOrNull = (value: Date | string | null) => (value === null ? null : new Date(value));

function keptOf(row: KeptRow): KeptAsset {
  return {
    siteId: row.site_id,
    assetId: row.asset_id,
    fileName: restoredText(row.file_name),
    displayName: restoredText(row.display_name),
    contentType: restoredText(row.content_type),
    md5: row.md5,
    folderId: row.folder_id,
    altText: restoredOrNull(row.alt_text),
    localeAltText: restoredJson(row.locale_alt_text),
    bytes: new Uint8Array(row.bytes),
    keptAt: new Date(row.kept_at),
    expiresAt: new Date(row.expires_at),
    deletedAt: dateOrNull(row.deleted_at),
    restoreUploadId: row.restore_upload_id,
    restoredAssetId: row.restored_asset_id,
  };
}

export type NewKeptAsset = Omit<KeptAsset, 'keptAt' | 'deletedAt' | 'restoreUploadId' | 'restoredAssetId'>;

/**
 * Keeps what an undo needs, before the DELETE is sent. Kept again (a deletion undone, then
 * deleted again) replaces the row: it holds the asset as it was at its latest deletion.
 */
export async function keepAsset(db: Queryable, kept: NewKeptAsset): Promise<void> {
  await db.query(
    `INSERT INTO deleted_assets (site_id, asset_id, file_name, display_name, content_type, md5, folder_id, alt_text, locale_alt_text, bytes, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11)
     ON CONFLICT (site_id, asset_id) DO UPDATE SET file_name = EXCLUDED.file_name, display_name = EXCLUDED.display_name,
       content_type = EXCLUDED.content_type, md5 = EXCLUDED.md5, folder_id = EXCLUDED.folder_id, alt_text = EXCLUDED.alt_text,
       locale_alt_text = EXCLUDED.locale_alt_text, bytes = EXCLUDED.bytes, kept_at = now(), expires_at = EXCLUDED.expires_at,
       deleted_at = NULL, restore_upload_id = NULL, restored_asset_id = NULL, restored_at = NULL`,
    [
      kept.siteId,
      kept.assetId,
      storableText(kept.fileName),
      storableText(kept.displayName),
      storableText(kept.contentType),
      kept.md5,
      kept.folderId,
      storableOrNull(kept.altText),
      JSON.stringify(storableJson(kept.localeAltText)),
      kept.bytes,
      kept.expiresAt,
    ],
  );
}

export async function findKept(db: Queryable, siteId: string, assetId: string): Promise<KeptAsset | undefined> {
  const [row] = await db.query<KeptRow>(`SELECT * FROM deleted_assets WHERE site_id = $1 AND asset_id = $2 AND expires_at > now()`, [siteId, assetId]);
  return row && keptOf(row);
}

export async function markDeleted(db: Queryable, siteId: string, assetId: string): Promise<void> {
  await db.query(`UPDATE deleted_assets SET deleted_at = coalesce(deleted_at, now()) WHERE site_id = $1 AND asset_id = $2`, [siteId, assetId]);
}

/** The upload an undo is about to send: recorded first, so a second try finds it instead of creating another asset. */
export async function noteRestoreUpload(db: Queryable, siteId: string, assetId: string, uploadId: string | null): Promise<void> {
  await db.query(`UPDATE deleted_assets SET restore_upload_id = $3 WHERE site_id = $1 AND asset_id = $2`, [siteId, assetId, uploadId]);
}

/** The asset an undo made; the row stays (until it expires) so the next deletion of it can be undone from a fresh one. */
export async function markRestored(db: Queryable, siteId: string, assetId: string, restoredAssetId: string): Promise<void> {
  await db.query(`UPDATE deleted_assets SET restored_asset_id = $3, restored_at = now(), deleted_at = NULL WHERE site_id = $1 AND asset_id = $2`, [siteId, assetId, restoredAssetId]);
}

/** Forgets kept assets past their date; answers how many. */
export async function purgeExpired(db: Queryable): Promise<number> {
  const rows = await db.query(`DELETE FROM deleted_assets WHERE expires_at <= now() RETURNING asset_id`);
  return rows.length;
}

/** Of these assets, those with a deletion journaled and not settled yet (pending, or held by an applier). */
export async function openDeletions(db: Queryable, siteId: string, assetIds: readonly string[]): Promise<Set<string>> {
  if (assetIds.length === 0) return new Set();
  const rows = await db.query<{ asset_id: string }>(
    `SELECT DISTINCT asset_id FROM journal_changes
     WHERE site_id = $1 AND field = 'deletion' AND after_value = 'deleted' AND status IN ('pending', 'leased')
       AND asset_id IN (SELECT jsonb_array_elements_text($2::jsonb))`,
    [siteId, JSON.stringify(assetIds)],
  );
  return new Set(rows.map((row) => row.asset_id));
}
