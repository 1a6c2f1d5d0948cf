/**
 * A sandbox kept in a folder (`--data DIR`) comes back as it was left: changes, uploaded files
 * and the site token survive a close and a reopen.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../../src/sandbox/server.ts';
import { md5Hex, postToS3, sdkFor, withAltText } from './support.ts';

let dataDir: string | undefined;
const open: Sandbox[] = [];

async function start(dir: string): Promise<Sandbox> {
  const sandbox = await createSandbox({ dataDir: dir, demo: { assets: 30 } });
  open.push(sandbox);
  return sandbox;
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((sandbox) => sandbox.close()));
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('a sandbox with a data folder', () => {
  it('keeps alt text, uploaded files and its site token across a restart', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sandbox-data-'));
    const first = await start(dataDir);
    const { siteId, siteToken } = first.info;
    const webflow = sdkFor(first);
    const [seeded] = (await webflow.assets.list(siteId, { limit: 1 })).assets ?? [];
    const fr = first.world.site(siteId).locales.secondary[0]?.id ?? '';
    await webflow.assets.update(seeded?.id ?? '', withAltText({ localeId: fr }, 'Grains de café torréfiés'));
    const bytes = new TextEncoder().encode('%PDF-1.4\n% a wholesale price list\n%%EOF\n');
    const upload = await webflow.assets.create(siteId, { fileName: 'price-list.pdf', fileHash: md5Hex(bytes) });
    expect((await postToS3(upload, { bytes, name: 'price-list.pdf', type: 'application/pdf' })).status).toBe(201);
    await first.close();
    open.splice(0);

    const second = await start(dataDir);
    expect(second.info.siteToken).toBe(siteToken);
    expect(second.info.siteId).toBe(siteId);
    const again = sdkFor(second, siteToken);
    expect((await again.assets.get(seeded?.id ?? '', { queryParams: { localeId: fr } })).altText).toBe('Grains de café torréfiés');
    const uploaded = await again.assets.get(upload.id ?? '');
    expect(uploaded.size).toBe(bytes.byteLength);
    const served = await fetch(uploaded.hostedUrl ?? '');
    expect(served.headers.get('content-type')).toBe('application/pdf');
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(bytes);
  });

  it('keeps no address of its own, so hosted URLs and variants follow the port it listens on after a restart', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sandbox-data-'));
    const first = await start(dataDir);
    await first.close();
    open.splice(0);
    expect(readFileSync(join(dataDir, 'world.json'), 'utf8')).not.toContain(new URL(first.url).host);

    const second = await start(dataDir);
    expect(second.url).not.toBe(first.url);
    const { assets = [] } = await sdkFor(second).assets.list(second.info.siteId, { limit: 100 });
    const withVariant = assets.find((asset) => (asset.variants?.length ?? 0) > 0);
    expect(withVariant).toBeDefined();
    for (const url of [withVariant?.hostedUrl, ...(withVariant?.variants ?? []).map((v) => v.hostedUrl)]) {
      expect(url?.startsWith(`${second.url}/`)).toBe(true);
      expect((await fetch(url ?? '')).status).toBe(200);
    }
  });

  it('takes the file of an upload created before the restart', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sandbox-data-'));
    const first = await start(dataDir);
    const bytes = new Uint8Array(256).map((_, i) => i);
    const upload = await sdkFor(first).assets.create(first.info.siteId, { fileName: 'pending.png', fileHash: md5Hex(bytes) });
    await first.close();
    open.splice(0);

    const second = await start(dataDir);
    const uploadUrl = `${second.url}${new URL(upload.uploadUrl ?? '').pathname}`;
    expect((await postToS3({ ...upload, uploadUrl }, { bytes, name: 'pending.png', type: 'image/png' })).status).toBe(201);
    expect((await sdkFor(second).assets.get(upload.id ?? '')).size).toBe(256);
  });

  it('keeps pages, components, collections and staged CMS changes across a restart', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sandbox-data-'));
    const first = await start(dataDir);
    const { siteId } = first.info;
    const webflow = sdkFor(first);
    const [collection] = (await webflow.collections.list(siteId)).collections ?? [];
    const [item] = (await webflow.collections.items.listItems(collection?.id ?? '', { limit: 1 })).items ?? [];
    const fr = first.world.site(siteId).locales.secondary[0]?.cmsLocaleId ?? '';
    const changed = await webflow.collections.items.updateItem(collection?.id ?? '', item?.id ?? '', { cmsLocaleId: fr, fieldData: { summary: 'Résumé traduit' } });
    const pages = (await webflow.pages.list(siteId, { limit: 100 })).pages?.map((p) => p.id);
    const components = (await webflow.components.list(siteId)).components?.map((c) => c.id);
    await first.close();
    open.splice(0);

    const second = await start(dataDir);
    const again = sdkFor(second);
    expect((await again.pages.list(siteId, { limit: 100 })).pages?.map((p) => p.id)).toEqual(pages);
    expect((await again.components.list(siteId)).components?.map((c) => c.id)).toEqual(components);
    const read = await again.collections.items.getItem(collection?.id ?? '', item?.id ?? '', { cmsLocaleId: fr });
    expect(read).toMatchObject({ lastUpdated: changed.lastUpdated, fieldData: { summary: 'Résumé traduit' } });
  });

  it('gives a world saved before pages existed its pages and CMS, and its site token the new scopes', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sandbox-data-'));
    const first = await start(dataDir);
    const made = structuredClone(first.world.state.content);
    await first.close();
    open.splice(0);
    const path = join(dataDir, 'world.json');
    const saved = JSON.parse(readFileSync(path, 'utf8')) as { content?: unknown; tokens: { scopes: string[] }[] };
    delete saved.content;
    for (const token of saved.tokens) token.scopes = ['assets:read', 'assets:write', 'sites:read', 'authorized_user:read'];
    writeFileSync(path, JSON.stringify(saved));

    const second = await start(dataDir);
    const webflow = sdkFor(second);
    // Made again from the same assets with the same seed: the same site as a fresh start gives.
    expect(second.world.state.content.pages.filter((p) => p.siteId === second.info.siteId)).toEqual(made.pages.filter((p) => p.siteId === second.info.siteId));
    expect(second.world.state.content.items.length).toBeGreaterThan(0);
    expect((await webflow.pages.list(second.info.siteId)).pagination?.total).toBeGreaterThanOrEqual(40);
    const [collection] = (await webflow.collections.list(second.info.siteId)).collections ?? [];
    expect((await webflow.collections.items.listItems(collection?.id ?? '', { limit: 1 })).pagination?.total).toBeGreaterThan(0);
  });

  it('refuses a folder written by another version, saying how to start afresh', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sandbox-data-'));
    writeFileSync(join(dataDir, 'world.json'), JSON.stringify({ version: 2 }));
    await expect(createSandbox({ dataDir })).rejects.toThrow(`delete ${dataDir} to start afresh`);
  });
});
