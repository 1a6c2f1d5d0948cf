/**
 * Journal tables: batches of changes to assets and the changes themselves, with their status.
 * Leasing lives in `leases.ts`; the rules (undo, resolve, retry) in `services/journal.ts`.
 */
import type { Migration } from './migrations.ts';

export const journalMigrations: readonly Migration[] = [
  {
    name: 'journal_001_batches_and_changes',
    sql: `
      CREATE TABLE journal_batches (
        id bigserial PRIMARY KEY,
        site_id text NOT NULL,
        user_id text NOT NULL,
        label text,
        undo_of bigint REFERENCES journal_batches (id),
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX journal_batches_one_undo ON journal_batches (undo_of) WHERE undo_of IS NOT NULL;

      CREATE TABLE journal_changes (
        id bigserial PRIMARY KEY,
        batch_id bigint NOT NULL REFERENCES journal_batches (id),
        site_id text NOT NULL,
        asset_id text NOT NULL,
        field text NOT NULL CHECK (field IN ('altText', 'displayName', 'folder')),
        -- '' is the primary locale, so (asset, field, locale) compares with plain equality.
        locale_id text NOT NULL DEFAULT '',
        before_value text,
        after_value text,
        status text NOT NULL DEFAULT 'pending'
          CHECK (status IN ('pending', 'leased', 'applied', 'conflict', 'failed', 'discarded')),
        -- Webflow's value when the change conflicted; current_known tells null (decorative) from unknown.
        current_known boolean NOT NULL DEFAULT false,
        current_value text,
        error text,
        user_id text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        applied_at timestamptz,
        applied_by text CHECK (applied_by IN ('designer', 'server')),
        lease_holder text,
        lease_kind text CHECK (lease_kind IN ('designer', 'server')),
        lease_expires_at timestamptz
      );
      CREATE INDEX journal_changes_open ON journal_changes (site_id, id) WHERE status IN ('pending', 'leased');
      CREATE INDEX journal_changes_by_asset ON journal_changes (site_id, asset_id, id);
      CREATE INDEX journal_changes_by_batch ON journal_changes (batch_id, id);
      CREATE INDEX journal_changes_by_status ON journal_changes (site_id, status);
    `,
  },
];
