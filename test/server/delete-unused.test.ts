/**
 * Deleting unused assets through the journal, against the sandbox (docs/decisions/asset-deletion.md):
 * the backend refuses an asset in use (409 with its uses), holds back what was uploaded or seen
 * used lately, deletes through the journal with the file kept, and an undo uploads it again
 * (a new id, the same bytes, names, folder and alt text in every locale). A use appearing between
 * the record and the DELETE makes a conflict; 500s and 429s mid-batch delete nothing twice.
 */
import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Batch, Change, IndexResponse } from '../../src/core/api.ts';
import type { DeletionCheck } from '../../src/core/deletion.ts';
import type { UsageSummary } from '../../src/core/usage.ts';
import { createSandbox, type Sandbox } from '../../src/sandbox/server.ts';
import type { WorldAsset } from '../../src/sandbox/world/world.ts';
import { startBackend, type Backend } from '../../src/server/backend.ts';
import { installOnSandboxSite } from '../../src/stack/install.ts';
import { sessionClient, type Client } from './backend-support.ts';
import { resetStats, statsOf, waitFor } from './sandbox-control.ts';

let sandbox: Sandbox;
let backend: Backend;
let client: Client;

beforeAll(async () => {
  sandbox = await createSandbox({ port: 0, demo: { assets: 200 }, rateLimit: { perWindow: 1000, windowMs: 1000 } });
  backend = await startBackend({ port: 0, sandboxUrl: sandbox.url, databaseUrl: 'memory://', dataDir: null, panelOrigins: ['http://127.0.0.1:4300'], rateWindowMs: 1000 });
  await installOnSandboxSite(backend.url, sandbox.info.siteId);
  client = await sessionClient(backend.url, sandbox);
  await client.json(site('/index'));
  await usageRead([]);
}, 120_000);
afterAll(async () => {
  await backend?.close();
  await sandbox?.close();
});
afterEach(() => sandbox.setFaults({}));

const site = (path: string) => `/api/sites/${sandbox.info.siteId}${path}`;
const DELETE_ROUTE = 'DELETE /v2/assets/:id';
/** Assets earlier tests of this file deleted or chose: each test takes its own. */
const taken = new Set<string>();

/** A complete crawl, then the styles as the panel sends them (here: these background images). */
async function usageRead(styleAssetIds: string[]): Promise<UsageSummary> {
  await client.json(site('/usage/crawl'), { method: 'POST' });
  const summary = await waitFor('a complete crawl', async () => {
    const read = await client.json<UsageSummary>(site('/usage'));
    return read.crawl.built && read.crawl.state === 'idle' ? read : undefined;
  });
  await client.json(site('/usage/styles'), { method: 'PUT', body: { uses: styleAssetIds.map((assetId) => ({ assetId, styleName: `Hero ${assetId.slice(-4)}` })) } });
  return summary;
}

async function unusedAssets(count: number): Promise<string[]> {
  const summary = await client.json<UsageSummary>(site('/usage'));
  const used = new Set(summary.columns.assetId);
  const { assets } = await client.json<IndexResponse>(site('/index'));
  // Uploaded before the grace days (the files put back by an undo are new uploads).
  const old = (createdOn: string) => Date.now() - Date.parse(createdOn) > 8 * 86_400_000;
  const unused = assets.filter((a) => !used.has(a.id) && !taken.has(a.id) && old(a.createdOn)).slice(0, count);
  if (unused.length < count) throw new Error(`The demo site has only ${unused.length} unused assets left`);
  for (const asset of unused) taken.add(asset.id);
  return unused.map((a) => a.id);
}

async function settled(batch: Batch): Promise<Change[]> {
  return waitFor(`batch ${batch.id} settled`, async () => {
    const changes = await Promise.all(batch.changes.map(async (c) => (await client.json<{ changes: Change[] }>(site(`/assets/${c.assetId}/history`))).changes.find((h) => h.id === c.id)));
    return changes.every((c) => c && !['pending', 'leased'].includes(c.status)) ? (changes as Change[]) : undefined;
  });
}

const world = (): WorldAsset[] => sandbox.world.listAssets(sandbox.info.siteId);
/** What GET /v2/assets/{id}?localeId= answers. */
const altAnswered = (asset: WorldAsset, localeId: string) => sandbox.world.altTextIn(asset, localeId);
const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('hex');

