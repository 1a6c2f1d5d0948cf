// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { designerWithCanvas } from '../testing/canvas-fakes.ts';
import { FakeBackend, FakeDesigner, frenchLocale, makeAsset, makeCmsUse, primaryLocale } from '../testing/fakes.ts';
import { gridReady, renderPanel } from '../testing/render-panel.tsx';

afterEach(cleanup);

function setup() {
  const assets = [makeAsset(1, { fileName: 'door.jpg', name: 'door.jpg', altText: 'A red door' }), makeAsset(2, { fileName: 'lake.jpg', name: 'lake.jpg', altText: '' })];
  const backend = new FakeBackend({ assets, locales: [primaryLocale, frenchLocale] });
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
});
