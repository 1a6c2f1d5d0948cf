/**
 * An in-memory Webflow behind the `SiteContentReader` interface (pages, DOM, components,
 * collections, items), beside fake-webflow.ts whose sites, locales and tokens it shares.
 * Answers in the wire shapes of Webflow's OpenAPI (v2.yml): `{pages, pagination}`,
 * `{pageId, nodes, pagination, lastUpdated}`, `{components, pagination}`,
 * `{componentId, nodes, pagination}`, `{collections}`, a collection with `fields`,
 * `{items, pagination}`; limit 1–100, `localeId` for pages and DOM, `cmsLocaleId` for items (an
 * item or a page without its own locale version shows the primary's), 403 `missing_scopes` for
 * a token without the scope, 404 for what the token's site does not hold. Every call is recorded.
 */
import type { UsageScope } from '../../src/core/usage.ts';
import type { Priority } from '../../src/server/webflow/types.ts';
import type {
  PageRequest,
  SiteContentReader,
  WireCollection,
  WireCollectionSummary,
  WireComponentDom,
  WireComponentList,
  WireField,
  WireItemList,
  WireNode,
  WirePageDom,
  WirePageList,
} from '../../src/server/webflow/site-content.ts';
import { WebflowError, type RequestOptions, type WireSite } from '../../src/server/webflow/types.ts';
import type { FakeWebflow } from './fake-webflow.ts';

type Method = keyof SiteContentReader;

export interface ContentCall {
  method: Method;
  priority: Priority;
  /** The page, component or collection asked about. */
  id?: string;
  localeId?: string | undefined;
  cmsLocaleId?: string | undefined;
  offset?: number;
}

/** Nodes by locale id; a locale without its own shows the primary's (`''` key: the primary). */
type Localized<T> = Map<string, T>;

export interface FakePage {
  id: string;
  siteId: string;
  title: string;
  slug: string;
  nodes: Localized<WireNode[]>;
  lastUpdated: Localized<string>;
}

export interface FakeComponent {
  id: string;
  siteId: string;
  name: string;
  nodes: Localized<WireNode[]>;
}

export interface FakeCollection {
  id: string;
  siteId: string;
  displayName: string;
  singularName: string;
  slug: string;
  fields: WireField[];
}

export interface FakeItem {
  id: string;
  collectionId: string;
  /** By cmsLocaleId (`''`: the primary's, shown where a locale has none of its own). */
  fieldData: Localized<Record<string, unknown> & { name: string; slug: string }>;
  lastUpdated: Localized<string>;
}

const PRIMARY = '';
const START = Date.parse('2026-02-01T00:00:00Z');

export function imageNode(id: string, assetId: string, alt: string | null = null): WireNode {
  return { id, type: 'image', image: { alt, assetId }, attributes: {} };
}

export function componentNode(id: string, componentId: string): WireNode {
  return { id, type: 'component-instance', componentId, propertyOverrides: [] };
}

export function textNode(id: string, text: string): WireNode {
  return { id, type: 'text', text: { html: `<p>${text}</p>`, text }, attributes: {} } as WireNode;
}

export function field(type: string, slug: string): WireField {
  return { id: `field-${slug}`, isRequired: slug === 'name' || slug === 'slug', isEditable: true, type, slug, displayName: slug, helpText: null };
}

export class FakeSiteContent implements SiteContentReader {
  readonly pages: FakePage[] = [];
  readonly components: FakeComponent[] = [];
  readonly collections: FakeCollection[] = [];
  readonly items: FakeItem[] = [];
  readonly calls: ContentCall[] = [];
  /** Scopes each site's token lacks. */
  readonly withoutScopes = new Map<string, Set<UsageScope>>();
  private readonly failures = new Map<Method, Error[]>();
  private sequence = 0;
  private clock = START;

  constructor(readonly webflow: FakeWebflow) {}

