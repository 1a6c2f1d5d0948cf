// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReportResponse } from '../../core/report.ts';
import { useTextCanvas, violations } from '../testing/axe.ts';
import { BackendError } from '../ports/backend.ts';
import { FakeBackend, frenchLocale, makeAsset, makeUsage, primaryLocale } from '../testing/fakes.ts';
import { gridReady, renderPanel } from '../testing/render-panel.tsx';

afterEach(cleanup);
useTextCanvas();
beforeEach(() => {
  document.documentElement.lang = 'en';
  document.title = 'Asset Desk';
});

const today = new Date().toISOString().slice(0, 10);

function site() {
  const backend = new FakeBackend({
    assets: [
      makeAsset(1, { altText: 'A red bicycle leaning on a wall', localeAltText: { fr: 'Un vélo rouge' }, folderId: 'f' }),
      makeAsset(2, { altText: '', folderId: 'f' }),
      makeAsset(3, { altText: null }),
      makeAsset(4, { altText: 'image', localeAltText: {} }),
      makeAsset(5, { fileName: 'brochure.pdf', contentType: 'application/pdf', altText: '' }),
    ],
    folders: [{ id: 'f', name: 'Products', parentId: null }],
    locales: [primaryLocale, frenchLocale],
  });
  const report: ReportResponse = {
    usageBuilt: true,
    places: [
      { kind: 'page', id: 'home', name: 'Home', localeId: null, uses: 30, withAlt: 10, decorative: 0, missing: 20, review: 2, assets: 3, assetIds: ['asset1', 'asset2', 'asset4'] },
      { kind: 'collection', id: 'posts', name: 'Blog posts', localeId: 'fr', uses: 4, withAlt: 4, decorative: 0, missing: 0, review: 0, assets: 4, assetIds: ['asset1', 'asset2', 'asset3', 'asset4'] },
    ],
    visitors: [{ localeId: null, uses: 30, withAlt: 10, decorative: 0, missing: 20, review: 2 }],
    days: [
      { day: '2026-12-01', localeId: '', fixed: 5, emptied: 1, changes: 7 },
      { day: today, localeId: '', fixed: 2, emptied: 0, changes: 2 },
    ],
    people: [
      { day: today, userId: 'user-me', you: true, changes: 2 },
      { day: '2026-12-01', userId: 'user-abcd', you: false, changes: 7 },
    ],
    stretch: { startedAt: '2026-12-04T10:00:00.000Z', endedAt: '2026-12-04T10:52:00.000Z', changes: 150, fixedImages: 143, assets: 146 },
  };
  backend.reportAnswer = report;
  return { backend };
}

async function openReport() {
  fireEvent.click(screen.getByRole('button', { name: 'Report' }));
  // The view's code loads on demand: the first time in a test run it is compiled too.
  return screen.findByRole('region', { name: 'Report' }, { timeout: 10_000 });
}

