// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeletionCheck } from '../../core/deletion.ts';
import { BackendError } from '../ports/backend.ts';
import { makeAsset, makeUsage, sourcesReadOn } from '../testing/fakes.ts';
import { gridReady, renderPanel } from '../testing/render-panel.tsx';

afterEach(cleanup);

const assets = [
  makeAsset(1, { name: 'old-banner.jpg', fileName: 'old-banner.jpg', size: 2048 }),
  makeAsset(2, { name: 'hero.jpg', fileName: 'hero.jpg', size: 1024 }),
  makeAsset(3, { name: 'flyer.png', fileName: 'flyer.png', size: 1024 * 1024 }),
];
const READ = '2026-12-04T18:00:00Z';
const readEverything = sourcesReadOn(READ, READ);
const heroUse = { where: { kind: 'page' as const, pageId: 'p1', pageTitle: 'Home', nodeId: 'n1' }, localeId: null, altState: 'inherited' as const, altText: 'A hero' };

async function openDelete(names: string[]) {
  await gridReady();
  for (const name of names) fireEvent.click(screen.getByRole('checkbox', { name: `Select ${name}` }));
  fireEvent.click(screen.getByRole('button', { name: 'Delete…' }));
  return screen.findByRole('dialog', { name: /^Delete/ });
}

describe('deleting unused assets', () => {
  it('lists what will be deleted with sizes and total, what is held back and why, and every source with its date', async () => {
    const { backend } = renderPanel({ assets, usage: makeUsage({ asset2: { pages: 1 } }, {}, readEverything) });
    backend.assetUses.set('asset2', [heroUse]);
    const dialog = await openDelete(['old-banner.jpg', 'hero.jpg', 'flyer.png']);
    const toDelete = await within(dialog).findByRole('list', { name: 'Assets to delete' });
    expect(within(toDelete).getAllByRole('listitem').map((item) => item.textContent)).toEqual(['old-banner.jpg — 2.0 KB', 'flyer.png — 1.0 MB']);
    expect(dialog.textContent).toContain('Total: 1.0 MB.');
    const held = within(dialog).getByRole('list', { name: 'Held back' });
    expect(within(held).getAllByRole('listitem')[0]?.textContent).toContain('hero.jpg: Used: page “Home”.');
    expect(within(held).getByText('Page: Home')).toBeTruthy();
    const sources = within(dialog).getByRole('list', { name: 'Sources read' });
    expect(within(sources).getAllByRole('listitem').map((item) => item.textContent?.replace(/last read .*/, 'last read …'))).toEqual([
      'Pages: last read …',
      'Components: last read …',
      'CMS items: last read …',
      'Styles (background images): last read …',
    ]);
    expect(within(within(dialog).getByRole('list', { name: 'Not checked' })).getAllByRole('listitem').length).toBe(2);
    expect(within(dialog).getByRole('status').textContent).toMatch(/^Where assets are used was read at Dec 4, 2026/);
    expect(within(dialog).getByRole('button', { name: 'Delete 2 assets' }).hasAttribute('disabled')).toBe(false);
  });

  it('offers nothing while the styles were never read, and says so', async () => {
    renderPanel({ assets, usage: makeUsage({}, {}, sourcesReadOn(READ, null)) });
    const dialog = await openDelete(['old-banner.jpg']);
    const why = await within(dialog).findByRole('note', { name: 'Why nothing can be deleted yet' });
    expect(why.textContent).toContain('styles (background images) have never been read');
    expect(within(dialog).getByRole('button', { name: 'Delete 1 asset' }).hasAttribute('disabled')).toBe(true);
    expect(within(within(dialog).getByRole('list', { name: 'Sources read' })).getByText('Styles (background images): never read')).toBeTruthy();
  });

  it('journals the deletion as one undo step, and Undo journals the files back', async () => {
    const { backend } = renderPanel({ assets, usage: makeUsage({}, {}, readEverything) });
    const dialog = await openDelete(['old-banner.jpg', 'flyer.png']);
    fireEvent.click(await within(dialog).findByRole('button', { name: 'Delete 2 assets' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(backend.changes.map((c) => [c.assetId, c.field, c.before, c.after])).toEqual([
      ['asset1', 'deletion', 'kept', 'deleted'],
      ['asset3', 'deletion', 'kept', 'deleted'],
    ]);
    // The Designer cannot delete an asset: the panel's applier never takes these.
    expect(backend.changes.every((c) => c.status === 'pending')).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Undo last batch' }));
    await waitFor(() => expect(backend.batches).toHaveLength(2));
    expect(backend.batches[1]?.changes.map((c) => [c.assetId, c.before, c.after, c.status])).toEqual([
      ['asset3', 'deleted', 'kept', 'discarded'],
      ['asset1', 'deleted', 'kept', 'discarded'],
    ]);
  });

  it('checks again on demand: a fresh read of where assets are used, then the answer anew', async () => {
    const { backend } = renderPanel({ assets, usage: makeUsage({}, {}, readEverything) });
    const stale: DeletionCheck = { ready: false, notReady: ['Where assets are used was last read more than 10 minutes ago: check again first.'], crawlFinishedAt: '2026-12-04T10:00:00Z', freshMinutes: 10, graceDays: 7, keepDays: 30, sources: readEverything, deletable: [{ assetId: 'asset1', name: 'old-banner.jpg', size: 2048 }], heldBack: [] };
    backend.deletionCheck = stale;
    const dialog = await openDelete(['old-banner.jpg']);
    await within(dialog).findByText(/more than 10 minutes ago/);
    backend.deletionCheck = { ...stale, ready: true, notReady: [], crawlFinishedAt: '2026-12-04T18:30:00Z', sources: sourcesReadOn('2026-12-04T18:30:00Z', READ) };
    backend.usageAfterCrawl = makeUsage({}, {}, sourcesReadOn('2026-12-04T18:30:00Z', READ));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Check again' }));
    await waitFor(() => expect(within(dialog).getByRole('button', { name: 'Delete 1 asset' }).hasAttribute('disabled')).toBe(false));
    expect(backend.crawlCalls).toBe(1);
    expect(within(dialog).queryByRole('note')).toBeNull();
  });

  it('says the backend refused, and shows what it sees now', async () => {
    const { backend } = renderPanel({ assets, usage: makeUsage({}, {}, readEverything) });
    const dialog = await openDelete(['old-banner.jpg']);
    backend.failNext.recordDeletions = new BackendError(409, 'conflict', 'Nothing was deleted: old-banner.jpg is in use (Used: page “Home”.)');
    fireEvent.click(await within(dialog).findByRole('button', { name: 'Delete 1 asset' }));
    const alert = await within(dialog).findByRole('alert');
    expect(alert.textContent).toContain('old-banner.jpg is in use');
    expect(backend.changes).toEqual([]);
  });
});
