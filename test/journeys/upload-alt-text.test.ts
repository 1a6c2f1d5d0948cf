import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { drawJpeg } from '../../src/sandbox/seed/jpeg.ts';
import { withMetadata } from '../../src/sandbox/seed/jpeg-metadata.ts';
import { eventually, openPanel, sandboxAssets, screenshot, solidPng, useJourney, type Journey, type WireAsset } from './support.ts';

vi.setConfig({ testTimeout: 240_000 });

/** Drops files on the panel as a designer does from the desktop: drag enter, over, drop. */
async function dropFiles(page: Page, files: { name: string; bytes: Uint8Array }[]): Promise<void> {
  const payload = files.map((file) => ({ name: file.name, base64: Buffer.from(file.bytes).toString('base64') }));
  const dataTransfer = await page.evaluateHandle((dropped) => {
    const transfer = new DataTransfer();
    for (const file of dropped) {
      const bytes = Uint8Array.from(atob(file.base64), (char) => char.charCodeAt(0));
      transfer.items.add(new File([bytes], file.name, { type: file.name.endsWith('.jpg') ? 'image/jpeg' : 'image/png' }));
    }
    return transfer;
  }, payload);
  for (const type of ['dragenter', 'dragover', 'drop']) await page.dispatchEvent('body', type, { dataTransfer });
}

describe('the alt text of an upload', () => {
  const under = useJourney();
  let journey: Journey;
  beforeAll(() => {
    journey = under.journey;
  });

  it('arrives in Webflow as typed, as suggested when the chip was taken, and empty only where the panel said so', async () => {
    const page = await openPanel(journey, { width: 800, height: 600 });
    const typed = 'journey-typed-roastery.png';
    const suggested = 'journey-cold-brew-bottles.png';
    const empty = 'journey-empty-counter.png';
    await dropFiles(page, [
      { name: typed, bytes: solidPng(7101) },
      { name: suggested, bytes: solidPng(7102) },
      { name: empty, bytes: solidPng(7103) },
    ]);
    const queue = page.getByRole('list', { name: 'Upload queue' });
    await queue.getByRole('textbox', { name: `Alt text for ${typed}` }).fill('Roaster pouring beans into the cooling tray');
    await queue.getByRole('button', { name: `Suggest: “Journey cold brew bottles” (from the file name, 30%), use it for ${suggested}` }).click();
    await expect.poll(() => queue.getByRole('textbox', { name: `Alt text for ${suggested}` }).inputValue()).toBe('Journey cold brew bottles');
    const emptyField = queue.getByRole('textbox', { name: `Alt text for ${empty}` });
    const emptyNote = await emptyField.evaluate((field) => document.getElementById(field.getAttribute('aria-describedby') ?? '')?.textContent);
    expect(emptyNote).toBe('No alt text: the image will be uploaded without it.');
    await screenshot(page, 'upload-alt-text-review');

    await page.getByRole('button', { name: /^Upload all \(3\)/ }).click();
    await expect.poll(() => queue.getByText('Uploaded', { exact: true }).count(), { timeout: 60_000 }).toBe(3);
    await screenshot(page, 'upload-alt-text-done');

    const byName = (assets: WireAsset[], name: string) => assets.find((asset) => asset.originalFileName === name);
    const arrived = await eventually(
      () => sandboxAssets(journey.stack),
      (assets) => [typed, suggested, empty].every((name) => byName(assets, name)),
    );
    expect(byName(arrived, typed)?.altText).toBe('Roaster pouring beans into the cooling tray');
    expect(byName(arrived, suggested)?.altText).toBe('Journey cold brew bottles');
    expect(byName(arrived, empty)?.altText ?? '').toBe('');
    await page.close();
  });

  it("suggests a JPEG's own XMP alt text before it is sent, read in the browser, and sends it once taken", async () => {
    const page = await openPanel(journey, { width: 800, height: 600 });
    const name = 'DSC_90210.jpg'; // a name the demo site does not have
    const alt = 'Barista pouring a “rosetta” into a flat white, café & co';
    const photo = withMetadata(drawJpeg(640, 480, 'sun', [[245, 236, 222], [196, 164, 132], [111, 78, 55], [214, 120, 62], [46, 74, 62]]), { altText: [['x-default', alt]] });
    await dropFiles(page, [{ name, bytes: photo }]);
    const queue = page.getByRole('list', { name: 'Upload queue' });
    await queue.getByRole('button', { name: `Suggest: “${alt}” (from the file's metadata, 95%), use it for ${name}` }).click();
    await expect.poll(() => queue.getByRole('textbox', { name: `Alt text for ${name}` }).inputValue()).toBe(alt);
    await page.getByRole('button', { name: /^Upload all \(1\)/ }).click();
    // The asset is in Webflow from the upload's start; its alt text is written as it completes.
    await expect.poll(() => queue.getByText('Uploaded', { exact: true }).count(), { timeout: 60_000 }).toBe(1);
    const arrived = await eventually(
      () => sandboxAssets(journey.stack),
      (assets) => assets.some((asset) => asset.originalFileName === name),
    );
    expect(arrived.find((asset) => asset.originalFileName === name)?.altText).toBe(alt);
    await page.close();
  });
});
