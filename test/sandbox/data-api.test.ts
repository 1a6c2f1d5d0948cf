/**
 * The sandbox's Data API driven by Webflow's official SDK (`webflow-api` 3.3.4) over HTTP, every
 * response held to the schemas of Webflow's OpenAPI files.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { WebflowClient } from 'webflow-api';
import type { Sandbox } from '../../src/sandbox/server.ts';
import { failureOf, md5Hex, postToS3, useSandbox, withAltText } from './support.ts';

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
  return { primary: primary.id, fr: fr.id, de: de.id };
}

/** An asset of the demo site no other test touches. */
function seededAsset(index: number): string {
  const asset = sandbox.world.listAssets(siteId)[index];
  if (!asset) throw new Error(`The demo site has no asset ${index}.`);
  return asset.id;
}

describe('sites', () => {
  it('lists only the sites the token was granted, and gets one with its locales', async () => {
    const { sites } = await webflow.sites.list();
    expect(sites?.map((s) => s.id)).toEqual([siteId]);
    const site = await webflow.sites.get(siteId);
    expect(site.displayName).toBe(sandbox.info.siteName);
    expect(site.locales?.primary?.id).toBe(locales().primary);
    expect(site.locales?.secondary?.map((l) => l.id)).toEqual([locales().fr, locales().de]);
    expect(under.exchanges.map((e) => `${e.method} ${e.status}`)).toEqual(['GET 200', 'GET 200']);
  });
});

describe('listing assets', () => {
  it('pages with offset and limit, up to 100 a page, in a stable order', async () => {
    const first = await webflow.assets.list(siteId, { offset: 0, limit: 100 });
    const second = await webflow.assets.list(siteId, { offset: 100, limit: 100 });
    expect(first.assets).toHaveLength(100);
    expect(first.pagination).toEqual({ offset: 0, limit: 100, total: 150 });
    expect(second.assets).toHaveLength(50);
    const ids = [...(first.assets ?? []), ...(second.assets ?? [])].map((a) => a.id);
    expect(ids).toEqual(sandbox.world.listAssets(siteId).map((a) => a.id));
  });

  it('refuses a limit above 100 with a validation error', async () => {
    const failure = await failureOf(webflow.assets.list(siteId, { limit: 101 }));
    expect(failure.statusCode).toBe(400);
    expect(failure.body.code).toBe('validation_error');
  });

  it('filters by folder, descendants included, and names each listed asset’s folder', async () => {
    const parent = await webflow.assets.createFolder(siteId, { displayName: 'Menus' });
    const child = await webflow.assets.createFolder(siteId, { displayName: 'Seasonal', parentFolder: parent.id ?? '' });
    const inParent = await webflow.assets.create(siteId, { fileName: 'menu.pdf', fileHash: md5Hex(new Uint8Array([1])), parentFolder: parent.id ?? '' });
    const inChild = await webflow.assets.create(siteId, { fileName: 'autumn-menu.pdf', fileHash: md5Hex(new Uint8Array([2])), parentFolder: child.id ?? '' });

    const listed = await webflow.assets.list(siteId, {}, { queryParams: { folderId: parent.id } });
    expect(listed.assets?.map((a) => [a.id, (a as { folderId?: string }).folderId])).toEqual([
      [inParent.id, parent.id],
      [inChild.id, child.id],
    ]);
    expect(listed.pagination?.total).toBe(2);
    const onlyChild = await webflow.assets.list(siteId, {}, { queryParams: { folderId: child.id } });
    expect(onlyChild.assets?.map((a) => a.id)).toEqual([inChild.id]);
  });

  it('shows each asset’s alt text in the locale asked for', async () => {
    const id = seededAsset(3);
    const { fr } = locales();
    await webflow.assets.update(id, withAltText({ localeId: fr }, 'Sacs de café sur une étagère'));
    const listed = await webflow.assets.list(siteId, { limit: 10 }, { queryParams: { localeId: fr } });
    expect(listed.assets?.find((a) => a.id === id)?.altText).toBe('Sacs de café sur une étagère');
  });
});

describe('one asset', () => {
  it('keeps alt text per locale, from the query or the body, falling back to the primary', async () => {
    const id = seededAsset(10);
    const { primary, fr, de } = locales();
    await webflow.assets.update(id, withAltText({}, 'Roaster at work'));
    await webflow.assets.update(id, withAltText({}, 'Torréfacteur au travail'), { queryParams: { localeId: fr } });
    expect((await webflow.assets.get(id, { queryParams: { localeId: de } })).altText).toBe('Roaster at work');

    const patched = await webflow.assets.update(id, withAltText({ localeId: de }, 'Röster bei der Arbeit'));
    expect(patched.altText).toBe('Röster bei der Arbeit');
    const read = async (localeId: string) => (await webflow.assets.get(id, { queryParams: { localeId } })).altText;
    expect([await read(primary), await read(fr), await read(de)]).toEqual(['Roaster at work', 'Torréfacteur au travail', 'Röster bei der Arbeit']);
    expect((await webflow.assets.get(id)).altText).toBe('Roaster at work');
  });

  it('renames with displayName and leaves alt text alone', async () => {
    const id = seededAsset(11);
    const before = await webflow.assets.get(id);
    const renamed = await webflow.assets.update(id, { displayName: 'espresso-pour.jpg' });
    expect(renamed).toMatchObject({ id, displayName: 'espresso-pour.jpg', altText: before.altText });
    expect((await webflow.assets.get(id)).displayName).toBe('espresso-pour.jpg');
  });

  it('refuses a locale the site does not have', async () => {
    const failure = await failureOf(webflow.assets.get(seededAsset(12), { queryParams: { localeId: 'ffffffffffffffffffffffff' } }));
    expect(failure.statusCode).toBe(400);
  });

  it('deletes an asset, which is then not found', async () => {
    const id = seededAsset(13);
    await webflow.assets.delete(id);
    expect((await failureOf(webflow.assets.get(id))).statusCode).toBe(404);
    expect(under.exchanges.map((e) => `${e.method} ${e.status}`)).toEqual(['DELETE 204', 'GET 404']);
  });

  it('answers a second delete of an asset 404, and an id that is not an ObjectId 400 (v2.yml: asset_id is an objectid)', async () => {
    const id = seededAsset(14);
    await webflow.assets.delete(id);
    expect((await failureOf(webflow.assets.delete(id))).statusCode).toBe(404);
    expect((await failureOf(webflow.assets.delete('not-an-asset-id'))).statusCode).toBe(400);
    expect(under.exchanges.map((e) => `${e.method} ${e.status}`)).toEqual(['DELETE 204', 'DELETE 404', 'DELETE 400']);
    expect(under.exchanges[0]?.body, 'a 204 has no body').toBeUndefined();
  });
});

