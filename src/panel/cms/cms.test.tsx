// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useTextCanvas, violations } from '../testing/axe.ts';
import { FakeBackend, frenchLocale, makeAsset, makeCmsUse, primaryLocale, type FakeCmsUse } from '../testing/fakes.ts';
import { gridReady, renderPanel } from '../testing/render-panel.tsx';
import { CMS_PAGE } from './CmsImagesView.tsx';

afterEach(cleanup);
useTextCanvas();
beforeEach(() => {
  document.documentElement.lang = 'en';
  document.title = 'Asset Desk';
});

const use = makeCmsUse;

function setup(extra: FakeCmsUse[] = []) {
  const assets = [
    makeAsset(1, { fileName: 'beans.jpg', name: 'beans.jpg', altText: 'Roasted beans', localeAltText: { fr: 'Grains torréfiés' } }),
    makeAsset(2, { fileName: 'grinder.jpg', name: 'grinder.jpg', altText: '' }),
    makeAsset(3, { fileName: 'cup.jpg', name: 'cup.jpg', altText: 'A cup' }),
  ];
  const backend = new FakeBackend({ assets, locales: [primaryLocale, frenchLocale] });
  backend.cmsUses = [
    use({ position: 0, assetId: 'asset1' }),
    use({ position: 1, assetId: 'asset2', altText: 'A grinder' }),
    use({ position: 0, assetId: 'asset1', localeId: 'fr' }),
    use({ collectionId: 'posts', collectionName: 'Posts', itemId: 'post1', itemName: 'Brewing at home', fieldSlug: 'body', fieldType: 'RichText', position: 0, assetId: 'asset3', altText: 'Cup' }),
    use({ collectionId: 'posts', collectionName: 'Posts', itemId: 'post1', itemName: 'Brewing at home', fieldSlug: 'main-image', fieldType: 'Image', position: null, assetId: 'asset3', altText: 'A cup' }),
    ...extra,
  ];
  return renderPanel({ backend });
}

async function openView(): Promise<HTMLElement> {
  await gridReady();
  fireEvent.click(screen.getByRole('button', { name: 'CMS images' }));
  return screen.findByRole('region', { name: 'CMS images' });
}

const field = (name: string) => screen.getByRole<HTMLInputElement>('textbox', { name: `Alt text for ${name}` });

