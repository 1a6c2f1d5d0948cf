// @vitest-environment happy-dom
import { cleanup, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeBackend, makeAsset } from '../testing/fakes.ts';
import { gridReady, renderPanel } from '../testing/render-panel.tsx';
import { shownName } from './StatusBar.tsx';

afterEach(cleanup);

describe('what a refresh skipped', () => {
  it('is named in the status bar, with a NUL shown as ␀', async () => {
    const backend = new FakeBackend({ assets: [makeAsset(1)] });
    backend.refresh = {
      state: 'idle',
      done: 2,
      total: 2,
      finishedAt: null,
      error: null,
      skipped: [{ kind: 'folder', id: 'f1', name: 'Logos\u0000' }],
    };
    renderPanel({ backend });
    await gridReady();

    const status = screen.getByRole('contentinfo');
    expect(status.textContent).toContain('Not indexed: folder “Logos␀” (Webflow’s data for it is incomplete; fix in Webflow, then refresh).');
  });

  it('is not mentioned when the refresh skipped nothing', async () => {
    renderPanel({ assets: [makeAsset(1)] });
    await gridReady();
    expect(screen.getByRole('contentinfo').textContent).not.toContain('Not indexed');
  });

  it('shows half a character as the replacement character, and keeps whole ones', () => {
    expect(shownName('Menu \uD83D')).toBe('Menu \uFFFD');
    expect(shownName('Menu \uD83D\uDE00')).toBe('Menu \uD83D\uDE00');
    expect(shownName('a\tb')).toBe('a␉b');
  });
});
