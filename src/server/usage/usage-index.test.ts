import { describe, expect, it } from 'vitest';
import { assetUsage, usageSummary, type UsageSummary } from '../../core/usage.ts';
import { componentNode, FakeSiteContent, field, imageNode, textNode } from '../../../test/server/fake-site-content.ts';
import { FakeWebflow, wireLocale } from '../../../test/server/fake-webflow.ts';
import { testStoreKinds, useTestStore } from '../../../test/server/store-test-helpers.ts';
import { createAssetIndex } from '../services/asset-index.ts';
import type { Queryable, Store } from '../store/db.ts';
import { WebflowError } from '../webflow/types.ts';
import { crawlRequests } from './crawl.ts';
import { QuotaClosed } from '../webflow/quota.ts';
import { createUsageIndex } from './usage-index.ts';

const SITE = 'site1';
const EN = `${SITE}-en`;

/**
 * A small localized site: 3 locales, 3 pages (one with 150 nodes: two DOM requests), a hero
 * component placed twice on the home page, a blog (Image + Rich Text) with 120 items and a
 * product collection (MultiImage).
 */
async function world(store: Store) {
  const webflow = new FakeWebflow();
  webflow.addSite(SITE, { secondary: [wireLocale('fr', 'fr'), wireLocale('de', 'de')] });
  const cup = webflow.addAsset(SITE, { altText: { [EN]: 'A cup of coffee', fr: '' } });
  const beans = webflow.addAsset(SITE, { altText: { [EN]: 'Roasted beans' } });
  // Decorative in every locale (fake-webflow.ts lists a secondary locale without its own value as '' when the primary's is null).
  const logo = webflow.addAsset(SITE, { altText: { [EN]: null, fr: null, de: null } });
  const unused = webflow.addAsset(SITE, { altText: 'Never shown' });
  const content = new FakeSiteContent(webflow);
  const hero = content.addComponent(SITE, 'Hero', [imageNode('h-img', logo.id), textNode('h-t', 'Welcome')]);
  const home = content.addPage(SITE, 'Home', [imageNode('n1', cup.id), componentNode('n2', hero.id), componentNode('n3', hero.id)]);
  const long = content.addPage(SITE, 'Menu', [...Array.from({ length: 149 }, (_, i) => textNode(`t${i}`, `Line ${i}`)), imageNode('n-last', beans.id, 'Beans, close up')], {
    fr: [...Array.from({ length: 149 }, (_, i) => textNode(`t${i}`, `Ligne ${i}`)), imageNode('n-last', beans.id, null)],
  });
  const about = content.addPage(SITE, 'About', [textNode('a1', 'About us')]);
  const blog = content.addCollection(SITE, 'Posts', [field('Image', 'main-image'), field('RichText', 'body')]);
  for (let i = 0; i < 120; i += 1) content.addItem(blog, { name: `Post ${i}`, 'main-image': null, body: '<p>No images</p>' });
  const post = content.items[0]!;
  content.editItem(post, { 'main-image': { fileId: cup.id, url: `https://cdn.example.test/${SITE}/${cup.id}_cup.jpg`, alt: 'Our cup' }, body: `<p>x</p><img src="https://cdn.example.test/${SITE}/${beans.id}_beans.jpg">` });
  const products = content.addCollection(SITE, 'Products', [field('MultiImage', 'gallery')]);
  const product = content.addItem(products, { name: 'Espresso', gallery: [{ fileId: beans.id, url: 'x', alt: 'Beans' }, { fileId: cup.id, url: 'y', alt: null }] }, { 'cms-fr': { gallery: [{ fileId: beans.id, url: 'x', alt: 'Grains' }, { fileId: cup.id, url: 'y', alt: 'Tasse' }] } });

  const errors: unknown[] = [];
  const getSiteToken = async (siteId: string) => webflow.tokens.get(siteId);
  const assets = createAssetIndex({ store, webflow, getSiteToken });
  await assets.refresh(SITE);
  const usage = createUsageIndex({ store, reader: content, getSiteToken, onError: (error) => errors.push(error) });
  return { webflow, content, usage, errors, assets: { cup, beans, logo, unused }, pages: { home, long, about }, hero, blog, post, products, product };
}

