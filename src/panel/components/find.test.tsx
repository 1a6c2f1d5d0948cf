// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { frenchLocale, makeAsset, primaryLocale } from '../testing/fakes.ts';
import { gridReady, renderPanel } from '../testing/render-panel.tsx';

afterEach(cleanup);

const rowNames = () =>
  [...screen.getByRole('grid', { name: 'Assets' }).querySelectorAll('[data-row-id] strong')].map((name) => name.textContent);

function site() {
  return [
    makeAsset(1, { fileName: 'beach.jpg', name: 'beach.jpg', altText: 'Sunset over the beach', folderId: 'trips' }),
    makeAsset(2, { fileName: 'logo.png', name: 'logo.png', contentType: 'image/png', altText: null }),
    makeAsset(3, { fileName: 'team.jpg', name: 'team.jpg', altText: '', folderId: 'people' }),
    makeAsset(4, { fileName: 'price-list.pdf', name: 'price-list.pdf', contentType: 'application/pdf', thumbUrl: null, altText: '' }),
    makeAsset(5, { fileName: 'dog.jpg', name: 'dog.jpg', altText: 'image', localeAltText: { fr: 'Un chien' } }),
  ];
}

const folders = [
  { id: 'trips', name: 'Trips', parentId: null },
  { id: 'people', name: 'People', parentId: null },
];

