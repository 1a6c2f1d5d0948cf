/**
 * The sandbox's Designer script in real Chromium: a page on one loopback origin loads
 * `designer.js` from the sandbox on another, and drives the `webflow` global the way the panel
 * does. Every assertion on the world reads what the browser wrote through HTTP. The last part
 * runs the script against a whole sandbox, to show the Designer API and the Data API share one
 * world.
 */
import { serve, type ServerType } from '@hono/node-server';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { designerRoutes } from '../../src/sandbox/designer/routes.ts';
import { createFakeWorld, type FakeWorld } from '../../src/sandbox/designer/testing/fake-world.ts';
import { createSandbox, type Sandbox } from '../../src/sandbox/server.ts';
import { launchChromium } from '../../src/stack/chromium.ts';
import { loadWebflowContract } from '../sandbox/openapi.ts';

let browser: Browser;
let sandbox: ServerType;
let sandboxUrl: string;
let pageHost: Server;
let pageUrl: string;
let world: FakeWorld;
let siteId: string;
let page: Page;
let requests: string[];

function listen(server: Server | ServerType): Promise<string> {
  return new Promise((resolve) => {
    const address = () => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    if (server.listening) resolve(address());
    else server.once('listening', () => resolve(address()));
  });
}

beforeAll(async () => {
  world = createFakeWorld(40);
  siteId = world.demo.site.id;
  sandbox = serve({ fetch: designerRoutes(world).fetch, port: 0, hostname: '127.0.0.1' });
  sandboxUrl = await listen(sandbox);
  // The panel's page lives on another origin, as it does inside the Designer's iframe.
  // `?script=` loads the Designer script of another sandbox than the fake world's.
  pageHost = createServer((request, response) => {
    const script = new URL(request.url ?? '/', 'http://localhost').searchParams.get('script') ?? `${sandboxUrl}/_sandbox/designer.js?siteId=${siteId}`;
    response.writeHead(200, { 'content-type': 'text/html' });
    response.end(`<!doctype html><html><head><script src="${script.replace(/"/g, '&quot;')}"></script></head><body>panel</body></html>`);
  }).listen(0, 'localhost');
  pageUrl = (await listen(pageHost)).replace('127.0.0.1', 'localhost');
  browser = await launchChromium();
}, 15_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => sandbox?.close(resolve));
  await new Promise((resolve) => pageHost?.close(resolve));
});

beforeEach(async () => {
  page = await browser.newPage();
  await page.goto(pageUrl);
  requests = [];
  page.on('request', (request) => {
    if (request.url().startsWith(sandboxUrl) && request.method() !== 'OPTIONS') requests.push(`${request.method()} ${new URL(request.url()).pathname}`);
  });
  return () => page.close();
});

