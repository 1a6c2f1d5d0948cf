/**
 * The sandbox's canvas through the browser's `webflow` global (`createSandboxWebflow` over
 * Node's fetch) against a running sandbox: pages, elements with the Data API's node ids, Image
 * elements' alt text written to the same world the Data API reads, the selection, and the events
 * another client hears (docs/decisions/sandbox-canvas.md).
 */
import fc from 'fast-check';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSandboxWebflow, type SandboxWebflowApi } from '../../src/sandbox/designer/client.ts';
import type { SandboxElement, SandboxImageElement, SandboxPage } from '../../src/sandbox/designer/canvas-client.ts';
import { CANVAS_PATH } from '../../src/sandbox/designer/canvas-wire.ts';
import { DESIGNER_PATH } from '../../src/sandbox/designer/wire.ts';
import type { Sandbox } from '../../src/sandbox/server.ts';
import type { WorldPage } from '../../src/sandbox/world/site-content.ts';
import { useSandbox } from './support.ts';
import { rejection } from '../../src/sandbox/designer/testing/rejection.ts';

const under = useSandbox({ demo: { assets: 150 }, rateLimit: { perWindow: 10_000, windowMs: 1_000 } });
let sandbox: Sandbox;
let siteId: string;
let panel: SandboxWebflowApi;
let otherTab: SandboxWebflowApi;

beforeAll(() => {
  ({ sandbox } = under);
  siteId = sandbox.info.siteId;
  const connection = { baseUrl: `${sandbox.url}${DESIGNER_PATH}`, siteId };
  panel = createSandboxWebflow(connection);
  otherTab = createSandboxWebflow(connection);
});

interface DomNode {
  id: string;
  type: string;
  image?: { alt: string | null; assetId: string };
  componentId?: string;
}

async function dataApi<T>(path: string): Promise<T> {
  const response = await fetch(`${sandbox.info.apiBaseUrl}${path}`, { headers: { authorization: `Bearer ${sandbox.info.siteToken}` } });
  expect(response.status).toBe(200);
  return (await response.json()) as T;
}
const pageDom = (pageId: string) => dataApi<{ nodes: DomNode[]; lastUpdated: string }>(`/pages/${pageId}/dom`);
const componentDom = (componentId: string) => dataApi<{ nodes: DomNode[] }>(`/sites/${siteId}/components/${componentId}/dom`);

const primary = () => sandbox.world.site(siteId).locales.primary.id;
const staticPages = (): WorldPage[] => sandbox.world.content.listPages(siteId).filter((page) => page.collectionId === null);
/** A static page (not the home page) with an image that inherits and one with a non-empty override. */
function pageWithBothKinds(): WorldPage {
  const found = staticPages().find(
    (page) =>
      page.slug !== 'home' &&
      page.nodes.some((n) => n.type === 'image' && n.alt === null && (sandbox.world.altTextIn(sandbox.world.asset(siteId, n.assetId), primary()) ?? '') !== '') &&
      page.nodes.some((n) => n.type === 'image' && n.alt !== null && (n.alt[primary()] ?? '') !== ''),
  );
  if (!found) throw new Error('The demo site should have a page with an inheriting and an overriding image.');
  return found;
}
async function open(page: { id: string }): Promise<SandboxElement[]> {
  await panel.switchPage(page as SandboxPage);
  return panel.getAllElements();
}
/** Events cross a socket: wait for them on a condition, with room for a loaded machine. */
const SOON = { timeout: 30_000 };
const isImage = (element: SandboxElement): element is SandboxImageElement => element.type === 'Image';

beforeEach(async () => {
  await fetch(`${sandbox.url}${DESIGNER_PATH}/settings?siteId=${siteId}`, { method: 'PUT', body: JSON.stringify({ capabilities: { canAccessCanvas: true, canModifyImageElement: true, canAccessAssets: true } }) });
});

