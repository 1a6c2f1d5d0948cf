import { describe, expect, it, vi } from 'vitest';
import type { Change } from '../../src/core/api.ts';
import { backendSession, eventually, openPanel, sandboxAsset, screenshot, useJourney } from './support.ts';

// Webflow's own quota (60 requests a minute) makes a new site's first crawl hold it for minutes.
vi.setConfig({ testTimeout: 240_000 });

describe('save, close and reopen while the first crawl holds the quota', () => {
  // A slow Designer, so the closing panel cannot apply its change in the moment before it closes.
  const under = useJourney({ rateLimit: { perWindow: 60, windowMs: 60_000 }, designerLatencyMs: 150 });

  it('the reopened panel applies the change through the Designer at once; the server applier, waiting for quota, stands back', async () => {
    const { stack } = under.journey;
    const token = await backendSession(stack);
    const changesOf = async (assetId: string): Promise<Change[]> => {
      const url = new URL(`/api/sites/${stack.siteId}/changes?status=pending,leased,applied,conflict,failed`, stack.backendUrl);
      const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      expect(response.status).toBe(200);
      return ((await response.json()) as { changes: Change[] }).changes.filter((change) => change.assetId === assetId);
    };

    const page = await openPanel(under.journey);
    const field = page.getByRole('grid', { name: 'Assets' }).getByRole('textbox').first();
    const assetId = await field.evaluate((element) => element.closest<HTMLElement>('[data-row-id]')?.dataset.rowId ?? '');
    expect(assetId).not.toBe('');
    const text = 'Roaster pouring beans into the cooling tray';
    await field.fill(text);
    await field.press('Enter');
    // Closed at once, as a designer closes the panel after their last Enter: the change is saved, not yet applied.
    await page.waitForTimeout(20);
    await page.close();

    // With no panel open the server applier takes the change, and its read of the asset waits
    // behind the crawl for quota.
    const held = await eventually(
      () => changesOf(assetId),
      (changes) => changes.some((change) => change.after === text && change.status !== 'pending'),
      30_000,
    );
    const saved = held.find((change) => change.after === text);
    expect(saved?.status, 'the server applier holds the change (not applied before the reopen)').toBe('leased');

    const reopened = await openPanel(under.journey);
    const applied = await eventually(
      () => changesOf(assetId),
      (changes) => changes.some((change) => change.id === saved?.id && change.status === 'applied'),
      120_000,
    );
    // Applied by the reopened panel: the server applier gave the change back instead of holding
    // it until the crawl let its requests through (12–45 s before it stood back).
    expect(applied.find((change) => change.id === saved?.id)?.appliedBy).toBe('designer');
    expect((await sandboxAsset(stack, assetId)).altText).toBe(text);
    await expect.poll(() => reopened.getByText('0 pending', { exact: true }).count(), { timeout: 30_000 }).toBe(1);
    await screenshot(reopened, 'reopened-during-crawl');
    await reopened.close();
  });
});
