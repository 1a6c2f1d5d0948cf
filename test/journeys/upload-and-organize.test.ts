import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { eventually, openPanel, sandboxAsset, sandboxAssets, screenshot, solidPng, startJourney, type Journey } from './support.ts';

// A journey types, waits for appliers and reads the sandbox: minutes, not the unit tests' 30 s.
vi.setConfig({ testTimeout: 240_000 });

interface WireFolder {
  id: string;
  displayName: string;
}

describe('a designer uploads files and organizes assets into folders', () => {
  let journey: Journey;
  let files: string;
  beforeAll(async () => {
    journey = await startJourney();
    files = await mkdtemp(join(tmpdir(), 'journey-uploads-'));
  }, 180_000);
  afterAll(async () => {
    await journey?.close();
    if (files) await rm(files, { recursive: true, force: true });
  });

  it('uploads three files: one too big is refused, one duplicate is reported, one good one arrives', async () => {
    const existing = (await sandboxAssets(journey.stack)).find((asset) => asset.contentType === 'image/png');
    if (!existing) throw new Error('The demo site has no PNG.');
    const existingBytes = new Uint8Array(await (await fetch(existing.hostedUrl)).arrayBuffer());
    const tooBig = join(files, 'billboard-full-resolution.png');
    const duplicate = join(files, 'copy-of-a-demo-image.png');
    const good = join(files, 'journey-new-roastery.png');
    await writeFile(tooBig, Buffer.alloc(5 * 1024 * 1024, 7));
    await writeFile(duplicate, existingBytes);
    const goodBytes = solidPng(4242);
    await writeFile(good, goodBytes);

    const page = await openPanel(journey);
    await page.getByLabel('Choose files to upload').setInputFiles([tooBig, duplicate, good]);
    const queue = page.getByRole('list', { name: 'Upload queue' });
    await expect.poll(() => queue.textContent()).toMatch(/billboard-full-resolution\.png[\s\S]*up to 4(\.0)? MB/);
    await page.getByRole('button', { name: /^Upload all \(2\)/ }).click();

    await page.getByRole('button', { name: 'Upload copy-of-a-demo-image.png anyway' }).waitFor({ timeout: 30_000 });
    await expect.poll(() => queue.textContent(), { timeout: 30_000 }).toMatch(/journey-new-roastery\.png[\s\S]*(Uploaded|Done)/i);
    await screenshot(page, 'upload');

    const uploaded = (await sandboxAssets(journey.stack)).filter((asset) => asset.originalFileName === 'journey-new-roastery.png');
    expect(uploaded).toHaveLength(1);
    const served = new Uint8Array(await (await fetch(uploaded[0]?.hostedUrl ?? '')).arrayBuffer());
    expect(Buffer.compare(Buffer.from(served), Buffer.from(goodBytes))).toBe(0);
    const all = await sandboxAssets(journey.stack);
    expect(all.some((asset) => asset.originalFileName === 'billboard-full-resolution.png')).toBe(false);
    expect(all.some((asset) => asset.originalFileName === 'copy-of-a-demo-image.png')).toBe(false);
    await page.close();
  });

  it('creates a folder and moves five assets into it', async () => {
    const page = await openPanel(journey);
    const folders = page.getByRole('navigation', { name: 'Folders' });
    await folders.getByRole('button', { name: 'New folder' }).click();
    await folders.getByLabel(/^New folder name/).fill('Journey picks');
    await folders.getByLabel(/^New folder name/).press('Enter');
    await folders.getByRole('button', { name: /^Journey picks, 0 assets/ }).waitFor();

    const grid = page.getByRole('grid', { name: 'Assets' });
    const rows = grid.locator('[data-row-id]');
    const moved: string[] = [];
    for (let i = 0; i < 5; i++) {
      moved.push((await rows.nth(i).getAttribute('data-row-id')) ?? '');
      await rows.nth(i).getByRole('checkbox', { name: /^Select / }).click({ modifiers: i === 0 ? [] : ['Control'] });
    }
    await page.getByRole('toolbar', { name: 'Bulk actions' }).getByRole('button', { name: /Move to folder/ }).click();
    const dialog = page.getByRole('dialog', { name: /Move 5 assets to a folder/ });
    const folderId = await dialog.getByLabel('Folder').evaluate((select) => {
      const option = Array.from((select as HTMLSelectElement).options).find((candidate) => candidate.text.trim() === 'Journey picks');
      return option?.value ?? '';
    });
    expect(folderId).not.toBe('');
    await dialog.getByLabel('Folder').selectOption(folderId);
    await dialog.getByRole('button', { name: 'Move' }).click();
    await folders.getByRole('button', { name: /^Journey picks, 5 assets/ }).waitFor();
    await screenshot(page, 'folders');

    const listed = (await (
      await fetch(`${journey.stack.sandbox.info.apiBaseUrl}/sites/${journey.stack.siteId}/asset_folders`, {
        headers: { authorization: `Bearer ${journey.stack.sandbox.info.siteToken}` },
      })
    ).json()) as { assetFolders: WireFolder[] };
    expect(listed.assetFolders.map((folder) => folder.id)).toContain(folderId);
    const after = await eventually(
      () => sandboxAssets(journey.stack),
      (assets) => moved.every((assetId) => assets.find((asset) => asset.id === assetId)?.folderId === folderId),
    );
    for (const assetId of moved) expect(after.find((asset) => asset.id === assetId)?.folderId).toBe(folderId);
    expect((await sandboxAsset(journey.stack, moved[0] ?? '')).id).toBe(moved[0]);
    await page.close();
  });
});
