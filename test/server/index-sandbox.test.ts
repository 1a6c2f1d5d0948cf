/**
 * The asset index and uploads against the sandbox through the real quota-aware client: a whole
 * refresh of 2,500 assets in three locales within a 60-request window, and an upload through
 * the presigned POST. The sandbox counts the requests it served.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uploadResponse } from '../../src/core/api.ts';
import { createSandbox, type Sandbox } from '../../src/sandbox/server.ts';
import { createAssetIndex } from '../../src/server/services/asset-index.ts';
import { createUploads } from '../../src/server/services/uploads.ts';
import { createWebflowClient } from '../../src/server/webflow/client.ts';
import { testStoreKinds, useTestStore } from './store-test-helpers.ts';

const ASSETS = 2500;
const WINDOW_MS = 1000;

interface Stats {
  requests: number;
  tooManyRequests: number;
  byRoute: Record<string, number>;
}

describe.each(testStoreKinds)('index against the sandbox on %s', (kind) => {
  const stores = useTestStore(kind);
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await createSandbox({ port: 0, demo: { assets: ASSETS }, rateLimit: { perWindow: 60, windowMs: WINDOW_MS } });
  });
  afterAll(async () => {
    await sandbox.close();
  });

  async function stats(): Promise<Stats> {
    return (await (await fetch(`${sandbox.url}/_sandbox/stats`)).json()) as Stats;
  }

  function services() {
    const store = stores.current();
    const webflow = createWebflowClient({ apiBaseUrl: sandbox.info.apiBaseUrl, betaBaseUrl: sandbox.info.betaBaseUrl, store, rateWindowMs: WINDOW_MS });
    const getSiteToken = async (siteId: string) => (siteId === sandbox.info.siteId ? sandbox.info.siteToken : undefined);
    const index = createAssetIndex({ store, webflow, getSiteToken });
    return { store, webflow, index, getSiteToken };
  }

  it('refreshes 2,500 assets in three locales with one request per page, no 429 reaching it', async () => {
    const { index } = services();
    const siteId = sandbox.info.siteId;
    await fetch(`${sandbox.url}/_sandbox/stats/reset`, { method: 'POST' });

    await index.refresh(siteId);

    const whole = await index.index(siteId);
    expect(whole.refresh).toMatchObject({ state: 'idle', error: null });
    expect(whole.assets).toHaveLength(ASSETS);
    const secondaries = whole.site.locales.filter((l) => !l.primary);
    expect(secondaries).toHaveLength(2);

    const served = await stats();
    const pages = Math.ceil(ASSETS / 100);
    const listings = Object.entries(served.byRoute).filter(([route]) => route.startsWith('GET /v2/sites/') && route.endsWith('/assets'));
    // One answered request per page, and the site and its folders. This sandbox shares the
    // test's event loop, which can count a request late and answer a 429 Webflow would not; the
    // client then waits and asks again, so a 429 costs a request and nothing else (and none
    // reached the refresh, which finished without an error).
    const listed = listings.reduce((sum, [, n]) => sum + n, 0);
    expect(served.requests - served.tooManyRequests).toBe(2 + pages * (1 + secondaries.length));
    expect(listed).toBeGreaterThanOrEqual(pages * (1 + secondaries.length));
    expect(listed).toBeLessThanOrEqual(pages * (1 + secondaries.length) + served.tooManyRequests);

    // Each locale's own alt text is what Webflow shows in that locale, fallbacks are not stored.
    const world = sandbox.world;
    let own = 0;
    for (const asset of whole.assets.slice(0, 300)) {
      const worldAsset = world.asset(siteId, asset.id);
      expect(asset.altText).toBe(world.altTextIn(worldAsset, whole.site.locales[0]?.id ?? ''));
      for (const locale of secondaries) {
        const shown = world.altTextIn(worldAsset, locale.id);
        expect(locale.id in asset.localeAltText ? asset.localeAltText[locale.id] : asset.altText).toBe(shown);
        if (locale.id in asset.localeAltText) own += 1;
      }
      if (asset.contentType.startsWith('image/')) expect(asset.thumbUrl).toBeTruthy();
      else expect(asset.thumbUrl).toBeNull();
    }
    expect(own).toBeGreaterThan(0);
  }, 60_000);

  it('uploads a file through the presigned POST and indexes it with its md5', async () => {
    const { index, webflow, store, getSiteToken } = services();
    const siteId = sandbox.info.siteId;
    const uploads = createUploads({ store, webflow, index, getSiteToken });
    const bytes = new TextEncoder().encode(`<svg xmlns="http://www.w3.org/2000/svg" data-n="${Date.now()}"/>`);
    const fileHash = createHash('md5').update(bytes).digest('hex');

    const answer = uploadResponse.parse(await uploads.create({ userId: 'u1', siteId }, { fileName: 'mark.svg', fileHash, size: bytes.byteLength, contentType: 'image/svg+xml' }));
    if (answer.status !== 'created') throw new Error('expected a created upload');
    const form = new FormData();
    for (const [name, value] of Object.entries(answer.upload.uploadDetails)) form.append(name, value);
    form.append('file', new Blob([bytes], { type: 'image/svg+xml' }), 'mark.svg');
    const sent = await fetch(answer.upload.uploadUrl, { method: 'POST', body: form });
    expect(sent.status).toBe(201);

    const asset = await uploads.complete(siteId, answer.upload.id, 'Our mark');
    expect(asset).toMatchObject({ id: answer.upload.assetId, md5: fileHash, altText: 'Our mark', size: bytes.byteLength });
    const again = await uploads.create({ userId: 'u1', siteId }, { fileName: 'mark-2.svg', fileHash, size: bytes.byteLength, contentType: 'image/svg+xml' });
    expect(again).toMatchObject({ status: 'duplicate', existing: { id: asset.id } });
  }, 30_000);
});
