/**
 * The usage index (src/server/usage/): per site, what its last crawl read from each document
 * (a page's or a component's DOM in one locale, an item in one CMS locale, a collection's
 * schema), with the `lastUpdated` that lets the next crawl skip what did not change, and the
 * crawl's state. Uses are worked out from these rows when asked (src/server/usage/uses.ts).
 * A crawl writes all it read in one transaction at its end, so a crawl that fails half-way
 * leaves the last complete index in place.
 */
import type { UsageCrawlState, UsageScope } from '../../core/usage.ts';
import type { Queryable } from './db.ts';
import type { Migration } from './migrations.ts';
import { restoredJson, restoredOrNull, restoredText, storableJson, storableOrNull, storableText } from './text.ts';

export const usageMigrations: readonly Migration[] = [
  {
    name: 'usage_001_sites_and_sources',
    sql: `
      CREATE TABLE usage_sites (
        site_id text PRIMARY KEY,
        -- The locales the last complete crawl read: [{id, cmsLocaleId, primary}].
        locales jsonb NOT NULL DEFAULT '[]',
        version bigint NOT NULL DEFAULT 0,
        crawl_state text NOT NULL DEFAULT 'idle',
        crawl_done integer NOT NULL DEFAULT 0,
        crawl_total integer,
        crawl_error text,
        crawl_finished_at timestamptz,
        missing_scopes jsonb NOT NULL DEFAULT '[]',
        -- A crawl finished once: the rows are a whole site's.
        built_at timestamptz,
        -- The last crawl that read every component's DOM again (components carry no lastUpdated).
        full_crawl_at timestamptz,
        -- The component ids the last complete crawl listed: when they change, components are read again.
        components_key text,
        crawl_owner text,
        crawl_lease_until timestamptz
      );
      CREATE TABLE usage_sources (
        site_id text NOT NULL,
        -- page | component | item | collection
        kind text NOT NULL,
        source_id text NOT NULL,
        -- '' on a site without locales, and for collections.
        locale_id text NOT NULL DEFAULT '',
        -- An item's collection.
        parent_id text NOT NULL DEFAULT '',
        last_updated text,
        doc jsonb NOT NULL,
        PRIMARY KEY (site_id, kind, source_id, locale_id)
      );
    `,
  },
  {
    // Background images come from the panel (the Designer's styles), not from a crawl: one row of
    // kind 'styles' per site, replaced whole on each read, and the date of that read.
    name: 'usage_002_styles_read_at',
    sql: `ALTER TABLE usage_sites ADD COLUMN styles_read_at timestamptz;`,
  },
  {
    // When the index last saw each asset used (a use or a reference, at a crawl's end or a read of
    // the styles): an asset used recently is not offered for deletion even if no use is found now.
    name: 'usage_003_assets_seen_used',
    sql: `
      CREATE TABLE usage_seen_used (
        site_id text NOT NULL,
        asset_id text NOT NULL,
        seen_at timestamptz NOT NULL,
        PRIMARY KEY (site_id, asset_id)
      );
    `,
  },
];

/** `styles`: the site's background images as the panel last read them (one row, not written by a crawl). */
export type SourceKind = 'page' | 'component' | 'item' | 'collection' | 'styles';

export interface SourceRow {
  kind: SourceKind;
  sourceId: string;
  localeId: string | null;
  parentId: string | null;
  lastUpdated: string | null;
  /** What the usage model keeps of the document (src/server/usage/crawl.ts). */
  doc: unknown;
}

export interface CrawlLocale {
  /** null: the site has no locales. */
  id: string | null;
  cmsLocaleId: string | null;
  primary: boolean;
}

export interface UsageSiteRow {
  locales: CrawlLocale[];
  version: number;
  built: boolean;
  /** When the last complete crawl finished (its pages and CMS were read then; null: never). */
  builtAt: Date | null;
  fullCrawlAt: Date | null;
  /** When the panel last sent the site's background images (null: never). */
  stylesReadAt: Date | null;
  componentsKey: string | null;
  crawl: UsageCrawlState;
}

/** The identity of a row within its site. */
export function sourceKey(row: Pick<SourceRow, 'kind' | 'sourceId' | 'localeId'>): string {
  return `${row.kind}|${row.sourceId}|${row.localeId ?? ''}`;
}

