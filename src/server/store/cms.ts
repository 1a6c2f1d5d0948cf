/**
 * CMS items Asset Desk changed and which now wait for publishing (src/server/cms/): one row per
 * applied CMS change, saying whether its item was fully published before the change was written
 * (else someone else's unpublished changes wait in it too) and the item's `lastUpdated` after
 * the write (a later value means someone changed the item since). A row stops waiting once its
 * item was published, or is gone.
 */
import type { Queryable } from './db.ts';
import type { Migration } from './migrations.ts';

export const cmsMigrations: readonly Migration[] = [
  {
    name: 'cms_001_applied_changes',
    sql: `
      CREATE TABLE cms_applied (
        change_id bigint PRIMARY KEY,
        site_id text NOT NULL,
        collection_id text NOT NULL,
        item_id text NOT NULL,
        -- The site locale ('' the primary) and the item's CMS locale ('' when the site has none).
        locale_id text NOT NULL DEFAULT '',
        cms_locale_id text NOT NULL DEFAULT '',
        -- Before this change was written: lastPublished >= lastUpdated and not a draft.
        was_published boolean NOT NULL,
        -- The item's lastUpdated once written (null: Webflow did not say).
        last_updated text,
        applied_at timestamptz NOT NULL DEFAULT now(),
        -- When it stopped waiting: its item was published (by us or anyone), or is gone.
        settled_at timestamptz
      );
      CREATE INDEX cms_applied_waiting ON cms_applied (site_id, collection_id, item_id) WHERE settled_at IS NULL;
    `,
  },
];

/** An item in one locale, as our changes left it staged. */
interface StagedItem {
  collectionId: string;
  itemId: string;
  localeId: string | null;
  cmsLocaleId: string | null;
  /** The item was fully published before our (first) change was written. */
  wasPublished: boolean;
  /** The item's lastUpdated after our (last) write. */
  lastUpdated: string | null;
}

export interface AppliedCmsChange extends StagedItem {
  changeId: string;
}

/** Records applied changes (a change recorded twice, after a lost acknowledgement, keeps its first row). */
export async function recordApplied(db: Queryable, siteId: string, changes: readonly AppliedCmsChange[]): Promise<void> {
  if (changes.length === 0) return;
  await db.query(
    `INSERT INTO cms_applied (change_id, site_id, collection_id, item_id, locale_id, cms_locale_id, was_published, last_updated)
     SELECT v.change_id, $1, v.collection_id, v.item_id, v.locale_id, v.cms_locale_id, v.was_published, v.last_updated
     FROM jsonb_to_recordset($2::jsonb) AS v(change_id bigint, collection_id text, item_id text, locale_id text, cms_locale_id text, was_published boolean, last_updated text)
     ON CONFLICT (change_id) DO NOTHING`,
    [
      siteId,
      JSON.stringify(
        changes.map((c) => ({
          change_id: c.changeId,
          collection_id: c.collectionId,
          item_id: c.itemId,
          locale_id: c.localeId ?? '',
          cms_locale_id: c.cmsLocaleId ?? '',
          was_published: c.wasPublished,
          last_updated: c.lastUpdated,
        })),
      ),
    ],
  );
}

/** One item in one locale with changes of ours waiting for publishing. */
export interface WaitingItem extends StagedItem {
  changeIds: string[];
}

/** The site's items with applied changes not published yet, oldest first. */
export async function waitingItems(db: Queryable, siteId: string, itemIds?: readonly string[]): Promise<WaitingItem[]> {
  const rows = await db.query<{ collection_id: string; item_id: string; locale_id: string; cms_locale_id: string; was_published: boolean; last_updated: string | null; change_ids: string[] }>(
    `SELECT collection_id, item_id, locale_id, cms_locale_id,
       (array_agg(was_published ORDER BY change_id))[1] AS was_published,
       (array_agg(last_updated ORDER BY change_id DESC))[1] AS last_updated,
       array_agg(change_id::text ORDER BY change_id) AS change_ids
     FROM cms_applied
     WHERE site_id = $1 AND settled_at IS NULL AND ($2::text[] IS NULL OR item_id = ANY($2::text[]))
     GROUP BY collection_id, item_id, locale_id, cms_locale_id
     ORDER BY min(change_id)`,
    [siteId, itemIds ? [...itemIds] : null],
  );
  return rows.map((row) => ({
    collectionId: row.collection_id,
    itemId: row.item_id,
    localeId: row.locale_id === '' ? null : row.locale_id,
    cmsLocaleId: row.cms_locale_id === '' ? null : row.cms_locale_id,
    wasPublished: row.was_published,
    lastUpdated: row.last_updated,
    changeIds: row.change_ids,
  }));
}

/** These items (in these locales) no longer wait: published, or gone from Webflow. */
export async function settleItems(db: Queryable, siteId: string, items: ReadonlyArray<{ itemId: string; localeId: string | null }>): Promise<void> {
  if (items.length === 0) return;
  await db.query(
    `UPDATE cms_applied SET settled_at = now()
     WHERE site_id = $1 AND settled_at IS NULL
       AND (item_id, locale_id) IN (SELECT v.item_id, v.locale_id FROM jsonb_to_recordset($2::jsonb) AS v(item_id text, locale_id text))`,
    [siteId, JSON.stringify(items.map((i) => ({ item_id: i.itemId, locale_id: i.localeId ?? '' })))],
  );
}
