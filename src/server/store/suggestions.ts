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
  {
    // The vision model's requests per site and UTC day: its daily cap, and its cost shown in the panel.
    name: 'suggestions_002_vision_requests',
    sql: `
      CREATE TABLE suggestion_vision_requests (
        site_id text NOT NULL,
        day date NOT NULL,
        requests integer NOT NULL DEFAULT 0,
        PRIMARY KEY (site_id, day)
      );
    `,
  },
];

/** 'vision:{model}:{language}': the model's answer for the file in one language. */
export type ReadingSource = 'metadata' | 'ocr' | `vision:${string}`;

/** Counts one vision request for the site today, unless that would pass the cap: false then (nothing counted). */
export async function takeVisionRequest(db: Queryable, siteId: string, dailyCap: number): Promise<boolean> {
  if (dailyCap <= 0) return false;
  const rows = await db.query(
    `INSERT INTO suggestion_vision_requests (site_id, day, requests) VALUES ($1, (now() AT TIME ZONE 'UTC')::date, 1)
     ON CONFLICT (site_id, day) DO UPDATE SET requests = suggestion_vision_requests.requests + 1
       WHERE suggestion_vision_requests.requests < $2
     RETURNING requests`,
    [siteId, dailyCap],
  );
  return rows.length > 0;
}

/** The vision requests made for the site today (UTC). */
export async function visionRequestsToday(db: Queryable, siteId: string): Promise<number> {
  const [row] = await db.query<{ requests: number }>(`SELECT requests FROM suggestion_vision_requests WHERE site_id = $1 AND day = (now() AT TIME ZONE 'UTC')::date`, [siteId]);
  return row?.requests ?? 0;
}

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
