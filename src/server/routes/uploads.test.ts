import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { apiError, completeUploadResponse, uploadResponse, type UploadRequest } from '../../core/api.ts';
import { FakeWebflow } from '../../../test/server/fake-webflow.ts';
import { jsonPost, siteApp } from '../../../test/server/site-app.ts';
import { testStoreKinds, useTestStore } from '../../../test/server/store-test-helpers.ts';
import { createAssetIndex } from '../services/asset-index.ts';
import { createUploads } from '../services/uploads.ts';
import { WebflowError } from '../webflow/types.ts';
import { uploadsRoutes } from './uploads.ts';

const SITE = 'site1';
const WIRE_KEYS = ['acl', 'bucket', 'X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'key', 'Policy', 'X-Amz-Signature', 'success_action_status', 'content-type', 'Cache-Control'];

const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('hex');

describe.each(testStoreKinds)('upload routes on %s', (kind) => {
  const stores = useTestStore(kind);

  function setup() {
    const webflow = new FakeWebflow();
    webflow.addSite(SITE);
    const getSiteToken = async (siteId: string) => webflow.tokens.get(siteId);
    const index = createAssetIndex({ store: stores.current(), webflow, getSiteToken });
    const cdn = new Map<string, Uint8Array>();
    const uploads = createUploads({
      store: stores.current(),
      webflow,
      index,
      getSiteToken,
      fetch: async (url) => {
        const bytes = cdn.get(url);
        return bytes ? new Response(new Uint8Array(bytes)) : new Response('Not Found', { status: 404 });
      },
    });
    const app = siteApp({ userId: 'u1', siteId: SITE }, uploadsRoutes({ uploads }));
    const post = (path: string, body: unknown) => app.request(`/api/sites/${SITE}${path}`, jsonPost(body));
    return { webflow, index, uploads, app, cdn, post };
  }

  const file = new TextEncoder().encode('a small png, honestly');
  const request = (overrides: Partial<UploadRequest> = {}): UploadRequest => ({
    fileName: 'hero.png',
    fileHash: md5(file),
    size: file.byteLength,
    contentType: 'image/png',
    ...overrides,
  });

  it('creates the asset and answers the presigned POST with the wire fields in order', async () => {
    const { post, webflow } = setup();
    const folder = webflow.addFolder(SITE, 'Heroes');
    const response = await post('/uploads', request({ folderId: folder.id }));
    expect(response.status).toBe(201);
    const body = uploadResponse.parse(await response.json());
    if (body.status !== 'created') throw new Error('expected created');
    expect(Object.keys(body.upload.uploadDetails)).toEqual(WIRE_KEYS);
    expect(body.upload.uploadUrl).toMatch(/^https:\/\//);
    const created = webflow.assets.find((a) => a.id === body.upload.assetId);
    expect(created).toMatchObject({ fileName: 'hero.png', folderId: folder.id });
    // The policy's own expiration (10 minutes), not the one-hour default.
    const expiresIn = Date.parse(body.upload.expiresAt) - Date.now();
    expect(expiresIn).toBeGreaterThan(9 * 60_000);
    expect(expiresIn).toBeLessThanOrEqual(10 * 60_000);
    expect(webflow.calls.find((c) => c.method === 'createAsset')?.priority).toBe('interactive');
  });

  it('refuses types, sizes and names Webflow does not accept, saying what to do', async () => {
    const { post, webflow } = setup();
    const cases: Array<[Partial<UploadRequest>, RegExp]> = [
      [{ fileName: 'photo.heic' }, /not a type Webflow accepts/],
      [{ size: 5 * 1024 * 1024 }, /up to 4\.0 MB/],
      [{ fileName: 'report.pdf', contentType: 'application/pdf', size: 11 * 1024 * 1024 }, /up to 10\.0 MB/],
      [{ fileName: `${'n'.repeat(96)}.png` }, /fewer than 100/],
    ];
    for (const [overrides, message] of cases) {
      const response = await post('/uploads', request(overrides));
      expect(response.status).toBe(400);
      const { error } = apiError.parse(await response.json());
      expect(error.code).toBe('validation_error');
      expect(error.message).toMatch(message);
    }
    const badHash = await post('/uploads', request({ fileHash: 'not-a-hash' }));
    expect(badHash.status).toBe(400);
    expect(webflow.count('createAsset')).toBe(0);
  });

  it('accepts a 99-character name and a 10 MB document', async () => {
    const { post } = setup();
    expect((await post('/uploads', request({ fileName: `${'n'.repeat(95)}.png` }))).status).toBe(201);
    expect((await post('/uploads', request({ fileName: 'r.pdf', contentType: 'application/pdf', size: 10 * 1024 * 1024, fileHash: 'b'.repeat(32) }))).status).toBe(201);
  });

  it('completes an upload: indexes the asset with its md5, folder and alt text', async () => {
    const { post, webflow, index } = setup();
    const folder = webflow.addFolder(SITE, 'Heroes');
    const created = uploadResponse.parse(await (await post('/uploads', request({ folderId: folder.id }))).json());
    if (created.status !== 'created') throw new Error('expected created');
    webflow.receiveFile(created.upload.assetId, file);

    const response = await post(`/uploads/${created.upload.id}/complete`, { altText: 'A hero shot' });
    expect(response.status).toBe(200);
    const { asset } = completeUploadResponse.parse(await response.json());
    expect(asset).toMatchObject({ id: created.upload.assetId, md5: md5(file), folderId: folder.id, altText: 'A hero shot', size: file.byteLength, fileName: 'hero.png' });
    expect(webflow.assets.find((a) => a.id === asset.id)?.altText[webflow.primaryLocaleOf(SITE)]).toBe('A hero shot');
    expect((await index.changesSince(SITE, 0)).assets).toEqual([asset]);
  });

  it('completes without alt text, leaving Webflow untouched', async () => {
    const { post, webflow } = setup();
    const created = uploadResponse.parse(await (await post('/uploads', request())).json());
    if (created.status !== 'created') throw new Error('expected created');
    webflow.receiveFile(created.upload.assetId, file);
    const { asset } = completeUploadResponse.parse(await (await post(`/uploads/${created.upload.id}/complete`, {})).json());
    expect(asset.altText).toBe('');
    expect(webflow.count('updateAsset')).toBe(0);
  });

  it('refuses to complete before Webflow has the file', async () => {
    const { post } = setup();
    const created = uploadResponse.parse(await (await post('/uploads', request())).json());
    if (created.status !== 'created') throw new Error('expected created');
    const response = await post(`/uploads/${created.upload.id}/complete`, {});
    expect(response.status).toBe(409);
    expect(apiError.parse(await response.json()).error.message).toMatch(/not received the file/);
  });

  it('answers the existing asset for a file the site already has, unless duplicates are allowed', async () => {
    const { post, webflow } = setup();
    const first = uploadResponse.parse(await (await post('/uploads', request())).json());
    if (first.status !== 'created') throw new Error('expected created');
    webflow.receiveFile(first.upload.assetId, file);
    await post(`/uploads/${first.upload.id}/complete`, {});

    const again = await post('/uploads', request({ fileName: 'hero-copy.png', fileHash: md5(file) }));
    expect(again.status).toBe(200);
    const duplicate = uploadResponse.parse(await again.json());
    expect(duplicate).toMatchObject({ status: 'duplicate', existing: { id: first.upload.assetId, md5: md5(file) } });
    expect(webflow.count('createAsset')).toBe(1);

    const allowed = await post('/uploads', request({ allowDuplicate: true }));
    expect(allowed.status).toBe(201);
    expect(webflow.count('createAsset')).toBe(2);
  });

  it('knows files uploaded elsewhere once the background hasher has read them from the CDN', async () => {
    const { post, webflow, index, uploads, cdn } = setup();
    const elsewhere = webflow.addAsset(SITE, { fileName: 'from-designer.png', contentType: 'image/png' });
    const unreadable = webflow.addAsset(SITE, { fileName: 'gone.png', contentType: 'image/png' });
    await index.refresh(SITE);
    const listed = (await index.index(SITE)).assets;
    const url = listed.find((a) => a.id === elsewhere.id)?.url ?? '';
    cdn.set(url, file);

    expect(await uploads.hashHostedFiles()).toBe(1);
    expect(await uploads.hashHostedFiles()).toBe(0); // the unreadable one is not fetched again
    const answer = uploadResponse.parse(await (await post('/uploads', request())).json());
    expect(answer).toMatchObject({ status: 'duplicate', existing: { id: elsewhere.id } });
    const after = (await index.index(SITE)).assets.find((a) => a.id === unreadable.id);
    expect(after?.md5).toBeNull();
  });

  it('hashes the unhashed files of the same size before saying a file is new, and no others', async () => {
    const { post, webflow, index, cdn } = setup();
    const sameSize = webflow.addAsset(SITE, { fileName: 'from-designer.png', contentType: 'image/png', size: file.byteLength });
    const otherSize = webflow.addAsset(SITE, { fileName: 'other.png', contentType: 'image/png', size: file.byteLength + 1 });
    await index.refresh(SITE);
    const listed = (await index.index(SITE)).assets;
    const fetched: string[] = [];
    for (const asset of listed) cdn.set(asset.url, asset.id === sameSize.id ? file : new Uint8Array(file.byteLength + 1));
    const urlOf = (id: string) => listed.find((a) => a.id === id)?.url ?? '';
    const original = cdn.get.bind(cdn);
    cdn.get = (url: string) => (fetched.push(url), original(url));

    const answer = uploadResponse.parse(await (await post('/uploads', request())).json());
    expect(answer).toMatchObject({ status: 'duplicate', existing: { id: sameSize.id } });
    expect(fetched).toEqual([urlOf(sameSize.id)]);
    expect(fetched).not.toContain(urlOf(otherSize.id));
  });

  it('deletes the created asset when the browser reports a failed upload', async () => {
    const { post, webflow, index } = setup();
    const created = uploadResponse.parse(await (await post('/uploads', request())).json());
    if (created.status !== 'created') throw new Error('expected created');
    const response = await post(`/uploads/${created.upload.id}/fail`, { reason: 'network lost' });
    expect(response.status).toBe(204);
    expect(webflow.assets.some((a) => a.id === created.upload.assetId)).toBe(false);
    expect((await index.index(SITE)).assets).toEqual([]);
    // A second report changes nothing; completing it now is refused.
    expect((await post(`/uploads/${created.upload.id}/fail`, { reason: 'again' })).status).toBe(204);
    expect(webflow.count('deleteAsset')).toBe(1);
    const complete = await post(`/uploads/${created.upload.id}/complete`, {});
    expect(complete.status).toBe(409);
  });

  it('answers 404 for an upload that is not this site’s', async () => {
    const { post } = setup();
    for (const path of ['/uploads/nope/complete', '/uploads/nope/fail']) {
      const response = await post(path, { reason: 'x' });
      expect(response.status).toBe(404);
      expect(apiError.parse(await response.json()).error.code).toBe('not_found');
    }
  });

  it('sweeps uploads left unconfirmed past their expiry, deleting their assets', async () => {
    const { post, webflow, uploads } = setup();
    const store = stores.current();
    const stale = uploadResponse.parse(await (await post('/uploads', request())).json());
    const fresh = uploadResponse.parse(await (await post('/uploads', request({ fileHash: 'c'.repeat(32) }))).json());
    if (stale.status !== 'created' || fresh.status !== 'created') throw new Error('expected created');
    await store.query(`UPDATE uploads SET expires_at = now() - interval '1 minute' WHERE upload_id = $1`, [stale.upload.id]);

    expect(await uploads.sweep()).toBe(1);
    expect(webflow.assets.map((a) => a.id)).toEqual([fresh.upload.assetId]);
    expect(webflow.calls.find((c) => c.method === 'deleteAsset')?.priority).toBe('background');
    expect(await uploads.sweep()).toBe(0);
  });

  it('stops only after the sweep under way has finished with the store', async () => {
    const { post, webflow, uploads } = setup();
    const store = stores.current();
    const stale = uploadResponse.parse(await (await post('/uploads', request())).json());
    if (stale.status !== 'created') throw new Error('expected created');
    await store.query(`UPDATE uploads SET expires_at = now() - interval '1 minute' WHERE upload_id = $1`, [stale.upload.id]);
    let release = () => {};
    const deleting = new Promise<void>((started) => {
      const deleteAsset = webflow.deleteAsset.bind(webflow);
      webflow.deleteAsset = async (...args) => {
        started();
        await new Promise<void>((done) => (release = done));
        return deleteAsset(...args);
      };
    });
    uploads.start({ sweepMs: 5, hashMs: 60_000 });
    await deleting;
    let stopped = false;
    const stopping = uploads.stop().then(() => (stopped = true));
    // However long the sweep's Webflow call takes, stop has not returned while it runs.
    await new Promise((done) => setImmediate(done));
    expect(stopped).toBe(false);
    release();
    await stopping;
    const [row] = await store.query<{ status: string }>('SELECT status FROM uploads WHERE upload_id = $1', [stale.upload.id]);
    expect(row?.status).toBe('expired');
    expect(webflow.assets).toEqual([]);
  });

  it('passes on Webflow refusing to create the asset', async () => {
    const { post, webflow } = setup();
    webflow.failNext('createAsset', new WebflowError(429, 'too_many_requests', 'Too many requests', 2000));
    const limited = await post('/uploads', request());
    expect(limited.status).toBe(429);
    expect(apiError.parse(await limited.json()).error.code).toBe('rate_limited');
    const unknownFolder = await post('/uploads', request({ folderId: 'abc' }));
    expect(unknownFolder.status).toBe(404);
    expect(apiError.parse(await unknownFolder.json()).error.code).toBe('not_found');
  });
});
