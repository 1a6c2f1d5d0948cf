/**
 * The usage index against the sandbox's demo site, through the real stack: the counts the panel
 * is served for every asset are what an independent walk of the sandbox's Data API finds (pages,
 * component placements, CMS items), and an asset is "used nowhere" only when the walk finds it
 * nowhere. The walk is written from the OpenAPI shapes alone, not with the backend's code:
 * links (an asset's hosted URL or id in any CMS value but Image/MultiImage, outside a Rich Text
 * `<img>`) and the alt text a component instance's "Alt Text" override gives included.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IndexResponse } from '../../src/core/api.ts';
import type { AssetUsage, UsageSummary } from '../../src/core/usage.ts';
import { startStack, type Stack } from '../../src/stack/stack.ts';
import { sessionClient, type Client } from './backend-support.ts';
import { listAll, statsOf, waitFor, wire } from './sandbox-control.ts';

let stack: Stack;
let client: Client;

beforeAll(async () => {
  stack = await startStack({ withoutPanel: true, rateLimit: { perWindow: 1000, windowMs: 1000 } });
  client = await sessionClient(stack.backendUrl, stack.sandbox);
}, 120_000);
afterAll(async () => {
  await stack?.close();
});

type Node = {
  id: string;
  type: string;
  image?: { alt?: string | null; assetId?: string };
  componentId?: string;
  propertyOverrides?: { type: string; text: { text: string | null } }[];
};

/** Every element of a paginated listing, 100 at a time. */
const all = <T>(path: string, key: string): Promise<T[]> => listAll<T>(stack.sandbox, path, key);

interface Counts {
  pages: Set<string>;
  components: Set<string>;
  items: Set<string>;
  links: Set<string>;
}

/** Per asset: the pages, component placements and CMS items the Data API shows it in, any locale. */
async function walkTheSandbox(siteId: string, assetIds: ReadonlySet<string>): Promise<{ uses: Map<string, Counts>; overrides: string[] }> {
  const token = stack.sandbox.info.siteToken;
  const uses = new Map<string, Counts>();
  const of = (assetId: string) => {
    let counts = uses.get(assetId);
    if (!counts) uses.set(assetId, (counts = { pages: new Set(), components: new Set(), items: new Set(), links: new Set() }));
    return counts;
  };
  type Locale = { id: string; cmsLocaleId: string };
  const site = (await wire<{ locales: { primary: Locale; secondary: Locale[] } }>(stack.sandbox, token, `/sites/${siteId}`)).body;
  const locales = [site.locales.primary, ...site.locales.secondary].map((l) => l.id);
  const cmsLocales = [site.locales.primary, ...site.locales.secondary].map((l) => l.cmsLocaleId);

  /** Each placement whose "Alt Text" override reaches the component's one image: `locale page node asset alt`. */
  const overrides: string[] = [];
  const primaryImageCount = new Map<string, number>();
  const componentImages = new Map<string, Set<string>>();
  const componentChildren = new Map<string, Set<string>>();
  for (const component of await all<{ id: string }>(`/sites/${siteId}/components`, 'components')) {
    const images = new Set<string>();
    const children = new Set<string>();
    for (const localeId of locales) {
      for (const node of await all<Node>(`/sites/${siteId}/components/${component.id}/dom?localeId=${localeId}`, 'nodes')) {
        if (node.type === 'image' && node.image?.assetId) images.add(node.image.assetId);
        if (node.type === 'component-instance' && node.componentId) children.add(node.componentId);
      }
      if (localeId === locales[0]) primaryImageCount.set(component.id, (await all<Node>(`/sites/${siteId}/components/${component.id}/dom?localeId=${localeId}`, 'nodes')).filter((n) => n.type === 'image').length);
    }
    componentImages.set(component.id, images);
    componentChildren.set(component.id, children);
  }
  const imagesWithin = (componentId: string, seen = new Set<string>()): Set<string> => {
    if (seen.has(componentId)) return new Set();
    seen.add(componentId);
    const found = new Set(componentImages.get(componentId));
    for (const child of componentChildren.get(componentId) ?? []) for (const id of imagesWithin(child, seen)) found.add(id);
    return found;
  };

  for (const localeId of locales) {
    for (const page of await all<{ id: string }>(`/sites/${siteId}/pages?localeId=${localeId}`, 'pages')) {
      for (const node of await all<Node>(`/pages/${page.id}/dom?localeId=${localeId}`, 'nodes')) {
        if (node.type === 'image' && node.image?.assetId) of(node.image.assetId).pages.add(page.id);
        if (node.type === 'component-instance' && node.componentId) {
          for (const assetId of imagesWithin(node.componentId)) of(assetId).components.add(`${page.id} ${node.id}`);
          const alt = node.propertyOverrides?.find((o) => o.type === 'Alt Text');
          if (alt && primaryImageCount.get(node.componentId) === 1) overrides.push(`${localeId} ${page.id} ${node.id} ${[...(componentImages.get(node.componentId) ?? [])].join()} ${alt.text.text ?? ''}`);
        }
      }
    }
  }

  const collections = (await wire<{ collections: { id: string }[] }>(stack.sandbox, token, `/sites/${siteId}/collections`)).body.collections;
  for (const { id } of collections) {
    const { fields } = (await wire<{ fields: { slug: string; type: string }[] }>(stack.sandbox, token, `/collections/${id}`)).body;
    for (const cmsLocaleId of cmsLocales) {
      for (const item of await all<{ id: string; fieldData: Record<string, unknown> }>(`/collections/${id}/items?cmsLocaleId=${cmsLocaleId}`, 'items')) {
        const place = `${id} ${item.id}`;
        for (const field of fields) {
          const value = item.fieldData[field.slug];
          if (field.type === 'Image' && value) of((value as { fileId: string }).fileId).items.add(place);
          if (field.type === 'MultiImage' && Array.isArray(value)) for (const image of value as { fileId: string }[]) of(image.fileId).items.add(place);
          if (field.type === 'RichText' && typeof value === 'string') {
            for (const [, assetId] of value.matchAll(/<img[^>]*\ssrc="[^"]*\/([0-9a-f]{24})_[^"]*"/gi)) of(assetId as string).items.add(place);
          }
          // Any other value naming an asset's id (its hosted URL holds it) links the asset.
          if (field.type !== 'Image' && field.type !== 'MultiImage' && value !== undefined) {
            const text = JSON.stringify(value).replace(/<img[^>]*>/gi, '');
            for (const id of assetIds) if (text.includes(id)) of(id).links.add(place);
          }
        }
      }
    }
  }
  return { uses, overrides };
}