describe('the webflow global in Chromium', () => {
  it('is defined by the script, with the site from its URL', async () => {
    const info = await page.evaluate(() => webflow.getSiteInfo());
    expect(info).toMatchObject({ siteId, siteName: 'Northwind Coffee Roasters' });
    expect(await page.evaluate(() => typeof webflow.getIdToken())).toBe('object');
  });

  it('lists assets in one round trip and reads each property in one more', async () => {
    const read = await page.evaluate(async () => {
      const assets = await webflow.getAllAssets();
      const first = assets[0];
      if (!first) throw new Error('no assets');
      return { count: assets.length, id: first.id, name: await first.getName(), mimeType: await first.getMimeType(), alt: await first.getAltText() };
    });
    const seed = world.demo.assets[0];
    expect(read).toEqual({ count: 40, id: seed?.id, name: seed?.displayName, mimeType: seed?.file.contentType, alt: seed?.altText[world.demo.site.locales.primary.id] });
    expect(requests).toEqual([
      'GET /_sandbox/designer/assets',
      `GET /_sandbox/designer/assets/${seed?.id}/name`,
      `GET /_sandbox/designer/assets/${seed?.id}/mime-type`,
      `GET /_sandbox/designer/assets/${seed?.id}/alt-text`,
    ]);
  });

  it('writes alt text per locale and decorative null into the world', async () => {
    const target = world.demo.assets[5]?.id ?? '';
    const primary = world.demo.site.locales.primary.id;
    const fr = world.demo.site.locales.secondary[0]?.id ?? '';
    const after = await page.evaluate(
      async ({ id, fr }) => {
        const asset = await webflow.getAssetById(id);
        if (!asset) throw new Error('missing');
        await asset.setAltText('Torréfacteur au travail', fr);
        await asset.setAltText(null);
        return { fr: await asset.getAltText(fr), primary: await asset.getAltText() };
      },
      { id: target, fr },
    );
    expect(after).toEqual({ fr: 'Torréfacteur au travail', primary: null });
    expect(world.storedAltText(target)).toMatchObject({ [primary]: null, [fr]: 'Torréfacteur au travail' });
  });

  it('creates a folder inside another and moves an asset into it', async () => {
    const target = world.demo.assets[6]?.id ?? '';
    const parentId = world.demo.folders[0]?.id ?? '';
    const moved = await page.evaluate(
      async ({ id, parentId }) => {
        const folder = await webflow.createAssetFolder('Archive', parentId);
        const asset = await webflow.getAssetById(id);
        await asset?.setParent(folder);
        const parent = await asset?.getParent();
        return { folderId: folder.id, name: await folder.getName(), parent: parent?.id };
      },
      { id: target, parentId },
    );
    expect(moved.name).toBe('Archive');
    expect(moved.parent).toBe(moved.folderId);
    expect(world.demo.folders.find((f) => f.id === moved.folderId)?.parentFolder).toBe(parentId);
    expect(world.demo.assets.find((a) => a.id === target)?.folderId).toBe(moved.folderId);
  });

  it('uploads a File drawn on a canvas with createAsset', async () => {
    const created = await page.evaluate(async () => {
      const canvas = new OffscreenCanvas(64, 40);
      const context = canvas.getContext('2d');
      if (!context) throw new Error('no 2d context');
      context.fillStyle = '#6f4e37';
      context.fillRect(0, 0, 64, 40);
      const blob = await canvas.convertToBlob({ type: 'image/png' });
      const asset = await webflow.createAsset(new File([blob], 'latte-art-sketch.png', { type: 'image/png' }));
      return { id: asset.id, name: await asset.getName(), mimeType: await asset.getMimeType(), size: blob.size };
    });
    expect(created).toMatchObject({ name: 'latte-art-sketch.png', mimeType: 'image/png' });
    const stored = world.demo.assets.find((a) => a.id === created.id);
    expect(stored?.file.bytes.length).toBe(created.size);
    expect(Array.from(stored?.file.bytes.subarray(1, 4) ?? [])).toEqual([0x50, 0x4e, 0x47]);
  });

  it('rejects with an Error whose cause.tag says what went wrong', async () => {
    const failures = await page.evaluate(async (id) => {
      const tagOf = (promise: Promise<unknown>) =>
        promise.then(
          () => 'resolved',
          (error: unknown) => (error instanceof Error ? `${(error.cause as { tag: string }).tag}: ${error.message}` : 'not an Error'),
        );
      const asset = await webflow.getAssetById(id);
      return {
        locale: await tagOf(asset?.getAltText('no-such-locale') ?? Promise.resolve()),
        type: await tagOf(webflow.createAsset(new File(['x'], 'photo.heic'))),
        missing: await webflow.getAssetById('ffffffffffffffffffffffff'),
      };
    }, world.demo.assets[7]?.id ?? '');
    expect(failures.locale).toMatch(/^ResourceMissing: The locale no-such-locale/);
    expect(failures.type).toMatch(/^InvalidRequest: .*photo\.heic/);
    expect(failures.missing).toBeNull();
  });

  it('answers canForAppMode and refuses changes with Forbidden when the role cannot manage assets', async () => {
    const before = await page.evaluate(() => webflow.canForAppMode([webflow.appModes.canManageAssets, webflow.appModes.canAccessAssets]));
    expect(before).toMatchObject({ canManageAssets: true, canAccessAssets: true });
    const put = await fetch(`${sandboxUrl}/_sandbox/designer/settings?siteId=${siteId}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ capabilities: { canManageAssets: false } }),
    });
    expect(put.status).toBe(200);
    try {
      const after = await page.evaluate(async (id) => {
        const abilities = await webflow.canForAppMode([webflow.appModes.canManageAssets]);
        const asset = await webflow.getAssetById(id);
        const refused = await asset?.setName('nope.png').then(
          () => 'resolved',
          (error: Error) => (error.cause as { tag: string }).tag,
        );
        return { canManageAssets: abilities.canManageAssets, refused };
      }, world.demo.assets[8]?.id ?? '');
      expect(after).toEqual({ canManageAssets: false, refused: 'Forbidden' });
    } finally {
      await fetch(`${sandboxUrl}/_sandbox/designer/settings?siteId=${siteId}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ capabilities: { canManageAssets: true } }),
      });
    }
  });

  it('shows notifications and the extension size in the sandbox state', async () => {
    await page.evaluate(async () => {
      await webflow.notify({ type: 'Info', message: 'Index refreshed' });
      await webflow.setExtensionSize('large');
    });
    const state = (await (await fetch(`${sandboxUrl}/_sandbox/designer/state?siteId=${siteId}`)).json()) as { notifications: unknown[]; extensionSize: unknown };
    expect(state.notifications).toContainEqual({ type: 'Info', message: 'Index refreshed' });
    expect(state.extensionSize).toBe('large');
  });
});

