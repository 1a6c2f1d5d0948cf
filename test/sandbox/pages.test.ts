/**
 * The sandbox's pages and components, driven by the official SDK (`webflow-api` 3.3.4): lists
 * with limit/offset/total, locales, and the DOM's text, Image and component-instance nodes, every
 * response held to Webflow's OpenAPI.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { WebflowClient } from 'webflow-api';
import type { Sandbox } from '../../src/sandbox/server.ts';
import type { WorldPage } from '../../src/sandbox/world/site-content.ts';
import { failureOf, otherSite, useSandbox } from './support.ts';

const under = useSandbox({ demo: { assets: 150 }, rateLimit: { perWindow: 10_000, windowMs: 1_000 } });
let sandbox: Sandbox;
let webflow: WebflowClient;
let siteId: string;

beforeAll(() => {
  ({ sandbox, webflow } = under);
  siteId = sandbox.info.siteId;
});

function locales() {
  const { primary, secondary } = sandbox.world.site(siteId).locales;
  const [fr, de] = secondary;
  if (!fr || !de) throw new Error('The demo site should have two secondary locales.');
  return { primary, fr, de };
}

/** A static page with an Image element whose override is translated into French. */
function pageWithFrenchOverride(): { page: WorldPage; nodeId: string; english: string; french: string } {
  const { primary, fr } = locales();
  for (const page of sandbox.world.content.listPages(siteId)) {
    for (const node of page.nodes) {
      if (node.type === 'image' && node.alt && node.alt[fr.id] && node.alt[primary.id]) {
        return { page, nodeId: node.id, english: node.alt[primary.id] ?? '', french: node.alt[fr.id] ?? '' };
      }
    }
  }
  throw new Error('The demo site should have an element override translated into French.');
}

describe('listing pages', () => {
  it('pages with limit and offset, saying the total, in a stable order', async () => {
    const first = await webflow.pages.list(siteId, { limit: 20, offset: 0 });
    const rest = await webflow.pages.list(siteId, { limit: 100, offset: 20 });
    const total = sandbox.world.content.listPages(siteId).length;
    expect(total).toBeGreaterThanOrEqual(40);
    expect(first.pagination).toEqual({ limit: 20, offset: 0, total });
    expect(first.pages).toHaveLength(20);
    expect(rest.pages).toHaveLength(total - 20);
    expect([...(first.pages ?? []), ...(rest.pages ?? [])].map((p) => p.id)).toEqual(sandbox.world.content.listPages(siteId).map((p) => p.id));
  });

  it('shows titles and published paths in the locale asked for, the primary by default', async () => {
    const { primary, fr } = locales();
    const english = (await webflow.pages.list(siteId, { limit: 100 })).pages?.find((p) => p.slug === 'about');
    const french = (await webflow.pages.list(siteId, { limit: 100, localeId: fr.id })).pages?.find((p) => p.slug === 'about');
    expect(english).toMatchObject({ title: 'About us', localeId: primary.id, publishedPath: '/about' });
    // The SDK reads null as undefined; the wire says null.
    expect((under.exchanges[0]?.body as { pages: { slug: string; collectionId: unknown }[] }).pages.find((p) => p.slug === 'about')?.collectionId).toBeNull();
    expect(french).toMatchObject({ title: 'À propos', localeId: fr.id, publishedPath: '/fr-fr/about' });
  });

  it('lists each collection’s template page with its collection', async () => {
    const { pages = [] } = await webflow.pages.list(siteId, { limit: 100 });
    const templates = pages.filter((p) => p.collectionId);
    expect(templates.map((p) => p.collectionId).sort()).toEqual(sandbox.world.content.listCollections(siteId).map((c) => c.id).sort());
  });

  it('refuses a limit above 100 and a locale the site does not have', async () => {
    for (const call of [() => webflow.pages.list(siteId, { limit: 101 }), () => webflow.pages.list(siteId, { localeId: 'ffffffffffffffffffffffff' })]) {
      const failure = await failureOf(call());
      expect([failure.statusCode, failure.body.code]).toEqual([400, 'validation_error']);
    }
  });
});

