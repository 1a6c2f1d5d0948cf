/**
 * Reading a site's pages, components and CMS items for the usage index, incrementally.
 *
 * Per crawl, all at background priority within the site's quota (L = enabled locales, 1 when
 * the site has none; docs/decisions/usage-index.md):
 *   1 site
 * + L × ⌈pages/100⌉ page listings, + per page and locale whose `lastUpdated` changed (all on the
 *   first crawl) ⌈nodes/100⌉ DOM requests
 * + ⌈components/100⌉ component listings, + when the component list changed, on the first crawl
 *   and once a day (components carry no `lastUpdated`): components × L × ⌈nodes/100⌉ DOM requests
 * + 1 collection listing + 1 schema per collection
 * + L × Σ ⌈items/100⌉ item listings (items are listed anyway, 100 a request; only changed
 *   items' uses are worked out and written again).
 * The three first listings (pages, components, collections) go out together: an installation
 * without one of the scopes learns all it lacks from them, and nothing more is spent.
 */
import { createHash } from 'node:crypto';
import type { UsageScope } from '../../core/usage.ts';
import { sourceKey, type CrawlLocale, type SourceRow } from '../store/usage.ts';
import { CONTENT_PAGE_LIMIT, type SiteContentReader, type WireCollection, type WireItem, type WirePagination } from '../webflow/site-content.ts';
import { WebflowError, type WireSite } from '../webflow/types.ts';
import { domUses, imageFieldsOf, itemImages, itemLinks, type DomUses, type ItemImage, type ItemLink } from './sources.ts';

/** Requests in flight at once: one request costs the quota one either way, a few keep it busy. */
export const REQUESTS_IN_FLIGHT = 4;

export interface PageDoc {
  title: string;
  dom: DomUses;
}
export type ComponentDoc = PageDoc;
export interface ItemDoc {
  title: string;
  images: ItemImage[];
  /** Asset ids its other values name (absent in rows written before links were read: none). */
  links?: ItemLink[];
}
export interface CollectionDoc {
  title: string;
  /** The collection's fields (slug and type): when they change, every item is worked out again. */
  schemaKey: string;
}

export interface CrawlPlan {
  /** What the last complete crawl kept, by {@link sourceKey}. */
  previous: ReadonlyMap<string, SourceRow>;
  previousComponentsKey: string | null;
  /** Read every component's DOM again even when the list did not change. */
  componentsDue: boolean;
}

export interface CrawlOutcome {
  locales: CrawlLocale[];
  componentsKey: string;
  componentsRead: boolean;
  written: SourceRow[];
  present: Set<string>;
  requests: number;
}

/** The installation lacks scopes the crawl needs: nothing to do until the app is installed again. */
export class MissingScopes extends Error {
  constructor(readonly scopes: UsageScope[]) {
    super(`Asset Desk needs the ${scopes.join(', ')} permission${scopes.length > 1 ? 's' : ''} to see where assets are used: install it again to grant ${scopes.length > 1 ? 'them' : 'it'}.`);
  }
}

export function crawlLocalesOf(site: WireSite): CrawlLocale[] {
  if (!site.locales) return [{ id: null, cmsLocaleId: null, primary: true }];
  const { primary, secondary } = site.locales;
  return [
    { id: primary.id, cmsLocaleId: primary.cmsLocaleId ?? null, primary: true },
    ...secondary.filter((l) => l.enabled).map((l) => ({ id: l.id, cmsLocaleId: l.cmsLocaleId ?? null, primary: false })),
  ];
}