export async function readUsageSite(db: Queryable, siteId: string): Promise<UsageSiteRow | undefined> {
  const [row] = await db.query<{
    locales: CrawlLocale[];
    version: string;
    built: boolean;
    built_at: Date | null;
    styles_read_at: Date | null;
    lapsed: boolean;
    full_crawl_at: Date | null;
    components_key: string | null;
    crawl_state: UsageCrawlState['state'];
    crawl_done: number;
    crawl_total: number | null;
    crawl_error: string | null;
    crawl_finished_at: Date | null;
    missing_scopes: UsageScope[];
  }>(
    `SELECT locales, version::text AS version, built_at IS NOT NULL AS built, built_at, styles_read_at, (crawl_state = 'running' AND crawl_lease_until < now()) AS lapsed,
       full_crawl_at, components_key, crawl_state, crawl_done, crawl_total, crawl_error, crawl_finished_at, missing_scopes
     FROM usage_sites WHERE site_id = $1`,
    [siteId],
  );
  if (!row) return undefined;
  const finishedAt = row.crawl_finished_at ? new Date(row.crawl_finished_at).toISOString() : null;
  const crawl: UsageCrawlState = row.lapsed
    ? { state: 'failed', done: row.crawl_done, total: row.crawl_total, finishedAt, error: 'The crawl stopped before it finished; it is tried again shortly.', missingScopes: [], built: row.built }
    : { state: row.crawl_state, done: row.crawl_done, total: row.crawl_total, finishedAt, error: restoredOrNull(row.crawl_error), missingScopes: row.missing_scopes ?? [], built: row.built };
  return {
    locales: restoredJson(row.locales),
    version: Number(row.version),
    built: row.built,
    builtAt: row.built_at ? new Date(row.built_at) : null,
    fullCrawlAt: row.full_crawl_at ? new Date(row.full_crawl_at) : null,
    stylesReadAt: row.styles_read_at ? new Date(row.styles_read_at) : null,
    componentsKey: row.components_key,
    crawl,
  };
}

/** Takes the site's crawl for `owner` unless another live holder has it. */
export async function claimCrawl(db: Queryable, siteId: string, owner: string, leaseSeconds: number): Promise<boolean> {
  await db.query(`INSERT INTO usage_sites (site_id) VALUES ($1) ON CONFLICT (site_id) DO NOTHING`, [siteId]);
  const rows = await db.query(
    `UPDATE usage_sites SET crawl_owner = $2, crawl_lease_until = now() + make_interval(secs => $3),
       crawl_state = 'running', crawl_done = 0, crawl_total = NULL
     WHERE site_id = $1 AND (crawl_state <> 'running' OR crawl_lease_until IS NULL OR crawl_lease_until < now() OR crawl_owner = $2)
     RETURNING site_id`,
    [siteId, owner, leaseSeconds],
  );
  return rows.length > 0;
}

/** Progress of a running crawl; renews its lease. False when another crawl took over. */
export async function noteCrawlProgress(db: Queryable, siteId: string, owner: string, done: number, total: number | null, leaseSeconds: number): Promise<boolean> {
  const rows = await db.query(
    `UPDATE usage_sites SET crawl_done = $3, crawl_total = $4, crawl_lease_until = now() + make_interval(secs => $5)
     WHERE site_id = $1 AND crawl_owner = $2 AND crawl_state = 'running' RETURNING site_id`,
    [siteId, owner, done, total, leaseSeconds],
  );
  return rows.length > 0;
}

/** Ends the owner's crawl without writing uses: failed, or waiting for scopes. The rows of the last complete crawl stay. */
export async function endCrawl(db: Queryable, siteId: string, owner: string, outcome: { state: 'failed' | 'needs_scopes'; error: string | null; missingScopes: UsageScope[] }): Promise<void> {
  await db.query(
    `UPDATE usage_sites SET crawl_state = $3, crawl_error = $4, missing_scopes = $5::jsonb, crawl_finished_at = now(), crawl_owner = NULL, crawl_lease_until = NULL
     WHERE site_id = $1 AND crawl_owner = $2`,
    [siteId, owner, outcome.state, storableOrNull(outcome.error), JSON.stringify(outcome.missingScopes)],
  );
}

/**
 * The crawl stopped before it read the site (the backend is stopping): the index stays as the
 * last finished crawl left it, with no error to show, and is read again when the backend starts
 * (its finish time is the last finished crawl's, so a stale or unbuilt index is due at once).
 */
