// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeBackend, makeAsset, makeUsage } from '../testing/fakes.ts';
import { gridReady, renderPanel } from '../testing/render-panel.tsx';

// The dialog's code cannot be fetched (the connection dropped, a deploy replaced the chunks).
vi.mock('./UsesDialog.tsx', () => {
  throw new Error('Failed to fetch dynamically imported module');
});

afterEach(cleanup);

describe('“Where used” when its dialog cannot be loaded', () => {
  it('says so, opens nothing, and the row’s button still asks again', async () => {
    const backend = new FakeBackend({ assets: [makeAsset(1, { fileName: 'beach.jpg', name: 'beach.jpg' })] });
    backend.usageSummary = makeUsage({ asset1: { pages: 2 } });
    renderPanel({ backend });
    await gridReady();
    const button = await screen.findByRole('button', { name: '2 pages: where beach.jpg is used' });
    fireEvent.click(button);
    await waitFor(() => expect(document.body.textContent).toContain('Where it is used could not be shown: check the connection and try again.'));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(screen.getByRole('button', { name: '2 pages: where beach.jpg is used' })).toBeTruthy();
  });
});
