/**
 * Replacing a file everywhere, in Chromium, with the panel served as Webflow serves it and the
 * sandbox's Designer API as its `webflow` (docs/decisions/replace-file.md): the designer picks the
 * one asset a team member's photo shows, chooses a new file, sees the current file beside it and
 * replaces it. The panel's Designer applier sets it with `asset.setFile`; the sandbox then serves
 * the new bytes for the same asset id, the CMS item still names that id, and Undo puts the old
 * bytes back.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { axeFindings, eventually, openPanel, sandboxAsset, screenshot, solidPng, startJourney, statusOf, type Journey } from './support.ts';

vi.setConfig({ testTimeout: 240_000 });

const SOON = { timeout: 30_000 };
const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('hex');

interface WireItem {
  id: string;
  fieldData: Record<string, unknown>;
}

describe('a designer replaces a file everywhere', () => {
  let journey: Journey;
  let files: string;
  beforeAll(async () => {
    journey = await startJourney();
    files = await mkdtemp(join(tmpdir(), 'journey-replace-'));
  }, 180_000);
  afterAll(async () => {
    await journey?.close();
    if (files) await rm(files, { recursive: true, force: true });
  });

  /** The Data API as the site's token sees it (429s waited out). */
  async function dataApi<T>(path: string): Promise<T> {
    for (;;) {
      const response = await fetch(`${journey.stack.sandbox.info.apiBaseUrl}${path}`, { headers: { authorization: `Bearer ${journey.stack.sandbox.info.siteToken}` } });
      if (response.status === 429) {
        await new Promise((done) => setTimeout(done, 250));
        continue;
      }
      expect(response.status).toBe(200);
      return (await response.json()) as T;
    }
  }

  const hostedMd5 = async (assetId: string) => md5(new Uint8Array(await (await fetch((await sandboxAsset(journey.stack, assetId)).hostedUrl)).arrayBuffer()));

  it('replaces the photo a CMS item shows: the same asset id serves the new bytes, and Undo restores the old ones', async () => {
    const { collections } = await dataApi<{ collections: Array<{ id: string; slug: string }> }>(`/sites/${journey.stack.siteId}/collections`);
    const team = collections.find((collection) => collection.slug === 'team-members');
    if (!team) throw new Error('The demo site has no team members');
    const { items } = await dataApi<{ items: WireItem[] }>(`/collections/${team.id}/items?limit=100`);
    const member = items.find((item) => (item.fieldData['photo'] as { fileId?: string } | undefined)?.fileId);
    const assetId = (member?.fieldData['photo'] as { fileId: string }).fileId;
    const before = await sandboxAsset(journey.stack, assetId);
    const oldMd5 = await hostedMd5(assetId);
    const newBytes = solidPng(9091, 80, 60);
    const newFile = join(files, 'team-photo-2027.png');
    await writeFile(newFile, newBytes);

    const page = await openPanel(journey);
    await page.getByLabel('Search assets').fill(before.displayName);
    const row = page.locator(`[data-row-id="${assetId}"]`);
    await row.waitFor(SOON);
    await row.locator('input[data-field="select"]').check();
    // A one-asset action: at this width it folds behind "More actions", like Rename and Delete.
    await page.getByRole('toolbar', { name: 'Bulk actions' }).getByRole('button', { name: 'More actions' }).click();
    await page.getByRole('button', { name: 'Replace file…' }).click();
    const dialog = page.getByRole('dialog', { name: /^Replace the file of / });
    await dialog.getByLabel('Choose the new file').setInputFiles(newFile);
    await expect.poll(() => dialog.getByRole('figure', { name: 'New file' }).textContent(), SOON).toContain('team-photo-2027.png');
    expect(await dialog.getByRole('figure', { name: 'Current file' }).textContent()).toContain(before.originalFileName);
    const replace = dialog.getByRole('button', { name: 'Replace file' });
    await expect.poll(() => replace.isEnabled(), SOON).toBe(true);
    await screenshot(page, 'replace-file-preview');
    expect(await axeFindings(page)).toEqual([]);
    await replace.click();
    await dialog.waitFor({ state: 'detached', ...SOON });
    await expect.poll(() => statusOf(page).textContent(), SOON).toContain('Replacing the file of');

    // The Designer applier set it: the same asset id serves the new bytes.
    await eventually(() => hostedMd5(assetId), (hash) => hash === md5(newBytes));
    const after = await sandboxAsset(journey.stack, assetId);
    expect(after).toMatchObject({ id: assetId, originalFileName: 'team-photo-2027.png', contentType: 'image/png' });
    expect((after as unknown as { size: number }).size).toBe(newBytes.byteLength);
    // The CMS item still shows that asset, now at its new URL.
    const again = (await dataApi<{ items: WireItem[] }>(`/collections/${team.id}/items?limit=100`)).items.find((item) => item.id === member?.id);
    expect(again?.fieldData['photo']).toMatchObject({ fileId: assetId, url: after.hostedUrl });

    await page.getByRole('button', { name: 'Undo last batch' }).click();
    await eventually(() => hostedMd5(assetId), (hash) => hash === oldMd5);
    expect(await sandboxAsset(journey.stack, assetId)).toMatchObject({ id: assetId, originalFileName: before.originalFileName, contentType: before.contentType });

    // A file dragged from the desktop onto the row opens the same preview, and the upload never takes it.
    await row.evaluate((element, bytes) => {
      const files = new DataTransfer();
      files.items.add(new File([new Uint8Array(bytes)], 'dropped-on-the-row.png', { type: 'image/png' }));
      for (const type of ['dragenter', 'dragover', 'drop']) element.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: files }));
    }, [...solidPng(9092)]);
    const dropped = page.getByRole('dialog', { name: /^Replace the file of / });
    await expect.poll(() => dropped.getByRole('figure', { name: 'New file' }).textContent(), SOON).toContain('dropped-on-the-row.png');
    await dropped.getByRole('button', { name: 'Cancel' }).click();
    await dropped.waitFor({ state: 'detached', ...SOON });
    expect(await page.getByRole('list', { name: 'Upload queue' }).count()).toBe(0);
    await page.close();
  });
});
