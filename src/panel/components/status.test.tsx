// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeBackend, FakeDesigner, makeAsset } from '../testing/fakes.ts';
import { gridReady, renderPanel } from '../testing/render-panel.tsx';

afterEach(cleanup);

const field = (name: string) => screen.getByRole<HTMLInputElement>('textbox', { name: `Alt text for ${name}` });

describe('the status bar', () => {
  it('shows a conflict with both values and keeps the designer’s choice', async () => {
    const { designer, backend } = renderPanel({ assets: [makeAsset(1, { altText: 'Old' })] });
    await gridReady();
    designer.values.get('asset1')!.altText = 'Changed by a colleague';
    fireEvent.input(field('photo-1.jpg'), { target: { value: 'Mine' } });
    fireEvent.keyDown(field('photo-1.jpg'), { key: 'Enter' });

    const review = await screen.findByRole('button', { name: 'Review conflicts' });
    await screen.findByText('1 change conflicts with Webflow: review conflicts in the status bar.');
    expect(screen.getByText('1 conflict')).toBeTruthy();
    expect(designer.values.get('asset1')?.altText).toBe('Changed by a colleague');
    review.focus();
    fireEvent.click(review);
    const dialog = await screen.findByRole('dialog', { name: 'Conflicts with Webflow' });
    expect(within(dialog).getByText('“Mine”')).toBeTruthy();
    expect(within(dialog).getByText('“Changed by a colleague”')).toBeTruthy();

    fireEvent.click(within(dialog).getByRole('button', { name: 'Keep yours for photo-1.jpg' }));
    await waitFor(() => expect(designer.values.get('asset1')?.altText).toBe('Mine'));
    await within(dialog).findByText('No conflicts left.');
    await waitFor(() => expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Close' })));
    // As the journal does: the conflicting change is discarded and yours is journaled again over Webflow's value.
    expect(backend.changes.map((change) => [change.status, change.before, change.after])).toEqual([
      ['discarded', 'Old', 'Mine'],
      ['applied', 'Changed by a colleague', 'Mine'],
    ]);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('keeps Webflow’s value when the designer chooses it', async () => {
    const { designer, backend } = renderPanel({ assets: [makeAsset(1, { altText: 'Old' })] });
    await gridReady();
    designer.values.get('asset1')!.altText = 'Theirs';
    fireEvent.input(field('photo-1.jpg'), { target: { value: 'Mine' } });
    fireEvent.keyDown(field('photo-1.jpg'), { key: 'Enter' });
    fireEvent.click(await screen.findByRole('button', { name: 'Review conflicts' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Keep Webflow’s for photo-1.jpg' }));
    await waitFor(() => expect(backend.changes[0]?.status).toBe('discarded'));
    expect(designer.values.get('asset1')?.altText).toBe('Theirs');
    await waitFor(() => expect(field('photo-1.jpg').value).toBe('Theirs'));
  });

  it('counts failed changes and applies them on retry', async () => {
    const { designer } = renderPanel({ assets: [makeAsset(1)] });
    await gridReady();
    designer.failing.set('asset1', 'The Designer lost the asset');
    fireEvent.input(field('photo-1.jpg'), { target: { value: 'A lighthouse' } });
    fireEvent.keyDown(field('photo-1.jpg'), { key: 'Enter' });
    await screen.findByText('1 failed');
    await screen.findByText('1 change could not be applied: retry from the status bar.');
    designer.failing.clear();
    const retry = screen.getByRole('button', { name: 'Retry failed' });
    retry.focus();
    fireEvent.click(retry);
    await waitFor(() => expect(designer.values.get('asset1')?.altText).toBe('A lighthouse'));
    await waitFor(() => expect(screen.queryByText('1 failed')).toBeNull());
    await waitFor(() => expect(document.activeElement).toBe(within(screen.getByRole('contentinfo')).getByRole('status')));
    expect(designer.notices[0]?.type).toBe('Warning');
    await waitFor(() => expect(designer.notices.at(-1)).toEqual({ type: 'Success', message: 'Asset Desk applied 1 change in Webflow.' }));
  });

  it('resumes pending changes left by a panel that was closed mid-batch', async () => {
    const assets = [makeAsset(1), makeAsset(2)];
    const backend = new FakeBackend({ assets });
    const designer = new FakeDesigner(assets);
    await backend.recordBatch('site1', {
      changes: [
        { assetId: 'asset1', field: 'altText', before: '', after: 'First' },
        { assetId: 'asset2', field: 'altText', before: '', after: 'Second' },
      ],
    });
    renderPanel({ backend, designer });
    await gridReady();
    await waitFor(() => expect(designer.values.get('asset2')?.altText).toBe('Second'));
    await waitFor(() => expect(field('photo-1.jpg').value).toBe('First'));
    await screen.findByText('2 applied');
  });
});

describe('a deletion that conflicts', () => {
  it('offers only to keep the asset, saying why, since a deletion is never forced over a use', async () => {
    const assets = [makeAsset(1, { fileName: 'old-banner.png', name: 'old-banner.png' })];
    const backend = new FakeBackend({ assets });
    const batch = await backend.recordDeletions('site1', ['asset1'], 'Delete 1 unused asset');
    // What the server's deletion applier answers when it finds a use: a conflict, Webflow's value "in use".
    const deletion = backend.changes.find((change) => change.id === batch.changes[0]?.id)!;
    deletion.status = 'conflict';
    deletion.current = 'in use';
    renderPanel({ backend });
    await gridReady();
    fireEvent.click(await screen.findByRole('button', { name: 'Review conflicts' }));
    const dialog = await screen.findByRole('dialog', { name: 'Conflicts with Webflow' });
    const conflict = within(within(dialog).getByRole('list', { name: 'Conflicts' })).getByRole('listitem');
    expect(within(conflict).getByText('Delete it')).toBeTruthy();
    expect(within(conflict).getByText('In use')).toBeTruthy();
    expect(within(conflict).getByText(/Asset Desk never deletes an asset in use, so it stays/)).toBeTruthy();
    expect(within(conflict).queryByRole('button', { name: /Keep yours/ })).toBeNull();
    expect(within(conflict).getAllByRole('button').map((button) => button.getAttribute('aria-label'))).toEqual(['Keep the asset: old-banner.png']);

    fireEvent.click(within(conflict).getByRole('button', { name: 'Keep the asset: old-banner.png' }));
    await within(dialog).findByText('No conflicts left.');
    expect(backend.changes.map((change) => [change.field, change.status])).toEqual([['deletion', 'discarded']]);
  });
});
