/**
 * The usage index of each site: crawled in the background (one crawl per site at a time, across
 * processes, through a lease row), after each asset index refresh and when a panel asks for it
 * while it is stale; answered as a compact summary for the panel and as every use of one asset.
 */
import { randomUUID } from 'node:crypto';
import type { IndexedAsset } from '../../core/api.ts';
import type { UseInContext } from '../../core/suggestions/usage.ts';
import type { CmsImages } from '../../core/cms-images.ts';
import { USAGE_SUMMARY_FORMAT, type AssetReference, type AssetUsage, type AssetUse, type StyleUseInput, type StyleUsesResponse, type UsageCrawlState, type UsageSources, type UsageSummary } from '../../core/usage.ts';
import type { Store } from '../store/db.ts';
import { readAssetIdsByUrl, readAssetsById } from '../store/asset-index.ts';
import { abandonCrawl, claimCrawl, commitCrawl, endCrawl, markSeenUsed, noteCrawlProgress, readSeenUsed, readSources, readUsageSite, sourceKey, writeStyleUses, type SourceRow, type UsageSiteRow } from '../store/usage.ts';
import type { SiteContentReader } from '../webflow/site-content.ts';
import { USAGE_SCOPES } from '../webflow/scopes.ts';
import { QuotaClosed } from '../webflow/quota.ts';
import { WebflowError } from '../webflow/types.ts';
import { crawlSite, MissingScopes, type CollectionDoc, type ComponentDoc, type ItemDoc, type PageDoc } from './crawl.ts';
import { cmsImagesOf } from './cms-images.ts';
import { assetIdOfUrl } from './rich-text.ts';
import { assetIdsNamed, resolveReferences, resolveUses, summarize, type AssetAltOf, type ResolvedUse, type SiteSources, type StyleRef } from './uses.ts';

/** A crawl renews its lease on every request; a holder silent this long is taken to be dead. */
const LEASE_SECONDS = 120;

export interface UsageIndexOptions {
  store: Store;
  reader: SiteContentReader;
  getSiteToken(siteId: string): Promise<string | undefined>;
  /**
   * The scopes the site's installation was granted, when known (installations.scopesOf): one
   * without the usage scopes is told so without a request to Webflow. Unknown: the crawl's first
   * listings find out.
   */
  grantedScopes?(siteId: string): Promise<readonly string[] | undefined>;
  /** A panel asking for the index starts a crawl when the last one finished longer ago than this (10 minutes). */
  staleAfterMs?: number;
  /** ...or this long after a crawl that failed or waited for scopes (a minute: the user may have re-installed). */
  retryAfterMs?: number;
  /** Components carry no `lastUpdated`: their DOM is read again at least this often (a day). */
  componentsEveryMs?: number;
  /** Told about crawls that failed (never with a token). */
  onError?: (error: unknown, siteId: string) => void;
  /**
   * Whether the site's asset index has been read once. Until it has, a panel asking for the usage
   * starts no crawl: the first refresh is what the designer waits for, and a crawl beside it took
   * the quota's window (the grid came a minute later); the refresh's end starts the crawl.
   */
  assetsRead?(siteId: string): Promise<boolean>;
}

export type UsageIndex = ReturnType<typeof createUsageIndex>;

const NOT_CRAWLED: UsageCrawlState = { state: 'idle', done: 0, total: null, finishedAt: null, error: null, missingScopes: [], built: false };

