// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { makeAsset } from '../testing/fakes.ts';
import { gridReady, MemoryStorage, renderPanel } from '../testing/render-panel.tsx';

afterEach(cleanup);

const field = (name: string) => screen.getByRole<HTMLInputElement>('textbox', { name: `Alt text for ${name}` });
const assets = () => [1, 2, 3].map((n) => makeAsset(n));

describe('editing alt text by keyboard', () => {
  it('saves with Enter, moves to the next row, and Webflow gets the text', async () => {
    const { backend, designer } = renderPanel({ assets: assets() });
    await gridReady();
    const first = field('photo-1.jpg');
    first.focus();
    fireEvent.input(first, { target: { value: 'A red bicycle' } });
    fireEvent.keyDown(first, { key: 'Enter' });

    await waitFor(() => expect(document.activeElement).toBe(field('photo-2.jpg')));
    await waitFor(() => expect(designer.values.get('asset1')?.altText).toBe('A red bicycle'));
    expect(backend.changes[0]).toMatchObject({ assetId: 'asset1', field: 'altText', before: '', after: 'A red bicycle', status: 'applied' });
    expect(await screen.findByText('Saved alt text of photo-1.jpg.')).toBeTruthy();
    expect(within(screen.getByRole('contentinfo')).getByRole('status').textContent).toBe('Saved alt text of photo-1.jpg.');
  });

  it('goes back with Shift+Enter and between rows with the arrow keys', async () => {
    renderPanel({ assets: assets() });
    await gridReady();
    const second = field('photo-2.jpg');
    second.focus();
    fireEvent.keyDown(second, { key: 'Enter', shiftKey: true });
    expect(document.activeElement).toBe(field('photo-1.jpg'));
    fireEvent.keyDown(field('photo-1.jpg'), { key: 'ArrowDown' });
    fireEvent.keyDown(field('photo-2.jpg'), { key: 'ArrowDown' });
    expect(document.activeElement).toBe(field('photo-3.jpg'));
    fireEvent.keyDown(field('photo-3.jpg'), { key: 'ArrowUp' });
    expect(document.activeElement).toBe(field('photo-2.jpg'));
  });

  it('reverts unsaved typing with Esc and journals nothing', async () => {
    const { backend } = renderPanel({ assets: [makeAsset(1, { altText: 'A cat on a mat' })] });
    await gridReady();
    const input = field('photo-1.jpg');
    fireEvent.input(input, { target: { value: 'A dog' } });
    expect(input.value).toBe('A dog');
    fireEvent.keyDown(input, { key: 'Escape' });
    await waitFor(() => expect(field('photo-1.jpg').value).toBe('A cat on a mat'));
    expect(backend.changes).toEqual([]);
  });

  it('undoes the last batch with Ctrl+Z, then the one before, and Webflow gets the old texts back', async () => {
    const { backend, designer } = renderPanel({ assets: [makeAsset(1, { altText: 'Old text' }), makeAsset(2), makeAsset(3)] });
    await gridReady();
    fireEvent.input(field('photo-1.jpg'), { target: { value: 'New text' } });
    fireEvent.keyDown(field('photo-1.jpg'), { key: 'Enter' });
    fireEvent.input(field('photo-2.jpg'), { target: { value: 'Second text' } });
    fireEvent.keyDown(field('photo-2.jpg'), { key: 'Enter' });
    await waitFor(() => expect(designer.values.get('asset2')?.altText).toBe('Second text'));
    expect(designer.values.get('asset1')?.altText).toBe('New text');

    fireEvent.keyDown(field('photo-3.jpg'), { key: 'z', ctrlKey: true });
    await waitFor(() => expect(designer.values.get('asset2')?.altText).toBe(''));
    expect(backend.batches[2]?.undoOf).toBe(backend.batches[1]?.id);
    await screen.findByText('Undid 1 change.');

    // With focus nowhere (its row scrolled away), Cmd+Z still undoes the batch before.
    (document.activeElement as HTMLElement | null)?.blur();
    fireEvent.keyDown(document.body, { key: 'z', metaKey: true });
    await waitFor(() => expect(designer.values.get('asset1')?.altText).toBe('Old text'));
    expect(field('photo-1.jpg').value).toBe('Old text');
  });

  it('marks an image decorative (null), which is not the same as empty text', async () => {
    const { backend, designer } = renderPanel({ assets: [makeAsset(1)] });
    await gridReady();
    fireEvent.click(screen.getByRole('checkbox', { name: 'Decorative: photo-1.jpg' }));
    await waitFor(() => expect(designer.values.get('asset1')?.altText).toBeNull());
    expect(backend.changes[0]).toMatchObject({ before: '', after: null });
    expect(field('photo-1.jpg').placeholder).toBe('Decorative: no alt text');
    expect(screen.getByRole<HTMLInputElement>('checkbox', { name: 'Decorative: photo-1.jpg' }).checked).toBe(true);
  });

  it('keeps focus in the grid when the edited row leaves the current filter', async () => {
    renderPanel({ assets: assets() });
    await gridReady();
    fireEvent.click(screen.getByRole('button', { name: /^Missing alt text/ }));
    const toggle = screen.getByRole('checkbox', { name: 'Decorative: photo-1.jpg' });
    toggle.focus();
    fireEvent.click(toggle);
    await waitFor(() => expect(screen.queryByRole('checkbox', { name: 'Decorative: photo-1.jpg' })).toBeNull());
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('checkbox', { name: 'Decorative: photo-2.jpg' })));
  });

  it('keeps typed drafts across a closed and reopened panel', async () => {
    const storage = new MemoryStorage();
    const first = renderPanel({ assets: assets(), storage });
    await gridReady();
    fireEvent.input(field('photo-2.jpg'), { target: { value: 'Half-written description' } });
    first.view.unmount();

    renderPanel({ backend: first.backend, designer: first.designer, storage });
    await gridReady();
    expect(field('photo-2.jpg').value).toBe('Half-written description');
    expect(first.backend.changes).toEqual([]);
    await screen.findByText('1 unsaved alt text is back in its field from last time: Enter saves, Esc drops.');
  });

  it('does not call a draft unsaved when its save reached the journal and only the answer was lost', async () => {
    const storage = new MemoryStorage();
    const first = renderPanel({ assets: assets(), storage });
    await gridReady();
    const { BackendError } = await import('../ports/backend.ts');
    const record = first.backend.recordBatch.bind(first.backend);
    first.backend.recordBatch = async (siteId, request) => {
      await record(siteId, request);
      throw new BackendError(0, 'network', 'Asset Desk’s server can’t be reached.');
    };
    fireEvent.input(field('photo-2.jpg'), { target: { value: 'A saved description' } });
    fireEvent.keyDown(field('photo-2.jpg'), { key: 'Enter' });
    await screen.findByText(/^Not saved: Asset Desk’s server can’t be reached/);
    first.view.unmount();

    first.backend.recordBatch = record;
    renderPanel({ backend: first.backend, designer: first.designer, storage });
    await gridReady();
    await waitFor(() => expect(first.backend.changes.map((change) => change.status)).toEqual(['applied']));
    expect(field('photo-2.jpg').value).toBe('A saved description');
    expect(storage.getItem('asset-desk:drafts:site1')).toBeNull();
    expect(screen.queryByText(/unsaved alt text/)).toBeNull();
  });

  it('keeps the draft and says so when the journal cannot be reached', async () => {
    const { backend } = renderPanel({ assets: assets() });
    await gridReady();
    const { BackendError } = await import('../ports/backend.ts');
    backend.failNext.recordBatch = new BackendError(0, 'network', 'Asset Desk’s server can’t be reached.');
    fireEvent.input(field('photo-1.jpg'), { target: { value: 'Kept text' } });
    fireEvent.keyDown(field('photo-1.jpg'), { key: 'Enter' });
    await screen.findByText(/^Not saved: Asset Desk’s server can’t be reached/);
    expect(field('photo-1.jpg').value).toBe('Kept text');
  });

  it('shows lint findings with how to fix them as the designer types', async () => {
    renderPanel({ assets: [makeAsset(1)] });
    await gridReady();
    const input = field('photo-1.jpg');
    fireEvent.input(input, { target: { value: 'image of a dog.jpg' } });
    const [findingsId, keysId] = (input.getAttribute('aria-describedby') ?? '').split(' ');
    expect(document.getElementById(findingsId ?? '')?.textContent).toMatch(/image/i);
    expect(document.getElementById(keysId ?? '')?.textContent).toMatch(/^Enter saves and goes to the next row/);
    expect(input.getAttribute('aria-invalid')).toBe('true');
  });
});

describe('the repeated alt-text finding', () => {
  it('shows on each row sharing a text, and leaves once a save makes the text unique', async () => {
    renderPanel({ assets: [1, 2, 3].map((n) => makeAsset(n, { altText: 'Our team at work' })) });
    await gridReady();
    const repeated = () => screen.queryAllByText(/The same alt text is on 3 different images\./);
    await waitFor(() => expect(repeated()).toHaveLength(3));

    fireEvent.input(field('photo-1.jpg'), { target: { value: 'Ada at the whiteboard' } });
    fireEvent.keyDown(field('photo-1.jpg'), { key: 'Enter' });
    await waitFor(() => expect(repeated()).toHaveLength(0));
  });
});
