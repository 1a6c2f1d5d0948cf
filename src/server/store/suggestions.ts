/**
 * What the suggestion sources read from a file, kept by the file's MD5 (src/server/suggestions/):
 * the same bytes give the same texts, whichever site or asset holds them, so a file is fetched
 * and read once. A result of null means the source read the file and found nothing.
 */
import type { Queryable } from './db.ts';
import type { Migration } from './migrations.ts';
import { restoredJson, storableJson } from './text.ts';

export const suggestionMigrations: readonly Migration[] = [
  {
    name: 'suggestions_001_file_readings',
    sql: `
      CREATE TABLE suggestion_readings (
        md5 text NOT NULL,
        -- The source that read the file: 'metadata' (embedded texts), 'ocr' (text in the image).
        source text NOT NULL,
        -- The source's reading (locale-free; mapped to the site's locales when asked), or null: nothing found.
        reading jsonb,
        read_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (md5, source)
      );
    `,
  },
];

export type ReadingSource = 'metadata' | 'ocr';

/** The stored reading of a file by a source: undefined when it was never read, null when it found nothing. */
export async function readReading<T>(db: Queryable, md5: string, source: ReadingSource): Promise<T | null | undefined> {
  const [row] = await db.query<{ reading: T | null }>(`SELECT reading FROM suggestion_readings WHERE md5 = $1 AND source = $2`, [md5, source]);
  return row ? (row.reading === null ? null : restoredJson(row.reading)) : undefined;
}

export async function saveReading(db: Queryable, md5: string, source: ReadingSource, reading: unknown): Promise<void> {
  await db.query(
    `INSERT INTO suggestion_readings (md5, source, reading) VALUES ($1, $2, $3::jsonb)
     ON CONFLICT (md5, source) DO UPDATE SET reading = EXCLUDED.reading, read_at = now()`,
    [md5, source, reading === null ? null : JSON.stringify(storableJson(reading))],
  );
}
