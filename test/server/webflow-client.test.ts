/**
 * The Webflow client against a running sandbox (a fast 20-a-second rate limit): what it returns
 * is what the Data API puts on the wire, and its quota keeps every request inside the sandbox's
 * limit — under load, with interactive work waiting, through a 429 storm and 500s, and with two
 * processes sharing one store.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../../src/sandbox/server.ts';
import { startSandboxProcess, type SandboxProcess } from '../../src/stack/sandbox-process.ts';
import { openStore, type Store } from '../../src/server/store/db.ts';
import { createWebflowClient, type QuotaAwareClient } from '../../src/server/webflow/client.ts';
import { capsOf } from '../../src/server/webflow/quota.ts';
import type { WireAsset, WireAssetPage, WireFolder, WireSite } from '../../src/server/webflow/types.ts';
import { newSiteToken, resetStats, setFaults, statsOf, waitFor, wire } from './sandbox-control.ts';
import { testStoreKinds, useTestStore } from './store-test-helpers.ts';

const PER_WINDOW = 20;
const WINDOW_MS = 1000;

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await createSandbox({ port: 0, demo: { assets: 40 }, rateLimit: { perWindow: PER_WINDOW, windowMs: WINDOW_MS } });
});
afterAll(async () => {
  await sandbox.close();
});
beforeEach(async () => {
  await setFaults(sandbox, {});
  await resetStats(sandbox);
});

function clientOn(store: Store, target: Pick<Sandbox, 'info'> = sandbox): QuotaAwareClient {
  return createWebflowClient({ apiBaseUrl: target.info.apiBaseUrl, betaBaseUrl: target.info.betaBaseUrl, store, rateWindowMs: WINDOW_MS });
}

/** A client that knows the token's limit, as one does once the installation is read. */
async function readyClient(store: Store, token: string, target: Pick<Sandbox, 'info'> = sandbox): Promise<QuotaAwareClient> {
  const client = clientOn(store, target);
  await client.introspect(token);
  return client;
}

function assetIds(count: number): string[] {
  return sandbox.world.listAssets(sandbox.info.siteId).slice(0, count).map((a) => a.id);
}

function secondaryLocaleId(): string {
  const id = sandbox.world.site(sandbox.info.siteId).locales.secondary[0]?.id;
  if (!id) throw new Error('The demo site has no secondary locale');
  return id;
}

