import { describe, expect, it } from 'vitest';
import { apiError, folderResponse } from '../../core/api.ts';
import { FakeWebflow } from '../../../test/server/fake-webflow.ts';
import { jsonPost, siteApp } from '../../../test/server/site-app.ts';
import { testStoreKinds, useTestStore } from '../../../test/server/store-test-helpers.ts';
import { createAssetIndex } from '../services/asset-index.ts';
import { createFolders } from '../services/folders.ts';
import { WebflowError } from '../webflow/types.ts';
import { foldersRoutes } from './folders.ts';

const SITE = 'site1';

describe.each(testStoreKinds)('folder routes on %s', (kind) => {
  const stores = useTestStore(kind);

  function setup() {
    const webflow = new FakeWebflow();
    webflow.addSite(SITE);
    const getSiteToken = async (siteId: string) => webflow.tokens.get(siteId);
    const index = createAssetIndex({ store: stores.current(), webflow, getSiteToken });
    const folders = createFolders({ webflow, index, getSiteToken });
    const app = siteApp({ userId: 'u1', siteId: SITE }, foldersRoutes({ folders }));
    return { webflow, index, app };
  }

  it('lists folders from Webflow when the index has none, then from the index', async () => {
    const { webflow, app } = setup();
    const brand = webflow.addFolder(SITE, 'Brand');
    const logos = webflow.addFolder(SITE, 'Logos', brand.id);

    const response = await app.request(`/api/sites/${SITE}/folders`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      folders: [
        { id: brand.id, name: 'Brand', parentId: null },
        { id: logos.id, name: 'Logos', parentId: brand.id },
      ],
    });
    await app.request(`/api/sites/${SITE}/folders`);
    expect(webflow.count('listFolders')).toBe(1);
    expect(webflow.count('listAssets')).toBe(0);
  });

  it('creates a nested folder in Webflow, indexes it and answers 201', async () => {
    const { webflow, app, index } = setup();
    const brand = webflow.addFolder(SITE, 'Brand');
    await index.refresh(SITE);
    const before = (await index.state(SITE)).version;

    const response = await app.request(`/api/sites/${SITE}/folders`, jsonPost({ name: '  Logos ', parentId: brand.id }));
    expect(response.status).toBe(201);
    const { folder } = folderResponse.parse(await response.json());
    expect(folder).toMatchObject({ name: 'Logos', parentId: brand.id });
    expect(webflow.folders.find((f) => f.id === folder.id)).toMatchObject({ displayName: 'Logos', parentFolder: brand.id });
    expect(webflow.calls.find((c) => c.method === 'createFolder')?.priority).toBe('interactive');
    const changes = await index.changesSince(SITE, before);
    expect(changes.folders).toContainEqual(folder);
  });

  it('finds a parent made in the Designer since the last refresh', async () => {
    const { webflow, app, index } = setup();
    await index.refresh(SITE);
    const fresh = webflow.addFolder(SITE, 'Made in the Designer');
    const response = await app.request(`/api/sites/${SITE}/folders`, jsonPost({ name: 'Child', parentId: fresh.id }));
    expect(response.status).toBe(201);
  });

  it('answers 404 not_found for an unknown parent, without creating anything', async () => {
    const { webflow, app } = setup();
    const response = await app.request(`/api/sites/${SITE}/folders`, jsonPost({ name: 'Child', parentId: 'nope' }));
    expect(response.status).toBe(404);
    const { error } = apiError.parse(await response.json());
    expect(error.code).toBe('not_found');
    expect(error.message).toMatch(/parent folder/);
    expect(webflow.count('createFolder')).toBe(0);
  });

  it('refuses an empty name with a validation error', async () => {
    const { app } = setup();
    const response = await app.request(`/api/sites/${SITE}/folders`, jsonPost({ name: '   ' }));
    expect(response.status).toBe(400);
    expect(apiError.parse(await response.json()).error.code).toBe('validation_error');
  });

  it('passes on Webflow rate limits as rate_limited and other failures as webflow_error', async () => {
    const { webflow, app } = setup();
    webflow.failNext('createFolder', new WebflowError(429, 'too_many_requests', 'Too many requests', 3000));
    const limited = await app.request(`/api/sites/${SITE}/folders`, jsonPost({ name: 'A' }));
    expect(limited.status).toBe(429);
    const body = apiError.parse(await limited.json());
    expect(body.error.code).toBe('rate_limited');
    expect(body.error.details).toEqual({ retryAfterMs: 3000 });

    // A 500 is ambiguous: the folders are read, and the create is sent once more (only once).
    webflow.failNext('createFolder', new WebflowError(500, 'internal_error', 'An Internal Error occurred'));
    webflow.failNext('createFolder', new WebflowError(500, 'internal_error', 'An Internal Error occurred'));
    const failed = await app.request(`/api/sites/${SITE}/folders`, jsonPost({ name: 'A' }));
    expect(failed.status).toBe(502);
    expect(apiError.parse(await failed.json()).error.code).toBe('webflow_error');
  });
});
