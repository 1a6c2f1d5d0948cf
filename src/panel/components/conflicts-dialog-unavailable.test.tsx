// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeAsset } from '../testing/fakes.ts';
import { gridReady, renderPanel } from '../testing/render-panel.tsx';

// The dialog's code cannot be fetched (the connection dropped, a deploy replaced the chunks).
vi.mock('./ConflictsDialog.tsx', () => {
  throw new Error('Failed to fetch dynamically imported module');
});

afterEach(cleanup);

describe('the status bar when the conflicts dialog cannot be loaded', () => {
  it('says so, opens nothing, and keeps the conflict to review later', async () => {
    const { designer, backend } = renderPanel({ assets: [makeAsset(1, { altText: 'Old' })] });
    await gridReady();
    designer.values.get('asset1')!.altText = 'Changed by a colleague';
    const field = screen.getByRole<HTMLInputElement>('textbox', { name: 'Alt text for photo-1.jpg' });
    fireEvent.input(field, { target: { value: 'Mine' } });
    fireEvent.keyDown(field, { key: 'Enter' });
    fireEvent.click(await screen.findByRole('button', { name: 'Review conflicts' }));
    await waitFor(() => expect(document.body.textContent).toContain('The conflicts could not be shown: check the connection and try again.'));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(screen.getByRole('button', { name: 'Review conflicts' })).toBeTruthy();
    expect(backend.changes.map((change) => change.status)).toEqual(['conflict']);
  });
});
