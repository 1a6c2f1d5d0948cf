/** What the grid, the status bar and the Unused filter's note say about where assets are used. */
import type { UsageCrawlState, UsageScope, UsageSource, UsageSources } from '../../core/usage.ts';
import type { AssetUses } from './model.ts';
import { formatCount } from '../components/format.ts';

const count = (n: number, one: string, many: string) => `${formatCount(n)} ${n === 1 ? one : many}`;

/**
 * A row's short line: "2 pages · 12 CMS items · linked from 1 CMS item", "Not used"; null while
 * the index is not built (before a whole crawl, no row proves nothing). A file that is not an
 * image with no use found is "Not seen used": documents are reached by links, and links in page
 * text, custom code and other sites are not read. Pages count direct uses and placements.
 */
export function usageLine(uses: AssetUses | undefined, built: boolean, isImage = true): string | null {
  if (!built) return null;
  if (!uses) return isImage ? 'Not used' : 'Not seen used';
  const pages = uses.pages + uses.components;
  const parts: string[] = [];
  if (pages > 0) parts.push(count(pages, 'page', 'pages'));
  if (uses.items > 0) parts.push(count(uses.items, 'CMS item', 'CMS items'));
  if (uses.links > 0) parts.push(`linked from ${count(uses.links, 'CMS item', 'CMS items')}`);
  if (uses.styles > 0) parts.push(`background of ${count(uses.styles, 'style', 'styles')}`);
  // A row with no counts: inside a component no page places (deleting it would still break that component).
  if (parts.length === 0) return 'In an unplaced component';
  const line = parts.join(' · ');
  return line.charAt(0).toUpperCase() + line.slice(1);
}

/** Every use counted: the "Most used first" key. */
export function totalUses(uses: AssetUses | undefined): number {
  return uses ? uses.pages + uses.components + uses.items + uses.links + uses.styles : 0;
}

const SOURCE_NAMES: Record<UsageSource, string> = { pages: 'Pages', components: 'Components', cms: 'CMS items', styles: 'Styles (background images)' };

/** A read date as the user reads dates: "Dec 4, 2026". */
export function readDate(iso: string): string {
  return new Date(iso).toLocaleDateString('en', { dateStyle: 'medium' } as Intl.DateTimeFormatOptions);
}

export interface UnusedNote {
  /** The short line beside the Unused filter. */
  line: string;
  /** Set while styles were never read: the list is not safe for deleting. */
  warning: string | null;
  /** Each source with when it was last read, then what cannot be seen: the disclosure's list. */
  details: string[];
}

/** What "Unused" rests on, in plain words (docs/decisions/unused-means-unused.md). */
export function unusedNote(sources: UsageSources): UnusedNote {
  const readAt = (source: UsageSource) => sources.read.find((s) => s.source === source)?.readAt ?? null;
  const pages = readAt('pages');
  const styles = readAt('styles');
  const on = pages ? ` read on ${readDate(pages)}` : '';
  const line = styles
    ? `Unused means: not on any page, component or CMS item${on}, nor in a style read on ${readDate(styles)}. Not checked: custom code, links from other sites.`
    : `Unused means: not on any page, component or CMS item${on}. Not checked: background images in styles, custom code, links from other sites.`;
  const warning = styles ? null : 'Styles have never been read, so an image shown only as a background is listed here: this list is not safe for deleting.';
  const details = [
    ...sources.read.map((s) => `${SOURCE_NAMES[s.source]}: ${s.readAt ? `read on ${readDate(s.readAt)}` : 'never read'}`),
    ...sources.notSeen.map((line) => `Not seen: ${line}`),
  ];
  return { line, warning, details };
}

const SCOPE_NAMES: Record<UsageScope, string> = { 'pages:read': 'pages', 'components:read': 'components', 'cms:read': 'CMS' };

export type CrawlTone = 'progress' | 'notice' | 'failed';

/** The status bar's line about the usage crawl; null when there is nothing to say. */
export function crawlMessage(crawl: UsageCrawlState | null): { text: string; tone: CrawlTone } | null {
  if (!crawl) return null;
  switch (crawl.state) {
    case 'running': {
      const total = crawl.total !== null ? `/${formatCount(crawl.total)}` : '';
      return { text: `Reading pages and CMS… ${formatCount(crawl.done)}${total}`, tone: 'progress' };
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