describe('the usage index of the demo site', () => {
  it('serves, for every asset, the pages, placements and CMS items the Data API shows it in', async () => {
    const site = (path: string) => `/api/sites/${stack.siteId}${path}`;
    const index = await waitFor('the asset index', async () => {
      const built = await client.json<IndexResponse>(site('/index'));
      return built.refresh.finishedAt ? built : undefined;
    }, 60_000, 200);
    const summary = await waitFor('the usage crawl', async () => {
      const usage = await client.json<UsageSummary>(site('/usage'));
      return usage.crawl.built && usage.crawl.state === 'idle' ? usage : undefined;
    }, 90_000, 250);
    expect(summary.crawl.error).toBeNull();
    expect((await statsOf(stack.sandbox)).tooManyRequests).toBe(0);

    const { uses: walked, overrides } = await walkTheSandbox(stack.siteId, new Set(index.assets.map((a) => a.id)));
    const served = new Map(summary.columns.assetId.map((id, i) => [id, [summary.columns.pages[i], summary.columns.components[i], summary.columns.items[i], summary.columns.links[i]]]));
    const mismatches: string[] = [];
    for (const asset of index.assets) {
      const counts = walked.get(asset.id);
      const expected = counts ? [counts.pages.size, counts.components.size, counts.items.size, counts.links.size] : undefined;
      const got = served.get(asset.id);
      if (JSON.stringify(expected) !== JSON.stringify(got)) mismatches.push(`${asset.name}: walked ${JSON.stringify(expected)}, served ${JSON.stringify(got)}`);
    }
    expect(mismatches).toEqual([]);

    // The demo's shape, so the comparison above compared something.
    const unused = index.assets.filter((asset) => !walked.has(asset.id)).length;
    expect(unused / index.assets.length).toBeGreaterThan(0.1);
    expect(unused / index.assets.length).toBeLessThan(0.2);
    expect([...walked.values()].some((c) => c.pages.size > 0)).toBe(true);
    expect([...walked.values()].some((c) => c.components.size > 0)).toBe(true);
    expect([...walked.values()].some((c) => c.items.size > 0)).toBe(true);
    // Linked PDFs are used, and an image only pasted as a URL is too.
    const pdfs = index.assets.filter((a) => a.contentType === 'application/pdf' && walked.get(a.id)?.links.size);
    expect(pdfs.length).toBeGreaterThan(0);
    expect(index.assets.some((a) => a.contentType.startsWith('image/') && (() => { const c = walked.get(a.id); return c && c.links.size > 0 && c.pages.size + c.components.size + c.items.size === 0; })())).toBe(true);

    // Each "Alt Text" override is the alt the index serves at that placement, in that locale.
    expect(overrides.length).toBeGreaterThan(0);
    const byAsset = new Map<string, AssetUsage>();
    for (const line of overrides) {
      const [localeId, pageId, nodeId, assetId, ...alt] = line.split(' ');
      const text = alt.join(' ');
      let usage = byAsset.get(assetId as string);
      if (!usage) byAsset.set(assetId as string, (usage = await client.json<AssetUsage>(site(`/usage/assets/${assetId}`))));
      const use = usage.uses.find((u) => u.localeId === localeId && u.where.kind === 'component' && u.where.pageId === pageId && u.where.instanceNodeId === nodeId);
      expect(use, line).toBeDefined();
      // An empty alt hides an informative image (missing), unless the asset itself is decorative there.
      const asset = index.assets.find((a) => a.id === assetId);
      const decorative = asset && (Object.hasOwn(asset.localeAltText, localeId as string) ? asset.localeAltText[localeId as string] : asset.altText) === null;
      if (text === '') expect([use?.altState, use?.altText], line).toEqual([decorative ? 'decorative' : 'missing', '']);
      else expect([use?.altState, use?.altText], line).toEqual(['overridden', text]);
    }
    expect(overrides.some((line) => line.endsWith(' '))).toBe(true);
  }, 240_000);
});