describe('the Webflow client against the sandbox', () => {
  const stores = useTestStore('pglite');

  it('returns sites, asset pages, assets, folders, the introspection and the resolved user as the wire has them', async () => {
    const token = await newSiteToken(sandbox);
    const client = await readyClient(stores.current(), token);
    const siteId = sandbox.info.siteId;
    const localeId = secondaryLocaleId();
    const [assetId] = assetIds(1) as [string];

    expect(await client.getSite(token, siteId, { priority: 'interactive' })).toEqual((await wire<WireSite>(sandbox, token, `/sites/${siteId}`)).body);
    expect(await client.listAssets(token, siteId, { priority: 'background', offset: 10, limit: 7, localeId })).toEqual(
      (await wire<WireAssetPage>(sandbox, token, `/sites/${siteId}/assets?offset=10&limit=7&localeId=${localeId}`)).body,
    );
    const asset = await client.getAsset(token, assetId, { priority: 'interactive', localeId });
    expect(asset).toEqual((await wire<WireAsset>(sandbox, token, `/assets/${assetId}?localeId=${localeId}`)).body);
    expect(asset.createdOn).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    expect(typeof asset.lastUpdated).toBe('string');
    expect(await client.listFolders(token, siteId, { priority: 'background' })).toEqual(
      (await wire<{ assetFolders: WireFolder[] }>(sandbox, token, `/sites/${siteId}/asset_folders`)).body.assetFolders,
    );
    const { authorization } = await client.introspect(token);
    expect(authorization).toMatchObject({ rateLimit: PER_WINDOW, authorizedTo: { siteIds: [siteId] } });
    expect(typeof (authorization as { createdOn?: unknown }).createdOn).toBe('string');

    const idToken = sandbox.world.issueIdToken(siteId);
    const user = await client.resolveIdToken(token, idToken);
    expect(user).toEqual((await wire(sandbox, token, '/../beta/token/resolve', { method: 'POST', body: { idToken } })).body);
    expect(user.siteId).toBe(siteId);
  });

  it('writes alt text in a secondary locale with the locale, and decorative alt text as null', async () => {
    const token = await newSiteToken(sandbox);
    const client = await readyClient(stores.current(), token);
    const localeId = secondaryLocaleId();
    const [first, second] = assetIds(2) as [string, string];
    const primaryBefore = (await wire<WireAsset>(sandbox, token, `/assets/${first}`)).body.altText;

    const updated = await client.updateAsset(token, first, { localeId, altText: 'Le port au matin' }, { priority: 'interactive' });
    expect(updated).toEqual((await wire<WireAsset>(sandbox, token, `/assets/${first}?localeId=${localeId}`)).body);
    expect(updated.altText).toBe('Le port au matin');
    expect((await wire<WireAsset>(sandbox, token, `/assets/${first}`)).body.altText).toBe(primaryBefore);

    await client.updateAsset(token, second, { altText: null, displayName: 'Divider line' }, { priority: 'background' });
    expect((await wire<WireAsset>(sandbox, token, `/assets/${second}`)).body).toMatchObject({ altText: null, displayName: 'Divider line' });
  });

  it('creates an asset with uploadDetails under their wire names in wire order, a nested folder, and deletes the asset', async () => {
    const token = await newSiteToken(sandbox);
    const client = await readyClient(stores.current(), token);
    const siteId = sandbox.info.siteId;
    const bytes = new TextEncoder().encode(`<svg xmlns="http://www.w3.org/2000/svg" data-t="${Date.now()}"/>`);
    const fileHash = createHash('md5').update(bytes).digest('hex');

    const parent = await client.createFolder(token, siteId, { displayName: 'Campaigns' }, { priority: 'interactive' });
    const child = await client.createFolder(token, siteId, { displayName: 'Spring', parentFolder: parent.id }, { priority: 'interactive' });
    expect(child).toEqual((await wire<WireFolder>(sandbox, token, `/asset_folders/${child.id}`)).body);
    expect(child.parentFolder).toBe(parent.id);

    const raw = await wire<{ uploadDetails: Record<string, string> }>(sandbox, token, `/sites/${siteId}/assets`, { method: 'POST', body: { fileName: 'raw.svg', fileHash } });
    const created = await client.createAsset(token, siteId, { fileName: 'mark.svg', fileHash, parentFolder: child.id }, { priority: 'interactive' });
    expect(Object.keys(created.uploadDetails)).toEqual(Object.keys(raw.body.uploadDetails));
    expect(Object.keys(created.uploadDetails)).toContain('X-Amz-Signature');
    expect(created).toMatchObject({ parentFolder: child.id, originalFileName: 'mark.svg', contentType: 'image/svg+xml' });
    expect(created.createdOn).toMatch(/^\d{4}-\d\d-\d\dT/);

    // The fields go back to storage exactly as they came: S3 checks the signature over them.
    const form = new FormData();
    for (const [name, value] of Object.entries(created.uploadDetails)) form.append(name, value);
    form.append('file', new Blob([bytes], { type: 'image/svg+xml' }), 'mark.svg');
    expect((await fetch(created.uploadUrl, { method: 'POST', body: form })).status).toBe(201);
    expect((await client.getAsset(token, created.id, { priority: 'interactive' })).size).toBe(bytes.byteLength);

    await client.deleteAsset(token, created.id, { priority: 'interactive' });
    expect((await wire(sandbox, token, `/assets/${created.id}`)).status).toBe(404);
  });

  it('rides out a 429 storm: stops sending until Retry-After has passed, then completes every request', async () => {
    const token = await newSiteToken(sandbox);
    const client = await readyClient(stores.current(), token);
    const ids = assetIds(30);
    await setFaults(sandbox, { stormMs: 1500 });

    const assets = await Promise.all(ids.map((id) => client.getAsset(token, id, { priority: 'background' })));

    expect(assets.map((a) => a.id)).toEqual(ids);
    const served = await statsOf(sandbox);
    // Only requests already on their way when the storm began meet it; then the token waits.
    expect(served.tooManyRequests).toBeGreaterThan(0);
    expect(served.tooManyRequests).toBeLessThanOrEqual(PER_WINDOW);
  });

  it('never sends a create or a delete again after a lost answer, and sends a PATCH again', async () => {
    const token = await newSiteToken(sandbox);
    const client = await readyClient(stores.current(), token);
    const siteId = sandbox.info.siteId;
    const fault = (route: string, answer: 'error' | 'drop') =>
      fetch(`${sandbox.url}/_sandbox/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ failAfterApplying: { count: 1, answer, route } }) });

    await fault('POST /v2/sites/:id/asset_folders', 'drop');
    await expect(client.createFolder(token, siteId, { displayName: 'Sent once' }, { priority: 'interactive' })).rejects.toMatchObject({ status: 0 });
    await fault('POST /v2/sites/:id/assets', 'error');
    await expect(client.createAsset(token, siteId, { fileName: 'once.svg', fileHash: 'd'.repeat(32) }, { priority: 'background' })).rejects.toMatchObject({ status: 500 });
    const created = sandbox.world.listAssets(siteId).find((a) => a.originalFileName === 'once.svg');
    if (!created) throw new Error('The sandbox did not apply the create');
    await fault('DELETE /v2/assets/:id', 'error');
    await expect(client.deleteAsset(token, created.id, { priority: 'background' })).rejects.toMatchObject({ status: 500 });
    await setFaults(sandbox, { errorRate: 0 });
    const served = await statsOf(sandbox);
    expect(served.byRoute['POST /v2/sites/:id/asset_folders']).toBe(1);
    expect(served.byRoute['POST /v2/sites/:id/assets']).toBe(1);
    expect(served.byRoute['DELETE /v2/assets/:id']).toBe(1);
    expect(sandbox.world.listFolders(siteId).filter((f) => f.displayName === 'Sent once')).toHaveLength(1);

    // A write of a value whose answer is lost is simply sent again: twice is the same as once.
    await fault('PATCH /v2/assets/:id', 'drop');
    const [patched] = assetIds(1) as [string];
    expect((await client.updateAsset(token, patched, { displayName: 'Patched twice' }, { priority: 'interactive' })).displayName).toBe('Patched twice');
    expect((await statsOf(sandbox)).byRoute['PATCH /v2/assets/:id']).toBe(2);
  });

  it('loses no write to 500s at a 30% error rate: every alt text reaches Webflow', async () => {
    const token = await newSiteToken(sandbox);
    const client = await readyClient(stores.current(), token);
    const ids = assetIds(30);
    await setFaults(sandbox, { errorRate: 0.3 });

    await Promise.all(ids.map((id, i) => client.updateAsset(token, id, { altText: `Storm-proof ${i}` }, { priority: 'background' })));

    await setFaults(sandbox, {});
    const served = await statsOf(sandbox);
    expect(served.serverErrors).toBeGreaterThan(0);
    for (const [i, id] of ids.entries()) expect(sandbox.world.altTextIn(sandbox.world.asset(sandbox.info.siteId, id), sandbox.world.site(sandbox.info.siteId).locales.primary.id)).toBe(`Storm-proof ${i}`);
  });
});

describe('the client’s quota against Webflow in a process of its own', () => {
  const stores = useTestStore('pglite');
  // A sandbox on this test's event loop counts requests late whenever PGlite holds the loop,
  // and a busy machine turns that into 429s Webflow itself would not answer: here a 429 is real.
  let webflow: SandboxProcess;
  beforeAll(async () => {
    webflow = await startSandboxProcess({ port: 0, assets: 40, rateLimit: { perWindow: PER_WINDOW, windowMs: WINDOW_MS } });
  }, 120_000);
  afterAll(async () => {
    await webflow?.close();
  });

  it('spreads 150 background requests over windows of what background work may use, without one 429', async () => {
    const token = await newSiteToken(webflow);
    const client = await readyClient(stores.current(), token, webflow);
    await resetStats(webflow);

    const sites = await Promise.all(Array.from({ length: 150 }, () => client.getSite(token, webflow.info.siteId, { priority: 'background' })));

    expect(sites.every((site) => site.id === webflow.info.siteId)).toBe(true);
    // A request beyond the window's limit is a 429 Webflow really answered (the sandbox runs in
    // a process of its own); how long it takes is the refresh benchmark's figure.
    const served = await statsOf(webflow);
    expect(served.tooManyRequests).toBe(0);
    expect(served.requests).toBe(150);
  });

  it('counts what another app spent of the token in the same window, from X-RateLimit-Remaining', async () => {
    // A fresh token: its first window opens with the introspection, on both sides.
    const token = await newSiteToken(webflow);
    const client = await readyClient(stores.current(), token, webflow);
    await resetStats(webflow);
    await client.getSite(token, webflow.info.siteId, { priority: 'interactive' });
    // Another tool with the same token spends half the window behind the client's back.
    for (let n = 0; n < PER_WINDOW / 2; n += 1) expect((await wire(webflow, token, `/sites/${webflow.info.siteId}`)).status).toBe(200);

    for (let n = 0; n < PER_WINDOW; n += 1) await client.getSite(token, webflow.info.siteId, { priority: 'interactive' });

    const served = await statsOf(webflow);
    expect(served.requests).toBe(1 + PER_WINDOW / 2 + PER_WINDOW);
    expect(served.tooManyRequests).toBe(0);
  });

  it('sends an interactive request ahead of background requests already waiting', async () => {
    const token = await newSiteToken(webflow);
    const client = await readyClient(stores.current(), token, webflow);
    await resetStats(webflow);
    let backgroundDone = 0;
    const background = Array.from({ length: 80 }, () =>
      client.getSite(token, webflow.info.siteId, { priority: 'background' }).then(() => (backgroundDone += 1)),
    );
    // The first window's background share is spent: the rest wait for the next windows.
    await waitFor('the first window spent', async () => (backgroundDone >= capsOf(PER_WINDOW).background ? true : undefined));

    await client.getSite(token, webflow.info.siteId, { priority: 'interactive' });

    const doneWhenAnswered = backgroundDone;
    await Promise.all(background);
    // Answered within the next window: at most that window's background requests went first.
    expect(doneWhenAnswered).toBeLessThanOrEqual(2 * PER_WINDOW);
    expect((await statsOf(webflow)).tooManyRequests).toBe(0);
  });

});

describe.each(testStoreKinds)('two backend processes sharing one store on %s', (kind) => {
  const stores = useTestStore(kind);
  // Webflow in a process of its own, as it is: a sandbox on this test's event loop counted
  // requests late whenever PGlite held the loop, and a busy CI machine turned that into 429s
  // Webflow itself would not have answered.
  let webflow: SandboxProcess;
  beforeAll(async () => {
    webflow = await startSandboxProcess({ port: 0, assets: 40, rateLimit: { perWindow: PER_WINDOW, windowMs: WINDOW_MS } });
  }, 120_000);
  afterAll(async () => {
    await webflow?.close();
  });

  it('never make Webflow answer 429 together', async () => {
    const sandbox = webflow;
    const token = await newSiteToken(sandbox);
    const first = stores.current();
    // Two processes: two clients, and on PostgreSQL two connection pools on the test's schema.
    const [schema] = await first.query<{ name: string }>('SELECT current_schema() AS name');
    const second = kind === 'postgres' ? await openStore(process.env.TEST_DATABASE_URL, { schema: schema?.name ?? '' }) : first;
    try {
      const [one, two] = [await readyClient(first, token, sandbox), await readyClient(second, token, sandbox)];
      await resetStats(sandbox);

      await Promise.all([
        ...Array.from({ length: 60 }, () => one.getSite(token, sandbox.info.siteId, { priority: 'background' })),
        ...Array.from({ length: 60 }, () => two.getSite(token, sandbox.info.siteId, { priority: 'background' })),
      ]);

      const served = await statsOf(sandbox);
      expect(served.requests).toBe(120);
      expect(served.tooManyRequests).toBe(0);
    } finally {
      if (second !== first) await second.close();
    }
  });
});
