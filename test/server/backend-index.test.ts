/**
 * The asset index and the journal through the real HTTP stack, against the sandbox with 2,500
 * assets in three locales and a fast quota of 60 requests a second: the refresh's cost and
 * progress, the gzipped index and its changes, and changes applied by the server applier —
 * conflicts, undo, and faults injected by the sandbox with nothing lost.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Batch, Change, ChangesResponse, IndexChangesResponse, IndexResponse, RefreshState } from '../../src/core/api.ts';
import { startStack, type Stack } from '../../src/stack/stack.ts';
import type { WireAsset } from '../../src/server/webflow/types.ts';
import { builtIndex as builtIndexOf, sessionClient, type Client } from './backend-support.ts';
import { resetStats, setFaults, statsOf, waitFor, wire } from './sandbox-control.ts';

const ASSETS = 2500;

let stack: Stack;
let client: Client;

beforeAll(async () => {
  stack = await startStack({ withoutPanel: true, rateLimit: { perWindow: 60, windowMs: 1000 }, demo: { assets: ASSETS } });
  client = await sessionClient(stack.backendUrl, stack.sandbox);
});
afterAll(async () => {
  await stack?.close();
});

const site = (path: string) => `/api/sites/${stack.siteId}${path}`;

/** The whole index once a refresh has finished (starting one when none has). */
function builtIndex(): Promise<IndexResponse> {
  return builtIndexOf(client, stack.siteId);
}

async function record(changes: Array<Pick<Change, 'assetId' | 'field' | 'before' | 'after'> & { localeId?: string }>, label?: string): Promise<Batch> {
  return (await client.json<{ batch: Batch }>(site('/changes'), { method: 'POST', body: { changes, ...(label ? { label } : {}) } })).batch;
}

/** The batch's changes once none is pending or leased. */
async function settled(batch: Batch, timeoutMs = 40_000): Promise<Change[]> {
  const ids = new Set(batch.changes.map((c) => c.id));
  return waitFor(`batch ${batch.id} to settle`, async () => {
    const { changes } = await client.json<ChangesResponse>(site('/changes?status=pending,leased,applied,conflict,failed&limit=5000'));
    const mine = changes.filter((c) => ids.has(c.id));
    return mine.length === ids.size && mine.every((c) => c.status !== 'pending' && c.status !== 'leased') ? mine : undefined;
  }, timeoutMs, 200);
}

async function onWebflow(assetId: string, localeId?: string): Promise<WireAsset> {
  return (await wire<WireAsset>(stack.sandbox, stack.sandbox.info.siteToken, `/assets/${assetId}${localeId ? `?localeId=${localeId}` : ''}`)).body;
}

function secondaryOf(index: IndexResponse): string {
  const locale = index.site.locales.find((l) => !l.primary);
  if (!locale) throw new Error('The demo site has no secondary locale');
  return locale.id;
}

/** What only an asset-index refresh reads: its asset folders, its assets (the site is read by the usage crawl too). */
const ASSET_INDEX_ROUTES = ['GET /v2/sites/:id/asset_folders', 'GET /v2/sites/:id/assets'];

describe('the asset index', () => {
  it('refreshes 2,500 assets in 2 + 25 × 3 requests within the quota, showing its progress', async () => {
    await resetStats(stack.sandbox);
    expect((await client.request(site('/index/refresh'), { method: 'POST' })).status).toBe(202);
    const seen: RefreshState[] = [];

    const finished = await waitFor('the refresh', async () => {
      const { refresh } = await client.json<IndexChangesResponse>(site('/index/changes?since=0'));
      seen.push(refresh);
      return refresh.state === 'idle' && refresh.finishedAt ? refresh : undefined;
    }, 50_000, 50);

    expect(finished.error).toBeNull();
    expect(seen.some((r) => r.state === 'running' && r.done > 0 && r.total !== null && r.done < r.total)).toBe(true);
    const served = await statsOf(stack.sandbox);
    const index = await client.json<IndexResponse>(site('/index'));
    const secondaries = index.site.locales.filter((l) => !l.primary).length;
    expect(secondaries).toBe(2);
    // The site, its folders, and each locale's listing 100 at a time. (The usage crawl that
    // follows a refresh reads the site again, then pages, components and the CMS.)
    const assetRequests = (stats: typeof served) => ASSET_INDEX_ROUTES.map((route) => stats.byRoute[route] ?? 0);
    expect(assetRequests(served)).toEqual([1, Math.ceil(ASSETS / 100) * (1 + secondaries)]);
    expect(served.byRoute['GET /v2/sites/:id']).toBeGreaterThanOrEqual(1);
    expect(served.tooManyRequests).toBe(0);
    expect(index.assets).toHaveLength(ASSETS);
    expect(assetRequests(await statsOf(stack.sandbox))).toEqual(assetRequests(served));
  }, 60_000);

  it('answers the whole index gzipped, with its version and an ETag', async () => {
    const built = await builtIndex();

    const response = await client.request(site('/index'), { headers: { 'accept-encoding': 'gzip' } });

    expect(response.status).toBe(200);
    expect(response.headers.get('content-encoding')).toBe('gzip');
    const etag = response.headers.get('etag');
    const index = (await response.json()) as IndexResponse;
    expect(index.version).toBe(built.version);
    expect(index.version).toBeGreaterThan(0);
    expect(index.assets).toHaveLength(ASSETS);
    expect((await client.request(site('/index'), { headers: { 'if-none-match': etag ?? '' } })).status).toBe(304);
  }, 60_000);
});

