/**
 * Names in the sandbox, as Webflow takes them: asset display names and folder names are any
 * text (Webflow's OpenAPI sets no rule but "a string"), file names are shorter than 100
 * characters, of a type Webflow accepts, and valid UTF-8 (they become the S3 key). Whatever
 * the sandbox stores, its listings answer 200 with it, byte for byte.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { md5Hex, useSandbox } from './support.ts';

const under = useSandbox({ demo: { assets: 5 }, rateLimit: { perWindow: 100_000, windowMs: 1_000 } });

const NUL = '\u0000';
const HALF = '\uD83D';

async function call<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(`${under.sandbox.info.apiBaseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${under.sandbox.info.siteToken}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, body: JSON.parse(await response.text()) as T };
}

type Folder = { id: string; displayName: string };
type Asset = { id: string; displayName: string; originalFileName: string; hostedUrl: string };
const site = () => under.sandbox.info.siteId;
const listAssets = () => call<{ assets: Asset[] }>('GET', `/sites/${site()}/assets?limit=100`);
const listFolders = () => call<{ assetFolders: Folder[] }>('GET', `/sites/${site()}/asset_folders`);

/** Any UTF-16 text: NUL, control characters, lone surrogates, pairs, anything. */
const anyText = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit)), minLength: 1, maxLength: 40 });

describe('names in the sandbox', () => {
  it('keeps a NUL in a folder name and half a character in an asset name, and lists both', async () => {
    const folder = await call<Folder>('POST', `/sites/${site()}/asset_folders`, { displayName: `Logos${NUL}` });
    expect(folder.status).toBe(200);
    const [asset] = (await listAssets()).body.assets;
    const renamed = await call<Asset>('PATCH', `/assets/${asset!.id}`, { displayName: `Menu ${HALF}` });
    expect(renamed.status).toBe(200);

    const assets = await listAssets();
    expect(assets.status).toBe(200);
    expect(assets.body.assets.find((a) => a.id === asset!.id)?.displayName).toBe(`Menu ${HALF}`);
    const folders = await listFolders();
    expect(folders.status).toBe(200);
    expect(folders.body.assetFolders.find((f) => f.id === folder.body.id)?.displayName).toBe(`Logos${NUL}`);
  });

  it('lists an asset whose file name holds half a character (made in the Designer, or stored by an older sandbox)', async () => {
    const made = under.sandbox.world.createAssetWithFile(site(), { fileName: `menu${HALF}.png`, contentType: 'image/png', bytes: new Uint8Array([1, 2, 3]) });

    const assets = await listAssets();

    expect(assets.status).toBe(200);
    const listed = assets.body.assets.find((a) => a.id === made.id);
    expect(listed?.originalFileName).toBe(`menu${HALF}.png`);
    expect(listed?.hostedUrl).toMatch(/_menu%EF%BF%BD\.png$/);
    expect((await fetch(listed!.hostedUrl)).status).toBe(200);
  });

  it('refuses a file name with NUL or half a character, of 100 characters or more, or empty', async () => {
    const fileHash = md5Hex(new Uint8Array([1, 2, 3]));
    for (const fileName of [`photo${NUL}.png`, `photo${HALF}.png`, `${'a'.repeat(96)}.png`, '   ']) {
      const created = await call<{ code: string }>('POST', `/sites/${site()}/assets`, { fileName, fileHash });
      expect(created.status, JSON.stringify(fileName)).toBe(400);
      expect(created.body.code).toBe('validation_error');
    }
    expect((await call('POST', `/sites/${site()}/assets`, { fileName: `${'a'.repeat(95)}.png`, fileHash })).status).toBe(200);
  });

  it('refuses an empty asset or folder name', async () => {
    const [asset] = (await listAssets()).body.assets;
    expect((await call('PATCH', `/assets/${asset!.id}`, { displayName: '  ' })).status).toBe(400);
    expect((await call('POST', `/sites/${site()}/asset_folders`, { displayName: '' })).status).toBe(400);
  });

  it('answers its listings with 200 whatever names it holds', async () => {
    const [asset] = (await listAssets()).body.assets;
    await fc.assert(
      fc.asyncProperty(anyText, anyText, async (assetName, folderName) => {
        const renamed = await call('PATCH', `/assets/${asset!.id}`, { displayName: assetName });
        const folder = await call('POST', `/sites/${site()}/asset_folders`, { displayName: folderName });
        // Whitespace-only names are refused (400); anything else is taken.
        expect([200, 400]).toContain(renamed.status);
        expect([200, 400]).toContain(folder.status);
        const assets = await listAssets();
        const folders = await listFolders();
        expect(assets.status).toBe(200);
        expect(folders.status).toBe(200);
        if (renamed.status === 200) expect(assets.body.assets.find((a) => a.id === asset!.id)?.displayName).toBe(assetName.trim());
      }),
      { numRuns: 60 },
    );
  });
});
