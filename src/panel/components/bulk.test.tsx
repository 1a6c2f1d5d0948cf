// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { makeAsset } from '../testing/fakes.ts';
import { gridReady, renderPanel } from '../testing/render-panel.tsx';

afterEach(cleanup);

const names = ['IMG_2041-red-bicycle@2x.jpg', 'golden-retriever-p-500.jpg', 'a1b2c3d4e5f6_mountain-lake.png', 'team-photo.jpg', 'notes.pdf'];
function site() {
  return names.map((fileName, n) =>
    makeAsset(n + 1, {
      fileName,
      name: fileName,
      contentType: fileName.endsWith('.pdf') ? 'application/pdf' : 'image/jpeg',
      altText: fileName === 'team-photo.jpg' ? 'The team at the office' : '',
    }),
  );
}
const folders = [
  { id: 'trips', name: 'Trips', parentId: null },
  { id: 'summer', name: 'Summer', parentId: 'trips' },
];

const select = (name: string, init: MouseEventInit = {}) => fireEvent.click(screen.getByRole('checkbox', { name: `Select ${name}` }), init);
const selectedRows = () =>
  [...screen.getByRole('grid').querySelectorAll('[role="row"][aria-selected="true"] strong')].map((name) => name.textContent);

describe('selecting and acting on many assets', () => {
  it('selects by click, Shift-click range, Ctrl-click toggle and all in the filter', async () => {
    renderPanel({ assets: site(), folders });
    await gridReady();
    const row = (name: string) => screen.getByText(name, { selector: 'strong' });
    fireEvent.click(row('a1b2c3d4e5f6_mountain-lake.png'));
    fireEvent.click(row('notes.pdf'), { shiftKey: true });
    expect(selectedRows()).toEqual(['a1b2c3d4e5f6_mountain-lake.png', 'golden-retriever-p-500.jpg', 'IMG_2041-red-bicycle@2x.jpg', 'notes.pdf']);
    fireEvent.click(row('notes.pdf'), { ctrlKey: true });
    expect(selectedRows()).toHaveLength(3);
    expect(screen.getByRole('toolbar', { name: 'Bulk actions' }).querySelector('.selected-count')?.textContent).toBe('3 assets selected');
    fireEvent.click(screen.getByRole('button', { name: 'Select all in filter' }));
    expect(selectedRows()).toHaveLength(5);
    fireEvent.click(screen.getByRole('button', { name: 'Clear selection' }));
    expect(screen.queryByRole('toolbar', { name: 'Bulk actions' })).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole('checkbox', { name: /^Select all 5 assets/ }));
  });

  it('applies the suggestions the designer kept after reviewing them, as one undoable batch', async () => {
    const { backend, designer } = renderPanel({ assets: site(), folders });
    await gridReady();
    fireEvent.click(screen.getByRole('checkbox', { name: /^Select all 5 assets/ }));
    const opener = screen.getByRole('button', { name: 'Apply suggestions…' });
    opener.focus();
    fireEvent.click(opener);
    const dialog = await screen.findByRole('dialog', { name: 'Review suggestions' });
    expect(backend.changes).toEqual([]);
    const proposals = within(dialog).getAllByRole('checkbox');
    expect(proposals.length).toBeGreaterThanOrEqual(3);
    const golden = within(dialog).getByRole('checkbox', { name: /golden-retriever-p-500\.jpg/ });
    fireEvent.click(golden);
    const apply = within(dialog).getByRole('button', { name: /^Apply \d+ suggestions?$/ });
    fireEvent.click(apply);

    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(backend.batches).toHaveLength(1);
    expect(backend.changes.map((change) => change.assetId)).not.toContain('asset2');
    expect(backend.changes.map((change) => change.assetId)).toContain('asset1');
    await waitFor(() => expect(designer.values.get('asset1')?.altText).toMatch(/red bicycle/i));
    expect(designer.values.get('asset2')?.altText).toBe('');
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Apply suggestions…' }));
  });

  it('leaves decorative images out of suggestions and does not pre-check text the designer wrote', async () => {
    const assets = site().map((asset) => (asset.id === 'asset3' ? { ...asset, altText: null } : asset));
    renderPanel({ assets, folders });
    await gridReady();
    fireEvent.click(screen.getByRole('checkbox', { name: /^Select all 5 assets/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Apply suggestions…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Review suggestions' });
    expect(within(dialog).queryByRole('checkbox', { name: /mountain-lake/ })).toBeNull();
    expect(within(dialog).getByRole<HTMLInputElement>('checkbox', { name: /team-photo\.jpg/ }).checked).toBe(false);
    expect(within(dialog).getByRole<HTMLInputElement>('checkbox', { name: /golden-retriever/ }).checked).toBe(true);
    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('marks the selected images decorative and clears alt text', async () => {
    const { designer } = renderPanel({ assets: site(), folders });
    await gridReady();
    select('team-photo.jpg');
    select('notes.pdf', { ctrlKey: true });
    fireEvent.click(screen.getByRole('button', { name: 'Mark decorative' }));
    await waitFor(() => expect(designer.values.get('asset4')?.altText).toBeNull());
    expect(designer.values.get('asset5')?.altText).toBe('');
    fireEvent.click(screen.getByRole('button', { name: 'Clear alt text' }));
    await waitFor(() => expect(designer.values.get('asset4')?.altText).toBe(''));
    await screen.findByText('Cleared the alt text of 1 image.');
  });

  it('finds and replaces in the selected alt texts', async () => {
    const { designer } = renderPanel({ assets: site(), folders });
    await gridReady();
    select('team-photo.jpg');
    fireEvent.click(screen.getByRole('button', { name: 'Find and replace…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Find and replace in alt text' });
    fireEvent.input(within(dialog).getByRole('textbox', { name: 'Find' }), { target: { value: 'office' } });
    fireEvent.input(within(dialog).getByRole('textbox', { name: 'Replace with' }), { target: { value: 'studio' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Replace in 1 alt text' }));
    await waitFor(() => expect(designer.values.get('asset4')?.altText).toBe('The team at the studio'));
  });

  it('moves the selection to a folder by the bulk action and by dropping rows on a folder', async () => {
    const { designer } = renderPanel({ assets: site(), folders });
    await gridReady();
    select('notes.pdf');
    fireEvent.click(screen.getByRole('button', { name: 'Move to folder…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Move 1 asset to a folder' });
    fireEvent.change(within(dialog).getByRole('combobox', { name: 'Folder' }), { target: { value: 'summer' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Move' }));
    await waitFor(() => expect(designer.values.get('asset5')?.folderId).toBe('summer'));

    const pane = screen.getByRole('navigation', { name: 'Folders' });
    await waitFor(() => expect(within(pane).getByRole('button', { name: 'Trips, 1 asset' })).toBeTruthy());
    const data = new Map<string, string>();
    const dataTransfer = { setData: (type: string, value: string) => data.set(type, value), getData: (type: string) => data.get(type) ?? '' };
    const grid = screen.getByRole('grid');
    const handle = grid.querySelector('[data-row-id="asset1"] [draggable="true"]') as HTMLElement;
    fireEvent.dragStart(handle, { dataTransfer });
    const trips = within(pane).getByRole('button', { name: 'Trips, 1 asset' });
    fireEvent.dragOver(trips, { dataTransfer });
    fireEvent.drop(trips, { dataTransfer });
    await waitFor(() => expect(designer.values.get('asset1')?.folderId).toBe('trips'));
    await waitFor(() => expect(within(pane).getByRole('button', { name: 'Trips, 2 assets' })).toBeTruthy());
  });

  it('renames one selected asset, journaled and applied in the Designer', async () => {
    const { designer, backend } = renderPanel({ assets: site(), folders });
    await gridReady();
    select('notes.pdf');
    const rename = screen.getByRole('button', { name: 'Rename…' });
    rename.focus();
    fireEvent.click(rename);
    const dialog = await screen.findByRole('dialog', { name: 'Rename notes.pdf' });
    fireEvent.input(within(dialog).getByRole('textbox', { name: 'Name' }), { target: { value: 'Price list 2025.pdf' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Rename' }));
    await waitFor(() => expect(designer.values.get('asset5')?.name).toBe('Price list 2025.pdf'));
    expect(backend.changes[0]).toMatchObject({ field: 'displayName', before: 'notes.pdf', after: 'Price list 2025.pdf' });
    expect(screen.getByRole('textbox', { name: 'Alt text for Price list 2025.pdf' })).toBeTruthy();
    expect(document.activeElement).toBe(rename);
    select('team-photo.jpg', { ctrlKey: true });
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Rename…' }).disabled).toBe(true);
  });

  it('creates a nested folder inside the chosen one and gives focus back', async () => {
    const { backend } = renderPanel({ assets: site(), folders });
    await gridReady();
    const pane = screen.getByRole('navigation', { name: 'Folders' });
    fireEvent.click(within(pane).getByRole('button', { name: 'Trips, 0 assets' }));
    fireEvent.click(within(pane).getByRole('button', { name: 'New folder' }));
    const name = within(pane).getByRole('textbox', { name: 'New folder name, inside Trips' });
    fireEvent.input(name, { target: { value: 'Winter' } });
    fireEvent.submit(name.closest('form') as HTMLFormElement);
    await within(pane).findByRole('button', { name: 'Winter, 0 assets' });
    expect(backend.folders.at(-1)).toMatchObject({ name: 'Winter', parentId: 'trips' });
    await waitFor(() => expect(document.activeElement).toBe(within(pane).getByRole('button', { name: 'New folder' })));
  });

  it('creates a folder from the toolbar where the folder pane is not shown', async () => {
    const { backend } = renderPanel({ assets: site(), folders });
    await gridReady();
    fireEvent.change(screen.getByRole('combobox', { name: 'Folder' }), { target: { value: 'trips' } });
    fireEvent.click(screen.getByRole('button', { name: /^More/ }));
    const opener = screen.getByRole('button', { name: 'New folder…' });
    opener.focus();
    fireEvent.click(opener);
    const dialog = screen.getByRole('dialog', { name: 'New folder inside Trips' });
    const name = within(dialog).getByRole('textbox', { name: 'Name' });
    fireEvent.input(name, { target: { value: 'Spring' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Create' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(backend.folders.at(-1)).toMatchObject({ name: 'Spring', parentId: 'trips' });
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'New folder…' }));
  });

  it('folds actions behind a disclosure that opens, closes with Esc and gives focus back', async () => {
    renderPanel({ assets: site(), folders });
    await gridReady();
    select('notes.pdf');
    const bar = screen.getByRole('toolbar', { name: 'Bulk actions' });
    // "More actions" or, in the compact layout, "Actions" (the test DOM has no styles, so both).
    const toggle = within(bar).getByRole('button', { name: /^More actions/ });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    const actions = document.getElementById(toggle.getAttribute('aria-controls') ?? '');
    expect(actions?.contains(within(bar).getByRole('button', { name: 'Find and replace…' }))).toBe(true);
    fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    expect(bar.classList.contains('open')).toBe(true);
    fireEvent.keyDown(within(bar).getByRole('button', { name: 'Rename…' }), { key: 'Escape' });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(document.activeElement).toBe(toggle);
  });
});
