import type { Route } from 'playwright-core';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { dataApi, eventually, openPanel, sandboxAsset, screenshot, useJourney, type Journey } from './support.ts';

// A journey types, waits for appliers and reads the sandbox: minutes, not the unit tests' 30 s.
vi.setConfig({ testTimeout: 240_000 });

/** Someone else writes alt text in Webflow: the Data API's PATCH, as another app or a colleague would. */
async function changeInWebflow(journey: Journey, assetId: string, altText: string): Promise<void> {
  await dataApi(journey.stack, `${journey.stack.sandbox.info.apiBaseUrl}/assets/${assetId}`, { method: 'PATCH', body: { altText } });
}

describe('Webflow changes an alt text while the panel’s change waits', () => {
  const under = useJourney();
  let journey: Journey;
  beforeAll(() => {
    journey = under.journey;
  });

  it('shows the conflict with both values; keep mine and take theirs each end as Webflow shows', async () => {
    const page = await openPanel(journey);
    // The panel learns of Webflow's changes through /index/changes: held, it keeps the values it
    // loaded while Webflow's change below lands, so its edits are journaled over those values.
    const held: Route[] = [];
    let holding = true;
    await page.route('**/api/sites/*/index/changes*', (route) => (holding ? void held.push(route) : route.continue()));
    // One poll held shows that none answered after Webflow's change can be on its way.
    await expect.poll(() => held.length, { timeout: 30_000 }).toBeGreaterThan(0);

    const rows = page.getByRole('grid', { name: 'Assets' }).locator('[data-row-id]');
    const targets: Array<{ assetId: string; name: string }> = [];
    for (const row of (await rows.all()).slice(0, 2)) {
      targets.push({ assetId: (await row.getAttribute('data-row-id')) ?? '', name: (await row.locator('strong').first().textContent()) ?? '' });
    }
    const [keepMine, takeTheirs] = targets;
    if (!keepMine || !takeTheirs) throw new Error('The grid shows fewer than two assets');
    for (const { assetId } of targets) await changeInWebflow(journey, assetId, `Theirs for ${assetId}`);

    for (const { assetId } of targets) {
      const field = page.locator(`[data-row-id="${assetId}"]`).getByRole('textbox');
      await field.fill(`Mine for ${assetId}`);
      await field.press('Enter');
    }

    const review = page.getByRole('button', { name: 'Review conflicts' });
    await review.waitFor({ timeout: 60_000 });
    await expect.poll(() => page.getByText('2 conflicts', { exact: true }).count(), { timeout: 30_000 }).toBe(1);
    await review.click();
    const dialog = page.getByRole('dialog', { name: 'Conflicts with Webflow' });
    for (const { assetId } of targets) {
      await expect.poll(() => dialog.getByText(`“Mine for ${assetId}”`).count()).toBe(1);
      await expect.poll(() => dialog.getByText(`“Theirs for ${assetId}”`).count()).toBe(1);
    }
    await screenshot(page, 'conflict');
    holding = false;
    for (const route of held.splice(0)) await route.continue();
    // Nothing was overwritten while the conflict waited for the designer.
    for (const { assetId } of targets) expect((await sandboxAsset(journey.stack, assetId)).altText).toBe(`Theirs for ${assetId}`);

    await dialog.getByRole('button', { name: `Keep yours for ${keepMine.name}` }).click();
    await dialog.getByRole('button', { name: `Keep Webflow’s for ${takeTheirs.name}` }).click();
    await dialog.getByText('No conflicts left.').waitFor();

    const mine = await eventually(() => sandboxAsset(journey.stack, keepMine.assetId), (wire) => wire.altText === `Mine for ${keepMine.assetId}`);
    expect(mine.altText).toBe(`Mine for ${keepMine.assetId}`);
    // Taking theirs writes nothing: once the panel has nothing left to apply, Webflow's value stands.
    await expect.poll(() => page.getByText('0 pending', { exact: true }).count(), { timeout: 30_000 }).toBe(1);
    expect((await sandboxAsset(journey.stack, takeTheirs.assetId)).altText).toBe(`Theirs for ${takeTheirs.assetId}`);
    await expect
      .poll(() => page.locator(`[data-row-id="${takeTheirs.assetId}"]`).getByRole('textbox').inputValue(), { timeout: 30_000 })
      .toBe(`Theirs for ${takeTheirs.assetId}`);
    await page.close();
  });
});
