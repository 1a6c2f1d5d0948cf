// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeAsset } from '../testing/fakes.ts';
import { gridReady, renderPanel } from '../testing/render-panel.tsx';

// The preview's code cannot be fetched (the connection dropped, a deploy replaced the chunks).
vi.mock('./ReplaceFileDialog.tsx', () => {
  throw new Error('Failed to fetch dynamically imported module');
});

afterEach(cleanup);

describe('replacing a file when its preview cannot be loaded', () => {
  it('says so, journals nothing, and leaves the asset selected to try again', async () => {
    const { backend } = renderPanel({ assets: [makeAsset(1, { name: 'menu-board.png', fileName: 'menu-board.png', contentType: 'image/png' })] });
    await gridReady();
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select menu-board.png' }));
    fireEvent.click(screen.getByRole('button', { name: 'Replace file…' }));
    await waitFor(() => expect(document.body.textContent).toContain('The file could not be replaced: the panel could not load what it needs.'));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(backend.changes).toEqual([]);
    expect(screen.getByRole<HTMLInputElement>('checkbox', { name: 'Select menu-board.png' }).checked).toBe(true);
  });
});
