import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Stack } from '../../src/stack/stack.ts';
import { axeFindings, openPanel, sandboxAssets, screenshot, startJourney, type Journey } from './support.ts';

/** Every piece of a paginated Data API listing, read as a script would (waiting out a 429). */
async function sandboxPieces<Piece extends { pagination: { total: number } }>(stack: Stack, path: string): Promise<Piece[]> {
  const pieces: Piece[] = [];
  for (let offset = 0; ; ) {
    const response = await fetch(`${stack.sandbox.info.apiBaseUrl}${path}${path.includes('?') ? '&' : '?'}offset=${offset}&limit=100`, {
      headers: { authorization: `Bearer ${stack.sandbox.info.siteToken}` },
    });
    if (response.status === 429) {
      await new Promise((done) => setTimeout(done, 250));
      continue;
    }
    expect(response.status).toBe(200);
    const piece = (await response.json()) as Piece;
    pieces.push(piece);
    offset += 100;
    if (offset >= piece.pagination.total) return pieces;
  }
}

interface DomPiece {
  nodes: Array<{ type: string; image?: { assetId?: string }; componentId?: string }>;
  pagination: { total: number };
}

/** The assets a page shows, from the Data API: its Image elements, and those of the components it places (nested ones too). */
async function sandboxPageAssets(stack: Stack, pageTitle: string): Promise<string[]> {
  const listed = await sandboxPieces<{ pages: Array<{ id: string; title: string }>; pagination: { total: number } }>(stack, `/sites/${stack.siteId}/pages`);
  const pages = listed.flatMap((piece) => piece.pages).filter((page) => page.title === pageTitle);
  expect(pages).toHaveLength(1);
  const assets = new Set<string>();
  const visited = new Set<string>();
  const read = async (path: string): Promise<void> => {
    for (const node of (await sandboxPieces<DomPiece>(stack, path)).flatMap((piece) => piece.nodes)) {
      if (node.type === 'image' && node.image?.assetId) assets.add(node.image.assetId);
      if (node.type === 'component-instance' && node.componentId && !visited.has(node.componentId)) {
        visited.add(node.componentId);
        await read(`/sites/${stack.siteId}/components/${node.componentId}/dom`);
      }
    }
  };
  await read(`/pages/${(pages[0] as { id: string }).id}/dom`);
  return [...assets].sort();
}

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

    // Bars beside the numbers where the panel has room; in a narrower one (Webflow's panel at
    // 520 px in the Designer here) the numbers alone, every table within the width, nothing to
    // scroll sideways.
    expect(await report.locator('.report-bar').first().isVisible()).toBe(true);
    await page.setViewportSize({ width: 520, height: 800 });
    await expect.poll(() => report.locator('.report-bar').first().isVisible()).toBe(false);
    expect(await report.locator('.report-legend').isVisible()).toBe(false);
    expect(await report.evaluate((element) => element.scrollWidth - element.clientWidth)).toBe(0);
    expect(await primary.getByRole('link', { name: /images missing alt text/ }).isVisible()).toBe(true);
    await screenshot(page, 'report-narrow');
    await report.getByRole('table', { name: /missing alt text, and alt-text changes applied, by day/ }).scrollIntoViewIfNeeded();
    await screenshot(page, 'report-narrow-progress');
    // Webflow's two smallest panel sizes (comfortable 320×460, default 240×360): the view does
    // not scroll sideways; a table too wide for the panel (the days: a column per locale and
    // three more) scrolls in its own box, which the keyboard can reach.
    const days = report.getByRole('region', { name: /alt-text changes applied, by day/ });
    // What sticks out of the view (none: ''), named, so that a failure says what.
    const overflowing = () =>
      report.evaluate((element) => {
        const over = element.scrollWidth - element.clientWidth;
        if (over <= 0) return '';
        const right = element.getBoundingClientRect().right;
        const wide = [...element.querySelectorAll('*')].filter((each) => each.getBoundingClientRect().right > right + 0.5 && !each.closest('.report-table-box'));
        return `${over} px: ${wide.slice(0, 5).map((each) => `${each.tagName.toLowerCase()}.${each.className}`).join(', ')}`;
      });
    for (const size of [{ width: 320, height: 460 }, { width: 240, height: 360 }]) {
      await page.setViewportSize(size);
      await expect.poll(overflowing).toBe('');
      expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
      expect(await primary.getByRole('link', { name: /images missing alt text/ }).isVisible()).toBe(true);
      expect(await days.evaluate((element) => element.scrollWidth > element.clientWidth)).toBe(true);
      // Focused, the box scrolls with the arrow keys. (On a busy machine the usage crawl can end
      // here and the report be read again: it stays on screen meanwhile, focus and all.)
      await days.evaluate((element) => (element.scrollLeft = 0));
      await days.focus();
      await page.keyboard.press('ArrowRight');
      await expect.poll(() => days.evaluate((element) => element.scrollLeft)).toBeGreaterThan(0);
      await screenshot(page, `report-${size.width}`);
      await days.evaluate((element) => element.scrollIntoView());
      await screenshot(page, `report-${size.width}-days`);
    }
    await page.setViewportSize({ width: 1200, height: 800 });

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

  it('opens the grid on exactly the assets a page shows, from its use count, and the filter comes off', async () => {
    const page = await openPanel(journey, { width: 1200, height: 800 });
    await page.getByRole('button', { name: 'Report' }).click();
    const report = page.getByRole('region', { name: 'Report' });
    // The pages show once the usage index is built: the view reads the report again by itself.
    // A page in the primary locale, whose title the Data API lists without a locale.
    const pageLink = report
      .getByRole('row', { name: /\(page, English\)/ })
      .first()
      .getByRole('link', { name: /^[\d,]+ uses on page / });
    await pageLink.waitFor({ timeout: 60_000 });
    const label = (await pageLink.getAttribute('aria-label')) ?? '';
    const title = /uses on page (.+): show its/.exec(label)?.[1] ?? '';
    const expected = await sandboxPageAssets(journey.stack, title);
    expect(expected.length).toBeGreaterThan(0);
    expect(label).toContain(`show its ${expected.length} asset`);

    await pageLink.click();
    const grid = page.getByRole('grid', { name: 'Assets' });
    const chip = page.getByTitle(`Only assets used on page ${title}`);
    await chip.waitFor();
    const rowIds = () => grid.locator('[data-row-id]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-row-id') ?? '').sort());
    await expect.poll(rowIds, { timeout: 30_000 }).toEqual(expected);
    await screenshot(page, 'report-page-filter');

    await page.getByRole('button', { name: `Remove the filter: used on page ${title}` }).click();
    await expect.poll(() => chip.count()).toBe(0);
    await expect.poll(async () => (await rowIds()).length).toBeGreaterThan(expected.length);
  });
});
