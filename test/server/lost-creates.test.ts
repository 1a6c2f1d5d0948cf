/**
 * Creates whose answer is lost: the sandbox makes the asset or the folder, then answers 500 or
 * drops the connection. The backend never sends the create again blindly; it looks, removes or
 * adopts what the first attempt made, and in the end the sandbox holds exactly one asset (or
 * folder) that the backend tracks, or none and the user is told to try again.
 */
import { createHash, randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Folder, UploadResponse, UploadTicket } from '../../src/core/api.ts';
import { createSandbox, type Sandbox } from '../../src/sandbox/server.ts';
import { startBackend, type Backend } from '../../src/server/backend.ts';
import { createAssetIndex } from '../../src/server/services/asset-index.ts';
import { createUploads } from '../../src/server/services/uploads.ts';
import { openStore } from '../../src/server/store/db.ts';
import { insertCreatingUpload } from '../../src/server/store/uploads.ts';
import { createWebflowClient } from '../../src/server/webflow/client.ts';
import { installOnSandboxSite } from '../../src/stack/install.ts';
import { sessionClient, type Client } from './backend-support.ts';
import { resetStats, statsOf, wire } from './sandbox-control.ts';

let sandbox: Sandbox;
let backend: Backend;
let client: Client;

beforeAll(async () => {
  sandbox = await createSandbox({ port: 0, demo: { assets: 20 }, rateLimit: { perWindow: 200, windowMs: 1000 } });
  backend = await startBackend({ port: 0, sandboxUrl: sandbox.url, databaseUrl: 'memory://', dataDir: null, panelOrigins: ['http://127.0.0.1:4300'], rateWindowMs: 1000 });
  await installOnSandboxSite(backend.url, sandbox.info.siteId);
  client = await sessionClient(backend.url, sandbox);
});
afterAll(async () => {
  await backend?.close();
  await sandbox?.close();
});
afterEach(async () => {
  await putFaults({});
});

const CREATE_ASSET = 'POST /v2/sites/:id/assets';
const CREATE_FOLDER = 'POST /v2/sites/:id/asset_folders';
const site = (path: string) => `/api/sites/${sandbox.info.siteId}${path}`;

