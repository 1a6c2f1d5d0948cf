/**
 * `webflow.getSiteInfo()` for a site as the seed (and the world) describe it: custom domains
 * are production, the `webflow.io` subdomain is staging and the default.
 */
import type { SeedSite } from '../seed/types.ts';
import type { SiteInfo } from './wire.ts';

export function siteInfoOf(site: Pick<SeedSite, 'id' | 'displayName' | 'shortName' | 'workspaceId' | 'customDomains' | 'lastPublished'>): SiteInfo {
  return {
    siteId: site.id,
    siteName: site.displayName,
    shortName: site.shortName,
    kind: 'site',
    isPasswordProtected: false,
    isPrivateStaging: false,
    workspaceId: site.workspaceId,
    workspaceSlug: `${site.shortName}-workspace`,
    domains: [
      { url: `${site.shortName}.webflow.io`, lastPublished: site.lastPublished, default: true, stage: 'staging' },
      ...site.customDomains.map((domain) => ({ url: domain.url, lastPublished: domain.lastPublished, default: false, stage: 'production' as const })),
    ],
  };
}
