/**
 * Names Webflow holds that PostgreSQL cannot (NUL, half a character) do not stop a refresh:
 * against the sandbox through the real client, on PGlite and on PostgreSQL when
 * TEST_DATABASE_URL is set, and served to the panel as Webflow holds them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indexResponse } from '../../src/core/api.ts';
import { decodeCompactIndex, type CompactIndex } from '../../src/core/compact-index.ts';
import { createSandbox, type Sandbox } from '../../src/sandbox/server.ts';
import { indexRoutes } from '../../src/server/routes/asset-index.ts';
import { createAssetIndex } from '../../src/server/services/asset-index.ts';
import { createWebflowClient } from '../../src/server/webflow/client.ts';
import { siteApp } from './site-app.ts';
import { testStoreKinds, useTestStore } from './store-test-helpers.ts';

const NUL = '\u0000';
const HALF = '\uDE00';

describe.each(testStoreKinds)('a refresh of odd names from the sandbox on %s', (kind) => {
  const stores = useTestStore(kind);
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await createSandbox({ port: 0, demo: { assets: 12 }, rateLimit: { perWindow: 1000, windowMs: 1000 } });
  });
  afterAll(async () => {
    await sandbox.close();
  });

  async function dataApi(method: string, path: string, body: unknown): Promise<{ id: string }> {
    const response = await fetch(`${sandbox.info.apiBaseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${sandbox.info.siteToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as { id: string };
  }

  it('completes, keeping a NUL-named folder and half-character names byte for byte', async () => {
    const siteId = sandbox.info.siteId;
    const folder = await dataApi('POST', `/sites/${siteId}/asset_folders`, { displayName: `Logos${NUL}` });
    const [first, second] = sandbox.world.listAssets(siteId);
    await dataApi('PATCH', `/assets/${first!.id}`, { displayName: `Menu ${HALF}`, altText: `Cup${NUL}of coffee` });
    const fromDesigner = sandbox.world.createAssetWithFile(siteId, { fileName: `beans${HALF}.png`, contentType: 'image/png', bytes: new Uint8Array([1, 2, 3]) });

    const store = stores.current();
    const webflow = createWebflowClient({ apiBaseUrl: sandbox.info.apiBaseUrl, betaBaseUrl: sandbox.info.betaBaseUrl, store, rateWindowMs: 1000 });
    const errors: unknown[] = [];
    const index = createAssetIndex({ store, webflow, getSiteToken: async () => sandbox.info.siteToken, onError: (error) => errors.push(error) });
    await index.refresh(siteId);

    const whole = indexResponse.parse(await index.index(siteId));
    expect(errors).toEqual([]);
    expect(whole.refresh).toMatchObject({ state: 'idle', error: null });
    expect(whole.folders.find((f) => f.id === folder.id)?.name).toBe(`Logos${NUL}`);
    expect(whole.assets.find((a) => a.id === first!.id)).toMatchObject({ name: `Menu ${HALF}`, altText: `Cup${NUL}of coffee` });
    expect(whole.assets.find((a) => a.id === fromDesigner.id)?.fileName).toBe(`beans${HALF}.png`);
    expect(whole.assets.find((a) => a.id === second!.id)?.name).toBe(second!.displayName);

    // The panel's compact answer carries them as they are.
    const app = siteApp({ userId: 'u1', siteId }, indexRoutes({ index }));
    const compact = await app.request(`/api/sites/${siteId}/index?format=compact`);
    expect(compact.status).toBe(200);
    const decoded = decodeCompactIndex((await compact.json()) as CompactIndex);
    expect(decoded.assets.find((a) => a.id === first!.id)?.name).toBe(`Menu ${HALF}`);
    expect(decoded.folders.find((f) => f.id === folder.id)?.name).toBe(`Logos${NUL}`);
  });
});
