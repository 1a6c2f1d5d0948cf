/**
 * Uploads and folders through the backend's HTTP API against the sandbox (upload policies of a
 * few seconds, the sweeper every 200 ms): the presigned POST as the panel sends it, duplicates,
 * refusals, a failed upload and an abandoned one leaving no asset behind, nested folders.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Folder, IndexChangesResponse, UploadResponse, UploadTicket } from '../../src/core/api.ts';
import { createSandbox, type Sandbox } from '../../src/sandbox/server.ts';
import { startBackend, type Backend } from '../../src/server/backend.ts';
import { installOnSandboxSite } from '../../src/stack/install.ts';
import { sessionClient, type Client } from './backend-support.ts';
import { waitFor, wire } from './sandbox-control.ts';

const UPLOAD_TTL_MS = 3000;

let sandbox: Sandbox;
let backend: Backend;
let client: Client;

beforeAll(async () => {
  sandbox = await createSandbox({ port: 0, demo: { assets: 20 }, rateLimit: { perWindow: 60, windowMs: 1000 }, uploadTtlMs: UPLOAD_TTL_MS });
  backend = await startBackend({ port: 0, sandboxUrl: sandbox.url, databaseUrl: 'memory://', dataDir: null, panelOrigins: ['http://127.0.0.1:4300'], rateWindowMs: 1000, uploadSweepMs: 200 });
  await installOnSandboxSite(backend.url, sandbox.info.siteId);
  client = await sessionClient(backend.url, sandbox);
});
afterAll(async () => {
  await backend?.close();
  await sandbox?.close();
});

const site = (path: string) => `/api/sites/${sandbox.info.siteId}${path}`;

function svg(tag: string): { bytes: Uint8Array<ArrayBuffer>; fileHash: string } {
  const bytes = new TextEncoder().encode(`<svg xmlns="http://www.w3.org/2000/svg" data-tag="${tag}-${Date.now()}-${Math.random()}"/>`);
  return { bytes, fileHash: createHash('md5').update(bytes).digest('hex') };
}

async function createUpload(request: { fileName: string; fileHash: string; size: number; contentType: string; folderId?: string }): Promise<Response> {
  return client.request(site('/uploads'), { method: 'POST', body: request });
}

/** The presigned POST as the panel sends it: every uploadDetails field first, in order, `file` last. */
async function sendToStorage(ticket: UploadTicket, bytes: Uint8Array<ArrayBuffer>, fileName: string): Promise<Response> {
  const form = new FormData();
  for (const [name, value] of Object.entries(ticket.uploadDetails)) form.append(name, value);
  form.append('file', new Blob([bytes], { type: 'image/svg+xml' }), fileName);
  return fetch(ticket.uploadUrl, { method: 'POST', body: form });
}

async function created(response: Response): Promise<UploadTicket> {
  expect(response.status).toBe(201);
  const answer = (await response.json()) as UploadResponse;
  if (answer.status !== 'created') throw new Error('expected a created upload');
  return answer.upload;
}

async function assetOnWebflow(assetId: string): Promise<number> {
  return (await wire(sandbox, sandbox.info.siteToken, `/assets/${assetId}`)).status;
}

