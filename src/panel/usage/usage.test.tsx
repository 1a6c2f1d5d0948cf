// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeBackend, makeAsset, makeUsage } from '../testing/fakes.ts';
import { gridReady, renderPanel } from '../testing/render-panel.tsx';

afterEach(cleanup);

const folders = [{ id: 'trips', name: 'Trips', parentId: null }];
const site = () => [
  makeAsset(1, { fileName: 'beach.jpg', name: 'beach.jpg', altText: 'Sunset over the beach', folderId: 'trips' }),
  makeAsset(2, { fileName: 'logo.png', name: 'logo.png', contentType: 'image/png', altText: null }),
  makeAsset(3, { fileName: 'team.jpg', name: 'team.jpg', altText: '', folderId: 'trips' }),
  makeAsset(4, { fileName: 'dog.jpg', name: 'dog.jpg', altText: '' }),
];
// dog.jpg is used nowhere; team.jpg is seen without alt text.
const built = () =>
  makeUsage({ asset1: { pages: 1, components: 1, items: 12 }, asset2: { pages: 43 }, asset3: { items: 1, missing: 1 } });

function withUsage(summary: ReturnType<typeof makeUsage>) {
  const backend = new FakeBackend({ assets: site(), folders });
  backend.usageSummary = summary;
  return renderPanel({ backend });
}

const rowNames = () =>
  [...screen.getByRole('grid', { name: 'Assets' }).querySelectorAll('[data-row-id] strong')].map((name) => name.textContent);
/** A row's usage line, as shown beside its facts. */
const usesOf = (name: string) => row(name).querySelector('.meta .uses')?.textContent?.replace(/^ · /, '') ?? null;
const row = (name: string) => screen.getByRole('textbox', { name: `Alt text for ${name}` }).closest<HTMLElement>('[role="row"]') as HTMLElement;

