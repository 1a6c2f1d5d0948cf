/** Renders the whole panel over fake ports, the way a test wants it: fast polls, memory storage. */
import { render, screen, waitFor } from '@testing-library/preact';
import type { IndexedAsset } from '../../core/api.ts';
import { Panel } from '../components/Panel.tsx';
import type { KeptIndex } from '../index-cache/index-cache.ts';
import { FakeBackend, FakeDesigner, MemoryStorage, type FakeBackendOptions } from './fakes.ts';

export { MemoryStorage };

export interface PanelSetup extends FakeBackendOptions {
  assets?: IndexedAsset[];
  canManage?: boolean;
  storage?: MemoryStorage;
  backend?: FakeBackend;
  designer?: FakeDesigner;
  keptIndex?: KeptIndex;
}

export const BACKEND_ORIGIN = 'https://backend.example';

export function renderPanel(setup: PanelSetup = {}) {
  const backend = setup.backend ?? new FakeBackend(setup);
  const designer = setup.designer ?? new FakeDesigner(backend.assets);
  if (setup.canManage === false) designer.canManage = false;
  const storage = setup.storage ?? new MemoryStorage();
  const popups: string[] = [];
  /** Set to false to act as a browser that blocks pop-ups. */
  const popupsAllowed = { value: true };
  const view = render(
    <Panel
      backend={backend}
      designer={designer}
      backendOrigin={BACKEND_ORIGIN}
      openPopup={(url) => (popups.push(url), popupsAllowed.value)}
      storage={storage}
      keptIndex={setup.keptIndex}
      pollMs={20}
      applierIdleMs={10}
      cmsWatchMs={10}
    />,
  );
  return { backend, designer, storage, popups, popupsAllowed, view };
}

/** Waits until the grid shows its rows. */
export async function gridReady(): Promise<HTMLElement> {
  return waitFor(() => {
    const grid = screen.getByRole('grid', { name: 'Assets' });
    if (grid.querySelectorAll('[data-row-id]').length === 0 && !grid.querySelector('.empty')) throw new Error('grid is empty');
    return grid;
  });
}
