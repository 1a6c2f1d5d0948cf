import { beforeAll, describe, expect, it, vi } from 'vitest';
import { eventually, openPanel, sandboxAsset, screenshot, useJourney, statusOf, type Journey } from './support.ts';

// A journey types, waits for appliers and reads the sandbox: minutes, not the unit tests' 30 s.
vi.setConfig({ testTimeout: 240_000 });

describe('a designer searches and writes alt text in bulk by keyboard', () => {
  const under = useJourney();
  let journey: Journey;
  beforeAll(() => {
    journey = under.journey;
  });

  it('finds assets as they type', async () => {
    const page = await openPanel(journey);
    await screenshot(page, 'grid');
    const grid = page.getByRole('grid', { name: 'Assets' });
    await page.getByLabel('Search assets').fill('screenshot');
    await expect.poll(async () => (await grid.locator('[data-row-id] strong').allTextContents()).length).toBeGreaterThan(0);
    const names = await grid.locator('[data-row-id] strong').allTextContents();
    const fields = await grid.getByRole('textbox').evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value.toLowerCase()));
    names.forEach((name, i) => expect(`${name} ${fields[i]}`.toLowerCase()).toContain('screenshot'));
    await screenshot(page, 'search');
    await page.close();
  });

  it('writes 50 alt texts with Enter, each reaching Webflow, and undoes the last batch', async () => {
    const page = await openPanel(journey);
    await page.getByRole('group', { name: 'Alt text filter' }).getByRole('button', { name: /Missing alt text/ }).click();
    const grid = page.getByRole('grid', { name: 'Assets' });
    await grid.getByRole('textbox').first().click();

    const written: Array<{ assetId: string; text: string }> = [];
    for (let i = 0; i < 50; i++) {
      const assetId = await page.evaluate(() => (document.activeElement?.closest('[data-row-id]') as HTMLElement | null)?.dataset.rowId ?? '');
      expect(assetId, `focus is on a row's alt-text field before edit ${i + 1}`).not.toBe('');
      const text = `A roaster pouring beans, view ${i + 1}`;
      await page.keyboard.type(text);
      await page.keyboard.press('Enter');
      written.push({ assetId, text });
    }
    await screenshot(page, 'bulk-edit');

    for (const { assetId, text } of written) {
      const asset = await eventually(() => sandboxAsset(journey.stack, assetId), (wire) => wire.altText === text);
      expect(asset.altText).toBe(text);
    }

    const last = written.at(-1);
    if (!last) throw new Error('nothing written');
    await page.keyboard.press('Control+z');
    await expect.poll(() => statusOf(page).textContent()).toMatch(/undid 1 change/i);
    const undone = await eventually(() => sandboxAsset(journey.stack, last.assetId), (wire) => wire.altText !== last.text);
    expect(undone.altText ?? '').toBe('');
    const kept = await sandboxAsset(journey.stack, written[0]?.assetId ?? '');
    expect(kept.altText).toBe(written[0]?.text);
    await page.close();
  });
});