describe('one page', () => {
  it('gets its metadata in a locale', async () => {
    const { page } = pageWithFrenchOverride();
    const { fr } = locales();
    const read = await webflow.pages.getMetadata(page.id, { localeId: fr.id });
    expect(read).toMatchObject({ id: page.id, siteId, slug: page.slug, localeId: fr.id, title: page.title[fr.id] ?? page.title[locales().primary.id] });
  });

  it('is not found when it does not exist or is another site’s, and refused when its id is not an ObjectId', async () => {
    const other = sandbox.world.content.listPages(otherSite(sandbox).id)[0];
    for (const id of ['ffffffffffffffffffffffff', other?.id ?? '']) {
      const failure = await failureOf(webflow.pages.getMetadata(id));
      expect([failure.statusCode, failure.body.code]).toEqual([404, 'resource_not_found']);
    }
    const malformed = await failureOf(webflow.pages.getContent('home'));
    expect([malformed.statusCode, malformed.body.code]).toEqual([400, 'validation_error']);
  });
});

describe('a page’s DOM', () => {
  it('holds text, Image and component-instance nodes, paginated as the spec says', async () => {
    const page = sandbox.world.content.listPages(siteId).find((p) => p.slug === 'home');
    if (!page) throw new Error('The demo site should have a home page.');
    const first = await webflow.pages.getContent(page.id, { limit: 2 });
    const rest = await webflow.pages.getContent(page.id, { limit: 100, offset: 2 });
    expect(first.pagination).toEqual({ limit: 2, offset: 0, total: page.nodes.length });
    const nodes = [...(first.nodes ?? []), ...(rest.nodes ?? [])];
    expect(nodes.map((n) => n.id)).toEqual(page.nodes.map((n) => n.id));
    expect(new Set(nodes.map((n) => n.type))).toEqual(new Set(['text', 'image', 'component-instance']));
    const image = nodes.find((n) => n.type === 'image');
    expect(image).toMatchObject({ image: { assetId: expect.stringMatching(/^[a-f0-9]{24}$/) } });
    expect(sandbox.world.asset(siteId, (image as { image: { assetId: string } }).image.assetId)).toBeDefined();
  });

  it('gives an element’s own alt setting per locale: its override, the primary’s where the locale has none, null when it uses the asset’s', async () => {
    const { page, nodeId, english, french } = pageWithFrenchOverride();
    const { fr, de } = locales();
    const altIn = async (localeId?: string) => {
      const dom = await webflow.pages.getContent(page.id, localeId ? { localeId } : {});
      return (dom.nodes?.find((n) => n.id === nodeId) as { image?: { alt?: string | null } } | undefined)?.image?.alt;
    };
    expect(await altIn()).toBe(english);
    expect(await altIn(fr.id)).toBe(french);
    const german = page.nodes.find((n) => n.id === nodeId);
    expect(await altIn(de.id)).toBe(german?.type === 'image' && german.alt ? (german.alt[de.id] ?? english) : undefined);

    const inherits = sandbox.world.content.listPages(siteId).flatMap((p) => p.nodes.map((n) => ({ p, n }))).find(({ n }) => n.type === 'image' && n.alt === null);
    if (!inherits) throw new Error('The demo site should have elements that use the asset’s alt text.');
    await webflow.pages.getContent(inherits.p.id, { localeId: fr.id });
    const wire = under.exchanges.at(-1)?.body as { nodes: { id: string }[] };
    expect(wire.nodes.find((n) => n.id === inherits.n.id)).toMatchObject({ type: 'image', image: { alt: null } });
  });
});