export async function crawlSite(
  reader: SiteContentReader,
  token: string,
  siteId: string,
  plan: CrawlPlan,
  onProgress: (done: number, total: number) => Promise<void>,
): Promise<CrawlOutcome> {
  const priority = 'background' as const;
  let done = 0;
  let planned = 0;
  /** DOM reads known but not started: at least a request each, so the total counts them. */
  let queued = 0;
  /** Every request goes through here: counted, and the progress written after it. */
  const request = async <T>(call: () => Promise<T>): Promise<T> => {
    planned += 1;
    const answer = await call();
    done += 1;
    await onProgress(done, Math.max(planned + queued, done));
    return answer;
  };
  const written: SourceRow[] = [];
  const present = new Set<string>();
  const keep = (key: string) => present.add(key);
  const write = (row: SourceRow) => {
    written.push(row);
    present.add(sourceKey(row));
  };
  const unchanged = (key: string, lastUpdated: string | null | undefined) => {
    const before = plan.previous.get(key);
    return before !== undefined && typeof lastUpdated === 'string' && before.lastUpdated === lastUpdated;
  };

  const site = await request(() => reader.getSite(token, siteId, { priority }));
  const locales = crawlLocalesOf(site);
  const primary = locales[0] as CrawlLocale;
  const localeParam = (locale: CrawlLocale) => (locale.id ? { localeId: locale.id } : {});

  // The three first listings together: each needs its own scope.
  const probes = await Promise.allSettled([
    request(() => reader.listPages(token, siteId, { priority, offset: 0, limit: CONTENT_PAGE_LIMIT, ...localeParam(primary) })),
    request(() => reader.listComponents(token, siteId, { priority, offset: 0, limit: CONTENT_PAGE_LIMIT })),
    request(() => reader.listCollections(token, siteId, { priority })),
  ]);
  const scopes: UsageScope[] = ['pages:read', 'components:read', 'cms:read'];
  const missing = scopes.filter((_, i) => isMissingScope(probes[i]));
  if (missing.length > 0) throw new MissingScopes(missing);
  const failed = probes.find((p): p is PromiseRejectedResult => p.status === 'rejected');
  if (failed) throw failed.reason;
  const [firstPages, firstComponents, collections] = probes.map((p) => (p as PromiseFulfilledResult<unknown>).value) as [
    Awaited<ReturnType<SiteContentReader['listPages']>>,
    Awaited<ReturnType<SiteContentReader['listComponents']>>,
    Awaited<ReturnType<SiteContentReader['listCollections']>>,
  ];

  // Pages: each locale's listing, then the DOM of what changed.
  const domReads: Array<() => Promise<void>> = [];
  for (const locale of locales) {
    const pages = await listAll(
      (offset) => request(() => reader.listPages(token, siteId, { priority, offset, limit: CONTENT_PAGE_LIMIT, ...localeParam(locale) })),
      (list) => list.pages,
      locale === primary ? firstPages : undefined,
    );
    for (const page of pages) {
      const key = sourceKey({ kind: 'page', sourceId: page.id, localeId: locale.id });
      if (unchanged(key, page.lastUpdated)) {
        keep(key);
        continue;
      }
      domReads.push(async () => {
        const pieces = await listAll(
          (offset) => request(() => reader.getPageDom(token, page.id, { priority, offset, limit: CONTENT_PAGE_LIMIT, ...localeParam(locale) })),
          (dom) => [dom],
        );
        const doc: PageDoc = { title: page.title ?? page.slug ?? page.id, dom: domUses(pieces) };
        write({ kind: 'page', sourceId: page.id, localeId: locale.id, parentId: null, lastUpdated: page.lastUpdated ?? null, doc });
      });
    }
  }

  // Components: read again when their list changed (or once a day, or on the first crawl).
  const components = await listAll(
    (offset) => request(() => reader.listComponents(token, siteId, { priority, offset, limit: CONTENT_PAGE_LIMIT })),
    (list) => list.components,
    firstComponents,
  );
  const componentsKey = createHash('sha1').update(components.map((c) => `${c.id}\u0000${c.name ?? ''}`).sort().join('\n')).digest('base64');
  const componentsRead = plan.componentsDue || plan.previousComponentsKey !== componentsKey;
  if (componentsRead) {
    for (const component of components) {
      for (const locale of locales) {
        domReads.push(async () => {
          const pieces = await listAll(
            (offset) => request(() => reader.getComponentDom(token, siteId, component.id, { priority, offset, limit: CONTENT_PAGE_LIMIT, ...localeParam(locale) })),
            (dom) => [dom],
          );
          const doc: ComponentDoc = { title: component.name ?? component.id, dom: domUses(pieces) };
          write({ kind: 'component', sourceId: component.id, localeId: locale.id, parentId: null, lastUpdated: null, doc });
        });
      }
    }
  } else {
    for (const [key, row] of plan.previous) if (row.kind === 'component') keep(key);
  }
  queued = domReads.length;
  await inPool(domReads.map((read) => () => ((queued -= 1), read())));

  // Collections: each schema, then every item of every locale (only changed ones worked out again).
  for (const summary of collections) {
    const collection = await request(() => reader.getCollection(token, summary.id, { priority }));
    const fields = imageFieldsOf(collection.fields);
    // Every field counts (a link can sit in any of them); 'links' marks keys written since links are read.
    const schemaKey = JSON.stringify(['links', collection.fields.map((f) => [f.slug ?? '', f.type])]);
    const collectionKey = sourceKey({ kind: 'collection', sourceId: collection.id, localeId: null });
    const previous = plan.previous.get(collectionKey)?.doc as CollectionDoc | undefined;
    const title = collection.displayName ?? summary.displayName;
    const schemaChanged = previous?.schemaKey !== schemaKey;
    if (schemaChanged || previous?.title !== title) {
      write({ kind: 'collection', sourceId: collection.id, localeId: null, parentId: null, lastUpdated: collection.lastUpdated ?? null, doc: { title, schemaKey } satisfies CollectionDoc });
    } else keep(collectionKey);
    for (const locale of locales) {
      const items = await listAll(
        (offset) =>
          request(() => reader.listItems(token, collection.id, { priority, offset, limit: CONTENT_PAGE_LIMIT, ...(locale.cmsLocaleId ? { cmsLocaleId: locale.cmsLocaleId } : {}) })),
        (list) => list.items,
      );
      for (const item of items) {
        const key = sourceKey({ kind: 'item', sourceId: item.id, localeId: locale.id });
        if (!schemaChanged && unchanged(key, item.lastUpdated)) {
          keep(key);
          continue;
        }
        const doc = itemDocOf(collection, item, fields);
        write({ kind: 'item', sourceId: item.id, localeId: locale.id, parentId: collection.id, lastUpdated: item.lastUpdated ?? null, doc });
      }
    }
  }

  return { locales, componentsKey, componentsRead, written, present, requests: done };
}

