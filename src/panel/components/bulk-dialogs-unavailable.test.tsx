// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeAsset } from '../testing/fakes.ts';
import { gridReady, renderPanel } from '../testing/render-panel.tsx';

// The dialogs' code cannot be fetched (the connection dropped, a deploy replaced the chunks).
vi.mock('./bulk-dialogs.ts', () => {
  throw new Error('Failed to fetch dynamically imported module');
});

afterEach(cleanup);

describe('the bulk bar when its dialogs cannot be loaded', () => {
  it('says so, opens nothing, and keeps the selection and the grid', async () => {
    const { backend } = renderPanel({ assets: [makeAsset(1, { fileName: 'team-photo.jpg', name: 'team-photo.jpg', contentType: 'image/jpeg', altText: '' })] });
    await gridReady();
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select team-photo.jpg' }));
    fireEvent.click(screen.getByRole('button', { name: 'Find and replace…' }));
    await waitFor(() => expect(document.body.textContent).toContain('This dialog could not be loaded: check the connection and try again.'));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(screen.getByRole('toolbar', { name: 'Bulk actions' }).querySelector('.selected-count')?.textContent).toBe('1 asset selected');
    expect(backend.changes).toEqual([]);
  });
});
