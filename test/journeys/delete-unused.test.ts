/**
 * Deleting unused assets in Chromium: filter Unused, select some, Delete…, confirm, and the
 * sandbox no longer has them; Undo, and the sandbox has them again (new ids, the same bytes and
 * alt text in every locale). An asset in use is held back and cannot be deleted.
 */
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { eventually, openPanel, sandboxAsset, sandboxAssets, screenshot, useJourney, watchTrouble, type Journey, type WireAsset } from './support.ts';

vi.setConfig({ testTimeout: 300_000 });

const SOON = { timeout: 60_000 };

describe('deleting unused assets', () => {
  const under = useJourney();
  let journey: Journey;
  beforeAll(() => {
    journey = under.journey;
  });

  const md5Of = async (url: string) => createHash('md5').update(new Uint8Array(await (await fetch(url)).arrayBuffer())).digest('hex');
  const locales = async (): Promise<string[]> => {
    const response = await fetch(`${journey.stack.sandbox.info.apiBaseUrl}/sites/${journey.stack.siteId}`, { headers: { authorization: `Bearer ${journey.stack.sandbox.info.siteToken}` } });
    const site = (await response.json()) as { locales: { primary: { id: string }; secondary: Array<{ id: string }> } };
    return [site.locales.primary.id, ...site.locales.secondary.map((l) => l.id)];
  };

  it('deletes the unused assets chosen, Undo puts them back, and an asset in use cannot be deleted', async () => {
    const page = await openPanel(journey, { width: 1400, height: 900 });
    const trouble = watchTrouble(page);
    await page.getByRole('combobox', { name: 'Usage' }).selectOption('unused');
    // The panel reads the styles when it opens; until then the note says the list is not safe.
    const note = page.getByRole('note', { name: 'What unused means' });
    await expect.poll(() => note.textContent(), SOON).toMatch(/nor in a style read on/);

    const grid = page.getByRole('grid', { name: 'Assets' });
    const rows = grid.locator('[data-row-id]');
    await expect.poll(() => rows.count(), SOON).toBeGreaterThan(3);
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const row = rows.nth(i);
      ids.push((await row.getAttribute('data-row-id')) ?? '');
      await row.getByRole('checkbox', { name: /^Select / }).click({ modifiers: i === 0 ? [] : ['Control'] });
    }
    const codes = await locales();
    const before = new Map<string, { wire: WireAsset; md5: string; alt: (string | null)[] }>();
    // Listings tell each asset's folder (a GET does not).
    const listing = await sandboxAssets(journey.stack);
    for (const id of ids) {
      const wire = listing.find((asset) => asset.id === id) as WireAsset;
      before.set(id, { wire, md5: await md5Of(wire.hostedUrl), alt: await Promise.all(codes.map(async (code) => (await sandboxAsset(journey.stack, id, code)).altText)) });
    }

    await page.getByRole('toolbar', { name: 'Bulk actions' }).getByRole('button', { name: 'Delete…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete 2 unused assets' });
    await dialog.waitFor(SOON);
    const listed = dialog.getByRole('list', { name: 'Assets to delete' }).getByRole('listitem');
    await expect.poll(() => listed.count(), SOON).toBe(2);
    expect(await dialog.getByRole('list', { name: 'Sources read' }).getByRole('listitem').allTextContents()).toEqual([
      expect.stringMatching(/^Pages: last read /),
      expect.stringMatching(/^Components: last read /),
      expect.stringMatching(/^CMS items: last read /),
      expect.stringMatching(/^Styles \(background images\): last read /),
    ]);
    expect(await dialog.getByRole('list', { name: 'Not checked' }).getByRole('listitem').count()).toBeGreaterThan(0);
    expect(await dialog.textContent()).toMatch(/Total: [\d.]+ [KM]?B\./);
    await screenshot(page, 'delete-unused-confirmation');
    await dialog.getByRole('button', { name: 'Delete 2 assets' }).click();
    await dialog.waitFor({ state: 'detached', ...SOON });

    await eventually(() => sandboxAssets(journey.stack), (assets) => !assets.some((a) => ids.includes(a.id)));
    // The grid follows: the deleted rows go.
    await expect.poll(() => grid.locator(ids.map((id) => `[data-row-id="${id}"]`).join(', ')).count(), SOON).toBe(0);

    await page.getByRole('button', { name: 'Undo last batch' }).click();
    const back = await eventually(
      () => sandboxAssets(journey.stack),
      (assets) => [...before.values()].every(({ wire }) => assets.some((a) => a.originalFileName === wire.originalFileName && a.id !== wire.id && (a as { size?: number }).size !== 0)),
    );
    for (const { wire, md5, alt } of before.values()) {
      const again = back.find((a) => a.originalFileName === wire.originalFileName && a.id !== wire.id) as WireAsset;
      expect(ids).not.toContain(again.id);
      expect(await md5Of(again.hostedUrl)).toBe(md5);
      expect(again).toMatchObject({ displayName: wire.displayName, folderId: wire.folderId });
      const altAgain = await eventually(
        () => Promise.all(codes.map(async (code) => (await sandboxAsset(journey.stack, again.id, code)).altText)),
        (values) => JSON.stringify(values) === JSON.stringify(alt),
      );
      expect(altAgain).toEqual(alt);
    }

    // An asset in use: held back, with where it is used, and nothing to delete.
    await page.getByRole('toolbar', { name: 'Bulk actions' }).getByRole('button', { name: 'Clear selection' }).click();
    await page.getByRole('combobox', { name: 'Usage' }).selectOption('all');
    await page.getByRole('combobox', { name: 'Sort by' }).selectOption('uses');
    const used = grid.locator('[data-row-id]').first();
    await used.waitFor(SOON);
    const usedId = (await used.getAttribute('data-row-id')) ?? '';
    await used.getByRole('checkbox', { name: /^Select / }).click();
    await page.getByRole('toolbar', { name: 'Bulk actions' }).getByRole('button', { name: 'Delete…' }).click();
    const refusal = page.getByRole('dialog', { name: 'Delete unused assets' });
    const held = refusal.getByRole('list', { name: 'Held back' }).getByRole('listitem');
    await expect.poll(() => held.count(), SOON).toBe(1);
    expect(await held.first().textContent()).toMatch(/Used: /);
    expect(await refusal.getByRole('button', { name: 'Delete' }).isDisabled()).toBe(true);
    await screenshot(page, 'delete-unused-held-back');
    await refusal.getByRole('button', { name: 'Cancel' }).click();
    expect((await sandboxAsset(journey.stack, usedId)).id).toBe(usedId);
    expect(trouble).toEqual([]);
    await page.close();
  });
});