function row(summary: UsageSummary, assetId: string) {
  const i = summary.columns.assetId.indexOf(assetId);
  if (i < 0) return undefined;
  return { pages: summary.columns.pages[i], components: summary.columns.components[i], items: summary.columns.items[i], missing: summary.columns.missing[i] };
}

/** The store, counting the rows statements read from the asset index once `counting` is set. */
function countingIndexRows(store: Store): { store: Store; counting: boolean; rows: number } {
  const counter = { store, counting: false, rows: 0 };
  const counted = (db: Queryable): Queryable => ({
    async query<Row>(sql: string, params?: readonly unknown[]) {
      const rows = await db.query<Row>(sql, params);
      if (counter.counting && /\bFROM index_assets\b/.test(sql)) counter.rows += rows.length;
      return rows;
    },
    exec: (sql) => db.exec(sql),
  });
  counter.store = { ...counted(store), kind: store.kind, transaction: (fn) => store.transaction((tx) => fn(counted(tx))), close: () => store.close() };
  return counter;
}

const SHAPE = { locales: 3, pageNodes: [3, 150, 1], componentNodes: [2], collectionItems: [120, 1] };

describe.each(testStoreKinds)('usage index on %s', (kind) => {
  const stores = useTestStore(kind);

  it('crawls every page, component and item of every locale at background priority, as many requests as the formula says', async () => {
    const { content, usage, assets, errors } = await world(stores.current());
    await usage.crawl(SITE);
    expect(errors).toEqual([]);
    expect(content.calls.every((c) => c.priority === 'background')).toBe(true);
    // 1 site + 3 page listings + 3×(1+2+1) DOM + 1 component listing + 3×1 component DOM + 1 + 2 schemas + 3×(2+1) item listings
    expect(content.count()).toBe(crawlRequests(SHAPE));
    expect(content.count()).toBe(1 + 3 + 12 + 1 + 3 + 1 + 2 + 9);
    expect(content.calls.filter((c) => c.method === 'listItems').map((c) => c.cmsLocaleId)).toContain('cms-fr');
    expect(content.calls.filter((c) => c.method === 'getPageDom' && c.offset === 100)).toHaveLength(3);

    const summary = usageSummary.parse(await usage.summary(SITE));
    expect(summary.crawl).toMatchObject({ state: 'idle', built: true, error: null, missingScopes: [] });
    // cup: home page (fr: asset has '' there → missing), post's main image, product gallery (en and de: alt null → missing)
    expect(row(summary, assets.cup.id)).toEqual({ pages: 1, components: 0, items: 2, missing: 1 + 2 });
    // beans: the long page (overridden, fr falls back to the primary override), Rich Text <img> without alt (3 locales)
    expect(row(summary, assets.beans.id)).toEqual({ pages: 1, components: 0, items: 2, missing: 3 });
    // logo: in the hero, placed twice on the home page: decorative everywhere
    expect(row(summary, assets.logo.id)).toEqual({ pages: 0, components: 2, items: 0, missing: 0 });
    expect(row(summary, assets.unused.id)).toBeUndefined();
  });

  it('answers the summary, the report’s uses and a read of the styles from the documents of the assets used, not the whole index', async () => {
    const counter = countingIndexRows(stores.current());
    const { webflow, usage, assets } = await world(counter.store);
    for (let i = 0; i < 300; i += 1) webflow.addAsset(SITE, { altText: `Unused ${i}` });
    await createAssetIndex({ store: counter.store, webflow, getSiteToken: async (siteId) => webflow.tokens.get(siteId) }).refresh(SITE);
    await usage.crawl(SITE);

    counter.counting = true;
    const summary = usageSummary.parse(await usage.summary(SITE));
    expect(row(summary, assets.logo.id)).toEqual({ pages: 0, components: 2, items: 0, missing: 0 });
    // Pages and components show cup, beans and logo: their documents, not the 304 of the index.
    expect(counter.rows).toBe(3);

    // The report's uses: the same three documents.
    counter.rows = 0;
    const resolved = await usage.resolvedUses(SITE);
    expect(counter.rows).toBe(3);
    expect([...resolved.assets.keys()].sort()).toEqual([assets.cup.id, assets.beans.id, assets.logo.id].sort());
    expect(new Set(resolved.uses.map((u) => u.assetId))).toEqual(new Set([assets.cup.id, assets.beans.id, assets.logo.id]));

    counter.rows = 0;
    const styles = await usage.putStyles(SITE, [{ assetId: assets.unused.id, styleName: 'Hero' }]);
    expect(styles.stored).toBe(1);
    expect(counter.rows).toBeLessThanOrEqual(2 * 4);
  });

  it('details each use of an asset with where, locale and the alt a visitor gets, localized overrides included', async () => {
    const { usage, assets, pages, product } = await world(stores.current());
    await usage.crawl(SITE);
    const detail = assetUsage.parse(await usage.assetUsage(SITE, assets.beans.id));
    const onPage = detail.uses.filter((u) => u.where.kind === 'page').map((u) => [u.localeId, u.altState, u.altText]);
    // fr has no override of its own: it uses the primary's.
    expect(onPage.sort()).toEqual([
      ['de', 'overridden', 'Beans, close up'],
      ['fr', 'overridden', 'Beans, close up'],
      [EN, 'overridden', 'Beans, close up'],
    ]);
    expect(detail.uses.find((u) => u.where.kind === 'page')?.where).toEqual({ kind: 'page', pageId: pages.long.id, pageTitle: 'Menu', nodeId: 'n-last' });
    const gallery = detail.uses.filter((u) => u.where.kind === 'cms-image');
    expect(gallery.map((u) => [u.localeId, u.altText])).toEqual(expect.arrayContaining([[EN, 'Beans'], ['fr', 'Grains'], ['de', 'Beans']]));
    expect(gallery[0]?.where).toEqual({ kind: 'cms-image', collectionId: product.collectionId, collectionName: 'Products', itemId: product.id, itemName: 'Espresso', fieldSlug: 'gallery', fieldType: 'MultiImage', index: 0 });
    const cup = assetUsage.parse(await usage.assetUsage(SITE, assets.cup.id));
    expect(cup.uses.filter((u) => u.where.kind === 'page').map((u) => [u.localeId, u.altState, u.altText]).sort()).toEqual([
      ['de', 'inherited', 'A cup of coffee'],
      ['fr', 'missing', ''],
      [EN, 'inherited', 'A cup of coffee'],
    ].sort());
    expect((await usage.assetUsage(SITE, assets.unused.id)).uses).toEqual([]);
  });

  it('re-reads only the DOM of pages whose lastUpdated changed, and rewrites only changed items', async () => {
    const { content, usage, assets, pages, post } = await world(stores.current());
    await usage.crawl(SITE);
    const before = usageSummary.parse(await usage.summary(SITE));
    content.calls.length = 0;

    content.editPage(pages.about, [textNode('a1', 'About us'), imageNode('a2', assets.unused.id)], 'fr');
    content.editItem(post, { 'main-image': null });
    await usage.crawl(SITE);

    expect(content.count('getPageDom')).toBe(1);
    expect(content.calls.find((c) => c.method === 'getPageDom')).toMatchObject({ id: pages.about.id, localeId: 'fr' });
    expect(content.count('getComponentDom')).toBe(0);
    expect(content.count()).toBe(crawlRequests(SHAPE, { pages: 1, componentsRead: false }));
    const after = usageSummary.parse(await usage.summary(SITE));
    expect(row(after, assets.unused.id)).toEqual({ pages: 1, components: 0, items: 0, missing: 0 });
    // The post's main image is gone in every locale (the secondaries show the primary's values).
    expect(row(after, assets.cup.id)?.items).toBe(1);
    expect(row(before, assets.cup.id)?.items).toBe(2);

    content.calls.length = 0;
    await usage.crawl(SITE);
    expect(content.count('getPageDom')).toBe(0);
    expect(content.count()).toBe(crawlRequests(SHAPE, { pages: 0, componentsRead: false }));
  });

  it('reads every component again when the component list changes', async () => {
    const { content, usage, assets } = await world(stores.current());
    await usage.crawl(SITE);
    content.calls.length = 0;
    content.addComponent(SITE, 'Footer', [imageNode('f1', assets.unused.id)]);
    await usage.crawl(SITE);
    expect(content.count('getComponentDom')).toBe(2 * 3);
    // Not placed on any page: used (a component holds it), seen by no visitor.
    expect(row(usageSummary.parse(await usage.summary(SITE)), assets.unused.id)).toEqual({ pages: 0, components: 0, items: 0, missing: 0 });
  });

  it('keeps serving the last complete index when a crawl fails half-way, and says so', async () => {
    const { content, usage, assets, pages, errors } = await world(stores.current());
    await usage.crawl(SITE);
    const complete = usageSummary.parse(await usage.summary(SITE));
    content.editPage(pages.home, []);
    content.editPage(pages.about, [imageNode('a2', assets.unused.id)]);
    content.failNext('getPageDom', new WebflowError(500, 'internal_error', 'Reading a page’s content: Webflow answered 500'));
    await usage.crawl(SITE);

    const state = await usage.state(SITE);
    expect(state).toMatchObject({ state: 'failed', built: true });
    expect(state.error).toContain('last complete crawl');
    expect(errors).toHaveLength(1);
    const detail = await usage.assetUsage(SITE, assets.cup.id);
    expect(detail.uses.some((u) => u.where.kind === 'page')).toBe(true);
    expect((await usage.assetUsage(SITE, assets.unused.id)).uses).toEqual([]);
    expect(usageSummary.parse(await usage.summary(SITE)).columns).toEqual(complete.columns);

    await usage.crawl(SITE);
    expect(await usage.state(SITE)).toMatchObject({ state: 'idle', error: null });
    expect((await usage.assetUsage(SITE, assets.cup.id)).uses.some((u) => u.where.kind === 'page')).toBe(false);
  });

  it('says which scopes an installation lacks, spending no more than the first listings, and leaves the asset index alone', async () => {
    const { content, usage, webflow } = await world(stores.current());
    content.withoutScopes.set(SITE, new Set(['pages:read', 'cms:read']));
    const assetCalls = webflow.calls.length;
    await usage.crawl(SITE);
    expect(await usage.state(SITE)).toMatchObject({ state: 'needs_scopes', missingScopes: ['pages:read', 'cms:read'], built: false });
    expect(content.count()).toBe(4);
    expect(webflow.calls.length).toBe(assetCalls + 1); // the site read by the crawl (getSite) only
    const summary = usageSummary.parse(await usage.summary(SITE));
    expect(summary.columns.assetId).toEqual([]);

    content.withoutScopes.delete(SITE);
    await usage.crawl(SITE);
    expect(await usage.state(SITE)).toMatchObject({ state: 'idle', built: true, missingScopes: [] });
  });

  it('tells an installation whose granted scopes it knows what it lacks without a request, and takes page:read for pages:read', async () => {
    const { content, webflow } = await world(stores.current());
    const granted = new Map<string, string[]>([[SITE, ['assets:read', 'assets:write', 'sites:read', 'authorized_user:read', 'cms:read']]]);
    const usage = createUsageIndex({ store: stores.current(), reader: content, getSiteToken: async (siteId) => webflow.tokens.get(siteId), grantedScopes: async (siteId) => granted.get(siteId) });
    await usage.crawl(SITE);
    expect(await usage.state(SITE)).toMatchObject({ state: 'needs_scopes', missingScopes: ['pages:read', 'components:read'] });
    expect(content.count()).toBe(0);

    granted.set(SITE, ['page:read', 'components:read', 'cms:read']);
    await usage.crawl(SITE);
    expect(await usage.state(SITE)).toMatchObject({ state: 'idle', built: true });
  });

  it('survives a restart: another process answers from the store without a request', async () => {
    const { content, usage, assets, webflow } = await world(stores.current());
    await usage.crawl(SITE);
    const first = await usage.summary(SITE);
    content.calls.length = 0;
    const again = createUsageIndex({ store: stores.current(), reader: content, getSiteToken: async (siteId) => webflow.tokens.get(siteId) });
    const second = await again.summary(SITE);
    expect(second.columns).toEqual(first.columns);
    expect(row(second, assets.logo.id)?.components).toBe(2);
    expect(content.count()).toBe(0);
  });

  it('takes a crawl stopped by the backend stopping for no failure: no error, and it runs again at the next start', async () => {
    const { content, usage, errors } = await world(stores.current());
    content.failNext('getPageDom', new QuotaClosed());
    await usage.crawl(SITE);

    expect(await usage.state(SITE)).toMatchObject({ state: 'idle', error: null, built: false });
    expect(errors).toEqual([]);
    // The next start finds the index not built and reads the site at once.
    const next = await usage.summary(SITE);
    expect(next.crawl.state).toBe('running');
    await usage.idle();
    expect(await usage.state(SITE)).toMatchObject({ state: 'idle', error: null, built: true });
  });

  it('starts a crawl from the summary when the index was never built, not again while it is fresh', async () => {
    const { content, usage } = await world(stores.current());
    const first = await usage.summary(SITE);
    expect(first.crawl.state).toBe('running');
    await usage.idle();
    const calls = content.count();
    expect(calls).toBeGreaterThan(0);
    expect((await usage.summary(SITE)).crawl.state).toBe('idle');
    await usage.idle();
    expect(content.count()).toBe(calls);
  });

  it('starts no crawl before the site’s assets were read once: the first refresh goes first', async () => {
    const { webflow, content } = await world(stores.current());
    let read = false;
    const usage = createUsageIndex({ store: stores.current(), reader: content, getSiteToken: async (siteId) => webflow.tokens.get(siteId), assetsRead: async () => read });
    const calls = content.count();
    expect((await usage.summary(SITE)).crawl).toMatchObject({ state: 'idle', built: false });
    await usage.idle();
    expect(content.count()).toBe(calls);
    read = true;
    expect((await usage.summary(SITE)).crawl.state).toBe('running');
    await usage.idle();
    expect(content.count()).toBeGreaterThan(calls);
  });

  it('costs what docs/benchmarks.md says on a site the size of the demo: 153 requests, then 21 when nothing changed', async () => {
    const webflow = new FakeWebflow();
    webflow.addSite(SITE, { secondary: [wireLocale('fr', 'fr'), wireLocale('de', 'de')] });
    const asset = webflow.addAsset(SITE, { altText: 'A cup' });
    const content = new FakeSiteContent(webflow);
    const components = Array.from({ length: 4 }, (_, i) => content.addComponent(SITE, `Component ${i}`, [imageNode(`c${i}`, asset.id)]));
    for (let i = 0; i < 40; i += 1) content.addPage(SITE, `Page ${i}`, [imageNode('n1', asset.id), componentNode('n2', components[i % 4]!.id), textNode('n3', 'Text')]);
    for (const [name, count] of [['Posts', 120], ['Products', 100], ['Team', 60]] as const) {
      const collection = content.addCollection(SITE, name, [field('Image', 'photo')]);
      for (let i = 0; i < count; i += 1) content.addItem(collection, { name: `${name} ${i}`, photo: { fileId: asset.id, url: '', alt: null } });
    }
    const usage = createUsageIndex({ store: stores.current(), reader: content, getSiteToken: async (siteId) => webflow.tokens.get(siteId) });
    const demo = { locales: 3, pageNodes: Array(40).fill(3), componentNodes: Array(4).fill(1), collectionItems: [120, 100, 60] };
    await usage.crawl(SITE);
    expect(content.count()).toBe(153);
    expect(crawlRequests(demo)).toBe(153);
    content.calls.length = 0;
    await usage.crawl(SITE);
    expect(content.count()).toBe(21);
    expect(crawlRequests(demo, { pages: 0, componentsRead: false })).toBe(21);
    // No asset refresh here: an asset the asset index does not know counts as without alt text on pages and in components too.
    expect(row(await usage.summary(SITE), asset.id)).toEqual({ pages: 40, components: 40, items: 280, missing: (280 + 40 + 40) * 3 });
  });
});
