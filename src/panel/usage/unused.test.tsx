// @vitest-environment happy-dom
/**
 * The Unused filter in the panel: links and background images keep an asset out of it, a
 * document with no use found is "Not seen used" (never unused), and while the filter is chosen a
 * note says what was read and when, what was not checked, and that it is not safe for deleting
 * while styles were never read.
 */
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeBackend, FakeDesigner, makeAsset, makeUsage, sourcesReadOn } from '../testing/fakes.ts';
import { designerWithStyles } from '../testing/styles-fakes.ts';
import { gridReady, renderPanel } from '../testing/render-panel.tsx';
import { readDate } from './wording.ts';

afterEach(cleanup);

const READ = '2026-12-04T12:00:00Z';
const site = () => [
  makeAsset(1, { fileName: 'beach.jpg', name: 'beach.jpg', altText: 'Sunset' }),
  makeAsset(2, { fileName: 'hero.jpg', name: 'hero.jpg', altText: 'Hero' }),
  makeAsset(3, { fileName: 'brochure.pdf', name: 'brochure.pdf', contentType: 'application/pdf', altText: null }),
  makeAsset(4, { fileName: 'terms.pdf', name: 'terms.pdf', contentType: 'application/pdf', altText: null }),
  makeAsset(5, { fileName: 'press.jpg', name: 'press.jpg', altText: 'Press' }),
  makeAsset(6, { fileName: 'dog.jpg', name: 'dog.jpg', altText: '' }),
];
// hero.jpg: a background only; brochure.pdf and press.jpg: only linked from CMS items; dog.jpg and terms.pdf: nothing found.
const usage = (styles: string | null) =>
  makeUsage({ asset1: { pages: 2 }, asset2: { styles: 1 }, asset3: { links: 2 }, asset5: { links: 1 } }, {}, sourcesReadOn(READ, styles));

function withUsage(summary: ReturnType<typeof makeUsage>) {
  const backend = new FakeBackend({ assets: site(), folders: [] });
  backend.usageSummary = summary;
  return renderPanel({ backend });
}

const rowNames = () => [...screen.getByRole('grid', { name: 'Assets' }).querySelectorAll('[data-row-id] strong')].map((name) => name.textContent);
const usesOf = (name: string) =>
  (screen.getByRole('textbox', { name: `Alt text for ${name}` }).closest('[role="row"]') as HTMLElement).querySelector('.meta .uses')?.textContent?.replace(/^ · /, '') ?? null;

