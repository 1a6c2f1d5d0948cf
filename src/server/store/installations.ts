/**
 * Installations (the access token of each site that installed Asset Desk, encrypted) and the
 * OAuth states of installs in progress.
 */
import type { Queryable } from './db.ts';
import type { Migration } from './migrations.ts';

export const installationMigrations: readonly Migration[] = [
  {
    name: 'installations_001_tokens_and_states',
    sql: `
      CREATE TABLE installations (
        site_id text PRIMARY KEY,
        -- AES-256-GCM sealed access token (crypto.ts); never the token itself.
        sealed_token text NOT NULL,
        rate_limit integer NOT NULL,
        authorized_user_id text,
        installed_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE oauth_states (
        state text PRIMARY KEY,
        browser_key text NOT NULL,
        expires_at timestamptz NOT NULL
      );
    `,
  },
  {
    // The scopes the token was granted (introspection's `scope`), so a feature needing one the
    // installation lacks says so without asking Webflow. Null for installations made before it.
    name: 'installations_002_scopes',
    sql: `ALTER TABLE installations ADD COLUMN scopes text;`,
  },
];

export interface InstallationRow {
  site_id: string;
  sealed_token: string;
  rate_limit: number;
  authorized_user_id: string | null;
  /** As introspection said (space- or comma-separated); null when not known. */
  scopes?: string | null;
}

export async function saveInstallation(db: Queryable, row: InstallationRow): Promise<void> {
  await db.query(
    `INSERT INTO installations (site_id, sealed_token, rate_limit, authorized_user_id, scopes) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (site_id) DO UPDATE SET sealed_token = EXCLUDED.sealed_token, rate_limit = EXCLUDED.rate_limit,
       authorized_user_id = EXCLUDED.authorized_user_id, scopes = EXCLUDED.scopes, installed_at = now()`,
    [row.site_id, row.sealed_token, row.rate_limit, row.authorized_user_id, row.scopes ?? null],
  );
}

export async function findInstallation(db: Queryable, siteId: string): Promise<InstallationRow | undefined> {
  const [row] = await db.query<InstallationRow>(
    `SELECT site_id, sealed_token, rate_limit, authorized_user_id, scopes FROM installations WHERE site_id = $1`,
    [siteId],
  );
  return row;
}

export async function saveOAuthState(db: Queryable, state: string, browserKey: string, expiresAt: Date): Promise<void> {
  await db.query(`DELETE FROM oauth_states WHERE expires_at < now()`);
  await db.query(`INSERT INTO oauth_states (state, browser_key, expires_at) VALUES ($1, $2, $3)`, [state, browserKey, expiresAt]);
}

/** A state is good once: taken here, whatever the answer. */
export async function takeOAuthState(db: Queryable, state: string): Promise<{ browser_key: string; expired: boolean } | undefined> {
  const [row] = await db.query<{ browser_key: string; expired: boolean }>(
    `DELETE FROM oauth_states WHERE state = $1 RETURNING browser_key, expires_at < now() AS expired`,
    [state],
  );
  return row;
}