describe('finding assets', () => {
  it('searches names and alt text as the designer types, and Esc clears the search', async () => {
    renderPanel({ assets: site(), folders });
    await gridReady();
    fireEvent.input(screen.getByRole('searchbox', { name: 'Search assets' }), { target: { value: 'sunset' } });
    await waitFor(() => expect(rowNames()).toEqual(['beach.jpg']));
    fireEvent.input(screen.getByRole('searchbox', { name: 'Search assets' }), { target: { value: 'zebra' } });
    await screen.findByText('No assets match. Clear the search or pick another filter.');
    fireEvent.keyDown(screen.getByRole('searchbox', { name: 'Search assets' }), { key: 'Escape' });
    await waitFor(() => expect(rowNames()).toHaveLength(5));
  });

  it('shows a count on every filter and narrows the grid to it', async () => {
    renderPanel({ assets: site(), folders });
    await gridReady();
    const filters = screen.getByRole('group', { name: 'Alt text filter' });
    const button = (name: RegExp) => within(filters).getByRole('button', { name });
    // The counts follow the grid a frame later.
    await waitFor(() => expect(button(/^All/).textContent).toBe('All5'));
    expect(button(/^Missing alt text/).textContent).toBe('Missing alt text1');
    expect(button(/^Decorative/).textContent).toBe('Decorative1');
    expect(button(/^Needs review/).textContent).toBe('Needs review1');

    fireEvent.click(button(/^Missing alt text/));
    await waitFor(() => expect(rowNames()).toEqual(['team.jpg']));
    expect(button(/^Missing alt text/).getAttribute('aria-pressed')).toBe('true');

    fireEvent.click(button(/^Needs review/));
    await waitFor(() => expect(rowNames()).toEqual(['dog.jpg']));

    // Under a search, each count says what choosing that filter would give.
    fireEvent.input(screen.getByRole('searchbox', { name: 'Search assets' }), { target: { value: 'beach' } });
    await waitFor(() => expect(button(/^All/).textContent).toBe('All1'));
    expect(button(/^Missing alt text/).textContent).toBe('Missing alt text0');
  });

  it('filters by type and by folder, and sorts', async () => {
    renderPanel({ assets: site(), folders });
    await gridReady();
    const type = screen.getByRole<HTMLSelectElement>('combobox', { name: 'Type' });
    expect(await within(type).findByRole('option', { name: 'Documents (1)' })).toBeTruthy();
    fireEvent.change(type, { target: { value: 'document' } });
    await waitFor(() => expect(rowNames()).toEqual(['price-list.pdf']));
    fireEvent.change(type, { target: { value: 'all' } });

    const pane = screen.getByRole('navigation', { name: 'Folders' });
    fireEvent.click(await within(pane).findByRole('button', { name: 'Trips, 1 asset' }));
    await waitFor(() => expect(rowNames()).toEqual(['beach.jpg']));
    expect(screen.getByRole<HTMLSelectElement>('combobox', { name: 'Upload to folder' }).value).toBe('trips');
    fireEvent.click(within(pane).getByRole('button', { name: /^All folders/ }));

    fireEvent.change(screen.getByRole('combobox', { name: 'Sort by' }), { target: { value: 'size' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sorted ascending; sort descending' }));
    await waitFor(() => expect(rowNames()[0]).toBe('dog.jpg'));
  });

  it('edits a secondary locale’s alt text, with the primary’s as a hint where the locale has none', async () => {
    const { designer } = renderPanel({ assets: site(), folders, locales: [primaryLocale, frenchLocale] });
    await gridReady();
    const localeSwitcher = screen.getByRole('combobox', { name: 'Locale' });
    expect(within(localeSwitcher).getByRole('option', { name: 'French' })).toBeTruthy();
    fireEvent.focus(localeSwitcher);
    // Beach and team have no French text of their own, dog has; logo is decorative in every locale.
    await within(localeSwitcher).findByRole('option', { name: 'French: 2 missing' });
    expect(within(localeSwitcher).getByRole('option', { name: 'English (primary): 1 missing' })).toBeTruthy();
    fireEvent.change(localeSwitcher, { target: { value: 'fr' } });
    const beach = await screen.findByRole<HTMLInputElement>('textbox', { name: 'Alt text for beach.jpg' });
    await waitFor(() => expect(beach.placeholder).toBe('Primary: Sunset over the beach'));
    expect(beach.value).toBe('');
    expect(screen.getByRole<HTMLInputElement>('textbox', { name: 'Alt text for dog.jpg' }).value).toBe('Un chien');

    fireEvent.input(beach, { target: { value: 'Coucher de soleil sur la plage' } });
    fireEvent.keyDown(beach, { key: 'Enter' });
    await waitFor(() => expect(designer.values.get('asset1')?.localeAltText.fr).toBe('Coucher de soleil sur la plage'));
    expect(designer.values.get('asset1')?.altText).toBe('Sunset over the beach');
  });

  it('says the first read from Webflow is on its way rather than that nothing matches, on a site just installed', async () => {
    const { backend } = renderPanel({ assets: [], folders: [] });
    await screen.findByText('This site has no assets yet. Drop files anywhere on the panel to upload them.');
    backend.refresh = { state: 'running', done: 300, total: 1200, finishedAt: null, error: null };
    await screen.findByText('Reading this site’s assets from Webflow… 300 of 1,200 so far.');
    expect(screen.queryByText(/No assets match/)).toBeNull();
    backend.refresh = null;
    backend.emitAssetChange(makeAsset(6, { fileName: 'new-arrival.jpg', name: 'new-arrival.jpg' }));
    await waitFor(() => expect(rowNames()).toEqual(['new-arrival.jpg']));
    fireEvent.input(screen.getByRole('searchbox', { name: 'Search assets' }), { target: { value: 'zebra' } });
    await screen.findByText('No assets match. Clear the search or pick another filter.');
  });

  it('shows a refresh’s progress and picks up its changes without a reload', async () => {
    const { backend } = renderPanel({ assets: site(), folders });
    await gridReady();
    backend.refresh = { state: 'running', done: 300, total: 1200, finishedAt: null, error: null };
    await screen.findByText('Refreshing from Webflow: 300 of 1,200');
    backend.refresh = null;
    backend.emitAssetChange(makeAsset(6, { fileName: 'new-arrival.jpg', name: 'new-arrival.jpg' }));
    await waitFor(() => expect(rowNames()).toContain('new-arrival.jpg'));
    expect(screen.queryByText(/^Refreshing from Webflow/)).toBeNull();
  });

  it('folds type and sort behind More, which says when they are set and closes with Esc', async () => {
    renderPanel({ assets: site(), folders });
    await gridReady();
    const more = screen.getByRole('button', { name: /^More/ });
    expect(more.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(more);
    expect(more.getAttribute('aria-expanded')).toBe('true');
    const sort = screen.getByRole('combobox', { name: 'Sort by' });
    expect(document.getElementById(more.getAttribute('aria-controls') ?? '')?.contains(sort)).toBe(true);
    fireEvent.change(sort, { target: { value: 'size' } });
    sort.focus();
    fireEvent.keyDown(sort, { key: 'Escape' });
    expect(more.getAttribute('aria-expanded')).toBe('false');
    expect(document.activeElement).toBe(more);
    // Folded away, a choice away from its default still shows on the button.
    expect(more.querySelector('.wide-only')?.textContent).toBe(' (1 set)');
    expect(more.querySelector('.compact-only')?.textContent).toBe(' (1 set)');
    fireEvent.click(screen.getByRole('button', { name: /^Trips/ }));
    await waitFor(() => expect(more.querySelector('.compact-only')?.textContent).toBe(' (2 set)'));
    expect(more.querySelector('.wide-only')?.textContent).toBe(' (1 set)');
  });

  it('keeps the full words of shortened filter labels in their names', async () => {
    renderPanel({ assets: site(), folders });
    await gridReady();
    const missing = within(screen.getByRole('group', { name: 'Alt text filter' })).getByRole('button', { name: /^Missing alt text/ });
    expect(missing.querySelector('.label-rest')?.textContent).toBe(' alt text');
  });
});