export function createUsageIndex(options: UsageIndexOptions) {
  const { store, reader, getSiteToken } = options;
  const owner = `usage-${randomUUID()}`;
  const running = new Map<string, Promise<void>>();
  const staleAfterMs = options.staleAfterMs ?? 10 * 60_000;
  const retryAfterMs = options.retryAfterMs ?? 60_000;
  const componentsEveryMs = options.componentsEveryMs ?? 24 * 3_600_000;
  /** Each site's uses with their surroundings, by asset, as of a version of its index (the suggestions' source). */
  const contexts = new Map<string, { version: number; primaryLocaleId: string | null; byAsset: Map<string, UseInContext[]> }>();

  async function runCrawl(siteId: string): Promise<void> {
    if (!(await claimCrawl(store, siteId, owner, LEASE_SECONDS))) return; // another process crawls this site
    try {
      const token = await getSiteToken(siteId);
      if (!token) throw new CrawlStopped('Asset Desk is not installed on this site: install it, then the uses are read.');
      const granted = await options.grantedScopes?.(siteId);
      if (granted) {
        const lacking = USAGE_SCOPES.filter((scope) => !granted.includes(scope) && !(scope === 'pages:read' && granted.includes('page:read')));
        if (lacking.length > 0) throw new MissingScopes(lacking);
      }
      const [site, previousRows] = await Promise.all([readUsageSite(store, siteId), readSources(store, siteId)]);
      const previous = new Map(previousRows.map((row) => [sourceKey(row), row]));
      const componentsDue = !site?.fullCrawlAt || Date.now() - site.fullCrawlAt.getTime() > componentsEveryMs;
      const outcome = await crawlSite(reader, token, siteId, { previous, previousComponentsKey: site?.componentsKey ?? null, componentsDue }, async (done, total) => {
        if (!(await noteCrawlProgress(store, siteId, owner, done, total, LEASE_SECONDS))) throw new CrawlStopped('Another crawl took over this site.');
      });
      const committed = await store.transaction((tx) =>
        commitCrawl(tx, siteId, owner, { locales: outcome.locales, componentsKey: outcome.componentsKey, full: outcome.componentsRead, written: outcome.written, present: outcome.present, done: outcome.requests }),
      );
      if (committed) await markUsedNow(siteId);
    } catch (error) {
      if (error instanceof MissingScopes) {
        await endCrawl(store, siteId, owner, { state: 'needs_scopes', error: error.message, missingScopes: error.scopes });
        return;
      }
      // Stopping is not failing: the next start reads the site again, with no error shown meanwhile.
      if (error instanceof QuotaClosed) {
        await abandonCrawl(store, siteId, owner);
        return;
      }
      options.onError?.(error, siteId);
      const built = (await readUsageSite(store, siteId))?.built ?? false;
      await endCrawl(store, siteId, owner, { state: 'failed', error: crawlFailureMessage(error, built), missingScopes: [] });
    }
  }

  function start(siteId: string): Promise<void> {
    const current = running.get(siteId);
    if (current) return current;
    const done = runCrawl(siteId)
      .catch((error: unknown) => options.onError?.(error, siteId))
      .finally(() => running.delete(siteId));
    running.set(siteId, done);
    return done;
  }

  async function state(siteId: string): Promise<UsageCrawlState> {
    return (await readUsageSite(store, siteId))?.crawl ?? NOT_CRAWLED;
  }

  /** Starts a crawl when the index is missing or stale (or a failed crawl is worth trying again). */
  async function crawlIfStale(siteId: string): Promise<UsageCrawlState> {
    const crawl = await state(siteId);
    if (crawl.state === 'running' || running.has(siteId)) return crawl;
    const age = crawl.finishedAt ? Date.now() - Date.parse(crawl.finishedAt) : Infinity;
    const due = crawl.state === 'idle' ? !crawl.built || age > staleAfterMs : age > retryAfterMs;
    if (!due) return crawl;
    if (options.assetsRead && !(await options.assetsRead(siteId))) return crawl;
    void start(siteId);
    return { ...crawl, state: 'running', done: 0, total: null };
  }

  async function sourcesOf(siteId: string): Promise<SiteSources> {
    const [site, rows] = await Promise.all([readUsageSite(store, siteId), readSources(store, siteId)]);
    return siteSourcesOf(site?.locales.find((l) => l.primary)?.id ?? null, rows);
  }

  /** The index's documents of the assets the sources name: all that resolving their uses reads. */
  async function docsNamedBy(siteId: string, sources: SiteSources): Promise<Map<string, IndexedAsset>> {
    const stored = await readAssetsById(store, siteId, assetIdsNamed(sources));
    return new Map([...stored].map(([id, asset]) => [id, asset.doc]));
  }

  /** Every use and reference of the site's assets as the index holds them now. */
  async function resolveAll(siteId: string): Promise<{ uses: ReturnType<typeof resolveUses>; references: ReturnType<typeof resolveReferences> }> {
    const sources = await sourcesOf(siteId);
    const docs = await docsNamedBy(siteId, sources);
    return { uses: resolveUses(sources, altOf(docs)), references: resolveReferences(sources, (id) => docs.has(id)) };
  }

  /** Dates every asset the index finds used as seen used now (docs/decisions/asset-deletion.md). */
  async function markUsedNow(siteId: string): Promise<void> {
    const { uses, references } = await resolveAll(siteId);
    await markSeenUsed(store, siteId, [...uses.map((u) => u.assetId), ...references.map((r) => r.assetId)]);
  }

  return {
    /** Crawls the site now unless a crawl runs (here or in another process); never rejects. */
    crawl: start,
    crawlIfStale,
    state,

    /** Per used asset: pages, placements, items, and uses without alt text; starts a crawl when stale. */
    async summary(siteId: string): Promise<UsageSummary> {
      const crawl = await crawlIfStale(siteId);
      const { uses, references } = await resolveAll(siteId);
      const columns = summarize(uses, references);
      return { format: USAGE_SUMMARY_FORMAT, crawl, sources: sourcesRead(await readUsageSite(store, siteId), crawl), columns };
    },

    /** When each source was last read, and what cannot be seen. */
    async sources(siteId: string): Promise<UsageSources> {
      const site = await readUsageSite(store, siteId);
      return sourcesRead(site, site?.crawl ?? NOT_CRAWLED);
    },

    /**
     * Replaces the site's background images with what the panel read from its styles. A use
     * names the asset by id, or by a URL equal to an asset's hosted URL or in the hosted form
     * (`…/{assetId}_…`); other URLs are not kept. `stored` counts the uses of assets the index
     * knows now; the rest are `unmatched` (one naming an id the index does not know yet is kept,
     * and counts once the asset is indexed).
     */
    async putStyles(siteId: string, uses: readonly StyleUseInput[]): Promise<StyleUsesResponse> {
      // A hosted URL names its asset (`…/{assetId}_…`): only other URLs are looked up in the index.
      const otherUrls = uses.flatMap((use) => (use.assetId === undefined && use.url !== undefined && assetIdOfUrl(use.url) === undefined ? [use.url] : []));
      const byUrl = await readAssetIdsByUrl(store, siteId, otherUrls);
      const styles: StyleRef[] = [];
      for (const use of uses) {
        const assetId = use.assetId ?? (use.url === undefined ? undefined : (byUrl.get(use.url) ?? assetIdOfUrl(use.url)));
        if (assetId) styles.push({ assetId: assetId.toLowerCase(), styleName: use.styleName, breakpoint: use.breakpoint ?? null, pseudo: use.pseudo ?? null });
      }
      await writeStyleUses(store, siteId, { styles } satisfies StylesDoc);
      await markUsedNow(siteId);
      const known = await readAssetsById(store, siteId, [...new Set(styles.map((style) => style.assetId))]);
      const stored = styles.filter((style) => known.has(style.assetId)).length;
      const site = await readUsageSite(store, siteId);
      return { stored, unmatched: uses.length - stored, sources: sourcesRead(site, site?.crawl ?? NOT_CRAWLED) };
    },

    /** Every image use in the site's CMS (Image, MultiImage, Rich Text), by column; starts a crawl when stale. */
    async cmsImages(siteId: string): Promise<CmsImages> {
      const crawl = await crawlIfStale(siteId);
      const sources = await sourcesOf(siteId);
      // CMS uses carry their own alt text: the asset's is not needed to tell their state.
      return cmsImagesOf(resolveUses({ ...sources, pages: [], components: [] }, () => undefined), sources.primaryLocaleId, crawl);
    },

    /**
     * Every resolved use of the site (the report's per page and per collection counts) and the
     * indexed assets it uses; `built`: a crawl finished once. Unlike `summary`, starts no crawl.
     */
    async resolvedUses(siteId: string): Promise<{ built: boolean; uses: ResolvedUse[]; assets: Map<string, IndexedAsset> }> {
      const [site, sources] = await Promise.all([readUsageSite(store, siteId), sourcesOf(siteId)]);
      // The documents of the assets used, not the whole index (100,000 documents at the top size).
      const assets = await docsNamedBy(siteId, sources);
      return { built: site?.built ?? false, uses: resolveUses(sources, altOf(assets)), assets };
    },

    /** Every use of one asset, with where, locale and the alt a visitor gets. */
    async assetUsage(siteId: string, assetId: string): Promise<AssetUsage> {
      const [crawl, sources, assets] = await Promise.all([state(siteId), sourcesOf(siteId), readAssetsById(store, siteId, [assetId])]);
      const docs = new Map([...assets].map(([id, a]) => [id, a.doc]));
      const uses = resolveUses(sources, altOf(docs)).filter((u) => u.assetId === assetId);
      const references = resolveReferences(sources, (id) => id === assetId && docs.has(id));
      return { assetId, uses: uses.map((u) => u.use), references: references.map((r) => r.reference), crawl };
    },

    /**
     * Every use of one asset with what surrounds the image there (the suggestions' "where it is
     * used" source), and the site's primary locale; empty until a crawl has read the site. Never
     * starts a crawl: the panel's usage summary does that.
     */
    async usesInContext(siteId: string, assetId: string): Promise<{ primaryLocaleId: string | null; uses: UseInContext[] }> {
      // Asked for every row in view: the site's uses are worked out once per crawl that changed them (its version), not per ask.
      const site = await readUsageSite(store, siteId);
      const version = site?.version ?? -1;
      let known = contexts.get(siteId);
      if (known?.version !== version) {
        const primaryLocaleId = site?.locales.find((l) => l.primary)?.id ?? null;
        const sources = siteSourcesOf(primaryLocaleId, await readSources(store, siteId, ['page', 'component', 'item', 'collection']));
        const byAsset = new Map<string, UseInContext[]>();
        // The alt text a visitor gets plays no part in what the context suggests.
        for (const u of resolveUses(sources, () => undefined)) {
          const uses = byAsset.get(u.assetId) ?? [];
          uses.push({ where: u.use.where, localeId: u.use.localeId, seen: u.seen, surroundings: u.surroundings ?? null });
          byAsset.set(u.assetId, uses);
        }
        known = { version, primaryLocaleId, byAsset };
        contexts.set(siteId, known);
      }
      return { primaryLocaleId: known.primaryLocaleId, uses: known.byAsset.get(assetId) ?? [] };
    },

    /**
     * The uses and references of these assets (only those with any), and when each was last seen
     * used: what a deletion is checked against, before it is journaled and again before it is applied.
     */
    async usesOf(siteId: string, assetIds: readonly string[]): Promise<{ used: Map<string, { uses: AssetUse[]; references: AssetReference[] }>; seenUsed: Map<string, Date> }> {
      const asked = new Set(assetIds);
      const { uses, references } = await resolveAll(siteId);
      const used = new Map<string, { uses: AssetUse[]; references: AssetReference[] }>();
      const of = (assetId: string) => {
        let found = used.get(assetId);
        if (!found) used.set(assetId, (found = { uses: [], references: [] }));
        return found;
      };
      for (const use of uses) if (asked.has(use.assetId)) of(use.assetId).uses.push(use.use);
      for (const reference of references) if (asked.has(reference.assetId)) of(reference.assetId).references.push(reference.reference);
      return { used, seenUsed: await readSeenUsed(store, siteId, [...asked]) };
    },

    /** Waits for crawls this process runs (shutdown, tests). */
    async idle(): Promise<void> {
      await Promise.allSettled([...running.values()]);
    },
  };
}