describe('uploads', () => {
  it('uploads a file through the presigned POST, indexes it with its md5, then finds the same bytes a duplicate', async () => {
    const { bytes, fileHash } = svg('good');
    const { version } = await client.json<IndexChangesResponse>(site('/index/changes?since=0'));
    const ticket = await created(await createUpload({ fileName: 'mark.svg', fileHash, size: bytes.byteLength, contentType: 'image/svg+xml' }));

    expect((await sendToStorage(ticket, bytes, 'mark.svg')).status).toBe(201);
    const complete = await client.json<{ asset: { id: string; md5: string | null; altText: string | null } }>(site(`/uploads/${ticket.id}/complete`), { method: 'POST', body: { altText: 'Our mark' } });

    expect(complete.asset).toMatchObject({ id: ticket.assetId, md5: fileHash, altText: 'Our mark' });
    const since = await client.json<IndexChangesResponse>(site(`/index/changes?since=${version}`));
    expect(since.assets.find((a) => a.id === ticket.assetId)).toMatchObject({ md5: fileHash, size: bytes.byteLength });

    const again = await createUpload({ fileName: 'mark-copy.svg', fileHash, size: bytes.byteLength, contentType: 'image/svg+xml' });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ status: 'duplicate', existing: { id: ticket.assetId, md5: fileHash } });
  });

  it.each([
    ['too large', { fileName: 'huge.png', size: 5 * 1024 * 1024, contentType: 'image/png' }, /4(\.0)? MB/],
    ['a type Webflow refuses', { fileName: 'photo.heic', size: 1000, contentType: 'image/heic' }, /heic/i],
    ['a name of 100 characters', { fileName: `${'n'.repeat(96)}.png`, size: 1000, contentType: 'image/png' }, /100/],
  ])('refuses a file %s with a validation error saying why', async (_what, file, reason) => {
    const response = await createUpload({ ...file, fileHash: 'f'.repeat(32) });

    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('validation_error');
    expect(error.message).toMatch(reason);
  });

  it('deletes the created asset when the browser reports a failed upload', async () => {
    const { bytes, fileHash } = svg('failed');
    const ticket = await created(await createUpload({ fileName: 'broken.svg', fileHash, size: bytes.byteLength, contentType: 'image/svg+xml' }));
    const other = svg('other-bytes').bytes;

    const refused = await sendToStorage(ticket, other, 'broken.svg');
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('BadDigest');
    expect(await assetOnWebflow(ticket.assetId)).toBe(200);

    expect((await client.request(site(`/uploads/${ticket.id}/fail`), { method: 'POST', body: { reason: 'BadDigest' } })).status).toBe(204);
    expect(await assetOnWebflow(ticket.assetId)).toBe(404);
    expect((await client.request(site(`/uploads/${ticket.id}/complete`), { method: 'POST', body: {} })).status).toBe(409);
  });

  it('sweeps an upload never completed once its policy expired', async () => {
    const { bytes, fileHash } = svg('abandoned');
    const ticket = await created(await createUpload({ fileName: 'abandoned.svg', fileHash, size: bytes.byteLength, contentType: 'image/svg+xml' }));
    expect(Date.parse(ticket.expiresAt) - Date.now()).toBeLessThanOrEqual(UPLOAD_TTL_MS);
    expect(await assetOnWebflow(ticket.assetId)).toBe(200);

    await waitFor('the sweeper', async () => ((await assetOnWebflow(ticket.assetId)) === 404 ? true : undefined), UPLOAD_TTL_MS + 10_000, 250);

    expect((await client.request(site(`/uploads/${ticket.id}/complete`), { method: 'POST', body: {} })).status).toBe(409);
  });
});

describe('folders', () => {
  it('lists the folders, creates nested ones, and refuses an unknown parent with 404', async () => {
    const { folders } = await client.json<{ folders: Folder[] }>(site('/folders'));
    expect(folders.length).toBeGreaterThan(0);

    const parent = (await client.json<{ folder: Folder }>(site('/folders'), { method: 'POST', body: { name: 'Campaigns' } })).folder;
    const child = (await client.json<{ folder: Folder }>(site('/folders'), { method: 'POST', body: { name: 'Spring', parentId: parent.id } })).folder;

    expect(child).toMatchObject({ name: 'Spring', parentId: parent.id });
    const listed = (await client.json<{ folders: Folder[] }>(site('/folders'))).folders;
    expect(listed).toEqual(expect.arrayContaining([parent, child]));
    const onWebflow = await wire<{ parentFolder: string | null; displayName: string }>(sandbox, sandbox.info.siteToken, `/asset_folders/${child.id}`);
    expect(onWebflow.body).toMatchObject({ parentFolder: parent.id, displayName: 'Spring' });

    const unknown = await client.request(site('/folders'), { method: 'POST', body: { name: 'Orphan', parentId: 'aaaaaaaaaaaaaaaaaaaaaaaa' } });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('not_found');
  });
});