describe('uploading', () => {
  it('creates an asset, takes its file through the presigned S3 POST and serves it byte for byte', async () => {
    const bytes = new Uint8Array(4096).map((_, i) => (i * 31 + 7) % 256);
    bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const upload = await webflow.assets.create(siteId, { fileName: 'latte-art.png', fileHash: md5Hex(bytes) });
    expect(upload).toMatchObject({ contentType: 'image/png', originalFileName: 'latte-art.png' });

    // Until the file arrives the asset is listed, empty, and its URL serves nothing.
    expect((await webflow.assets.get(upload.id ?? '')).size).toBe(0);
    expect((await fetch(upload.hostedUrl ?? '')).status).toBe(404);

    const posted = await postToS3(upload, { bytes, name: 'latte-art.png', type: 'image/png' });
    expect(posted.status).toBe(201);
    expect(posted.headers.get('etag')).toBe(`"${md5Hex(bytes)}"`);

    const asset = await webflow.assets.get(upload.id ?? '');
    expect(asset).toMatchObject({ size: bytes.byteLength, hostedUrl: upload.hostedUrl, contentType: 'image/png' });
    const served = await fetch(asset.hostedUrl ?? '');
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(bytes);
  });
});

describe('the CDN', () => {
  it('serves every listed asset and variant at its hostedUrl, names with spaces and Unicode included', async () => {
    const { assets } = await webflow.assets.list(siteId, { limit: 100 });
    const urls = (assets ?? []).flatMap((a) => [{ url: a.hostedUrl, type: a.contentType }, ...(a.variants ?? []).map((v) => ({ url: v.hostedUrl, type: a.contentType }))]);
    expect(urls.some(({ url }) => /%20|%E2/.test(url ?? ''))).toBe(true);
    for (const { url, type } of urls) {
      const served = await fetch(url ?? '');
      expect([url, served.status, served.headers.get('content-type')]).toEqual([url, 200, type]);
      await served.arrayBuffer();
    }
  });
});

describe('asset folders', () => {
  it('creates a folder inside another, lists it and gets it with its assets', async () => {
    const parent = sandbox.world.listFolders(siteId)[0];
    if (!parent) throw new Error('The demo site should have folders.');
    const created = await webflow.assets.createFolder(siteId, { displayName: 'Press kit', parentFolder: parent.id });
    expect(created).toMatchObject({ displayName: 'Press kit', parentFolder: parent.id, siteId, assets: [] });

    const { assetFolders } = await webflow.assets.listFolders(siteId);
    expect(assetFolders?.map((f) => f.id)).toContain(created.id);
    const file = await webflow.assets.create(siteId, { fileName: 'logo.svg', fileHash: md5Hex(new Uint8Array([3])), parentFolder: created.id ?? '' });
    const folder = await webflow.assets.getFolder(created.id ?? '');
    expect(folder).toMatchObject({ id: created.id, displayName: 'Press kit', assets: [file.id] });
  });
});

describe('tokens', () => {
  it('introspects the site token and names the user who authorized it', async () => {
    const { authorization } = await webflow.token.introspect();
    expect(authorization?.authorizedTo?.siteIds).toEqual([siteId]);
    expect(authorization?.scope?.split(',')).toEqual(expect.arrayContaining(['assets:read', 'assets:write']));
    const user = await webflow.token.authorizedBy();
    expect(user.email).toBe(sandbox.world.user(sandbox.world.site(siteId).userId).email);
  });

  it('resolves an ID token from the Designer to its user and site (beta)', async () => {
    const issued = await fetch(`${sandbox.url}/_sandbox/designer/id-token?siteId=${siteId}`, { method: 'POST' });
    const { idToken } = (await issued.json()) as { idToken: string };
    const resolved = await fetch(`${sandbox.info.betaBaseUrl}/token/resolve`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sandbox.info.siteToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ idToken }),
    });
    expect(resolved.status).toBe(200);
    const owner = sandbox.world.user(sandbox.world.site(siteId).userId);
    expect(await resolved.json()).toMatchObject({ id: owner.id, email: owner.email });
  });

  it('refuses an ID token it never issued', async () => {
    const resolved = await fetch(`${sandbox.info.betaBaseUrl}/token/resolve`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sandbox.info.siteToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ idToken: 'forged' }),
    });
    expect(resolved.status).toBe(401);
  });
});