/** An asset's alt text in a locale: its own there, else the primary's (undefined when not indexed). */
function altOf(docs: ReadonlyMap<string, IndexedAsset>): AssetAltOf {
  return (assetId, localeId) => {
    const doc = docs.get(assetId);
    if (!doc) return undefined;
    if (localeId !== null && Object.hasOwn(doc.localeAltText, localeId)) return doc.localeAltText[localeId] ?? null;
    return doc.altText;
  };
}

/** What the index keeps of the panel's read of the site's styles. */
export interface StylesDoc {
  styles: StyleRef[];
}

/**
 * What Asset Desk cannot see on any site, whatever it reads (docs/decisions/unused-means-unused.md):
 * said beside the Unused filter and on a delete confirmation.
 */
export const NOT_SEEN: readonly string[] = [
  'Custom code in the site’s or a page’s settings, and Embed elements: the Data API does not show it.',
  'Other sites, emails and documents that link to a file’s CDN URL.',
  'Links to a file in a page’s text or a button’s settings (only CMS values are read for links).',
  'Which image an “Alt Text” property sets when its component holds more than one image.',
  'Page branches, and published content that differs from the staged content read.',
];

const SCOPE_WORDS: Record<UsageCrawlState['missingScopes'][number], string> = {
  'pages:read': 'Pages: Asset Desk lacks the pages:read permission (install it again to grant it).',
  'components:read': 'Components: Asset Desk lacks the components:read permission (install it again to grant it).',
  'cms:read': 'CMS items: Asset Desk lacks the cms:read permission (install it again to grant it).',
};

