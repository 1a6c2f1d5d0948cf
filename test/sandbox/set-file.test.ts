/**
 * `asset.setFile` in the sandbox's Designer, as Webflow does it (docs/decisions/replace-file.md):
 * the same asset id, names and alt text, with the new file's bytes, size, type and MD5 at a new
 * hosted URL, answered so by the Data API and served by the CDN; every CMS item showing the asset
 * keeps its `fileId` and answers the new URL. A file Webflow would refuse is refused.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandboxWebflow, type SandboxWebflowApi } from '../../src/sandbox/designer/client.ts';
import { rejection } from '../../src/sandbox/designer/testing/rejection.ts';
import { DESIGNER_PATH } from '../../src/sandbox/designer/wire.ts';
import { createSandbox, type Sandbox } from '../../src/sandbox/server.ts';

const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('hex');

let sandbox: Sandbox;
let webflow: SandboxWebflowApi;
beforeAll(async () => {
  sandbox = await createSandbox({ port: 0, demo: { assets: 120 }, rateLimit: { perWindow: 1000, windowMs: 1000 } });
  webflow = createSandboxWebflow({ baseUrl: `${sandbox.url}${DESIGNER_PATH}`, siteId: sandbox.info.siteId, fetch: (input, init) => fetch(input, init) });
});
afterAll(async () => {
  await sandbox?.close();
});

async function dataApi<T>(path: string): Promise<T> {
  const response = await fetch(`${sandbox.info.apiBaseUrl}${path}`, { headers: { authorization: `Bearer ${sandbox.info.siteToken}` } });
  expect(response.status).toBe(200);
  return (await response.json()) as T;
}

interface WireAsset {
  id: string;
  hostedUrl: string;
  size: number;
  contentType: string;
  originalFileName: string;
  displayName: string;
  altText: string | null;
}

describe('setFile in the sandbox Designer', () => {
  it('gives the same asset the new file at a new URL, and the CMS item showing it follows', async () => {
    const siteId = sandbox.info.siteId;
    const { collections } = await dataApi<{ collections: Array<{ id: string; slug: string }> }>(`/sites/${siteId}/collections`);
    const team = collections.find((collection) => collection.slug === 'team-members');
    const { items } = await dataApi<{ items: Array<{ id: string; fieldData: Record<string, unknown> }> }>(`/collections/${team?.id}/items?limit=100`);
    const member = items.find((item) => (item.fieldData['photo'] as { fileId?: string } | undefined)?.fileId);
    const assetId = (member?.fieldData['photo'] as { fileId: string }).fileId;
    const before = await dataApi<WireAsset>(`/assets/${assetId}`);

    const bytes = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>');
    const handle = await webflow.getAssetById(assetId);
    expect(await handle?.setFile(new File([bytes], 'portrait.svg', { type: 'image/svg+xml' }))).toBeNull();

    const after = await dataApi<WireAsset>(`/assets/${assetId}`);
    expect(after).toMatchObject({ id: assetId, size: bytes.byteLength, contentType: 'image/svg+xml', originalFileName: 'portrait.svg', displayName: before.displayName, altText: before.altText });
    expect(after.hostedUrl).not.toBe(before.hostedUrl);
    expect(sandbox.world.asset(siteId, assetId).fileHash).toBe(md5(bytes));
    const served = await fetch(after.hostedUrl);
    expect(served.headers.get('content-type')).toBe('image/svg+xml');
    expect(md5(new Uint8Array(await served.arrayBuffer()))).toBe(md5(bytes));
    expect(await handle?.getUrl()).toBe(after.hostedUrl);

    const again = (await dataApi<{ items: Array<{ id: string; fieldData: Record<string, unknown> }> }>(`/collections/${team?.id}/items?limit=100`)).items.find((item) => item.id === member?.id);
    expect(again?.fieldData['photo']).toMatchObject({ fileId: assetId, url: after.hostedUrl });

    // The same name again still makes a new URL: no cache serves the replaced bytes.
    const second = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"/>');
    await handle?.setFile(new File([second], 'portrait.svg', { type: 'image/svg+xml' }));
    const third = await dataApi<WireAsset>(`/assets/${assetId}`);
    expect(third.hostedUrl).not.toBe(after.hostedUrl);
    expect(md5(new Uint8Array(await (await fetch(third.hostedUrl)).arrayBuffer()))).toBe(md5(second));
  });

  it('refuses a file over Webflow’s limit or of a type it does not take, and keeps the file', async () => {
    const asset = sandbox.world.listAssets(sandbox.info.siteId).find((each) => each.contentType === 'image/png' && each.file);
    const handle = await webflow.getAssetById(asset?.id ?? '');
    const kept = md5(asset?.file?.bytes ?? new Uint8Array());
    expect(await rejection(handle?.setFile(new File([new Uint8Array(4 * 1024 * 1024 + 1)], 'big.png', { type: 'image/png' })) ?? Promise.resolve())).toMatchObject({ tag: 'InvalidRequest' });
    expect(await rejection(handle?.setFile(new File(['x'], 'photo.heic')) ?? Promise.resolve())).toMatchObject({ tag: 'InvalidRequest' });
    expect(md5(sandbox.world.asset(sandbox.info.siteId, asset?.id ?? '').file?.bytes ?? new Uint8Array())).toBe(kept);
  });
});