describe('pages', () => {
  it('lists the Data API pages, opens on the home page, and switches', async () => {
    const pages = await panel.getAllPagesAndFolders();
    const listed = await dataApi<{ pages: Array<{ id: string; title: string; slug: string; collectionId: string | null }> }>(`/sites/${siteId}/pages`);
    expect(pages.map((page) => page.id)).toEqual(listed.pages.map((page) => page.id));
    expect(pages.every((page) => page.type === 'Page')).toBe(true);

    const first = listed.pages[0];
    const handle = pages[0];
    if (!first || !handle) throw new Error('no pages');
    expect(await handle.getName()).toBe(first.title);
    expect(await handle.getSlug()).toBe(first.slug);
    expect(await handle.getCollectionId()).toBe(first.collectionId);
    const template = listed.pages.find((page) => page.collectionId !== null);
    const templateHandle = pages.find((page) => page.id === template?.id);
    expect(await templateHandle?.getCollectionId()).toBe(template?.collectionId);

    const target = pageWithBothKinds();
    await panel.switchPage({ id: target.id } as SandboxPage);
    expect((await otherTab.getCurrentPage()).id).toBe(target.id);
    expect(await (await panel.getCurrentPage()).getTitle()).toBe(target.title[primary()]);
  });

  it('refuses an unknown page and keeps the one open', async () => {
    const before = (await panel.getCurrentPage()).id;
    expect(await rejection(panel.switchPage({ id: 'ffffffffffffffffffffffff' } as SandboxPage))).toEqual({ tag: 'ResourceMissing', message: expect.stringContaining('not on this site') });
    expect((await panel.getCurrentPage()).id).toBe(before);
  });
});