export async function abandonCrawl(db: Queryable, siteId: string, owner: string): Promise<void> {
  await db.query(
    `UPDATE usage_sites SET crawl_state = 'idle', crawl_error = NULL, crawl_owner = NULL, crawl_lease_until = NULL
     WHERE site_id = $1 AND crawl_owner = $2`,
    [siteId, owner],
  );
}

/** Every row of the site (the whole index's input). */
export async function readSources(db: Queryable, siteId: string, kinds?: readonly SourceKind[]): Promise<SourceRow[]> {
  const rows = await db.query<{ kind: SourceKind; source_id: string; locale_id: string; parent_id: string; last_updated: string | null; doc: unknown }>(
    `SELECT kind, source_id, locale_id, parent_id, last_updated, doc FROM usage_sources
     WHERE site_id = $1 AND ($2::jsonb IS NULL OR kind IN (SELECT jsonb_array_elements_text($2::jsonb))) ORDER BY kind, source_id, locale_id`,
    [siteId, kinds ? JSON.stringify(kinds) : null],
  );
  return rows.map((row) => ({
    kind: row.kind,
    sourceId: restoredText(row.source_id),
    localeId: row.locale_id === '' ? null : restoredText(row.locale_id),
    parentId: row.parent_id === '' ? null : restoredText(row.parent_id),
    lastUpdated: restoredOrNull(row.last_updated),
    doc: restoredJson(row.doc),
  }));
}

export interface CrawlCommit {
  locales: CrawlLocale[];
  componentsKey: string;
  /** Whether this crawl read every component again. */
  full: boolean;
  /** Rows read again (new or changed). */
  written: SourceRow[];
  /** Every row the site has now ({@link sourceKey}): written or kept; others are gone from Webflow. */
  present: ReadonlySet<string>;
  done: number;
}

/**
 * Writes what a crawl read and ends it, in one transaction: rows read again replace theirs,
 * rows of documents Webflow no longer lists go. False when the crawl had been taken over (nothing written).
 */
export async function commitCrawl(db: Queryable, siteId: string, owner: string, commit: CrawlCommit): Promise<boolean> {
  const [held] = await db.query(`SELECT site_id FROM usage_sites WHERE site_id = $1 AND crawl_owner = $2 AND crawl_state = 'running' FOR UPDATE`, [siteId, owner]);
  if (!held) return false;
  const removed = await db.query(
    `DELETE FROM usage_sources WHERE site_id = $1 AND kind <> 'styles'
       AND (kind || '|' || source_id || '|' || locale_id) NOT IN (SELECT jsonb_array_elements_text($2::jsonb)) RETURNING kind`,
    [siteId, JSON.stringify([...commit.present].map(storableText))],
  );
  for (let start = 0; start < commit.written.length; start += 500) {
    const chunk = commit.written.slice(start, start + 500).map((row) => ({
      kind: row.kind,
      source_id: storableText(row.sourceId),
      locale_id: storableText(row.localeId ?? ''),
      parent_id: storableText(row.parentId ?? ''),
      last_updated: storableOrNull(row.lastUpdated),
      doc: storableJson(row.doc),
    }));
    await db.query(
      `INSERT INTO usage_sources (site_id, kind, source_id, locale_id, parent_id, last_updated, doc)
       SELECT $1, v.kind, v.source_id, v.locale_id, v.parent_id, v.last_updated, v.doc
       FROM jsonb_to_recordset($2::jsonb) AS v(kind text, source_id text, locale_id text, parent_id text, last_updated text, doc jsonb)
       ON CONFLICT (site_id, kind, source_id, locale_id) DO UPDATE SET parent_id = EXCLUDED.parent_id, last_updated = EXCLUDED.last_updated, doc = EXCLUDED.doc`,
      [siteId, JSON.stringify(chunk)],
    );
  }
  await db.query(
    `UPDATE usage_sites SET locales = $3::jsonb, components_key = $4, full_crawl_at = CASE WHEN $5 THEN now() ELSE full_crawl_at END,
       version = version + CASE WHEN $6 THEN 1 ELSE 0 END, built_at = now(),
       crawl_state = 'idle', crawl_error = NULL, missing_scopes = '[]', crawl_done = $7, crawl_total = $7, crawl_finished_at = now(),
       crawl_owner = NULL, crawl_lease_until = NULL
     WHERE site_id = $1 AND crawl_owner = $2`,
    [siteId, owner, JSON.stringify(storableJson(commit.locales)), commit.componentsKey, commit.full, commit.written.length > 0 || removed.length > 0, commit.done],
  );
  return true;
}

