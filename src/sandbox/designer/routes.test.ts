import { describe, expect, it, vi } from 'vitest';
import { createSandboxWebflow, type SandboxWebflowApi } from './client.ts';
import { designerRoutes } from './routes.ts';
import { createFakeWorld, type FakeWorld } from './testing/fake-world.ts';
import { DESIGNER_PATH } from './wire.ts';
import { rejection } from './testing/rejection.ts';

const ORIGIN = 'http://sandbox.test';

function setup(latencyMs = 0): { world: FakeWorld; siteId: string; app: ReturnType<typeof designerRoutes>; webflow: SandboxWebflowApi } {
  const world = createFakeWorld();
  const siteId = world.demo.site.id;
  const app = designerRoutes(world, { latencyMs });
  const webflow = createSandboxWebflow({
    baseUrl: `${ORIGIN}${DESIGNER_PATH}`,
    siteId,
    fetch: async (input, init) => app.request(input instanceof Request ? input : String(input), init),
  });
  return { world, siteId, app, webflow };
}

describe('Designer routes over HTTP', () => {
  it('answers a call without a site id with 400 InvalidRequest', async () => {
    const { app } = setup();
    const response = await app.request(`${DESIGNER_PATH}/assets`);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: { tag: 'InvalidRequest', message: expect.stringContaining('siteId') } });
  });

  it('answers an unknown site with 404 ResourceMissing', async () => {
    const { app } = setup();
    const response = await app.request(`${DESIGNER_PATH}/assets?siteId=000000000000000000000000`);
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { tag: string } }).error.tag).toBe('ResourceMissing');
  });

  it('allows loopback origins and no others', async () => {
    const { app, siteId } = setup();
    const allowed = await app.request(`${DESIGNER_PATH}/site?siteId=${siteId}`, { headers: { origin: 'http://localhost:5173' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    const preflight = await app.request(`${DESIGNER_PATH}/assets/x/alt-text?siteId=${siteId}`, {
      method: 'OPTIONS',
      headers: { origin: 'http://127.0.0.1:4100', 'access-control-request-method': 'PUT' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:4100');
    const foreign = await app.request(`${DESIGNER_PATH}/site?siteId=${siteId}`, { headers: { origin: 'https://evil.example' } });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('serves the browser script for a known site and refuses one without a site', async () => {
    const { app, siteId } = setup();
    const script = await app.request(`/_sandbox/designer.js?siteId=${siteId}`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toContain('javascript');
    expect(await script.text()).toContain('webflow');
    expect((await app.request('/_sandbox/designer.js')).status).toBe(400);
    expect((await app.request('/_sandbox/designer.js?siteId=nope')).status).toBe(404);
  });

  it('names an unknown route in its error', async () => {
    const { app, siteId } = setup();
    const response = await app.request(`${DESIGNER_PATH}/elements?siteId=${siteId}`);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain('GET /_sandbox/designer/elements');
  });

  it('waits the configured latency on every round trip', async () => {
    const { webflow, siteId } = setup(60);
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    try {
      let answered = false;
      const info = webflow.getSiteInfo().then((site) => ((answered = true), site));
      await vi.advanceTimersByTimeAsync(59);
      expect(answered).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect((await info).siteId).toBe(siteId);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('the webflow global over the routes', () => {
  it('describes the site and hands out ID tokens from the world', async () => {
    const { webflow, world, siteId } = setup();
    expect(await webflow.getSiteInfo()).toMatchObject({ siteId, siteName: 'Northwind Coffee Roasters', kind: 'site' });
    expect(await webflow.getIdToken()).toBe('id-token-1');
    expect(world.issuedTokens).toEqual(['id-token-1']);
  });

  it('lists every asset as a handle and reads its name, type, url and folder', async () => {
    const { webflow, world } = setup();
    const assets = await webflow.getAllAssets();
    expect(assets.map((a) => a.id)).toEqual(world.demo.assets.map((a) => a.id));
    const seed = world.demo.assets.find((a) => a.folderId !== null);
    const handle = assets.find((a) => a.id === seed?.id);
    expect(await handle?.getName()).toBe(seed?.displayName);
    expect(await handle?.getMimeType()).toBe(seed?.file.contentType);
    expect(await handle?.getUrl()).toContain(seed?.id);
    expect((await handle?.getParent())?.id).toBe(seed?.folderId);
  });

  it('returns null for an asset id the site does not have', async () => {
    const { webflow } = setup();
    expect(await webflow.getAssetById('ffffffffffffffffffffffff')).toBeNull();
  });

  it('sets alt text per locale and decorative as null, falling back to the primary for other locales', async () => {
    const { webflow, world } = setup();
    const [fr, de] = world.demo.site.locales.secondary.map((l) => l.id);
    const primary = world.demo.site.locales.primary.id;
    const target = world.demo.assets[0];
    const handle = await webflow.getAssetById(target?.id ?? '');
    await handle?.setAltText('Sac de café sur le comptoir', fr);
    await handle?.setAltText('Bag of coffee on the counter');
    expect(await handle?.getAltText(fr)).toBe('Sac de café sur le comptoir');
    expect(await handle?.getAltText(de)).toBe(world.storedAltText(target?.id ?? '')[de ?? ''] ?? 'Bag of coffee on the counter');
    expect(await handle?.getAltText()).toBe('Bag of coffee on the counter');
    await handle?.setAltText(null);
    expect(await handle?.getAltText()).toBeNull();
    expect(world.storedAltText(target?.id ?? '')[primary]).toBeNull();
  });

  it('rejects an unknown locale with ResourceMissing', async () => {
    const { webflow, world } = setup();
    const handle = await webflow.getAssetById(world.demo.assets[1]?.id ?? '');
    expect(await rejection(handle?.getAltText('not-a-locale') ?? Promise.resolve())).toMatchObject({ tag: 'ResourceMissing' });
  });

  it('renames an asset and refuses an empty name', async () => {
    const { webflow, world } = setup();
    const handle = await webflow.getAssetById(world.demo.assets[2]?.id ?? '');
    await handle?.setName('roastery-tour.png');
    expect(await handle?.getName()).toBe('roastery-tour.png');
    expect(await rejection(handle?.setName('  ') ?? Promise.resolve())).toEqual({ tag: 'InvalidRequest', message: 'name: A name cannot be empty.' });
  });

  it('creates nested folders, moves an asset into one and refuses a duplicate name', async () => {
    const { webflow, world } = setup();
    const parent = await webflow.createAssetFolder('Events');
    const child = await webflow.createAssetFolder('2026', parent.id);
    expect(await child.getName()).toBe('2026');
    const folders = await webflow.getAllAssetFolders();
    expect(folders.map((f) => f.id)).toEqual(expect.arrayContaining([parent.id, child.id]));
    const handle = await webflow.getAssetById(world.demo.assets[3]?.id ?? '');
    await handle?.setParent(child);
    expect((await handle?.getParent())?.id).toBe(child.id);
    expect(await rejection(webflow.createAssetFolder('2026', parent.id))).toMatchObject({ tag: 'DuplicateValue' });
    expect(await rejection(webflow.createAssetFolder('Late', 'ffffffffffffffffffffffff'))).toMatchObject({ tag: 'ResourceMissing' });
    expect(await rejection(handle?.setParent({ id: 'ffffffffffffffffffffffff', getName: async () => 'ghost' }) ?? Promise.resolve())).toMatchObject({
      tag: 'ResourceMissing',
    });
  });

  it('creates an asset from a File and replaces its file', async () => {
    const { webflow, world } = setup();
    const asset = await webflow.createAsset(new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], 'menu-board.png', { type: 'image/png' }));
    expect(await asset.getName()).toBe('menu-board.png');
    expect(await asset.getMimeType()).toBe('image/png');
    expect(await asset.getParent()).toBeNull();
    await asset.setFile(new File(['<svg xmlns="http://www.w3.org/2000/svg"/>'], 'menu-board.svg', { type: 'image/svg+xml' }));
    expect(await asset.getMimeType()).toBe('image/svg+xml');
    expect(world.demo.assets.at(-1)?.file.bytes.length).toBe(41);
  });

  it('refuses a file type Webflow does not accept, saying which types it does', async () => {
    const { webflow } = setup();
    const { tag, message } = await rejection(webflow.createAsset(new File(['x'], 'photo.heic')));
    expect(tag).toBe('InvalidRequest');
    expect(message).toContain('photo.heic');
  });

  it('records notifications and the extension size for tests to read', async () => {
    const { webflow, app, siteId } = setup();
    await webflow.notify({ type: 'Success', message: 'Saved 12 alt texts' });
    await webflow.setExtensionSize({ width: 900, height: 700 });
    const state = (await (await app.request(`${DESIGNER_PATH}/state?siteId=${siteId}`)).json()) as Record<string, unknown>;
    expect(state['notifications']).toEqual([{ type: 'Success', message: 'Saved 12 alt texts' }]);
    expect(state['extensionSize']).toEqual({ width: 900, height: 700 });
    expect(await rejection(webflow.setExtensionSize({ width: 100, height: 700 }))).toMatchObject({ tag: 'InvalidRequest' });
  });

  it('reports abilities and forbids changes when a test takes canManageAssets away', async () => {
    const { webflow, app, siteId, world } = setup();
    expect((await webflow.canForAppMode([webflow.appModes.canManageAssets])).canManageAssets).toBe(true);
    const put = await app.request(`${DESIGNER_PATH}/settings?siteId=${siteId}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ capabilities: { canManageAssets: false } }),
    });
    expect(put.status).toBe(200);
    expect((await webflow.canForAppMode([webflow.appModes.canManageAssets])).canManageAssets).toBe(false);
    const handle = await webflow.getAssetById(world.demo.assets[4]?.id ?? '');
    expect(await handle?.getName()).toBe(world.demo.assets[4]?.displayName);
    const { tag, message } = await rejection(handle?.setAltText('A cup') ?? Promise.resolve());
    expect(tag).toBe('Forbidden');
    expect(message).toContain('canManageAssets');
    expect(await rejection(webflow.canForAppMode(['canFly' as AppMode]))).toMatchObject({ tag: 'InvalidRequest' });
  });

  it('rejects with InternalError naming the sandbox when it cannot be reached', async () => {
    const webflow = createSandboxWebflow({
      baseUrl: 'http://127.0.0.1:9/_sandbox/designer',
      siteId: 'x',
      fetch: () => Promise.reject(new TypeError('fetch failed')),
    });
    const { tag, message } = await rejection(webflow.getAllAssets());
    expect(tag).toBe('InternalError');
    expect(message).toContain('Is the sandbox running?');
  });
});