describe('elements', () => {
  it('lists the current page in order, with the Data API node ids, instances followed by their component', async () => {
    const page = pageWithBothKinds();
    const elements = await open(page);
    const expected: Array<{ component: string; element: string; type: string }> = [];
    for (const node of (await pageDom(page.id)).nodes) {
      expected.push({ component: page.id, element: node.id, type: node.type === 'image' ? 'Image' : node.type === 'component-instance' ? 'ComponentInstance' : 'text' });
      if (node.componentId) {
        for (const inner of (await componentDom(node.componentId)).nodes) {
          expected.push({ component: node.componentId, element: inner.id, type: inner.type === 'image' ? 'Image' : 'text' });
        }
      }
    }
    expect(elements.map(({ id, type }) => ({ ...id, type: ['Heading', 'Paragraph', 'Block'].includes(type) ? 'text' : type }))).toEqual(expected);
    expect(elements.some((element) => element.type === 'Heading')).toBe(true);
  });

  it('answers the alt text a visitor gets: the asset’s when the element has none, else its own', async () => {
    const page = pageWithBothKinds();
    const elements = await open(page);
    for (const node of page.nodes) {
      if (node.type !== 'image') continue;
      const element = elements.find((each) => each.id.element === node.id);
      if (!element || !isImage(element)) throw new Error('image element missing');
      const assetAlt = sandbox.world.altTextIn(sandbox.world.asset(siteId, node.assetId), primary()) ?? '';
      expect(await element.getAltText()).toBe(node.alt === null ? assetAlt : node.alt[primary()]);
      expect((await element.getAsset())?.id).toBe(node.assetId);
    }
  });

  it('answers calls made at once together, each on its own', async () => {
    const page = pageWithBothKinds();
    const images = (await open(page)).filter(isImage);
    const alone: string[] = [];
    for (const image of images) alone.push(await image.getAltText());
    const together = await Promise.all(images.map((image) => image.getAltText()));
    expect(together).toEqual(alone);
    const [pages, current, selected] = await Promise.all([panel.getAllPagesAndFolders(), panel.getCurrentPage(), panel.getSelectedElement(), images[0]?.getAsset()]);
    expect(pages.some((each) => each.id === current.id)).toBe(true);
    expect(selected).toBeNull(); // switching pages (open) clears the selection
    // The event stream never ends, so it is no call of a batch.
    const batch = await fetch(`${sandbox.url}${DESIGNER_PATH}/batch?siteId=${siteId}`, {
      method: 'POST',
      body: JSON.stringify([{ method: 'GET', path: '/events' }, { method: 'GET', path: '/current-page' }]),
    });
    expect(await batch.json()).toEqual([
      { status: 400, payload: { error: { tag: 'InvalidRequest', message: expect.stringContaining('event stream') } } },
      { status: 200, payload: { id: current.id } },
    ]);
  });

  it('writes text, empty and "use the asset’s" to the page DOM the Data API serves, and moves lastUpdated', async () => {
    const page = pageWithBothKinds();
    const elements = await open(page);
    const node = page.nodes.find((n) => n.type === 'image' && n.alt === null);
    if (!node || node.type !== 'image') throw new Error('no inheriting image');
    const element = elements.find((each) => each.id.element === node.id);
    if (!element || !isImage(element)) throw new Error('image element missing');
    const assetAlt = sandbox.world.altTextIn(sandbox.world.asset(siteId, node.assetId), primary()) ?? '';
    const before = await pageDom(page.id);

    await element.setAltText('A cup of coffee on a wooden table');
    let dom = await pageDom(page.id);
    expect(dom.nodes.find((n) => n.id === node.id)?.image).toEqual({ alt: 'A cup of coffee on a wooden table', assetId: node.assetId });
    expect(Date.parse(dom.lastUpdated)).toBeGreaterThan(Date.parse(before.lastUpdated));
    expect(await element.getAltText()).toBe('A cup of coffee on a wooden table');

    await element.setAltText('');
    dom = await pageDom(page.id);
    expect(dom.nodes.find((n) => n.id === node.id)?.image?.alt).toBe('');
    expect(await element.getAltText()).toBe('');

    await element.setAltText(null);
    dom = await pageDom(page.id);
    expect(dom.nodes.find((n) => n.id === node.id)?.image?.alt).toBeNull();
    expect(await element.getAltText()).toBe(assetAlt);
  });

  it('edits the component itself for an image inside an instance, leaving the page’s lastUpdated', async () => {
    const page = pageWithBothKinds();
    const elements = await open(page);
    const inside = elements.find((element) => isImage(element) && element.id.component !== page.id);
    if (!inside || !isImage(inside)) throw new Error('no image inside a component instance');
    const before = await pageDom(page.id);
    await inside.setAltText('Northwind Coffee Roasters, home');
    const dom = await componentDom(inside.id.component);
    expect(dom.nodes.find((n) => n.id === inside.id.element)?.image?.alt).toBe('Northwind Coffee Roasters, home');
    expect((await pageDom(page.id)).lastUpdated).toBe(before.lastUpdated);
    // Every page placing the component shows it.
    const home = staticPages().find((each) => each.slug === 'home');
    if (!home) throw new Error('no home page');
    const onHome = (await open(home)).find((element) => element.id.component === inside.id.component && element.id.element === inside.id.element);
    expect(onHome && isImage(onHome) ? await onHome.getAltText() : undefined).toBe('Northwind Coffee Roasters, home');
  });

  it('changes the asset of an image and refuses null, another site’s or a non-image asset', async () => {
    const page = pageWithBothKinds();
    const element = (await open(page)).find((each) => isImage(each) && each.id.component === page.id);
    if (!element || !isImage(element)) throw new Error('no image');
    const image = sandbox.world.listAssets(siteId).find((asset) => asset.contentType.startsWith('image/') && asset.id !== element.id.element);
    const document = sandbox.world.listAssets(siteId).find((asset) => !asset.contentType.startsWith('image/'));
    if (!image || !document) throw new Error('the demo site should have images and documents');
    const handle = await panel.getAssetById(image.id);
    if (!handle) throw new Error('asset handle');
    await element.setAsset(handle);
    expect((await pageDom(page.id)).nodes.find((n) => n.id === element.id.element)?.image?.assetId).toBe(image.id);
    expect((await element.getAsset())?.id).toBe(image.id);
    expect((await rejection(element.setAsset(null))).tag).toBe('InvalidRequest');
    expect((await rejection(element.setAsset({ id: document.id } as Asset))).tag).toBe('InvalidRequest');
    expect((await rejection(element.setAsset({ id: 'ffffffffffffffffffffffff' } as Asset))).tag).toBe('ResourceMissing');
  });

  it('answers ResourceMissing for an element that is not on the current page', async () => {
    const page = pageWithBothKinds();
    const elements = await open(page);
    // The page's own image (the Header's logo is on every page).
    const image = elements.find((each) => isImage(each) && each.id.component === page.id);
    if (!image || !isImage(image)) throw new Error('no image');
    const other = staticPages().find((each) => each.id !== page.id && each.slug !== 'home');
    if (!other) throw new Error('no other page');
    await panel.switchPage({ id: other.id } as SandboxPage);
    expect(await rejection(image.getAltText())).toEqual({ tag: 'ResourceMissing', message: expect.stringContaining('not on the page open') });
    expect((await rejection(image.setAltText('x'))).tag).toBe('ResourceMissing');
    expect((await rejection(panel.setSelectedElement(image))).tag).toBe('ResourceMissing');
    const made = { id: { component: other.id, element: '00000000-0000-4000-8000-000000000000' } };
    expect((await rejection(panel.setSelectedElement(made))).tag).toBe('ResourceMissing');
  });

  it('refuses alt text with NUL or half a character, and changes nothing', async () => {
    const page = pageWithBothKinds();
    const image = (await open(page)).find((each) => isImage(each) && each.id.component === page.id);
    if (!image || !isImage(image)) throw new Error('no image');
    const before = await image.getAltText();
    const bad = fc.oneof(
      fc.tuple(fc.string(), fc.string()).map(([a, b]) => `${a}\u0000${b}`),
      fc.tuple(fc.string(), fc.integer({ min: 0xd800, max: 0xdfff }), fc.string()).map(([a, unit, b]) => `${a}${String.fromCharCode(unit)}x${b}`),
    );
    await fc.assert(
      fc.asyncProperty(bad, async (altText) => {
        expect((await rejection(image.setAltText(altText))).tag).toBe('InvalidRequest');
        expect((await rejection(panel.switchPage({ id: altText } as SandboxPage))).tag).toBe('InvalidRequest');
        expect((await rejection(panel.setSelectedElement({ id: { component: page.id, element: altText } }))).tag).toBe('InvalidRequest');
      }),
      { numRuns: 30 },
    );
    expect(await image.getAltText()).toBe(before);
    expect((await panel.getCurrentPage()).id).toBe(page.id);
    // A body that is not the arguments at all.
    const response = await fetch(`${sandbox.url}${DESIGNER_PATH}/elements/${image.id.component}/${image.id.element}/alt-text?siteId=${siteId}`, { method: 'POST', body: '{"altText": 5}' });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: { tag: 'InvalidRequest', message: expect.stringContaining('altText') } });
  });

  it('needs canModifyImageElement to change and canAccessCanvas to list', async () => {
    const page = pageWithBothKinds();
    const image = (await open(page)).find(isImage);
    if (!image) throw new Error('no image');
    await fetch(`${sandbox.url}${DESIGNER_PATH}/settings?siteId=${siteId}`, { method: 'PUT', body: JSON.stringify({ capabilities: { canModifyImageElement: false, canAccessCanvas: false } }) });
    expect((await rejection(image.setAltText('x'))).tag).toBe('Forbidden');
    expect((await rejection(panel.getAllElements())).tag).toBe('Forbidden');
    expect(typeof (await image.getAltText())).toBe('string');
  });
});