/**
 * Replaces a few items' rows with what was just read of them (an applied CMS change's answer),
 * between crawls; nothing when the site's index was never built (its first crawl reads them).
 */
export async function writeItemSources(db: Queryable, siteId: string, rows: readonly SourceRow[]): Promise<void> {
  if (rows.length === 0) return;
  const built = await db.query(`SELECT 1 FROM usage_sites WHERE site_id = $1 AND built_at IS NOT NULL`, [siteId]);
  if (built.length === 0) return;
  await db.query(
    `INSERT INTO usage_sources (site_id, kind, source_id, locale_id, parent_id, last_updated, doc)
     SELECT $1, 'item', v.source_id, v.locale_id, v.parent_id, v.last_updated, v.doc
     FROM jsonb_to_recordset($2::jsonb) AS v(source_id text, locale_id text, parent_id text, last_updated text, doc jsonb)
     ON CONFLICT (site_id, kind, source_id, locale_id) DO UPDATE SET parent_id = EXCLUDED.parent_id, last_updated = EXCLUDED.last_updated, doc = EXCLUDED.doc`,
    [
      siteId,
      JSON.stringify(
        rows.map((row) => ({
          source_id: storableText(row.sourceId),
          locale_id: storableText(row.localeId ?? ''),
          parent_id: storableText(row.parentId ?? ''),
          last_updated: storableOrNull(row.lastUpdated),
          doc: storableJson(row.doc),
        })),
      ),
    ],
  );
  await db.query(`UPDATE usage_sites SET version = version + 1 WHERE site_id = $1`, [siteId]);
}

/** The key of the one `styles` row of a site. */
export const STYLES_SOURCE = { kind: 'styles', sourceId: 'styles', localeId: null } as const;

/**
 * Replaces the site's background images with what one read of its styles found, and dates the
 * read; a crawl neither writes nor removes this row.
 */
export async function writeStyleUses(db: Queryable, siteId: string, doc: unknown): Promise<void> {
  await db.query(`INSERT INTO usage_sites (site_id) VALUES ($1) ON CONFLICT (site_id) DO NOTHING`, [siteId]);
  await db.query(
    `INSERT INTO usage_sources (site_id, kind, source_id, locale_id, parent_id, last_updated, doc) VALUES ($1, 'styles', 'styles', '', '', NULL, $2::jsonb)
     ON CONFLICT (site_id, kind, source_id, locale_id) DO UPDATE SET doc = EXCLUDED.doc`,
    [siteId, JSON.stringify(storableJson(doc))],
  );
  await db.query(`UPDATE usage_sites SET styles_read_at = now() WHERE site_id = $1`, [siteId]);
}

/** Dates these assets as seen used now (each one the index found a use or a reference of). */
export async function markSeenUsed(db: Queryable, siteId: string, assetIds: readonly string[]): Promise<void> {
  if (assetIds.length === 0) return;
  await db.query(
    `INSERT INTO usage_seen_used (site_id, asset_id, seen_at) SELECT $1, id, now() FROM jsonb_array_elements_text($2::jsonb) AS ids (id)
     ON CONFLICT (site_id, asset_id) DO UPDATE SET seen_at = EXCLUDED.seen_at`,
    [siteId, JSON.stringify([...new Set(assetIds)].map(storableText))],
  );
}

/** When each of these assets was last seen used (absent: never, since the index kept the dates). */
export async function readSeenUsed(db: Queryable, siteId: string, assetIds: readonly string[]): Promise<Map<string, Date>> {
  if (assetIds.length === 0) return new Map();
  const rows = await db.query<{ asset_id: string; seen_at: Date | string }>(
    `SELECT asset_id, seen_at FROM usage_seen_used WHERE site_id = $1 AND asset_id IN (SELECT jsonb_array_elements_text($2::jsonb))`,
    [siteId, JSON.stringify(assetIds.map(storableText))],
  );
  return new Map(rows.map((row) => [restoredText(row.asset_id), new Date(row.seen_at)]));
}