describe('the Unused filter', () => {
  it('lists only images with no use at all: a link or a background keeps an asset out, a document is never listed', async () => {
    withUsage(usage(READ));
    await gridReady();
    await waitFor(() => expect(usesOf('brochure.pdf')).toBe('Linked from 2 CMS items'));
    expect(usesOf('press.jpg')).toBe('Linked from 1 CMS item');
    expect(usesOf('hero.jpg')).toBe('Background of 1 style');
    expect(usesOf('terms.pdf')).toBe('Not seen used');
    expect(usesOf('dog.jpg')).toBe('Not used');
    const filter = screen.getByRole<HTMLSelectElement>('combobox', { name: 'Usage' });
    await within(filter).findByRole('option', { name: 'Unused images (1)' });
    fireEvent.change(filter, { target: { value: 'unused' } });
    await waitFor(() => expect(rowNames()).toEqual(['dog.jpg']));
  });

  it('says what Unused means beside it, with each source’s date and what cannot be seen in a disclosure', async () => {
    withUsage(usage(null));
    await gridReady();
    expect(screen.queryByRole('note', { name: 'What unused means' })).toBeNull();
    const filter = screen.getByRole<HTMLSelectElement>('combobox', { name: 'Usage' });
    await within(filter).findByRole('option', { name: 'Unused images (1)' });
    expect(filter.title).toMatch(/Styles have never been read: “Unused images” is not safe for deleting/);
    fireEvent.change(filter, { target: { value: 'unused' } });
    const note = await screen.findByRole('note', { name: 'What unused means' });
    expect(within(note).getByText(`Unused means: not on any page, component or CMS item read on ${readDate(READ)}. Not checked: background images in styles, custom code, links from other sites.`)).toBeTruthy();
    expect(within(note).getByText(/this list is not safe for deleting/)).toBeTruthy();
    const disclosure = within(note).getByText('What was read, and what cannot be seen').closest('details') as HTMLDetailsElement;
    expect(disclosure.open).toBe(false);
    expect(within(disclosure).getAllByRole('listitem', { hidden: true }).map((item) => item.textContent)).toEqual([
      `Pages: read on ${readDate(READ)}`,
      `Components: read on ${readDate(READ)}`,
      `CMS items: read on ${readDate(READ)}`,
      'Styles (background images): never read',
      'Not seen: Custom code in the site’s or a page’s settings, and Embed elements: the Data API does not show it.',
      'Not seen: Other sites, emails and documents that link to a file’s CDN URL.',
    ]);
    fireEvent.change(filter, { target: { value: 'all' } });
    await waitFor(() => expect(screen.queryByRole('note', { name: 'What unused means' })).toBeNull());
  });

  it('drops the warning once styles were read', async () => {
    withUsage(usage('2026-12-05T09:00:00Z'));
    await gridReady();
    const filter = screen.getByRole<HTMLSelectElement>('combobox', { name: 'Usage' });
    await within(filter).findByRole('option', { name: 'Unused images (1)' });
    fireEvent.change(filter, { target: { value: 'unused' } });
    const note = await screen.findByRole('note', { name: 'What unused means' });
    expect(within(note).queryByText(/not safe for deleting/)).toBeNull();
    expect(within(note).getByText(/nor in a style read on/)).toBeTruthy();
  });

  it('reads the styles when the panel opens: a failed read is said and nothing lost, and once read the warning goes and an image shown only as a background leaves Unused', async () => {
    const backend = new FakeBackend({ assets: site(), folders: [] });
    backend.usageSummary = usage(null);
    const dog = backend.assets.find((asset) => asset.name === 'dog.jpg')?.url as string;
    const hero = backend.assets.find((asset) => asset.name === 'hero.jpg')?.url as string;
    const { designer, fake } = designerWithStyles(new FakeDesigner(backend.assets), [
      { id: 's1', name: 'hero', properties: { 'main:noPseudo': { 'background-image': `linear-gradient(red, blue), url("${hero}")` } } },
      { id: 's2', name: 'card', properties: { 'medium:hover': { 'background-image': `url('${dog}')` } } },
    ]);
    fake.failing.set('s2', new Error('The Designer did not answer.', { cause: { tag: 'InternalError' } }));
    renderPanel({ backend, designer });
    await gridReady();
    const filter = screen.getByRole<HTMLSelectElement>('combobox', { name: 'Usage' });
    await within(filter).findByRole('option', { name: 'Unused images (1)' });
    fireEvent.change(filter, { target: { value: 'unused' } });
    const note = await screen.findByRole('note', { name: 'What unused means' });
    expect((await within(note).findByRole('alert')).textContent).toBe('The styles could not be read: The Designer did not answer. What was read before is kept.');
    expect(backend.styleUses).toEqual([]);
    expect(within(note).getByText(/this list is not safe for deleting/)).toBeTruthy();
    expect(rowNames()).toEqual(['dog.jpg']);

    fake.failing.clear();
    fireEvent.click(within(note).getByRole('button', { name: 'Read styles again' }));
    await waitFor(() => expect(within(note).getByRole('status').textContent).toBe('Styles read: 2 styles, 2 background images.'));
    expect(backend.styleUses).toEqual([{ uses: [{ url: hero, styleName: 'hero' }, { url: dog, styleName: 'card', breakpoint: 'medium', pseudo: 'hover' }] }]);
    await waitFor(() => expect(within(note).queryByText(/not safe for deleting/)).toBeNull());
    expect(within(note).getByText(/nor in a style read on/)).toBeTruthy();
    await within(filter).findByRole('option', { name: 'Unused images (0)' });
    expect(rowNames()).toEqual([]);
    fireEvent.change(filter, { target: { value: 'all' } });
    await waitFor(() => expect(usesOf('dog.jpg')).toBe('Background of 1 style'));
  });
});