describe('the selection and its events', () => {
  it('selects an element of the current page and tells other clients, then the page switch', async () => {
    const page = pageWithBothKinds();
    const image = (await open(page)).find(isImage);
    if (!image) throw new Error('no image');
    const selections: Array<SandboxElement | null> = [];
    const switches: SandboxPage[] = [];
    const stopSelection = panel.subscribe('selectedelement', (element) => selections.push(element));
    const stopPages = panel.subscribe('currentpage', (current) => switches.push(current));
    await vi.waitFor(async () => expect((await canvasState()).listeners).toBe(1), SOON);

    const selected = await otherTab.setSelectedElement(image);
    expect(selected?.id).toEqual(image.id);
    await vi.waitFor(() => expect(selections.at(-1)?.id).toEqual(image.id), SOON);
    expect(selections.at(-1)?.type).toBe('Image');
    expect((await panel.getSelectedElement())?.id).toEqual(image.id);

    const other = staticPages().find((each) => each.id !== page.id);
    if (!other) throw new Error('no other page');
    await otherTab.switchPage({ id: other.id } as SandboxPage);
    await vi.waitFor(() => expect(switches.at(-1)?.id).toBe(other.id), SOON);
    await vi.waitFor(() => expect(selections.at(-1)).toBeNull(), SOON);
    expect(await switches.at(-1)?.getSlug()).toBe(other.slug);
    expect(await panel.getSelectedElement()).toBeNull();

    stopSelection();
    stopPages();
    await vi.waitFor(async () => expect((await canvasState()).listeners).toBe(0), SOON);
  });
});

describe('the canvas page', () => {
  it('draws the page, escapes its names, and marks the selected image', async () => {
    const page = pageWithBothKinds();
    const image = (await open(page)).find(isImage);
    if (!image) throw new Error('no image');
    await panel.setSelectedElement(image);
    const title = page.title[primary()];
    page.title[primary()] = '<script>alert(1)</script> & "Co"';
    try {
      const response = await fetch(`${sandbox.url}${CANVAS_PATH}?siteId=${siteId}`);
      expect(response.status).toBe(200);
      const html = await response.text();
      expect(html).not.toContain('<script>alert(1)');
      expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Co&quot;');
      expect(html).toContain(`data-element="${image.id.element}"`);
      expect(html.match(/aria-pressed="true"/g)?.length).toBeGreaterThanOrEqual(1);
      expect(html).toMatch(new RegExp(`aria-pressed="true" aria-current="true" data-component="${image.id.component}" data-element="${image.id.element}"`));
    } finally {
      page.title[primary()] = title ?? '';
    }
    expect((await fetch(`${sandbox.url}${CANVAS_PATH}`)).status).toBe(400);
    expect((await fetch(`${sandbox.url}${CANVAS_PATH}?siteId=ffffffffffffffffffffffff`)).status).toBe(404);
  });
});

async function canvasState(): Promise<{ listeners: number }> {
  const response = await fetch(`${sandbox.url}${DESIGNER_PATH}/canvas?siteId=${siteId}`);
  return (await response.json()) as { listeners: number };
}