/** Each source's last complete read: pages and CMS with every complete crawl, components when last read again, styles when the panel sent them. */
export function sourcesRead(site: UsageSiteRow | undefined, crawl: UsageCrawlState): UsageSources {
  const at = (date: Date | null | undefined) => (date ? date.toISOString() : null);
  return {
    read: [
      { source: 'pages', readAt: at(site?.builtAt) },
      { source: 'components', readAt: at(site?.fullCrawlAt) },
      { source: 'cms', readAt: at(site?.builtAt) },
      { source: 'styles', readAt: at(site?.stylesReadAt) },
    ],
    notSeen: [...crawl.missingScopes.map((scope) => SCOPE_WORDS[scope]), ...NOT_SEEN],
  };
}

export function siteSourcesOf(primaryLocaleId: string | null, rows: readonly SourceRow[]): SiteSources {
  const sources: { pages: SiteSources['pages'][number][]; components: SiteSources['components'][number][]; items: SiteSources['items'][number][]; styles: StyleRef[] } = {
    pages: [],
    components: [],
    items: [],
    styles: [],
  };
  const collections = new Map<string, string>();
  for (const row of rows) {
    if (row.kind === 'page') {
      const doc = row.doc as PageDoc;
      sources.pages.push({ kind: 'page', id: row.sourceId, localeId: row.localeId, title: doc.title, lastUpdated: row.lastUpdated, dom: doc.dom });
    } else if (row.kind === 'component') {
      const doc = row.doc as ComponentDoc;
      sources.components.push({ kind: 'component', id: row.sourceId, localeId: row.localeId, title: doc.title, dom: doc.dom });
    } else if (row.kind === 'item') {
      const doc = row.doc as ItemDoc;
      sources.items.push({ kind: 'item', id: row.sourceId, collectionId: row.parentId ?? '', localeId: row.localeId, title: doc.title, lastUpdated: row.lastUpdated, images: doc.images, links: doc.links ?? [] });
    } else if (row.kind === 'styles') {
      sources.styles.push(...(row.doc as StylesDoc).styles);
    } else {
      collections.set(row.sourceId, (row.doc as CollectionDoc).title);
    }
  }
  return { primaryLocaleId, ...sources, collections };
}

/** A crawl stopped for a reason the user can act on, said in the message. */
export class CrawlStopped extends Error {}

/** What a failed crawl tells the user: our words (the log has the rest), and that the last complete index still serves. */
export function crawlFailureMessage(error: unknown, built: boolean): string {
  const kept = built ? ' The uses shown are from the last complete crawl.' : '';
  if (error instanceof CrawlStopped) return `${error.message}${kept}`;
  if (error instanceof WebflowError) {
    if (error.status === 429) return `Webflow’s request limit for this site was reached while reading where assets are used; it is tried again shortly.${kept}`;
    if (error.status === 401 || error.status === 403) return `Webflow refused Asset Desk’s access to this site’s pages or CMS (the app may have been uninstalled): install it again.${kept}`;
    if (error.status === 0) return `Webflow could not be reached while reading where assets are used; it is tried again shortly.${kept}`;
    return `Webflow answered with an error (HTTP ${error.status}) while reading where assets are used; it is tried again shortly.${kept}`;
  }
  return `Reading where assets are used failed; it is tried again shortly. If it keeps failing, the backend’s log says why.${kept}`;
}
