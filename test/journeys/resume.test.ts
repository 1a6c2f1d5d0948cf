import { beforeAll, describe, expect, it, vi } from 'vitest';
import { eventually, openPanel, sandboxAssets, screenshot, useJourney, type Journey } from './support.ts';

// A journey types, waits for appliers and reads the sandbox: minutes, not the unit tests' 30 s.
vi.setConfig({ testTimeout: 240_000 });

describe('closing the panel mid-batch loses nothing', () => {
  // A slow Designer, so the batch is still being applied when the panel closes.
  const under = useJourney({ designerLatencyMs: 150 });
  let journey: Journey;
  beforeAll(() => {
    journey = under.journey;
  });

  it('resumes the batch on reopen and Webflow ends with exactly the values asked for', async () => {
    const before = await sandboxAssets(journey.stack);
    const page = await openPanel(journey);
    await page.getByRole('group', { name: 'Alt text filter' }).getByRole('button', { name: /Missing alt text/ }).click();
    await page.getByLabel('Type').selectOption('image');
    const selectAll = page.getByRole('checkbox', { name: /^Select all \d+ assets? in this filter/ });
    const label = (await selectAll.getAttribute('aria-label')) ?? '';
    const count = Number(/Select all (\d+)/.exec(label)?.[1]);
    expect(count).toBeGreaterThan(40);
    const targets = await page.evaluate(() => Array.from(document.querySelectorAll<HTMLElement>('[data-row-id]'), (row) => row.dataset.rowId ?? ''));
    await selectAll.check();
    await page.getByRole('toolbar', { name: 'Bulk actions' }).getByRole('button', { name: /Mark decorative/ }).click();

    // Close as soon as some, not all, of the batch reached Webflow.
    const decorativeBefore = before.filter((asset) => asset.altText === null).length;
    const started = await eventually(
      () => sandboxAssets(journey.stack),
      (assets) => assets.some((asset) => asset.altText === null && targets.includes(asset.id)),
      30_000,
    );
    expect(started.filter((asset) => asset.altText === null).length - decorativeBefore, 'the batch was half-applied when the panel closed').toBeLessThan(count);
    await page.close();
    const midway = await sandboxAssets(journey.stack);
    const decorativeNow = midway.filter((asset) => asset.altText === null).length;
    // Half-applied when the panel was gone: some of the batch on Webflow, not all of it.
    expect(decorativeNow - decorativeBefore).toBeGreaterThan(0);
    expect(decorativeNow - decorativeBefore).toBeLessThan(count);

    const reopened = await openPanel(journey);
    const after = await eventually(
      () => sandboxAssets(journey.stack),
      (assets) => assets.filter((asset) => asset.altText === null).length === decorativeBefore + count,
      120_000,
    );
    await screenshot(reopened, 'resumed');
    // Exactly the asked-for images changed, and nothing else.
    const changed = after.filter((asset) => asset.altText !== before.find((old) => old.id === asset.id)?.altText);
    expect(changed).toHaveLength(count);
    for (const asset of changed) {
      expect(asset.altText).toBeNull();
      expect(before.find((old) => old.id === asset.id)?.altText).toBe('');
    }
    await reopened.close();
  });
});
