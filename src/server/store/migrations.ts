/**
 * Every migration of the store, in the order they run. Each concern keeps its migrations in its
 * own store file (`export const journalMigrations: Migration[] = [...]`) and adds its list here:
 * import it and spread it into `allMigrations`. Names are the record of what ran, so never rename
 * or edit a migration that has landed; add a new one (prefix names with the concern,
 * e.g. `journal_002_leases_by_kind`, so two concerns can never collide).
 * A concern's lists run in their own order; lists later here may depend on earlier ones.
 */
import { cmsMigrations } from './cms.ts';
import { journalMigrations } from './journal.ts';
import { journalSettledMigrations } from './journal-settled.ts';
import { assetIndexMigrations } from './asset-index.ts';
import { refreshListingMigrations } from './refresh-listing.ts';
import { installationMigrations } from './installations.ts';
import { leaseMigrations } from './leases.ts';
import { quotaMigrations } from './quota.ts';
import { sessionGuardMigrations } from './session-guard.ts';
import { uploadMigrations } from './uploads.ts';
import { suggestionMigrations } from './suggestions.ts';
import { usageMigrations } from './usage.ts';
import { deletionMigrations } from './deletions.ts';
import { replacementMigrations } from './replacements.ts';

export interface Migration {
  /** Unique and stable forever, e.g. `journal_001_batches_and_changes`. */
  readonly name: string;
  /** One or more SQL statements, without parameters. */
  readonly sql: string;
}

export const allMigrations: readonly Migration[] = [...journalMigrations, ...journalSettledMigrations, ...leaseMigrations, ...installationMigrations, ...quotaMigrations, ...assetIndexMigrations, ...refreshListingMigrations, ...uploadMigrations, ...sessionGuardMigrations, ...usageMigrations, ...suggestionMigrations, ...cmsMigrations, ...deletionMigrations, ...replacementMigrations];