  addPage(siteId: string, title: string, nodes: WireNode[], localized: Record<string, WireNode[]> = {}): FakePage {
    const page: FakePage = { id: this.objectId(), siteId, title, slug: title.toLowerCase().replace(/\W+/g, '-'), nodes: new Map([[PRIMARY, nodes], ...Object.entries(localized)]), lastUpdated: new Map([[PRIMARY, this.tick()]]) };
    this.pages.push(page);
    return page;
  }

  /** Changes a page's nodes in one locale (the primary when none), as the Designer would: its lastUpdated there moves. */
  editPage(page: FakePage, nodes: WireNode[], localeId?: string): void {
    const key = localeId ?? PRIMARY;
    page.nodes.set(key, nodes);
    page.lastUpdated.set(key, this.tick());
  }

  addComponent(siteId: string, name: string, nodes: WireNode[], localized: Record<string, WireNode[]> = {}): FakeComponent {
    const component: FakeComponent = { id: `component-${this.objectId()}`, siteId, name, nodes: new Map([[PRIMARY, nodes], ...Object.entries(localized)]) };
    this.components.push(component);
    return component;
  }

  addCollection(siteId: string, displayName: string, fields: WireField[]): FakeCollection {
    const collection: FakeCollection = { id: this.objectId(), siteId, displayName, singularName: displayName.replace(/s$/, ''), slug: displayName.toLowerCase(), fields: [field('PlainText', 'name'), field('PlainText', 'slug'), ...fields] };
    this.collections.push(collection);
    return collection;
  }

  addItem(collection: FakeCollection, fieldData: Record<string, unknown> & { name: string }, localized: Record<string, Record<string, unknown>> = {}): FakeItem {
    const primary = { slug: fieldData.name.toLowerCase().replace(/\W+/g, '-'), ...fieldData };
    const item: FakeItem = {
      id: this.objectId(),
      collectionId: collection.id,
      fieldData: new Map([[PRIMARY, primary], ...Object.entries(localized).map(([cms, data]) => [cms, { ...primary, ...data }] as const)]),
      lastUpdated: new Map([[PRIMARY, this.tick()]]),
    };
    this.items.push(item);
    return item;
  }

  editItem(item: FakeItem, fieldData: Record<string, unknown>, cmsLocaleId?: string): void {
    const key = cmsLocaleId ?? PRIMARY;
    const before = item.fieldData.get(key) ?? item.fieldData.get(PRIMARY)!;
    item.fieldData.set(key, { ...before, ...fieldData });
    item.lastUpdated.set(key, this.tick());
  }

