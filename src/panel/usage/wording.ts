/** What the grid and the status bar say about where assets are used. */
import type { UsageCrawlState, UsageScope } from '../../core/usage.ts';
import type { AssetUses } from './model.ts';

const count = (n: number, one: string, many: string) => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

/**
 * A row's short line: "2 pages · 12 CMS items", "Not used"; null while the index is not built
 * (before a whole crawl, no row proves nothing), and for a file that is not an image and has no
 * use found (the index reads image uses only: a linked PDF is not looked for, so not "Not used").
 * Pages count direct uses and component placements.
 */
export function usageLine(uses: AssetUses | undefined, built: boolean, isImage = true): string | null {
  if (!built) return null;
  if (!uses) return isImage ? 'Not used' : null;
  const pages = uses.pages + uses.components;
  const parts: string[] = [];
  if (pages > 0) parts.push(count(pages, 'page', 'pages'));
  if (uses.items > 0) parts.push(count(uses.items, 'CMS item', 'CMS items'));
  // A row with no counts: inside a component no page places (deleting it would still break that component).
  if (parts.length === 0) return 'In an unplaced component';
  return parts.join(' · ');
}

/** Pages + placements + CMS items: the "Most used first" key. */
export function totalUses(uses: AssetUses | undefined): number {
  return uses ? uses.pages + uses.components + uses.items : 0;
}

const SCOPE_NAMES: Record<UsageScope, string> = { 'pages:read': 'pages', 'components:read': 'components', 'cms:read': 'CMS' };

export type CrawlTone = 'progress' | 'notice' | 'failed';

/** The status bar's line about the usage crawl; null when there is nothing to say. */
export function crawlMessage(crawl: UsageCrawlState | null): { text: string; tone: CrawlTone } | null {
  if (!crawl) return null;
  switch (crawl.state) {
    case 'running': {
      const total = crawl.total !== null ? `/${crawl.total.toLocaleString('en')}` : '';
      return { text: `Reading pages and CMS… ${crawl.done.toLocaleString('en')}${total}`, tone: 'progress' };
    }
    case 'needs_scopes': {
      const missing = crawl.missingScopes.map((scope) => `${SCOPE_NAMES[scope]} (${scope})`).join(', ');
      return {
        text: `To show where assets are used, install Asset Desk again so it can read ${missing || 'pages and CMS'}. Everything else works as before.`,
        tone: 'notice',
      };
    }
    case 'failed': {
      const last = crawl.built ? ' The uses shown are from the last complete read.' : '';
      return { text: `Reading pages and CMS failed: ${(crawl.error ?? 'unknown error').replace(/\.$/, '')}.${last}`, tone: 'failed' };
    }
    case 'idle':
      return null;
  }
}
