// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { designerWithCanvas } from '../testing/canvas-fakes.ts';
import { FakeBackend, FakeDesigner, frenchLocale, makeAsset, makeCmsUse, primaryLocale } from '../testing/fakes.ts';
import { gridReady, renderPanel } from '../testing/render-panel.tsx';

afterEach(cleanup);

function setup() {
  const assets = [makeAsset(1, { fileName: 'door.jpg', name: 'door.jpg', altText: 'A red door' }), makeAsset(2, { fileName: 'lake.jpg', name: 'lake.jpg', altText: '', folderId: 'f' })];
  const backend = new FakeBackend({ assets, folders: [{ id: 'f', name: 'Landscapes', parentId: null }], locales: [primaryLocale, frenchLocale] });
  backend.cmsUses = [makeCmsUse({ assetId: 'asset1' })];
  const { designer } = designerWithCanvas(new FakeDesigner(assets), [{ id: 'home', name: 'Home', elements: [{ elementId: 'hero', assetId: 'asset1', alt: null }] }]);
  return renderPanel({ backend, designer });
}

const toolbar = () => screen.getByRole('banner');
/** The grid's query as the top bar offers it. */
const gridQuery = () => [
  within(toolbar()).queryByRole('searchbox', { name: 'Search assets' }),
  within(toolbar()).queryByRole('group', { name: 'Alt text filter' }),
  within(toolbar()).queryByRole('combobox', { name: 'Show' }),
  within(toolbar()).queryByRole('combobox', { name: 'Locale' }),
  within(toolbar()).queryByRole('combobox', { name: 'Type' }),
  within(toolbar()).queryByRole('combobox', { name: 'Sort by' }),
  within(toolbar()).queryByRole('combobox', { name: 'Folder' }),
];

describe('the top bar in each view', () => {
  it('offers the grid’s search and filters only with the grid, and keeps what was chosen for it', async () => {
    setup();
    await gridReady();
    expect(gridQuery().every((control) => control !== null)).toBe(true);
    fireEvent.input(screen.getByRole('searchbox', { name: 'Search assets' }), { target: { value: 'lake' } });
    fireEvent.change(screen.getByRole('combobox', { name: 'Type' }), { target: { value: 'image' } });

    for (const view of ['CMS images', 'On this page']) {
      fireEvent.click(screen.getByRole('button', { name: view }));
      await waitFor(() => expect(gridQuery()).toEqual([null, null, null, null, null, null, null]));
      // What works in every view stays: the report, and More (CSV, a new folder).
      expect(within(toolbar()).getByRole('button', { name: 'Report' })).toBeTruthy();
      expect(within(toolbar()).getByRole('button', { name: 'More' }).textContent).toBe('More');
    }

    fireEvent.click(screen.getByRole('button', { name: 'All assets' }));
    await gridReady();
    expect(screen.getByRole<HTMLInputElement>('searchbox', { name: 'Search assets' }).value).toBe('lake');
    expect(screen.getByRole<HTMLSelectElement>('combobox', { name: 'Type' }).value).toBe('image');
    expect(within(toolbar()).getByRole('button', { name: /^More/ }).textContent).toMatch(/\(1 set\)/);
  });

  it('shows a folder chosen from another view in the grid, not under a view that is not by folder', async () => {
    setup();
    await gridReady();
    const folders = screen.getByRole('navigation', { name: 'Folders' });
    for (const view of ['CMS images', 'On this page', 'Report']) {
      fireEvent.click(screen.getByRole('button', { name: view }));
      if (view === 'Report') await screen.findByRole('region', { name: 'Report' });
      else await waitFor(() => expect(screen.getByRole('button', { name: view }).getAttribute('aria-pressed')).toBe('true'));
      fireEvent.click(within(folders).getByRole('button', { name: /^Landscapes/ }));
      await gridReady();
      expect(screen.getByRole('button', { name: 'All assets' }).getAttribute('aria-pressed')).toBe('true');
      expect(screen.queryByRole('region', { name: 'Report' })).toBeNull();
      expect(within(folders).getByRole('button', { name: /^Landscapes/ }).getAttribute('aria-pressed')).toBe('true');
      await waitFor(() => expect(screen.queryAllByText('door.jpg')).toEqual([]));
      expect(screen.getAllByText('lake.jpg').length).toBeGreaterThan(0);
      fireEvent.click(within(folders).getByRole('button', { name: /^All folders/ }));
      await waitFor(() => expect(screen.getAllByText('door.jpg').length).toBeGreaterThan(0));
    }
  });
});
