import { beforeAll, describe, expect, it, vi } from 'vitest';
import { eventually, openPanel, sandboxAsset, screenshot, useJourney, type Journey } from './support.ts';

// A journey types, waits for appliers and reads the sandbox: minutes, not the unit tests' 30 s.
vi.setConfig({ testTimeout: 240_000 });

interface WireSite {
  locales?: { primary: { id: string }; secondary: Array<{ id: string; displayName: string }> };
}

describe('a designer writes alt text per locale and takes suggestions', () => {
  const under = useJourney();
  let journey: Journey;
  beforeAll(() => {
    journey = under.journey;
  });

  it('writes a secondary locale\'s alt text without touching the primary\'s', async () => {
    const site = (await (
      await fetch(`${journey.stack.sandbox.info.apiBaseUrl}/sites/${journey.stack.siteId}`, {
        headers: { authorization: `Bearer ${journey.stack.sandbox.info.siteToken}` },
      })
    ).json()) as WireSite;
    const secondary = site.locales?.secondary[0];
    if (!secondary) throw new Error('The demo site has no secondary locale.');

    const page = await openPanel(journey);
    await page.getByLabel('Locale').selectOption(secondary.id);
    const grid = page.getByRole('grid', { name: 'Assets' });
    const field = grid.getByRole('textbox').first();
    const assetId = await field.evaluate((input) => (input.closest('[data-row-id]') as HTMLElement).dataset.rowId ?? '');
    const primaryBefore = await sandboxAsset(journey.stack, assetId);
    await field.fill('');
    await field.type(`Texte de la page, ${secondary.displayName}`);
    await field.press('Enter');
    await screenshot(page, 'locale');

    const localized = await eventually(
      () => sandboxAsset(journey.stack, assetId, secondary.id),
      (wire) => wire.altText === `Texte de la page, ${secondary.displayName}`,
    );
    expect(localized.altText).toBe(`Texte de la page, ${secondary.displayName}`);
    const primaryAfter = await sandboxAsset(journey.stack, assetId);
    expect(primaryAfter.altText).toBe(primaryBefore.altText);
    await page.close();
  });

  it('applies reviewed suggestions to a selection', async () => {
    const page = await openPanel(journey);
    await page.getByRole('group', { name: 'Alt text filter' }).getByRole('button', { name: /Missing alt text/ }).click();
    const grid = page.getByRole('grid', { name: 'Assets' });
    const rows = grid.locator('[data-row-id]').filter({ has: page.getByRole('button', { name: /^Suggest: / }) });
    await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(5);

    const selected: string[] = [];
    for (let i = 0; i < 5; i++) {
      const row = rows.nth(i);
      selected.push((await row.getAttribute('data-row-id')) ?? '');
      await row.getByRole('checkbox', { name: /^Select / }).click({ modifiers: i === 0 ? [] : ['Control'] });
    }
    await page.getByRole('toolbar', { name: 'Bulk actions' }).getByRole('button', { name: /Apply suggestions/ }).click();
    const review = page.getByRole('dialog', { name: 'Review suggestions' });
    await screenshot(page, 'review-suggestions');
    // Better suggestions keep arriving in the grid (where each image is used, text in it); what
    // is applied is what the review shows.
    const expected = new Map(
      await review.getByRole('list', { name: 'Suggestions' }).locator('li').evaluateAll((items) =>
        items.map((item) => [(item as HTMLElement).dataset.assetId ?? '', (item as HTMLElement).dataset.suggestion ?? ''] as const),
      ),
    );
    expect([...expected.keys()].sort()).toEqual([...selected].sort());
    for (const [assetId, suggestion] of expected) {
      const shown = await review.locator(`li[data-asset-id="${assetId}"]`).textContent();
      expect(shown).toContain(`“${suggestion}”`);
    }
    await review.getByRole('button', { name: /^Apply 5 suggestions/ }).click();

    for (const [assetId, suggestion] of expected) {
      const asset = await eventually(() => sandboxAsset(journey.stack, assetId), (wire) => wire.altText === suggestion);
      expect(asset.altText).toBe(suggestion);
    }
    await page.close();
  });
});