describe('the journal, applied by the server applier', () => {
  it('applies primary, locale and decorative alt text on Webflow, and the index mirrors them', async () => {
    const index = await builtIndex();
    const fr = secondaryOf(index);
    const [a, b, c] = index.assets.slice(10, 13) as [IndexResponse['assets'][number], IndexResponse['assets'][number], IndexResponse['assets'][number]];

    const batch = await record(
      [
        { assetId: a.id, field: 'altText', before: a.altText, after: 'Barista pouring a flat white' },
        { assetId: b.id, field: 'altText', localeId: fr, before: fr in b.localeAltText ? (b.localeAltText[fr] ?? null) : b.altText, after: 'Baristas au comptoir' },
        { assetId: c.id, field: 'altText', before: c.altText, after: null },
      ],
      'Three alt texts',
    );
    const changes = await settled(batch);

    expect(changes.map((ch) => ch.status)).toEqual(['applied', 'applied', 'applied']);
    expect(changes.every((ch) => ch.appliedBy === 'server')).toBe(true);
    expect((await onWebflow(a.id)).altText).toBe('Barista pouring a flat white');
    expect((await onWebflow(b.id, fr)).altText).toBe('Baristas au comptoir');
    expect((await onWebflow(b.id)).altText).toBe(b.altText);
    expect((await onWebflow(c.id)).altText).toBeNull();
    const since = await waitFor('the index mirror', async () => {
      const answer = await client.json<IndexChangesResponse>(site(`/index/changes?since=${index.version}`));
      return answer.assets.length >= 3 ? answer : undefined;
    });
    expect(since.version).toBeGreaterThan(index.version);
    const byId = new Map(since.assets.map((asset) => [asset.id, asset]));
    expect(byId.get(a.id)?.altText).toBe('Barista pouring a flat white');
    expect(byId.get(b.id)?.localeAltText[fr]).toBe('Baristas au comptoir');
    expect(byId.get(c.id)?.altText).toBeNull();
  }, 60_000);

  it('reports a change as a conflict when Webflow changed the value first, and leaves Webflow as it is', async () => {
    const index = await builtIndex();
    const asset = index.assets[20] as IndexResponse['assets'][number];
    await wire(stack.sandbox, stack.sandbox.info.siteToken, `/assets/${asset.id}`, { method: 'PATCH', body: { altText: 'Written in the Designer meanwhile' } });

    const [change] = await settled(await record([{ assetId: asset.id, field: 'altText', before: asset.altText, after: 'Written in Asset Desk' }]));

    expect(change).toMatchObject({ status: 'conflict', current: 'Written in the Designer meanwhile' });
    expect((await onWebflow(asset.id)).altText).toBe('Written in the Designer meanwhile');
  }, 60_000);

  it('undoes a batch on Webflow', async () => {
    const index = await builtIndex();
    const assets = index.assets.slice(30, 33);
    const batch = await record(assets.map((asset, i) => ({ assetId: asset.id, field: 'altText' as const, before: asset.altText, after: `Undo me ${i}` })));
    await settled(batch);

    const undo = await client.json<{ batch: Batch }>(site(`/batches/${batch.id}/undo`), { method: 'POST' });
    const undone = await settled(undo.batch);

    expect(undo.batch.undoOf).toBe(batch.id);
    expect(undone.every((ch) => ch.status === 'applied')).toBe(true);
    for (const asset of assets) expect((await onWebflow(asset.id)).altText).toBe(asset.altText);
  }, 60_000);

  it('loses nothing to 500s and a 429 storm', async () => {
    const index = await builtIndex();
    const assets = index.assets.slice(40, 60);
    try {
      await setFaults(stack.sandbox, { errorRate: 0.3 });
      const first = await record(assets.slice(0, 10).map((asset, i) => ({ assetId: asset.id, field: 'altText' as const, before: asset.altText, after: `Through the errors ${i}` })));
      const second = await record(assets.slice(10).map((asset, i) => ({ assetId: asset.id, field: 'altText' as const, before: asset.altText, after: `Through the storm ${i}` })));
      await setFaults(stack.sandbox, { errorRate: 0.3, stormMs: 1500 });

      const changes = [...(await settled(first, 50_000)), ...(await settled(second, 50_000))];

      await setFaults(stack.sandbox, {});
      expect(changes.map((ch) => ch.status)).toEqual(changes.map(() => 'applied'));
      for (const [i, asset] of assets.entries()) {
        expect((await onWebflow(asset.id)).altText).toBe(i < 10 ? `Through the errors ${i}` : `Through the storm ${i - 10}`);
      }
    } finally {
      await setFaults(stack.sandbox, {});
    }
  }, 60_000);
});