async function putFaults(faults: { failAfterApplying?: { count: number; answer: 'error' | 'drop'; route?: string } }): Promise<void> {
  const response = await fetch(`${sandbox.url}/_sandbox/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(faults) });
  expect(response.status).toBe(200);
}

function svg(tag: string): { bytes: Uint8Array<ArrayBuffer>; fileHash: string; fileName: string } {
  const bytes = new TextEncoder().encode(`<svg xmlns="http://www.w3.org/2000/svg" data-tag="${tag}-${randomUUID()}"/>`);
  return { bytes, fileHash: createHash('md5').update(bytes).digest('hex'), fileName: `${tag}-${randomUUID().slice(0, 8)}.svg` };
}

const assetsNamed = (fileName: string) => sandbox.world.listAssets(sandbox.info.siteId).filter((asset) => asset.originalFileName === fileName);

async function sendToStorage(ticket: UploadTicket, bytes: Uint8Array<ArrayBuffer>, fileName: string): Promise<number> {
  const form = new FormData();
  for (const [name, value] of Object.entries(ticket.uploadDetails)) form.append(name, value);
  form.append('file', new Blob([bytes], { type: 'image/svg+xml' }), fileName);
  return (await fetch(ticket.uploadUrl, { method: 'POST', body: form })).status;
}

describe('an asset create whose answer is lost', () => {
  it.each(['error', 'drop'] as const)('leaves exactly one asset, the tracked one, when Webflow made it and answered %s', async (answer) => {
    const file = svg(`lost-${answer}`);
    await resetStats(sandbox);
    await putFaults({ failAfterApplying: { count: 1, answer, route: CREATE_ASSET } });

    const response = await client.request(site('/uploads'), { method: 'POST', body: { fileName: file.fileName, fileHash: file.fileHash, size: file.bytes.byteLength, contentType: 'image/svg+xml' } });

    expect(response.status).toBe(201);
    const answered = (await response.json()) as UploadResponse;
    if (answered.status !== 'created') throw new Error('expected a created upload');
    const left = assetsNamed(file.fileName);
    expect(left.map((asset) => asset.id)).toEqual([answered.upload.assetId]);
    // The first create was looked for and removed, not sent again blindly.
    const served = await statsOf(sandbox);
    expect(served.byRoute[CREATE_ASSET]).toBe(2);
    expect(served.byRoute['DELETE /v2/assets/:id']).toBe(1);
    // Tracked: the upload completes with that asset.
    expect(await sendToStorage(answered.upload, file.bytes, file.fileName)).toBe(201);
    const complete = await client.request(site(`/uploads/${answered.upload.id}/complete`), { method: 'POST', body: {} });
    expect(complete.status).toBe(200);
    expect(((await complete.json()) as { asset: { id: string } }).asset.id).toBe(answered.upload.assetId);
  });

  it('leaves no asset behind and says to upload again when every create it sends is lost', async () => {
    const file = svg('lost-twice');
    await putFaults({ failAfterApplying: { count: 2, answer: 'drop', route: CREATE_ASSET } });

    const response = await client.request(site('/uploads'), { method: 'POST', body: { fileName: file.fileName, fileHash: file.fileHash, size: file.bytes.byteLength, contentType: 'image/svg+xml' } });

    expect(response.status).toBe(502);
    const { error } = (await response.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('webflow_error');
    expect(error.message).toContain(file.fileName);
    expect(error.message).toMatch(/again/);
    expect(assetsNamed(file.fileName)).toHaveLength(0);
  });

  it('is found and removed by the sweeper when the backend stopped before hearing back', async () => {
    const file = svg('orphan');
    const store = await openStore('memory://');
    try {
      const webflow = createWebflowClient({ apiBaseUrl: sandbox.info.apiBaseUrl, betaBaseUrl: sandbox.info.betaBaseUrl, store, rateWindowMs: 1000 });
      const getSiteToken = async () => sandbox.info.siteToken;
      const index = createAssetIndex({ store, webflow, getSiteToken });
      const uploads = createUploads({ store, webflow, index, getSiteToken });
      // Recorded, sent, and the answer never heard: the process died there.
      await insertCreatingUpload(store, { upload_id: randomUUID(), site_id: sandbox.info.siteId, md5: file.fileHash, file_name: file.fileName, folder_id: null, user_id: 'u1', lookBy: new Date(Date.now() - 1) });
      const sent = await wire<{ id: string }>(sandbox, sandbox.info.siteToken, `/sites/${sandbox.info.siteId}/assets`, { method: 'POST', body: { fileName: file.fileName, fileHash: file.fileHash } });
      expect(sent.status).toBe(200);
      const bystander = svg('bystander');
      await wire(sandbox, sandbox.info.siteToken, `/sites/${sandbox.info.siteId}/assets`, { method: 'POST', body: { fileName: bystander.fileName, fileHash: bystander.fileHash } });

      expect(await uploads.sweep()).toBe(1);

      expect(assetsNamed(file.fileName)).toHaveLength(0);
      expect(assetsNamed(bystander.fileName)).toHaveLength(1);
      expect(await uploads.sweep()).toBe(0);
    } finally {
      await store.close();
    }
  });
});

describe('a folder create whose answer is lost', () => {
  it.each(['error', 'drop'] as const)('adopts the folder Webflow made (answer %s): exactly one, listed by the backend', async (answer) => {
    const parent = (await client.json<{ folder: Folder }>(site('/folders'), { method: 'POST', body: { name: `Parent ${answer} ${randomUUID().slice(0, 6)}` } })).folder;
    const name = `Lost ${answer} ${randomUUID().slice(0, 6)}`;
    await resetStats(sandbox);
    await putFaults({ failAfterApplying: { count: 1, answer, route: CREATE_FOLDER } });

    const response = await client.request(site('/folders'), { method: 'POST', body: { name, parentId: parent.id } });

    expect(response.status).toBeLessThan(300);
    const { folder } = (await response.json()) as { folder: Folder };
    expect(folder).toMatchObject({ name, parentId: parent.id });
    const inSandbox = sandbox.world.listFolders(sandbox.info.siteId).filter((f) => f.displayName === name);
    expect(inSandbox.map((f) => ({ id: f.id, parent: f.parentFolder }))).toEqual([{ id: folder.id, parent: parent.id }]);
    expect((await statsOf(sandbox)).byRoute[CREATE_FOLDER]).toBe(1);
    const { folders } = await client.json<{ folders: Folder[] }>(site('/folders'));
    expect(folders.filter((f) => f.name === name)).toEqual([folder]);
  });
});
