/**
 * Which sites installed Asset Desk, and their access tokens: sealed in the store, opened on
 * demand (kept open in memory for a minute, so a busy applier does not decrypt per request).
 */
import { decryptSecret, encryptSecret } from '../crypto.ts';
import type { Store } from '../store/db.ts';
import { findInstallation, saveInstallation } from '../store/installations.ts';
import type { Quota } from '../webflow/quota.ts';

const OPEN_FOR_MS = 60_000;

export type Installations = ReturnType<typeof createInstallations>;

export function createInstallations(options: { store: Store; encryptionKey: Buffer; quota: Quota }) {
  const { store, encryptionKey, quota } = options;
  const open = new Map<string, { token: string; until: number }>();

  return {
    async save(grant: { siteIds: string[]; token: string; rateLimit: number; userId: string | null; scopes?: string | null }): Promise<void> {
      for (const siteId of grant.siteIds) {
        await saveInstallation(store, {
          site_id: siteId,
          sealed_token: encryptSecret(encryptionKey, grant.token, `site:${siteId}`),
          rate_limit: grant.rateLimit,
          authorized_user_id: grant.userId,
          scopes: grant.scopes ?? null,
        });
        open.delete(siteId);
      }
      quota.setLimit(grant.token, grant.rateLimit);
    },

    /** The scopes the site's installation was granted; undefined when not installed, or installed before they were kept. */
    async scopesOf(siteId: string): Promise<string[] | undefined> {
      const scopes = (await findInstallation(store, siteId))?.scopes;
      return typeof scopes === 'string' ? scopes.split(/[\s,]+/).filter(Boolean) : undefined;
    },

    /** The site's access token, or undefined when the site has not installed Asset Desk. */
    async tokenOf(siteId: string): Promise<string | undefined> {
      const cached = open.get(siteId);
      if (cached && cached.until > Date.now()) return cached.token;
      const row = await findInstallation(store, siteId);
      if (!row) return undefined;
      const token = decryptSecret(encryptionKey, row.sealed_token, `site:${siteId}`);
      quota.setLimit(token, row.rate_limit);
      open.set(siteId, { token, until: Date.now() + OPEN_FOR_MS });
      return token;
    },
  };
}