/** What the index keeps of one item in one CMS locale (the crawl's reading, and an applied change's). */
export function itemDocOf(collection: Pick<WireCollection, 'fields'>, item: WireItem, fields = imageFieldsOf(collection.fields)): ItemDoc {
  return { title: typeof item.fieldData?.name === 'string' ? item.fieldData.name : item.id, images: itemImages(fields, item), links: itemLinks(collection.fields, item) };
}

function isMissingScope(result: PromiseSettledResult<unknown> | undefined): boolean {
  if (result?.status !== 'rejected') return false;
  const error: unknown = result.reason;
  return error instanceof WebflowError && error.status === 403 && (error.code === 'missing_scopes' || /scope/i.test(error.message));
}

/**
 * Every entry of a paginated listing: the first answer (read here unless given) says how many
 * there are, the rest are read a few at a time.
 */
async function listAll<Answer extends { pagination: WirePagination }, Entry>(
  read: (offset: number) => Promise<Answer>,
  entries: (answer: Answer) => readonly Entry[],
  first?: Answer,
): Promise<Entry[]> {
  const head = first ?? (await read(0));
  const limit = Math.max(1, head.pagination.limit || CONTENT_PAGE_LIMIT);
  const offsets: number[] = [];
  for (let offset = head.pagination.offset + limit; offset < head.pagination.total; offset += limit) offsets.push(offset);
  const rest: Answer[] = new Array(offsets.length);
  await inPool(offsets.map((offset, i) => async () => void (rest[i] = await read(offset))));
  return [head, ...rest].flatMap(entries);
}

async function inPool(tasks: ReadonlyArray<() => Promise<void>>, width = REQUESTS_IN_FLIGHT): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, tasks.length) }, async () => {
      while (next < tasks.length) await (tasks[next++] as () => Promise<void>)();
    }),
  );
}

export interface SiteShape {
  locales: number;
  /** Each page's DOM node count. */
  pageNodes: readonly number[];
  componentNodes: readonly number[];
  /** Each collection's item count. */
  collectionItems: readonly number[];
}

/** Requests of a crawl (the formula above): the first (`componentsRead`, every page changed) or an incremental one. */
export function crawlRequests(site: SiteShape, changed: { pages: number; componentsRead: boolean } = { pages: site.pageNodes.length, componentsRead: true }): number {
  const pieces = (nodes: number) => Math.max(1, Math.ceil(nodes / CONTENT_PAGE_LIMIT));
  const listings = (count: number) => Math.max(1, Math.ceil(count / CONTENT_PAGE_LIMIT));
  const average = site.pageNodes.length ? site.pageNodes.reduce((sum, n) => sum + pieces(n), 0) / site.pageNodes.length : 0;
  const pageDom = changed.pages === site.pageNodes.length ? site.pageNodes.reduce((sum, n) => sum + pieces(n), 0) * site.locales : Math.round(changed.pages * average);
  const componentDom = changed.componentsRead ? site.componentNodes.reduce((sum, n) => sum + pieces(n), 0) * site.locales : 0;
  const items = site.collectionItems.reduce((sum, n) => sum + listings(n), 0) * site.locales;
  return 1 + site.locales * listings(site.pageNodes.length) + pageDom + listings(site.componentNodes.length) + componentDom + 1 + site.collectionItems.length + items;
}