describe('deleting unused assets', () => {
  it('deletes through the journal and an undo uploads them again: new ids, same bytes, names, folder and alt text per locale', async () => {
    const ids = await unusedAssets(3);
    const before = new Map(world().filter((a) => ids.includes(a.id)).map((a) => [a.id, structuredClone(a)]));
    const check = await client.json<DeletionCheck>(site('/deletions/check'), { method: 'POST', body: { assetIds: ids } });
    expect(check.ready, check.notReady.join(' ')).toBe(true);
    expect(check.deletable.map((d) => d.assetId)).toEqual(ids);
    expect(check.sources.read.map((r) => r.source)).toEqual(['pages', 'components', 'cms', 'styles']);
    expect(check.sources.notSeen.length).toBeGreaterThan(0);

    const response = await client.request(site('/deletions'), { method: 'POST', body: { assetIds: ids } });
    expect(response.status).toBe(201);
    const { batch } = (await response.json()) as { batch: Batch };
    expect(batch.changes.map((c) => [c.field, c.before, c.after])).toEqual(ids.map(() => ['deletion', 'kept', 'deleted']));
    expect((await settled(batch)).map((c) => c.status)).toEqual(['applied', 'applied', 'applied']);
    expect(world().filter((a) => ids.includes(a.id))).toEqual([]);
    const index = await client.json<IndexResponse>(site('/index'));
    expect(index.assets.filter((a) => ids.includes(a.id))).toEqual([]);

    const undo = await client.request(site(`/batches/${batch.id}/undo`), { method: 'POST' });
    expect(undo.status).toBe(201);
    const { batch: inverse } = (await undo.json()) as { batch: Batch };
    expect((await settled(inverse)).map((c) => c.status)).toEqual(['applied', 'applied', 'applied']);
    const after = await client.json<IndexResponse>(site('/index'));
    for (const original of before.values()) {
      const [again, ...more] = world().filter((a) => a.fileHash === original.fileHash && a.originalFileName === original.originalFileName);
      expect(more).toEqual([]);
      expect(again?.id).not.toBe(original.id);
      expect(again && md5(again.file?.bytes ?? new Uint8Array())).toBe(md5(original.file?.bytes ?? new Uint8Array(1)));
      expect(again).toMatchObject({ displayName: original.displayName, folderId: original.folderId, contentType: original.contentType });
      // Alt text as Webflow answers it in each locale (an own value, or the primary's where none).
      for (const localeId of Object.keys(original.altText)) expect(altAnswered(again as WorldAsset, localeId), `alt text in ${localeId}`).toBe(altAnswered(original, localeId));
      // The asset index shows the asset put back, not the deleted one.
      expect(after.assets.find((a) => a.id === again?.id)).toMatchObject({ name: original.displayName, folderId: original.folderId });
    }
  });

  it('refuses to record the deletion of an asset in use: 409 with its uses, nothing journaled', async () => {
    const summary = await client.json<UsageSummary>(site('/usage'));
    const i = summary.columns.pages.findIndex((pages) => pages > 0);
    const used = summary.columns.assetId[i] as string;
    const [unused] = await unusedAssets(1);
    const response = await client.request(site('/deletions'), { method: 'POST', body: { assetIds: [unused, used] } });
    expect(response.status).toBe(409);
    const body = (await response.json()) as { error: { code: string; message: string; details: { heldBack: DeletionCheck['heldBack'] } } };
    expect(body.error.code).toBe('conflict');
    expect(body.error.message).toContain('in use');
    const [held] = body.error.details.heldBack;
    expect(held).toMatchObject({ assetId: used, reason: 'in_use' });
    expect(held?.uses?.some((use) => use.where.kind === 'page')).toBe(true);
    const history = await client.json<{ changes: Change[] }>(site(`/assets/${unused}/history`));
    expect(history.changes).toEqual([]);
  });

  it('holds back an asset uploaded or seen used within the grace days, and says so', async () => {
    const [once] = await unusedAssets(1);
    // Seen used (a background image), then no longer: still held back for the grace days.
    await usageRead([once as string]);
    await usageRead([]);
    const bytes = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>');
    const upload = await client.json<{ status: string; upload: { id: string; assetId: string; uploadUrl: string; uploadDetails: Record<string, string> } }>(site('/uploads'), {
      method: 'POST',
      body: { fileName: 'just-now.svg', fileHash: md5(bytes), size: bytes.byteLength, contentType: 'image/svg+xml', allowDuplicate: true },
    });
    const form = new FormData();
    for (const [name, value] of Object.entries(upload.upload.uploadDetails)) form.append(name, value);
    form.append('file', new Blob([bytes], { type: 'image/svg+xml' }), 'just-now.svg');
    expect((await fetch(upload.upload.uploadUrl, { method: 'POST', body: form })).status).toBe(201);
    await client.json(site(`/uploads/${upload.upload.id}/complete`), { method: 'POST', body: {} });

    const check = await client.json<DeletionCheck>(site('/deletions/check'), { method: 'POST', body: { assetIds: [once, upload.upload.assetId] } });
    expect(check.deletable).toEqual([]);
    expect(check.heldBack.map((h) => [h.assetId, h.reason])).toEqual([
      [once, 'recently_used'],
      [upload.upload.assetId, 'recently_uploaded'],
    ]);
    expect(check.heldBack[0]?.detail).toMatch(/^Seen used on .* within the last 7 days\.$/);
    const refused = await client.request(site('/deletions'), { method: 'POST', body: { assetIds: [once] } });
    expect(refused.status).toBe(409);
  });

  it('makes a conflict, not a DELETE, when a use appears between the record and the apply', async () => {
    const [asset] = await unusedAssets(1);
    await resetStats(sandbox);
    // Webflow slow to answer the applier's read: the style read below lands before it.
    sandbox.setFaults({ latencyMs: 1500 });
    const response = await client.request(site('/deletions'), { method: 'POST', body: { assetIds: [asset] } });
    expect(response.status).toBe(201);
    await client.json(site('/usage/styles'), { method: 'PUT', body: { uses: [{ assetId: asset, styleName: 'Late hero' }] } });
    const { batch } = (await response.json()) as { batch: Batch };
    const [change] = await settled(batch);
    expect(change).toMatchObject({ status: 'conflict', current: 'in use' });
    expect(world().some((a) => a.id === asset)).toBe(true);
    expect((await statsOf(sandbox)).byRoute[DELETE_ROUTE] ?? 0).toBe(0);
    sandbox.setFaults({});
    await usageRead([]);
  });

  it('deletes nothing twice when Webflow answers 500 after deleting, or 429, mid-batch', async () => {
    const ids = await unusedAssets(4);
    await resetStats(sandbox);
    sandbox.setFaults({ failAfterApplying: { count: 2, answer: 'error', route: DELETE_ROUTE } });
    const response = await client.request(site('/deletions'), { method: 'POST', body: { assetIds: ids.slice(0, 2) } });
    const { batch } = (await response.json()) as { batch: Batch };
    expect((await settled(batch)).map((c) => c.status)).toEqual(['applied', 'applied']);
    sandbox.setFaults({ stormMs: 1500 });
    const second = await client.request(site('/deletions'), { method: 'POST', body: { assetIds: ids.slice(2) } });
    const { batch: stormed } = (await second.json()) as { batch: Batch };
    expect((await settled(stormed)).map((c) => c.status)).toEqual(['applied', 'applied']);
    const stats = await statsOf(sandbox);
    expect(stats.byRoute[DELETE_ROUTE]).toBe(4);
    expect(stats.tooManyRequests).toBeGreaterThan(0);
    expect(world().filter((a) => ids.includes(a.id))).toEqual([]);
  });

  it('puts a file back once when the re-upload’s create is answered 500 after Webflow made the asset', async () => {
    const [id] = await unusedAssets(1);
    const original = structuredClone(world().find((a) => a.id === id) as WorldAsset);
    const deleted = (await (await client.request(site('/deletions'), { method: 'POST', body: { assetIds: [id] } })).json()) as { batch: Batch };
    expect((await settled(deleted.batch)).map((c) => c.status)).toEqual(['applied']);
    await resetStats(sandbox);
    sandbox.setFaults({ failAfterApplying: { count: 1, answer: 'error', route: 'POST /v2/sites/:id/assets' } });
    const undo = (await (await client.request(site(`/batches/${deleted.batch.id}/undo`), { method: 'POST' })).json()) as { batch: Batch };
    expect((await settled(undo.batch)).map((c) => c.status)).toEqual(['applied']);
    // The lost create's asset was found and removed; exactly one copy is back, with its file.
    const copies = world().filter((a) => a.originalFileName === original.originalFileName && a.fileHash === original.fileHash);
    expect(copies).toHaveLength(1);
    expect(md5(copies[0]?.file?.bytes ?? new Uint8Array())).toBe(md5(original.file?.bytes ?? new Uint8Array(1)));
    expect((await statsOf(sandbox)).byRoute['POST /v2/sites/:id/assets']).toBe(2);
  });
});