describe('where each asset is used', () => {
  it('says on each row how many pages and CMS items use it, and “Not used” for the rest', async () => {
    withUsage(built());
    await gridReady();
    await waitFor(() => expect(usesOf('beach.jpg')).toBe('2 pages · 12 CMS items'));
    expect(usesOf('logo.png')).toBe('43 pages');
    expect(usesOf('team.jpg')).toBe('1 CMS item');
    expect(usesOf('dog.jpg')).toBe('Not used');
    // The narrow layout hides the facts column: the field's description carries it.
    const field = screen.getByRole('textbox', { name: 'Alt text for dog.jpg' });
    const described = (field.getAttribute('aria-describedby') ?? '').split(' ').map((id) => document.getElementById(id)?.textContent);
    expect(described).toContain('Where used: Not used');
  });

  it('in the compact layout (240 and 320 px), puts “Where used” on the hints’ line below the field, once per row', async () => {
    // The compact layout's media query matches, as in Webflow's narrow panels.
    const matchMedia = vi.spyOn(window, 'matchMedia').mockImplementation(
      (media) => ({ matches: media === '(max-width: 520px)', media, addEventListener() {}, removeEventListener() {} }) as unknown as MediaQueryList,
    );
    try {
      withUsage(built());
      await gridReady();
      const button = await screen.findByRole('button', { name: '2 pages · 12 CMS items: where beach.jpg is used' });
      expect(button.closest('.hints')).toBe(row('beach.jpg').querySelector('.hints'));
      expect(usesOf('beach.jpg')).toBeNull();
      fireEvent.click(button);
      await screen.findByRole('dialog', { name: 'Where beach.jpg is used' });
    } finally {
      matchMedia.mockRestore();
    }
  });

  it('claims nothing before a whole crawl, and shows the crawl’s progress', async () => {
    withUsage(makeUsage({ asset1: { pages: 1 } }, { state: 'running', done: 3, total: 10, built: false }));
    await gridReady();
    await screen.findByText('Reading pages and CMS… 3/10');
    expect(screen.queryByText('Not used', { exact: false })).toBeNull();
    expect(screen.queryByText('1 page', { exact: false })).toBeNull();
    const usage = screen.getByRole<HTMLSelectElement>('combobox', { name: 'Usage' });
    expect(usage.disabled).toBe(true);
    expect(usage.title).toBe('Available once Asset Desk has read the site’s pages and CMS');
    expect(within(screen.getByRole('combobox', { name: 'Sort by' })).getByRole<HTMLOptionElement>('option', { name: 'Most used first' }).disabled).toBe(true);
  });

  it('filters to unused assets and to assets used without alt text, with counts, combined with a folder and the search', async () => {
    withUsage(built());
    await gridReady();
    const usage = screen.getByRole<HTMLSelectElement>('combobox', { name: 'Usage' });
    await within(usage).findByRole('option', { name: 'Unused images (1)' });
    expect(within(usage).getByRole('option', { name: 'Used without alt text (1)' })).toBeTruthy();
    fireEvent.change(usage, { target: { value: 'unused' } });
    await waitFor(() => expect(rowNames()).toEqual(['dog.jpg']));
    fireEvent.change(usage, { target: { value: 'missingAlt' } });
    await waitFor(() => expect(rowNames()).toEqual(['team.jpg']));

    // In the Trips folder, searching "beach": nothing is unused or seen without alt text.
    fireEvent.change(usage, { target: { value: 'all' } });
    fireEvent.click(within(screen.getByRole('navigation', { name: 'Folders' })).getByRole('button', { name: /^Trips/ }));
    fireEvent.input(screen.getByRole('searchbox', { name: 'Search assets' }), { target: { value: 'beach' } });
    await within(usage).findByRole('option', { name: 'Unused images (0)' });
    expect(within(usage).getByRole('option', { name: 'Used without alt text (0)' })).toBeTruthy();
    expect(within(usage).getByRole('option', { name: 'Used or not (1)' })).toBeTruthy();
    // And the alt-text filter's counts follow the usage filter.
    fireEvent.input(screen.getByRole('searchbox', { name: 'Search assets' }), { target: { value: '' } });
    fireEvent.change(usage, { target: { value: 'missingAlt' } });
    await waitFor(() => expect(rowNames()).toEqual(['team.jpg']));
    await within(screen.getByRole('group', { name: 'Alt text filter' })).findByRole('button', { name: /^Missing alt text\s*1$/ });
  });

  it('sorts the most used first', async () => {
    withUsage(built());
    await gridReady();
    const sort = screen.getByRole('combobox', { name: 'Sort by' });
    await waitFor(() => expect(within(sort).getByRole<HTMLOptionElement>('option', { name: 'Most used first' }).disabled).toBe(false));
    fireEvent.change(sort, { target: { value: 'uses' } });
    await waitFor(() => expect(rowNames()).toEqual(['logo.png', 'beach.jpg', 'team.jpg', 'dog.jpg']));
  });

  it('asks for a re-install naming the missing scopes, without blocking the grid', async () => {
    withUsage(makeUsage({}, { state: 'needs_scopes', built: false, missingScopes: ['pages:read', 'components:read', 'cms:read'] }));
    await gridReady();
    await screen.findByText(
      'To show where assets are used, install Asset Desk again so it can read pages (pages:read), components (components:read), CMS (cms:read). Everything else works as before.',
    );
    expect(screen.getByRole<HTMLInputElement>('textbox', { name: 'Alt text for dog.jpg' }).readOnly).toBe(false);
    expect(screen.getByRole('combobox', { name: 'Usage' }).title).toBe('Install Asset Desk again to see where assets are used');
  });

  it('shows a failed crawl’s error and keeps the last complete read’s counts', async () => {
    withUsage(makeUsage({ asset2: { pages: 43 } }, { state: 'failed', error: 'Webflow answered 503', built: true }));
    await gridReady();
    await screen.findByText('Reading pages and CMS failed: Webflow answered 503. The uses shown are from the last complete read.');
    expect(usesOf('logo.png')).toBe('43 pages');
  });

  it('reads the usage again when an asset refresh finishes', async () => {
    const { backend } = withUsage(makeUsage({ asset2: { pages: 43 } }));
    await gridReady();
    await waitFor(() => expect(usesOf('logo.png')).toBe('43 pages'));
    backend.refresh = { state: 'running', done: 1, total: 4, finishedAt: null, error: null };
    await screen.findByText(/Refreshing from Webflow/);
    backend.usageSummary = makeUsage({ asset2: { pages: 44 } });
    backend.refresh = null;
    await waitFor(() => expect(usesOf('logo.png')).toBe('44 pages'));
  });
});
