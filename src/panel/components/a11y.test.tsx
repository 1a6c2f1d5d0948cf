// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useTextCanvas, violations } from '../testing/axe.ts';
import { frenchLocale, makeAsset, makeUsage, primaryLocale } from '../testing/fakes.ts';
import { gridReady, renderPanel } from '../testing/render-panel.tsx';

afterEach(cleanup);

useTextCanvas();
// The page around the panel as index.html gives it, so page-level rules judge the panel alone.
beforeEach(() => {
  document.documentElement.lang = 'en';
  document.title = 'Asset Desk';
});

const site = () => ({
  assets: [makeAsset(1, { fileName: 'red-bicycle@2x.jpg', name: 'red-bicycle@2x.jpg' }), makeAsset(2, { altText: 'image of x.jpg' }), makeAsset(3, { altText: null })],
  folders: [{ id: 'f', name: 'Products', parentId: null }],
  locales: [primaryLocale, frenchLocale],
  // Built, so rows carry their usage line, the usage filter is offered, and a failed re-read shows in the status bar.
  usage: makeUsage({ asset1: { pages: 2, items: 1, missing: 1 } }, { state: 'failed', error: 'Webflow answered 503' }),
});

describe('accessibility of the main views (axe-core)', () => {
  it('finds nothing in the grid with a selection, lint findings and suggestions', async () => {
    renderPanel(site());
    await gridReady();
    await screen.findByText(/The uses shown are from the last complete read/);
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select photo-2.jpg' }));
    expect(await violations()).toEqual([]);
  });

  it('finds nothing with the toolbar\'s More and the bulk actions unfolded', async () => {
    renderPanel(site());
    await gridReady();
    fireEvent.click(screen.getByRole('button', { name: /^More/ }));
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select photo-2.jpg' }));
    fireEvent.click(screen.getByRole('button', { name: /^More actions/ }));
    expect(await violations()).toEqual([]);
  });

  it('finds nothing in the suggestions review dialog', async () => {
    renderPanel(site());
    await gridReady();
    fireEvent.click(screen.getByRole('checkbox', { name: /^Select all/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Apply suggestions…' }));
    await screen.findByRole('dialog', { name: 'Review suggestions' });
    expect(await violations()).toEqual([]);
  });

  it('finds nothing on the install screen and in the read-only view', async () => {
    renderPanel({ ...site(), installed: false });
    await screen.findByRole('button', { name: 'Install Asset Desk' });
    expect(await violations()).toEqual([]);
    cleanup();
    renderPanel({ ...site(), canManage: false });
    await gridReady();
    expect(await violations()).toEqual([]);
  });
});

describe('accessibility of the CSV dialogs (axe-core)', () => {
  it('finds nothing in the export dialog and in the import preview with everything it can list', async () => {
    renderPanel(site());
    await gridReady();
    fireEvent.click(screen.getByRole('button', { name: 'Export CSV…' }));
    await screen.findByRole('dialog', { name: 'Export alt text as CSV' });
    expect(await violations()).toEqual([]);
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));

    fireEvent.click(screen.getByRole('button', { name: 'Import CSV…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Import alt text from CSV' });
    expect(await violations()).toEqual([]);
    const text = 'id,alt:en,alt:de\r\nasset1,photo.jpg,x\r\nasset9,y,\r\nasset1,z,\r\nasset2,a\u0000b,\r\n';
    fireEvent.change(within(dialog).getByLabelText('CSV file'), { target: { files: [new File([text], 'agency.csv')] } });
    await within(dialog).findByText(/agency\.csv: 4 rows read/);
    expect(await violations()).toEqual([]);
  });
});
