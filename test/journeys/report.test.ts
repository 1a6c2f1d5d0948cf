import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { axeFindings, openPanel, sandboxAssets, screenshot, startJourney, type Journey } from './support.ts';

vi.setConfig({ testTimeout: 240_000 });

describe('the accessibility report', () => {
  let journey: Journey;
  beforeAll(async () => {
    journey = await startJourney();
  }, 180_000);
  afterAll(async () => {
    await journey?.close();
  });

  it('shows coverage matching the Data API, a chart with its table, passes axe, prints, and a number opens the grid with its filter', async () => {
    // A script's count from the sandbox's Data API: images in the primary locale without alt text, and decorative ones.
    const images = (await sandboxAssets(journey.stack)).filter((asset) => asset.contentType.startsWith('image/'));
    const missing = images.filter((asset) => asset.altText !== null && asset.altText.trim() === '').length;
    const decorative = images.filter((asset) => asset.altText === null).length;
    expect(missing).toBeGreaterThan(0);

    const page = await openPanel(journey, { width: 1200, height: 800 });
    await page.getByRole('button', { name: 'Report' }).click();
    const report = page.getByRole('region', { name: 'Report' });
    const byLocale = report.getByRole('table', { name: /^Images in the asset library by locale/ });
    const primary = byLocale.getByRole('row').nth(1);
    await expect.poll(() => primary.getByRole('link', { name: /images missing alt text/ }).textContent(), { timeout: 30_000 }).toBe(missing.toLocaleString('en'));
    expect(await primary.getByRole('link', { name: /^[\d,]+ images in / }).textContent()).toBe(images.length.toLocaleString('en'));
    expect(await primary.getByRole('link', { name: /decorative images/ }).textContent()).toBe(decorative.toLocaleString('en'));

    // The chart is drawn (a canvas) with its name, its keyboard slider and its table.
    await expect.poll(() => report.locator('.report-chart canvas').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    await report.getByRole('img', { name: /^Chart of images missing alt text by day/ }).waitFor();
    const slider = report.getByRole('slider', { name: 'Day shown in the chart' });
    await slider.focus();
    await page.keyboard.press('Home');
    expect(await slider.getAttribute('aria-valuetext')).toMatch(/^\d{4}-\d{2}-\d{2}: .+ missing/);
    await report.getByRole('table', { name: /missing alt text, and alt-text changes applied, by day/ }).waitFor();
    await screenshot(page, 'report');
    expect(await axeFindings(page)).toEqual([]);

    // Printed, only the report shows, on light paper.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('header.top-bar').evaluate((element) => getComputedStyle(element).visibility)).toBe('hidden');
    expect(await report.evaluate((element) => getComputedStyle(element).visibility)).toBe('visible');
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(255, 255, 255)');
    await screenshot(page, 'report-print');
    await page.emulateMedia({ media: 'screen' });

    // A number opens the grid with that filter: the Missing filter chosen, its count the report's.
    await primary.getByRole('link', { name: /images missing alt text/ }).click();
    await page.getByRole('grid', { name: 'Assets' }).waitFor();
    expect(await report.count()).toBe(0);
    const filter = page.getByRole('button', { name: /^Missing alt text/ });
    await expect.poll(() => filter.getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => filter.locator('.count').textContent()).toBe(missing.toLocaleString('en'));
    expect(await page.getByLabel('Type').inputValue()).toBe('image');
    await screenshot(page, 'report-into-grid');
  });
});