describe('components', () => {
  it('lists the site’s components, paginated', async () => {
    const all = sandbox.world.content.listComponents(siteId);
    const first = await webflow.components.list(siteId, { limit: 2 });
    const rest = await webflow.components.list(siteId, { offset: 2 });
    expect(first.pagination).toEqual({ limit: 2, offset: 0, total: all.length });
    expect([...(first.components ?? []), ...(rest.components ?? [])].map((c) => c.name)).toEqual(['Header', 'Footer', 'Testimonial card', 'Newsletter banner', 'Feature card']);
  });

  it('reads a component’s properties, and an instance’s "Alt Text" override of its image, in each locale', async () => {
    const { primary, fr } = locales();
    const card = sandbox.world.content.listComponents(siteId).find((c) => c.name === 'Feature card');
    if (!card) throw new Error('The demo site should have a Feature card.');
    const properties = await webflow.components.getProperties(siteId, card.id, { localeId: fr.id });
    expect(properties.properties).toEqual([expect.objectContaining({ type: 'Alt Text', text: { html: undefined, text: 'Une tasse du café du mois' } })]);
    expect((under.exchanges.at(-1)?.body as { properties: unknown[] }).properties).toEqual([expect.objectContaining({ text: { html: null, text: 'Une tasse du café du mois' } })]);
    const dom = await webflow.components.getContent(siteId, card.id, { localeId: primary.id });
    expect(dom.nodes?.find((n) => n.type === 'image')).toMatchObject({ image: { alt: 'A cup of the coffee of the month' } });

    const placed = sandbox.world.content.listPages(siteId).find((p) => p.nodes.some((n) => n.type === 'component-instance' && n.componentId === card.id && n.propertyOverrides.some((o) => o.text[primary.id] === '')));
    if (!placed) throw new Error('Some page should empty the Feature card’s alt.');
    await webflow.pages.getContent(placed.id, { localeId: fr.id });
    const wire = under.exchanges.at(-1)?.body as { nodes: { type: string; componentId?: string; propertyOverrides?: unknown[] }[] };
    const instance = wire.nodes.find((n) => n.componentId === card.id);
    expect(instance?.propertyOverrides).toEqual([{ propertyId: expect.any(String), type: 'Alt Text', label: 'Image alt text', text: { html: null, text: '' } }]);
  });

  it('reads a component’s DOM with its images, placed on many pages', async () => {
    const { primary } = locales();
    const footer = sandbox.world.content.listComponents(siteId).find((c) => c.name === 'Footer');
    if (!footer) throw new Error('The demo site should have a Footer.');
    const dom = await webflow.components.getContent(siteId, footer.id, { localeId: primary.id, limit: 10 });
    expect(dom).toMatchObject({ componentId: footer.id, pagination: { limit: 10, offset: 0, total: footer.nodes.length } });
    const images = dom.nodes?.filter((n) => n.type === 'image') ?? [];
    expect(images.map((n) => (n as { image: { alt: string | null } }).image.alt)).toEqual(['Northwind Coffee Roasters', '']);
    const placements = sandbox.world.content.listPages(siteId).filter((p) => p.nodes.some((n) => n.type === 'component-instance' && n.componentId === footer.id));
    expect(placements.length).toBeGreaterThanOrEqual(40);
  });

  it('does not find a component of another site, nor a branch the sandbox does not have', async () => {
    const footer = sandbox.world.content.listComponents(otherSite(sandbox).id)[0];
    const calls = [() => webflow.components.getContent(siteId, footer?.id ?? ''), () => webflow.components.list(siteId, { branchId: 'ffffffffffffffffffffffff' })];
    for (const call of calls) {
      const failure = await failureOf(call());
      expect([failure.statusCode, failure.body.code]).toEqual([404, 'resource_not_found']);
    }
  });
});

describe('the rate limit', () => {
  it('counts page, component and CMS requests against the token’s quota, as asset requests are', async () => {
    const page = sandbox.world.content.listPages(siteId)[0];
    const component = sandbox.world.content.listComponents(siteId)[0];
    await fetch(`${sandbox.url}/_sandbox/stats/reset`, { method: 'POST' });
    await webflow.pages.getContent(page?.id ?? '');
    await webflow.components.getContent(siteId, component?.id ?? '');
    await webflow.collections.list(siteId);
    const remaining = under.exchanges.map((e) => Number(e.headers.get('x-ratelimit-remaining')));
    expect(remaining[1]).toBe((remaining[0] ?? 0) - 1);
    expect(remaining[2]).toBe((remaining[1] ?? 0) - 1);
    const stats = (await (await fetch(`${sandbox.url}/_sandbox/stats`)).json()) as { byRoute: Record<string, number> };
    expect(stats.byRoute).toEqual({ 'GET /v2/pages/:id/dom': 1, 'GET /v2/sites/:id/components/:id/dom': 1, 'GET /v2/sites/:id/collections': 1 });
  });
});