describe('CMS images', () => {
  it('lists every CMS image grouped by collection and item, each with its place, locale and alt text, and passes axe', async () => {
    setup();
    const view = await openView();
    expect(screen.getByRole('button', { name: 'CMS images' }).getAttribute('aria-pressed')).toBe('true');
    expect(within(view).getAllByRole('heading', { level: 3 }).map((heading) => heading.textContent)).toEqual(['Products', 'Posts']);
    const espresso = within(view).getByRole('list', { name: 'Images of Espresso' });
    expect(within(espresso).getAllByRole('textbox').map((input) => input.getAttribute('aria-label'))).toEqual([
      'Alt text for Espresso, gallery image 1 (English)',
      'Alt text for Espresso, gallery image 2 (English)',
      'Alt text for Espresso, gallery image 1 (French)',
    ]);
    expect(field('Espresso, gallery image 2 (English)').value).toBe('A grinder');
    expect(within(view).getByRole('status').textContent).toBe('5 images');
    expect(await violations()).toEqual([]);
  });

  it('filters by collection, field, locale and alt state, and searches item names', async () => {
    setup();
    const view = await openView();
    const count = () => within(view).getByRole('status').textContent;
    fireEvent.change(screen.getByRole('combobox', { name: 'Alt text' }), { target: { value: 'missing' } });
    expect(count()).toBe('2 of 5 images without alt text');
    fireEvent.change(screen.getByRole('combobox', { name: 'CMS locale' }), { target: { value: 'fr' } });
    expect(within(view).getAllByRole('textbox', { name: /^Alt text for/ }).map((input) => input.getAttribute('aria-label'))).toEqual(['Alt text for Espresso, gallery image 1 (French)']);
    fireEvent.change(screen.getByRole('combobox', { name: 'Alt text' }), { target: { value: 'all' } });
    fireEvent.change(screen.getByRole('combobox', { name: 'CMS locale' }), { target: { value: 'all' } });
    fireEvent.change(screen.getByRole('combobox', { name: 'Collection' }), { target: { value: 'posts' } });
    expect(within(screen.getByRole('combobox', { name: 'Field' })).getAllByRole('option').map((option) => option.textContent)).toEqual(['All fields', 'body (Rich text)', 'main-image (Image)']);
    fireEvent.change(screen.getByRole('combobox', { name: 'Field' }), { target: { value: 'body' } });
    expect(count()).toBe('1 of 5 images');
    fireEvent.change(screen.getByRole('combobox', { name: 'Collection' }), { target: { value: 'all' } });
    const itemSearch = screen.getByRole<HTMLInputElement>('searchbox', { name: 'Search items by name' });
    // In a form of its own (components/field-form.tsx): autofill reads it alone as it is typed in.
    expect(itemSearch.form && [...itemSearch.form.elements]).toEqual([itemSearch]);
    fireEvent.input(itemSearch, { target: { value: 'espr' } });
    expect(count()).toBe('3 of 5 images');
    fireEvent.input(screen.getByRole('searchbox', { name: 'Search items by name' }), { target: { value: 'nothing like it' } });
    expect(within(view).getByText('No CMS image matches these filters.')).toBeTruthy();
  });

  it('puts the four choices behind a Filters button that says how many are set (folded in the narrowest panels only, cms.css)', async () => {
    setup();
    const view = await openView();
    const toggle = within(view).getByRole('button', { name: 'Filters' });
    const choices = document.getElementById(toggle.getAttribute('aria-controls') ?? '');
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(within(choices!).getAllByRole('combobox').map((box) => box.closest('label')?.querySelector('span')?.textContent)).toEqual(['Collection', 'Field', 'CMS locale', 'Alt text']);
    fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    fireEvent.change(screen.getByRole('combobox', { name: 'Collection' }), { target: { value: 'posts' } });
    fireEvent.change(screen.getByRole('combobox', { name: 'Alt text' }), { target: { value: 'missing' } });
    expect(toggle.textContent).toBe('Filters (2)');
    // The search is no choice: it stays out of the fold and out of the count.
    fireEvent.input(screen.getByRole('searchbox', { name: 'Search items by name' }), { target: { value: 'brew' } });
    expect(choices!.contains(screen.getByRole('searchbox', { name: 'Search items by name' }))).toBe(false);
    expect(toggle.textContent).toBe('Filters (2)');
    fireEvent.change(screen.getByRole('combobox', { name: 'Collection' }), { target: { value: 'all' } });
    expect(toggle.textContent).toBe('Filters (1)');
    fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
  });

  it('saves with Enter and moves on, shows the use pending until the server applies it, then the applied value', async () => {
    const { backend } = setup();
    await openView();
    const first = field('Espresso, gallery image 1 (English)');
    first.focus();
    fireEvent.input(first, { target: { value: 'Beans in a scoop' } });
    fireEvent.keyDown(first, { key: 'Enter' });
    await waitFor(() => expect(backend.changes).toHaveLength(1));
    expect(document.activeElement).toBe(field('Espresso, gallery image 2 (English)'));
    await screen.findByText('Saved: waiting for Webflow to apply it…');
    backend.applyCmsChanges();
    await waitFor(() => expect(screen.queryByText('Saved: waiting for Webflow to apply it…')).toBeNull());
    expect(field('Espresso, gallery image 1 (English)').value).toBe('Beans in a scoop');
    expect(backend.cmsUses.map((each) => each.altText)).toEqual(['Beans in a scoop', 'A grinder', null, 'Cup', 'A cup']);
  });

  it('reverts with Esc, takes the asset’s alt text in the use’s locale with Alt+Enter, and undoes the last save with Ctrl+Z', async () => {
    const { backend } = setup();
    await openView();
    const french = field('Espresso, gallery image 1 (French)');
    fireEvent.input(french, { target: { value: 'Typo' } });
    fireEvent.keyDown(french, { key: 'Escape' });
    expect(french.value).toBe('');
    expect(screen.getByRole('button', { name: 'Asset’s alt text: Grains torréfiés, for Espresso, gallery image 1 (French)' })).toBeTruthy();
    fireEvent.keyDown(french, { key: 'Enter', altKey: true });
    expect(french.value).toBe('Grains torréfiés');
    expect(backend.changes).toEqual([]);
    fireEvent.keyDown(french, { key: 'Enter' });
    await waitFor(() => expect(backend.changes).toHaveLength(1));
    expect(backend.changes[0]).toMatchObject({ localeId: 'fr', before: null, after: 'Grains torréfiés' });
    backend.applyCmsChanges();
    await waitFor(() => expect(screen.queryByText('Saved: waiting for Webflow to apply it…')).toBeNull());
    fireEvent.keyDown(field('Espresso, gallery image 1 (French)'), { key: 'z', ctrlKey: true });
    await waitFor(() => expect(backend.changes).toHaveLength(2));
    expect(backend.changes[1]).toMatchObject({ localeId: 'fr', before: 'Grains torréfiés', after: null, status: 'pending' });
    backend.applyCmsChanges();
    await waitFor(() => expect(backend.cmsUses[2]?.altText).toBeNull());
    await waitFor(() => expect(field('Espresso, gallery image 1 (French)').value).toBe(''));
  });

  it('offers "Mark decorative" only for a Rich Text image, and lints what is typed', async () => {
    const { backend } = setup();
    await openView();
    expect(screen.queryByRole('button', { name: /Mark decorative: Espresso/ })).toBeNull();
    expect(screen.queryByRole('button', { name: /Mark decorative: Brewing at home, main-image/ })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Mark decorative: Brewing at home, body image 1 (English)' }));
    await waitFor(() => expect(backend.changes[0]).toMatchObject({ before: 'Cup', after: '' }));
    // An Image field cannot be decorative: its lint does not offer it.
    const gallery = field('Espresso, gallery image 1 (English)');
    expect(document.getElementById(gallery.getAttribute('aria-describedby')!.split(' ')[1]!)?.textContent).toBe('This image has no alt text. Describe what the image shows.');
    const main = field('Brewing at home, main-image (English)');
    fireEvent.input(main, { target: { value: 'cup.jpg' } });
    expect(main.getAttribute('aria-invalid')).toBe('true');
  });

  it('shows a conflict in the use’s row, with Webflow’s value', async () => {
    const { backend } = setup();
    await openView();
    const second = field('Espresso, gallery image 2 (English)');
    fireEvent.input(second, { target: { value: 'A burr grinder' } });
    fireEvent.keyDown(second, { key: 'Enter' });
    await waitFor(() => expect(backend.changes).toHaveLength(1));
    backend.cmsUses[1]!.altText = 'Changed in Webflow';
    backend.applyCmsChanges();
    expect((await screen.findByRole('alert')).textContent).toMatch(/changed in Webflow meanwhile \(it is “Changed in Webflow”\)/);
    expect(field('Espresso, gallery image 2 (English)').value).toBe('Changed in Webflow');
  });

  it(`draws ${CMS_PAGE} images at first, more on demand, and Enter on the last drawn goes on to the next`, async () => {
    const many = Array.from({ length: CMS_PAGE + 5 }, (_, n) =>
      use({ collectionId: 'team', collectionName: 'Team', itemId: `m${String(n).padStart(3, '0')}`, itemName: `Member ${n}`, fieldSlug: 'photo', fieldType: 'Image', position: null, assetId: 'asset3' }),
    );
    setup(many);
    const view = await openView();
    expect(within(view).getAllByRole('textbox', { name: /^Alt text for/ })).toHaveLength(CMS_PAGE);
    const last = within(view).getAllByRole<HTMLInputElement>('textbox', { name: /^Alt text for/ }).at(-1)!;
    fireEvent.keyDown(last, { key: 'ArrowDown' });
    await waitFor(() => expect(within(view).getAllByRole('textbox', { name: /^Alt text for/ })).toHaveLength(CMS_PAGE + 10));
    await waitFor(() => expect(document.activeElement?.getAttribute('aria-label')).toBe(within(view).getAllByRole('textbox', { name: /^Alt text for/ })[CMS_PAGE]?.getAttribute('aria-label')));
    expect(screen.queryByRole('button', { name: /more of/ })).toBeNull();
  });

  it('while the CMS is first read, says so and nothing else: no count, no filters, no "no images"', async () => {
    const { backend } = setup();
    const uses = backend.cmsUses;
    backend.cmsUses = [];
    backend.cmsCrawl = { state: 'running', done: 19, total: 150, finishedAt: null, error: null, missingScopes: [], built: false };
    const view = await openView();
    await within(view).findByText(/Reading the site’s CMS items/);
    expect(within(view).queryByText('The CMS holds no images.')).toBeNull();
    expect(within(view).queryByRole('status')).toBeNull();
    expect(within(view).queryByLabelText('Collection')).toBeNull();

    backend.cmsUses = uses;
    backend.cmsCrawl = { state: 'idle', done: 150, total: 150, finishedAt: '2026-12-04T12:00:00Z', error: null, missingScopes: [], built: true };
    await within(view).findByRole('list', { name: 'Images of Espresso' });
    expect(within(view).queryByText(/Reading the site’s CMS items/)).toBeNull();
  });

  it('says so when the backend cannot list the CMS images, and tries again', async () => {
    const { backend } = setup();
    const { BackendError } = await import('../ports/backend.ts');
    backend.failNext.cmsImages = new BackendError(0, 'network', 'The backend could not be reached.');
    await openView();
    expect((await screen.findByRole('alert')).textContent).toMatch(/The CMS images could not be read: The backend could not be reached/);
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await screen.findByRole('list', { name: 'Images of Espresso' });
  });
});