describe('the webflow global over a whole sandbox', () => {
  let real: Sandbox;
  const contract = loadWebflowContract();

  beforeAll(async () => {
    real = await createSandbox({ demo: { assets: 30 } });
  });
  afterAll(async () => {
    await real?.close();
  });
  beforeEach(async () => {
    await page.goto(`${pageUrl}?script=${encodeURIComponent(real.info.designerScriptUrl)}`);
  });

  async function dataApi(method: 'GET' | 'PATCH', path: string, body?: unknown): Promise<{ altText?: string | null; size?: number; hostedUrl?: string }> {
    const response = await fetch(`${real.info.apiBaseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${real.info.siteToken}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json: unknown = await response.json();
    contract.check('v2', method === 'GET' ? 'get' : 'patch', '/assets/{asset_id}', response.status, json);
    expect(response.status).toBe(200);
    return json as { altText?: string | null; size?: number; hostedUrl?: string };
  }

  it('shows alt text set with asset.setAltText(text, localeId) in GET /v2/assets/{id}?localeId=', async () => {
    const { siteId: realSiteId } = real.info;
    const assetId = real.world.listAssets(realSiteId)[4]?.id ?? '';
    const fr = real.world.site(realSiteId).locales.secondary[0]?.id ?? '';
    const primaryBefore = (await dataApi('GET', `/assets/${assetId}`)).altText;
    const info = await page.evaluate(async ({ id, fr }) => {
      const asset = await webflow.getAssetById(id);
      if (!asset) throw new Error('missing');
      await asset.setAltText('Torréfacteur au travail', fr);
      return webflow.getSiteInfo();
    }, { id: assetId, fr });
    expect(info.siteId).toBe(realSiteId);
    expect((await dataApi('GET', `/assets/${assetId}?localeId=${fr}`)).altText).toBe('Torréfacteur au travail');
    expect((await dataApi('GET', `/assets/${assetId}`)).altText).toBe(primaryBefore);
  });

  it('reads in the browser what PATCH /v2/assets/{id} wrote', async () => {
    const assetId = real.world.listAssets(real.info.siteId)[5]?.id ?? '';
    const de = real.world.site(real.info.siteId).locales.secondary[1]?.id ?? '';
    await dataApi('PATCH', `/assets/${assetId}?localeId=${de}`, { altText: 'Röster bei der Arbeit' });
    const read = await page.evaluate(async ({ id, de }) => (await webflow.getAssetById(id))?.getAltText(de), { id: assetId, de });
    expect(read).toBe('Röster bei der Arbeit');
  });

  it('serves a file created in the browser through the Data API and the CDN', async () => {
    const created = await page.evaluate(async () => {
      const bytes = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"/>');
      const asset = await webflow.createAsset(new File([bytes], 'dot.svg', { type: 'image/svg+xml' }));
      return { id: asset.id, size: bytes.byteLength };
    });
    const asset = await dataApi('GET', `/assets/${created.id}`);
    expect(asset.size).toBe(created.size);
    const served = await fetch(asset.hostedUrl ?? '');
    expect(served.headers.get('content-type')).toBe('image/svg+xml');
    expect(await served.text()).toContain('<svg');
  });
});