describe('the Report view', () => {
  it('counts images per locale with the grid’s filters, as numbers and shares', async () => {
    renderPanel(site());
    await gridReady();
    const report = await openReport();
    const byLocale = within(report).getByRole('table', { name: /^Images in the asset library by locale/ });
    const english = within(byLocale).getByRole('row', { name: /^English/ });
    // Four images (the PDF needs no alt text): one described, one missing, one decorative, one "image" to review.
    expect(within(english).getByRole('link', { name: '4 images in English: show them in the grid' })).toBeTruthy();
    expect(within(english).getByRole('link', { name: /^1 images missing alt text in English/ }).textContent).toBe('1');
    expect(within(english).getAllByText('25%')).toHaveLength(3);
    expect(within(english).getByRole('link', { name: /^1 decorative images in English/ })).toBeTruthy();
    expect(within(english).getByRole('link', { name: /^1 images whose alt text needs review in English/ })).toBeTruthy();
    const french = within(byLocale).getByRole('row', { name: /^French/ });
    // French: its own text on asset 1; asset 3 stays decorative from the primary; 2 and 4 have none.
    expect(within(french).getByRole('link', { name: /^2 images missing alt text in French/ })).toBeTruthy();
  });

  it('opens the grid on exactly the images behind a number, with that filter and locale chosen', async () => {
    renderPanel(site());
    await gridReady();
    const report = await openReport();
    fireEvent.click(within(report).getByRole('link', { name: /^2 images missing alt text in French/ }));
    const grid = await gridReady();
    expect(screen.queryByRole('region', { name: 'Report' })).toBeNull();
    expect(screen.getByRole('button', { name: /^Missing alt text/ }).getAttribute('aria-pressed')).toBe('true');
    expect((screen.getByRole('combobox', { name: 'Locale' }) as HTMLSelectElement).value).toBe('fr');
    await waitFor(() => expect([...grid.querySelectorAll('[data-row-id]')].map((row) => row.getAttribute('data-row-id')).sort()).toEqual(['asset2', 'asset4']));
  });

  it('counts per folder, its subfolders included, and opens the grid in that folder', async () => {
    renderPanel(site());
    await gridReady();
    const report = await openReport();
    const products = within(report).getByRole('row', { name: /^Products/ });
    fireEvent.click(within(products).getByRole('link', { name: /^1 images missing alt text in Products/ }));
    const grid = await gridReady();
    await waitFor(() => expect([...grid.querySelectorAll('[data-row-id]')].map((row) => row.getAttribute('data-row-id'))).toEqual(['asset2']));
  });

  it('shows what visitors see per page and collection, and progress in words, a table and per person', async () => {
    renderPanel(site());
    await gridReady();
    const report = await openReport();
    expect(await within(report).findByRole('row', { name: /^Home \(page, English\) 30 uses on page Home: show its 3 assets in the grid 10 / })).toBeTruthy();
    expect(within(report).getByText('You fixed 143 images in 52 minutes (150 changes in all).')).toBeTruthy();
    const byDay = within(report).getByRole('table', { name: /by day/ });
    // Missing now (English 1) counted back: before today's 2 fixes, 3; before 2026-12-01's 5 fixes and 1 emptied, 7.
    expect(within(byDay).getByRole('row', { name: new RegExp(`^${today} 1 `) })).toBeTruthy();
    expect(within(byDay).getByRole('row', { name: /^2026-12-01 3 / })).toBeTruthy();
    const people = within(report).getByRole('table', { name: 'Changes applied per day and person' });
    expect(within(people).getByRole('row', { name: /You 2$/ })).toBeTruthy();
    expect(within(people).getByRole('row', { name: /Another person \(user …abcd\) 7$/ })).toBeTruthy();
  });

  it('steps through the chart’s days with the arrow keys and reads each out', async () => {
    renderPanel(site());
    await gridReady();
    const report = await openReport();
    expect(await within(report).findByRole('img', { name: /^Chart of images missing alt text by day/ })).toBeTruthy();
    const chart = within(report).getByRole('slider', { name: 'Day shown in the chart' });
    fireEvent.keyDown(chart, { key: 'Home' });
    expect(chart.getAttribute('aria-valuetext')).toBe('2026-12-01: English 3 missing, French 2 missing');
    fireEvent.keyDown(chart, { key: 'ArrowRight' });
    expect(chart.getAttribute('aria-valuetext')).toMatch(new RegExp(`^${today}: English 1 missing`));
    expect(chart.textContent).toBe(chart.getAttribute('aria-valuetext'));
  });

  it('finds nothing for axe in the report', async () => {
    renderPanel(site());
    await gridReady();
    const report = await openReport();
    await within(report).findByText(/You fixed 143 images/);
    expect(await violations()).toEqual([]);
  });

  it('says so when the backend’s half cannot be read, and reads it again on request', async () => {
    const { backend } = site();
    backend.failNext.report = new BackendError(503, 'webflow_error', 'The backend is restarting');
    renderPanel({ backend });
    await gridReady();
    const report = await openReport();
    expect(await within(report).findByRole('alert')).toBeTruthy();
    fireEvent.click(within(report).getByRole('button', { name: 'Try again' }));
    expect(await within(report).findByText(/You fixed 143 images/)).toBeTruthy();
  });

  it('says what it waits for while the first reads from Webflow run, and shows the figures once they end', async () => {
    const { backend } = site();
    const { reportAnswer } = backend;
    const assets = backend.assets;
    backend.assets = [];
    backend.refresh = { state: 'running', done: 0, total: 5, finishedAt: null, error: null };
    backend.usageSummary = makeUsage({}, { state: 'running', done: 3, total: 12, finishedAt: null, built: false });
    backend.reportAnswer = { ...reportAnswer, usageBuilt: false, places: [], visitors: [] };
    renderPanel({ backend });
    await screen.findByText(/^Reading this site’s assets from Webflow/);
    const report = await openReport();
    expect(within(report).getByText('Reading this site’s assets from Webflow (0 of 5 so far): the figures show here once every asset is read.').getAttribute('role')).toBe('status');
    expect(await within(report).findByText(/^Reading where images are used on pages and in CMS collections \(3 of 12 requests so far\)/)).toBeTruthy();
    // No zeros while waiting: no counts by locale, no missing per day.
    expect(within(report).queryByRole('table', { name: /^Images in the asset library by locale/ })).toBeNull();
    expect(within(report).queryByRole('table', { name: /by day/ })).toBeNull();
    // Nothing to export yet: the button says it waits.
    expect(within(report).getByRole('button', { name: 'Export report CSV' }).hasAttribute('disabled')).toBe(true);

    // The asset refresh ends; then the usage crawl (read again when the refresh ends).
    backend.refresh = { state: 'idle', done: 5, total: 5, finishedAt: '2026-12-04T12:00:00Z', error: null };
    for (const asset of assets) backend.emitAssetChange(asset);
    backend.usageSummary = makeUsage({ asset1: { pages: 1 } });
    backend.reportAnswer = reportAnswer;
    const byLocale = await within(report).findByRole('table', { name: /^Images in the asset library by locale/ });
    await waitFor(() => expect(within(byLocale).getByRole('link', { name: '4 images in English: show them in the grid' })).toBeTruthy());
    expect(await within(report).findByRole('row', { name: /^Home \(page, English\) 30 uses on page Home: show its 3 assets in the grid 10 / })).toBeTruthy();
    expect(within(report).queryByText(/^Reading /)).toBeNull();
    expect(within(report).getByRole('button', { name: 'Export report CSV' }).hasAttribute('disabled')).toBe(false);
  });

  it('keeps the report on screen while it is read again: the day table stays, and keeps its focus', async () => {
    const { backend } = site();
    const { reportAnswer } = backend;
    backend.usageSummary = makeUsage({}, { state: 'running', done: 3, total: 12, finishedAt: null, built: false });
    backend.reportAnswer = { ...reportAnswer, usageBuilt: false, places: [], visitors: [] };
    renderPanel({ backend });
    await gridReady();
    const report = await openReport();
    const days = await within(report).findByRole('region', { name: /by day/ });
    days.focus();
    let answer: (value: ReportResponse) => void = () => undefined;
    backend.report = () => new Promise<ReportResponse>((resolve) => (answer = resolve));
    // The usage crawl ends: the view reads the report again, for its pages and collections.
    backend.usageSummary = makeUsage({ asset1: { pages: 1 } });
    await within(report).findByText('Reading pages, CMS collections and progress…', undefined, { timeout: 10_000 });
    expect(within(report).getByRole('region', { name: /by day/ })).toBe(days);
    expect(document.activeElement).toBe(days);
    answer(reportAnswer);
    expect(await within(report).findByRole('row', { name: /^Home \(page, English\) 30 uses/ })).toBeTruthy();
    expect(within(report).getByRole('region', { name: /by day/ })).toBe(days);
    expect(document.activeElement).toBe(days);
  });

  it('opens the grid on exactly the assets used on a page, a filter shown and removable like the others', async () => {
    renderPanel(site());
    await gridReady();
    const report = await openReport();
    fireEvent.click(await within(report).findByRole('link', { name: '30 uses on page Home: show its 3 assets in the grid' }));
    const grid = await gridReady();
    const rowIds = () => [...grid.querySelectorAll('[data-row-id]')].map((row) => row.getAttribute('data-row-id')).sort();
    await waitFor(() => expect(rowIds()).toEqual(['asset1', 'asset2', 'asset4']));
    expect(screen.getByText('Used on page Home')).toBeTruthy();
    // The other filters count within the page: of its three, one image misses alt text.
    await waitFor(() => expect(screen.getByRole('button', { name: /^Missing alt text/ }).textContent).toBe('Missing alt text1'));
    fireEvent.click(screen.getByRole('button', { name: 'Remove the filter: used on page Home' }));
    await waitFor(() => expect(rowIds()).toEqual(['asset1', 'asset2', 'asset3', 'asset4', 'asset5']));
    expect(screen.queryByText('Used on page Home')).toBeNull();
  });
});
