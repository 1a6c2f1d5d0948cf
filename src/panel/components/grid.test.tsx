// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { options, type VNode } from 'preact';
import { afterEach, describe, expect, it } from 'vitest';
import { fileMark } from '../../core/thumbnails.ts';
import { makeAsset } from '../testing/fakes.ts';
import { gridReady, renderPanel } from '../testing/render-panel.tsx';
import { ROW_HEIGHT } from './AssetGrid.tsx';
import { CONCURRENT_THUMBNAILS } from '../thumbnails/thumbnails.ts';
import { AssetRow } from './AssetRow.tsx';

/** Counts the renders of one component while `act` runs (Preact's own hook after each diff). */
async function rendersOf(component: unknown, act: () => Promise<void>): Promise<number> {
  const before = options.diffed;
  let count = 0;
  options.diffed = (vnode: VNode) => {
    if (vnode.type === component) count += 1;
    before?.(vnode);
  };
  try {
    await act();
  } finally {
    options.diffed = before;
  }
  return count;
}

afterEach(cleanup);

const many = (count: number) => Array.from({ length: count }, (_, n) => makeAsset(n, { fileName: `asset-${String(n).padStart(5, '0')}.jpg`, name: `asset-${String(n).padStart(5, '0')}.jpg` }));

describe('the virtualized grid', () => {
  it('renders only the rows in view of 20,000 assets and follows the scroll', async () => {
    renderPanel({ assets: many(20_000) });
    const grid = await gridReady();
    expect(grid.getAttribute('aria-rowcount')).toBe('20001');
    const rendered = grid.querySelectorAll('[data-row-id]');
    expect(rendered.length).toBeGreaterThan(5);
    expect(rendered.length).toBeLessThan(40);
    expect(screen.getByRole('textbox', { name: 'Alt text for asset-00000.jpg' })).toBeTruthy();

    grid.scrollTop = 10_000 * ROW_HEIGHT;
    fireEvent.scroll(grid);
    await screen.findByRole('textbox', { name: 'Alt text for asset-10000.jpg' });
    expect(screen.queryByRole('textbox', { name: 'Alt text for asset-00000.jpg' })).toBeNull();
    expect(grid.querySelectorAll('[data-row-id]').length).toBeLessThan(40);
    const row = screen.getByRole('textbox', { name: 'Alt text for asset-10000.jpg' }).closest('[role="row"]');
    expect(row?.getAttribute('aria-rowindex')).toBe('10002');
  });

  it('moves focus with Enter to a row that was not rendered yet', async () => {
    renderPanel({ assets: many(200) });
    const grid = await gridReady();
    const lastRendered = [...grid.querySelectorAll<HTMLElement>('[data-row-id]')].at(-1);
    const id = lastRendered?.dataset.rowId ?? '';
    const name = lastRendered?.querySelector('strong')?.textContent ?? '';
    const next = `asset-${String(Number(id.replace('asset', '')) + 1).padStart(5, '0')}.jpg`;
    expect(screen.queryByRole('textbox', { name: `Alt text for ${next}` })).toBeNull();
    const input = screen.getByRole('textbox', { name: `Alt text for ${name}` });
    input.focus();
    fireEvent.keyDown(input, { key: 'Enter' });
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('textbox', { name: `Alt text for ${next}` })));
  });

  it('keeps the focused row rendered and focused when saved rows above it leave the filter', async () => {
    const { backend } = renderPanel({ assets: many(300) });
    const grid = await gridReady();
    fireEvent.click(screen.getByRole('button', { name: /^Missing alt text/ }));
    grid.scrollTop = 40 * ROW_HEIGHT;
    fireEvent.scroll(grid);
    const target = await screen.findByRole('textbox', { name: 'Alt text for asset-00045.jpg' });
    target.focus();
    // Thirty rows above it get alt text elsewhere and leave "Missing alt text".
    for (let n = 10; n < 40; n += 1) backend.emitAssetChange({ ...backend.assets[n]!, altText: `Described ${n}` });
    await waitFor(() => expect(grid.getAttribute('aria-rowcount')).toBe('271'));
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('textbox', { name: 'Alt text for asset-00045.jpg' })));
    expect(grid.scrollTop).toBe(10 * ROW_HEIGHT);
  });

  it('hands rows on to the assets a search brings, each showing its own name, alt text, draft and thumbnail', async () => {
    // Even assets are "amber", odd ones "blue"; every third has alt text; asset 4 has a draft.
    const assets = Array.from({ length: 60 }, (_, n) =>
      makeAsset(n, { fileName: `${n % 2 ? 'blue' : 'amber'}-${String(n).padStart(2, '0')}.jpg`, altText: n % 3 === 0 ? `Alt of ${n}` : '' }),
    );
    const { backend } = renderPanel({ assets });
    const grid = await gridReady();
    const thumbnailOf = (asset: (typeof assets)[number]) => backend.thumbnailUrl('site1', asset.id, fileMark(asset.thumbUrl ?? ''), backend.thumbnailKeyAnswer.key);
    fireEvent.input(screen.getByRole('textbox', { name: 'Alt text for amber-04.jpg' }), { target: { value: 'Draft of 4' } });
    const before = new Map([...grid.querySelectorAll<HTMLElement>('[data-row-id]')].map((row) => [row, row.dataset.rowId]));

    fireEvent.input(screen.getByRole('searchbox', { name: 'Search assets' }), { target: { value: 'blue' } });
    await waitFor(() => expect(grid.querySelector('[data-row-id="asset0"]')).toBeNull());
    // The first thumbnails of the rows on screen came after the typing's pause (happy-dom loads
    // no image, so the queue's first slots stay taken).
    await waitFor(() => expect(grid.querySelectorAll('img.thumb').length).toBe(CONCURRENT_THUMBNAILS), { timeout: 3000 });
    const rows = [...grid.querySelectorAll<HTMLElement>('[data-row-id]')];
    expect(rows.length).toBeGreaterThan(5);
    // The rows were handed on, not built anew: the same elements show other assets.
    expect(rows.filter((row) => before.has(row) && before.get(row) !== row.dataset.rowId).length).toBeGreaterThan(5);
    for (const row of rows) {
      const asset = assets.find((candidate) => candidate.id === row.dataset.rowId) ?? expect.unreachable('a row of no asset');
      const n = Number(asset.id.replace('asset', ''));
      expect(row.querySelector('.name strong')?.textContent).toBe(asset.name);
      const field = within(row).getByRole<HTMLInputElement>('textbox', { name: `Alt text for ${asset.name}` });
      expect(field.value).toBe(n % 3 === 0 ? `Alt of ${n}` : '');
      expect(field.classList.contains('draft')).toBe(false);
      const image = row.querySelector('img');
      // The backend's small thumbnail of this row's own asset (a JPEG), never another's.
      if (image) expect(image.getAttribute('src')).toBe(thumbnailOf(asset));
    }

    // Back to every asset: the draft is still asset 4's, shown in its row and no other.
    fireEvent.input(screen.getByRole('searchbox', { name: 'Search assets' }), { target: { value: '' } });
    const drafted = await screen.findByRole<HTMLInputElement>('textbox', { name: 'Alt text for amber-04.jpg' });
    await waitFor(() => expect(drafted.value).toBe('Draft of 4'));
    const withDraft = [...grid.querySelectorAll<HTMLInputElement>('input[data-field="alt"]')].filter((field) => field.value === 'Draft of 4');
    expect(withDraft).toEqual([drafted]);
  });

  it('keeps the field being edited on its asset while the grid scrolls and searches around it', async () => {
    renderPanel({ assets: many(300) });
    const grid = await gridReady();
    const field = screen.getByRole<HTMLInputElement>('textbox', { name: 'Alt text for asset-00003.jpg' });
    field.focus();
    fireEvent.input(field, { target: { value: 'Half typed' } });
    // Two rows down: asset 3 stays in view, rows above it leave, rows below come.
    grid.scrollTop = 2 * ROW_HEIGHT;
    fireEvent.scroll(grid);
    await screen.findByRole('textbox', { name: `Alt text for asset-000${String(Math.ceil(480 / ROW_HEIGHT) + 2).padStart(2, '0')}.jpg` });
    expect(document.activeElement).toBe(field);
    expect(field.getAttribute('aria-label')).toBe('Alt text for asset-00003.jpg');
    expect(field.value).toBe('Half typed');
    // Scrolled far away: the row of asset 3 goes, and no other asset's field shows its draft.
    grid.scrollTop = 200 * ROW_HEIGHT;
    fireEvent.scroll(grid);
    await screen.findByRole('textbox', { name: 'Alt text for asset-00200.jpg' });
    expect([...grid.querySelectorAll<HTMLInputElement>('input[data-field="alt"]')].some((input) => input.value === 'Half typed')).toBe(false);
    // Its field was retired with it, not handed to another asset under the caret.
    expect(field.isConnected).toBe(false);
  });

  it('renders only the row being typed in, not every row in view, on a keystroke in an alt-text field', async () => {
    renderPanel({ assets: many(200) });
    const grid = await gridReady();
    expect(grid.querySelectorAll('[data-row-id]').length).toBeGreaterThan(5);
    // The first thumbnails have started (each such row renders once more with its image).
    await waitFor(() => expect(grid.querySelectorAll('img.thumb').length).toBeGreaterThan(0));
    const field = screen.getByRole<HTMLInputElement>('textbox', { name: 'Alt text for asset-00002.jpg' });
    field.focus();
    const renders = await rendersOf(AssetRow, async () => {
      fireEvent.input(field, { target: { value: 'A red bicycle' } });
      await waitFor(() => expect(field.classList.contains('draft')).toBe(true));
    });
    expect(renders).toBe(1);
    // And the other rows still act with what is current: Enter saves this row and moves on.
    fireEvent.keyDown(field, { key: 'Enter' });
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('textbox', { name: 'Alt text for asset-00003.jpg' })));
    expect(field.classList.contains('draft')).toBe(false);
  });

  it('renders only the rows that came into view on a scroll, not the rows that stayed', async () => {
    renderPanel({ assets: many(200) });
    const grid = await gridReady();
    await waitFor(() => expect(grid.querySelectorAll('img.thumb').length).toBeGreaterThan(0));
    const before = new Set([...grid.querySelectorAll<HTMLElement>('[data-row-id]')].map((row) => row.dataset.rowId));
    let came = 0;
    const renders = await rendersOf(AssetRow, async () => {
      grid.scrollTop = 2 * ROW_HEIGHT;
      fireEvent.scroll(grid);
      await waitFor(() => {
        const now = [...grid.querySelectorAll<HTMLElement>('[data-row-id]')].map((row) => row.dataset.rowId);
        came = now.filter((id) => !before.has(id)).length;
        expect(came).toBeGreaterThan(0);
      });
    });
    expect(renders).toBe(came);
  });

  it('shows each row’s thumbnail with its size, and the facts of the asset', async () => {
    renderPanel({ assets: [makeAsset(1, { size: 2_500_000, folderId: 'f1' })], folders: [{ id: 'f1', name: 'Products', parentId: null }] });
    const grid = await gridReady();
    const image = await waitFor(() => grid.querySelector('img.thumb') ?? expect.unreachable('no thumbnail yet'));
    // When it loads is the thumbnail queue's decision (thumbnails.ts), not the browser's.
    expect(image.getAttribute('loading')).toBeNull();
    expect(image.getAttribute('width')).toBe('40');
    expect(image.getAttribute('height')).toBe('40');
    const row = within(grid).getAllByRole('row')[1] as HTMLElement;
    expect(row.textContent).toContain('JPG · 2.4 MB · Products');
  });

  it('offers a suggestion chip that fills the field for review, and saves only on Enter', async () => {
    const { backend } = renderPanel({ assets: [makeAsset(1, { fileName: 'red-bicycle@2x.jpg', name: 'red-bicycle@2x.jpg' })] });
    await gridReady();
    const chip = screen.getByRole('button', { name: /^Suggest: “.+” \(from the file name, 30%\), use it for red-bicycle@2x\.jpg$/ });
    fireEvent.click(chip);
    const input = screen.getByRole<HTMLInputElement>('textbox', { name: 'Alt text for red-bicycle@2x.jpg' });
    expect(input.value.toLowerCase()).toContain('red bicycle');
    expect(document.activeElement).toBe(input);
    expect(backend.changes).toEqual([]);
    fireEvent.keyDown(input, { key: 'Enter' });
    await waitFor(() => expect(backend.changes).toHaveLength(1));
  });

  it("shows names without Webflow's id prefix, the whole name on hover, in name order", async () => {
    renderPanel({
      assets: [
        makeAsset(1, { name: '0a9532e10db02a1c74df205f_Ethiopia-Yirgacheffe.jpg', fileName: '0a9532e10db02a1c74df205f_Ethiopia-Yirgacheffe.jpg' }),
        makeAsset(2, { name: 'ff00000000000000000000aa_Cupping-session.jpg', fileName: 'ff00000000000000000000aa_Cupping-session.jpg' }),
      ],
    });
    const grid = await gridReady();
    const names = [...grid.querySelectorAll<HTMLElement>('[data-row-id] .name strong')];
    expect(names.map((name) => name.textContent)).toEqual(['Cupping-session.jpg', 'Ethiopia-Yirgacheffe.jpg']);
    expect(names[1]?.title).toBe('0a9532e10db02a1c74df205f_Ethiopia-Yirgacheffe.jpg');
    expect(screen.getByRole('textbox', { name: 'Alt text for Ethiopia-Yirgacheffe.jpg' })).toBeTruthy();
    expect(screen.getByRole('checkbox', { name: 'Select Cupping-session.jpg' })).toBeTruthy();
  });
});