  /** The next call of `method` fails with `error` (queue several for several calls). */
  failNext(method: Method, error: Error): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), error]);
  }

  count(method?: Method): number {
    return method ? this.calls.filter((call) => call.method === method).length : this.calls.length;
  }

  // ------------------------------------------------------------------------------ the reader

  async getSite(token: string, siteId: string, options: RequestOptions): Promise<WireSite> {
    this.record({ method: 'getSite', priority: options.priority, id: siteId });
    return this.webflow.getSite(token, siteId, options);
  }

  async listPages(token: string, siteId: string, options: PageRequest & { localeId?: string }): Promise<WirePageList> {
    this.record({ method: 'listPages', priority: options.priority, id: siteId, localeId: options.localeId, offset: options.offset });
    this.check(token, siteId, 'pages:read', options);
    const localeId = this.siteLocale(siteId, options.localeId);
    const all = this.pages.filter((p) => p.siteId === siteId);
    return {
      pages: all.slice(options.offset, options.offset + options.limit).map((page) => ({
        id: page.id,
        siteId,
        title: page.title,
        slug: page.slug,
        parentId: null,
        collectionId: null,
        createdOn: new Date(START).toISOString(),
        lastUpdated: localized(page.lastUpdated, localeId),
        archived: false,
        draft: false,
        canBranch: true,
        isBranch: false,
        branchId: null,
        seo: { title: page.title, description: '' },
        openGraph: { title: page.title, titleCopied: true, description: '', descriptionCopied: true },
        localeId: localeId === PRIMARY ? this.primaryOf(siteId) : localeId,
        publishedPath: `/${page.slug}`,
      })),
      pagination: { limit: options.limit, offset: options.offset, total: all.length },
    };
  }

  async getPageDom(token: string, pageId: string, options: PageRequest & { localeId?: string }): Promise<WirePageDom> {
    this.record({ method: 'getPageDom', priority: options.priority, id: pageId, localeId: options.localeId, offset: options.offset });
    const page = this.pages.find((p) => p.id === pageId && this.webflow.tokens.get(p.siteId) === token);
    if (!page) throw new WebflowError(404, 'resource_not_found', `Requested resource not found: page ${pageId}`);
    this.check(token, page.siteId, 'pages:read', options);
    const localeId = this.siteLocale(page.siteId, options.localeId);
    const nodes = localized(page.nodes, localeId);
    return {
      pageId,
      branchId: null,
      nodes: structuredClone(nodes.slice(options.offset, options.offset + options.limit)),
      pagination: { limit: options.limit, offset: options.offset, total: nodes.length },
      lastUpdated: localized(page.lastUpdated, localeId),
    };
  }

  async listComponents(token: string, siteId: string, options: PageRequest): Promise<WireComponentList> {
    this.record({ method: 'listComponents', priority: options.priority, id: siteId, offset: options.offset });
    this.check(token, siteId, 'components:read', options);
    const all = this.components.filter((c) => c.siteId === siteId);
    return {
      components: all.slice(options.offset, options.offset + options.limit).map((c) => ({ id: c.id, name: c.name, group: 'Sections', description: '', readonly: false })),
      pagination: { limit: options.limit, offset: options.offset, total: all.length },
    };
  }

  async getComponentDom(token: string, siteId: string, componentId: string, options: PageRequest & { localeId?: string }): Promise<WireComponentDom> {
    this.record({ method: 'getComponentDom', priority: options.priority, id: componentId, localeId: options.localeId, offset: options.offset });
    this.check(token, siteId, 'components:read', options);
    const component = this.components.find((c) => c.id === componentId && c.siteId === siteId);
    if (!component) throw new WebflowError(404, 'resource_not_found', `Requested resource not found: component ${componentId}`);
    const nodes = localized(component.nodes, this.siteLocale(siteId, options.localeId));
    return { componentId, nodes: structuredClone(nodes.slice(options.offset, options.offset + options.limit)), pagination: { limit: options.limit, offset: options.offset, total: nodes.length } };
  }

  async listCollections(token: string, siteId: string, options: RequestOptions): Promise<WireCollectionSummary[]> {
    this.record({ method: 'listCollections', priority: options.priority, id: siteId });
    this.check(token, siteId, 'cms:read');
    // The wire's `{collections: [...]}`, unwrapped as the client does.
    return this.collections.filter((c) => c.siteId === siteId).map(({ fields: _fields, siteId: _site, ...summary }) => ({ ...summary, createdOn: new Date(START).toISOString(), lastUpdated: new Date(START).toISOString() }));
  }

  async getCollection(token: string, collectionId: string, options: RequestOptions): Promise<WireCollection> {
    this.record({ method: 'getCollection', priority: options.priority, id: collectionId });
    const collection = this.collections.find((c) => c.id === collectionId && this.webflow.tokens.get(c.siteId) === token);
    if (!collection) throw new WebflowError(404, 'resource_not_found', `Requested resource not found: collection ${collectionId}`);
    this.check(token, collection.siteId, 'cms:read');
    const { siteId: _site, ...wire } = collection;
    return { ...structuredClone(wire), createdOn: new Date(START).toISOString(), lastUpdated: new Date(START).toISOString() };
  }

  async listItems(token: string, collectionId: string, options: PageRequest & { cmsLocaleId?: string }): Promise<WireItemList> {
    this.record({ method: 'listItems', priority: options.priority, id: collectionId, cmsLocaleId: options.cmsLocaleId, offset: options.offset });
    const collection = this.collections.find((c) => c.id === collectionId && this.webflow.tokens.get(c.siteId) === token);
    if (!collection) throw new WebflowError(404, 'resource_not_found', `Requested resource not found: collection ${collectionId}`);
    this.check(token, collection.siteId, 'cms:read', options);
    const site = this.webflow.sites.get(collection.siteId);
    const cmsLocales = site?.locales ? [site.locales.primary, ...site.locales.secondary].map((l) => l.cmsLocaleId) : [];
    if (options.cmsLocaleId !== undefined && !cmsLocales.includes(options.cmsLocaleId)) {
      throw new WebflowError(400, 'validation_error', `cmsLocaleId ${options.cmsLocaleId} is not a CMS locale of this site`);
    }
    const cms = options.cmsLocaleId === undefined || options.cmsLocaleId === site?.locales?.primary.cmsLocaleId ? PRIMARY : options.cmsLocaleId;
    const all = this.items.filter((i) => i.collectionId === collectionId);
    return {
      items: all.slice(options.offset, options.offset + options.limit).map((item) => ({
        id: item.id,
        cmsLocaleId: options.cmsLocaleId ?? site?.locales?.primary.cmsLocaleId ?? null,
        lastPublished: null,
        lastUpdated: localized(item.lastUpdated, cms),
        createdOn: new Date(START).toISOString(),
        isArchived: false,
        isDraft: false,
        fieldData: structuredClone(localized(item.fieldData, cms)),
      })),
      pagination: { limit: options.limit, offset: options.offset, total: all.length },
    };
  }

  // ------------------------------------------------------------------------------ helpers

  private record(call: ContentCall): void {
    this.calls.push(call);
    const error = this.failures.get(call.method)?.shift();
    if (error) throw error;
  }

  private check(token: string, siteId: string, scope: UsageScope, page?: { limit: number; offset: number }): void {
    if (this.webflow.tokens.get(siteId) !== token) throw new WebflowError(401, 'not_authorized', 'Request not authorized');
    if (!this.webflow.sites.has(siteId)) throw new WebflowError(404, 'resource_not_found', `Requested resource not found: site ${siteId}`);
    if (this.withoutScopes.get(siteId)?.has(scope)) throw new WebflowError(403, 'missing_scopes', `OAuthForbidden: You are missing the following scopes - ${scope}`);
    if (page && (page.limit < 1 || page.limit > 100)) throw new WebflowError(400, 'validation_error', 'limit must be between 1 and 100');
    if (page && page.offset < 0) throw new WebflowError(400, 'validation_error', 'offset must be 0 or more');
  }

  /** The locale key of a request: '' for the primary (or none given). */
  private siteLocale(siteId: string, localeId: string | undefined): string {
    const site = this.webflow.sites.get(siteId);
    if (localeId === undefined || localeId === site?.locales?.primary.id) return PRIMARY;
    if (!site?.locales?.secondary.some((l) => l.id === localeId)) throw new WebflowError(400, 'validation_error', `localeId ${localeId} is not a locale of this site`);
    return localeId;
  }

  private primaryOf(siteId: string): string | null {
    return this.webflow.sites.get(siteId)?.locales?.primary.id ?? null;
  }

  private objectId(): string {
    this.sequence += 1;
    return `f${this.sequence.toString(16).padStart(23, '0')}`;
  }

  private tick(): string {
    this.clock += 60_000;
    return new Date(this.clock).toISOString();
  }
}

function localized<T>(values: Localized<T>, key: string): T {
  return (values.get(key) ?? values.get(PRIMARY)) as T;
}
