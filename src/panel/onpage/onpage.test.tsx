// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AssetUse } from '../../core/usage.ts';
import { useTextCanvas, violations } from '../testing/axe.ts';
import { designerWithCanvas, type FakePage } from '../testing/canvas-fakes.ts';
import { FakeBackend, FakeDesigner, makeAsset, makeUsage } from '../testing/fakes.ts';
import { gridReady, renderPanel } from '../testing/render-panel.tsx';

afterEach(cleanup);
useTextCanvas();
beforeEach(() => {
  document.documentElement.lang = 'en';
  document.title = 'Asset Desk';
});

const pages = (): FakePage[] => [
  {
    id: 'home',
    name: 'Home',
    elements: [
      { elementId: 'hero', assetId: 'asset1', alt: null },
      { elementId: 'intro', type: 'Paragraph' },
      { elementId: 'team', assetId: 'asset2', alt: 'Our team' },
      { elementId: 'lake', assetId: 'asset3', alt: null },
    ],
  },
  { id: 'about', name: 'About', elements: [{ elementId: 'office', assetId: 'asset1', alt: 'The office door' }] },
  { id: 'contact', name: 'Contact', elements: [{ elementId: 'form', type: 'FormWrapper' }] },
];

function setup(options: { usage?: boolean } = {}) {
  const assets = [
    makeAsset(1, { fileName: 'door.jpg', name: 'door.jpg', altText: 'A red door' }),
    makeAsset(2, { fileName: 'team.jpg', name: 'team.jpg', altText: '' }),
    makeAsset(3, { fileName: 'lake.jpg', name: 'lake.jpg', altText: 'A lake' }),
  ];
  const backend = new FakeBackend({ assets, ...(options.usage ? { usage: makeUsage({ asset1: { pages: 2 } }) } : {}) });
  const { designer, canvas } = designerWithCanvas(new FakeDesigner(assets), pages());
  const rendered = renderPanel({ backend, designer });
  return { ...rendered, canvas };
}

async function openView(name = 'Home'): Promise<HTMLElement> {
  await gridReady();
  fireEvent.click(screen.getByRole('button', { name: 'On this page' }));
  return screen.findByRole('list', { name: `Images on ${name}` });
}

const onPage = (name: string) => screen.getByRole<HTMLInputElement>('textbox', { name: `Alt text on this page for ${name}` });
const assetField = (name: string) => screen.getByRole<HTMLInputElement>('textbox', { name: `Asset’s alt text for ${name}` });

describe('On this page', () => {
  it('lists the open page’s images in page order with the asset’s alt text and the element’s own', async () => {
    const { canvas } = setup();
    const list = await openView();
    expect(screen.getByRole('button', { name: 'On this page' }).getAttribute('aria-pressed')).toBe('true');
    const rows = within(list).getAllByRole('listitem');
    expect(rows.map((row) => row.querySelector('strong')?.textContent)).toEqual(['door.jpg', 'team.jpg', 'lake.jpg']);
    expect(assetField('door.jpg').value).toBe('A red door');
    expect(onPage('door.jpg').value).toBe('');
    expect(onPage('door.jpg').placeholder).toBe('Uses the asset’s alt text');
    expect(within(rows[0]!).getByText('Uses the asset’s alt text')).toBeTruthy();
    expect(onPage('team.jpg').value).toBe('Our team');
    expect(within(rows[1]!).getByRole('button', { name: 'Use the asset’s alt text for team.jpg' })).toBeTruthy();
    // One read of the page's elements, however many rows.
    expect(canvas.calls.get('getAllElements')).toBe(1);
    expect(await violations()).toEqual([]);
  });

  it('saves an override with Enter, moves to the next image, and the canvas gets it', async () => {
    const { backend, canvas } = setup();
    await openView();
    const door = onPage('door.jpg');
    door.focus();
    fireEvent.input(door, { target: { value: 'The front door' } });
    fireEvent.keyDown(door, { key: 'Enter' });
    expect(document.activeElement).toBe(onPage('team.jpg'));
    await waitFor(() => expect(canvas.image('hero').alt).toBe('The front door'));
    expect(backend.changes[0]).toMatchObject({
      assetId: 'asset1',
      target: { kind: 'element', pageId: 'home', elementId: 'hero' },
      before: null,
      after: 'The front door',
      status: 'applied',
    });
    // The asset itself is untouched.
    expect(assetField('door.jpg').value).toBe('A red door');
    await waitFor(() => expect(onPage('door.jpg').value).toBe('The front door'));
  });

  it('reverts a draft with Escape, and fixes the asset’s alt text through an asset change', async () => {
    const { backend, designer } = setup();
    await openView();
    const team = onPage('team.jpg');
    fireEvent.input(team, { target: { value: 'Draft' } });
    fireEvent.keyDown(team, { key: 'Escape' });
    expect(onPage('team.jpg').value).toBe('Our team');

    const asset = assetField('team.jpg');
    asset.focus();
    fireEvent.input(asset, { target: { value: 'The team on a boat' } });
    fireEvent.keyDown(asset, { key: 'Enter' });
    expect(document.activeElement).toBe(assetField('lake.jpg'));
    await waitFor(() => expect(designer.values.get('asset2')?.altText).toBe('The team on a boat'));
    expect(backend.changes[0]?.target).toBeUndefined();
  });

  it('makes an element use the asset’s alt text again, and undo brings its override back', async () => {
    const { canvas } = setup();
    await openView();
    fireEvent.click(screen.getByRole('button', { name: 'Use the asset’s alt text for team.jpg' }));
    await waitFor(() => expect(canvas.image('team').alt).toBeNull());
    await waitFor(() => expect(onPage('team.jpg').placeholder).toBe('Uses the asset’s alt text'));
    fireEvent.keyDown(onPage('team.jpg'), { key: 'z', ctrlKey: true });
    await waitFor(() => expect(canvas.image('team').alt).toBe('Our team'));
    await waitFor(() => expect(onPage('team.jpg').value).toBe('Our team'));
  });

  it('follows the canvas: a selected image’s row takes focus, and a focused row selects its image', async () => {
    const { canvas } = setup();
    await openView();
    canvas.select('lake');
    await waitFor(() => expect(document.activeElement).toBe(onPage('lake.jpg')));
    fireEvent.focusIn(assetField('door.jpg'));
    await waitFor(() => expect(canvas.selectedId).toBe('hero'));
    expect(document.activeElement).not.toBe(onPage('door.jpg'));
    // Selecting a paragraph moves nothing.
    canvas.select('intro');
    expect(screen.getByRole('list', { name: 'Images on Home' })).toBeTruthy();
  });

  it('reads the page again when the designer opens another, and says when it has no images', async () => {
    const { canvas } = setup();
    await openView();
    canvas.openPage('about');
    await screen.findByRole('list', { name: 'Images on About' });
    expect(onPage('door.jpg').value).toBe('The office door');
    canvas.openPage('contact');
    expect(await screen.findByText('Contact has no images.')).toBeTruthy();
    expect(canvas.calls.get('getAllElements')).toBe(3);
  });

  it('says an undone change waits until its page is open, and applies it there', async () => {
    const { canvas } = setup();
    await openView();
    const door = onPage('door.jpg');
    fireEvent.input(door, { target: { value: 'The front door' } });
    fireEvent.keyDown(door, { key: 'Enter' });
    await waitFor(() => expect(canvas.image('hero').alt).toBe('The front door'));
    canvas.openPage('about');
    await screen.findByRole('list', { name: 'Images on About' });
    fireEvent.keyDown(document.body, { key: 'z', ctrlKey: true });
    expect(await screen.findByText(/Waits until you open Home: 1 change to its images/)).toBeTruthy();
    expect(canvas.image('hero').alt).toBe('The front door');
    fireEvent.click(screen.getByRole('button', { name: 'Open Home' }));
    await waitFor(() => expect(canvas.image('hero').alt).toBeNull());
    await waitFor(() => expect(screen.queryByText(/Waits until you open Home/)).toBeNull());
  });

  it('shows a conflict when the element changed in the Designer meanwhile, and leaves it', async () => {
    const { canvas, backend } = setup();
    await openView();
    canvas.image('hero').alt = 'Someone else’s text';
    const door = onPage('door.jpg');
    fireEvent.input(door, { target: { value: 'The front door' } });
    fireEvent.keyDown(door, { key: 'Enter' });
    expect(await screen.findByText(/changed in the Designer meanwhile \(it is “Someone else’s text”\)/)).toBeTruthy();
    expect(canvas.image('hero').alt).toBe('Someone else’s text');
    expect(backend.changes[0]).toMatchObject({ status: 'conflict', current: 'Someone else’s text' });
    expect(await violations()).toEqual([]);
  });
});

describe('Where used', () => {
  const uses: AssetUse[] = [
    { where: { kind: 'page', pageId: 'about', pageTitle: 'About', nodeId: 'office' }, localeId: null, altState: 'overridden', altText: 'The office door' },
    { where: { kind: 'page', pageId: 'home', pageTitle: 'Home', nodeId: 'hero' }, localeId: null, altState: 'inherited', altText: 'A red door' },
    {
      where: { kind: 'cms-image', collectionId: 'c', collectionName: 'Blog', itemId: 'i', itemName: 'Spring', fieldSlug: 'main-image', fieldType: 'Image', index: null },
      localeId: null,
      altState: 'missing',
      altText: null,
    },
  ];

  it('lists each use with its alt text in words, and Go there opens the page and selects the image', async () => {
    const { backend, canvas } = setup({ usage: true });
    backend.assetUses.set('asset1', uses);
    await gridReady();
    fireEvent.click(await screen.findByRole('button', { name: '2 pages: where door.jpg is used' }));
    const dialog = await screen.findByRole('dialog', { name: 'Where door.jpg is used' });
    const list = await within(dialog).findByRole('list', { name: 'Uses of door.jpg' });
    expect(within(list).getAllByRole('listitem').map((item) => item.textContent)).toEqual([
      'Page: AboutOwn alt text: “The office door”Go there',
      'Page: HomeUses the asset’s alt text: “A red door”Go there',
      'CMS: Blog › Spring (main-image)No alt text: visitors get no description',
    ]);
    expect(await violations()).toEqual([]);
    fireEvent.click(within(list).getByRole('button', { name: 'Go there: Page: About' }));
    await screen.findByRole('list', { name: 'Images on About' });
    await waitFor(() => expect(canvas.selectedId).toBe('office'));
    await waitFor(() => expect(document.activeElement).toBe(onPage('door.jpg')));
    expect(canvas.currentPageId).toBe('about');
  });

  it('lists links and background images apart, with no alt text and no Go there', async () => {
    const { backend } = setup({ usage: true });
    backend.assetUses.set('asset1', uses.slice(0, 1));
    backend.assetReferences.set('asset1', [
      { where: { kind: 'link', collectionId: 'c', collectionName: 'Products', itemId: 'i', itemName: 'Kettle', fieldSlug: 'brochure' }, localeId: null },
      { where: { kind: 'style', styleName: 'Hero', breakpoint: 'medium', pseudo: 'hover' }, localeId: null },
    ]);
    await gridReady();
    fireEvent.click(await screen.findByRole('button', { name: '2 pages: where door.jpg is used' }));
    const dialog = await screen.findByRole('dialog', { name: 'Where door.jpg is used' });
    const list = await within(dialog).findByRole('list', { name: 'Links and backgrounds of door.jpg' });
    expect(within(list).getAllByRole('listitem').map((item) => item.textContent)).toEqual([
      'Linked from CMS: Products › Kettle (brochure)',
      'Background image of the style Hero (medium, hover)',
    ]);
    expect(within(list).queryByRole('button')).toBeNull();
    expect(await violations()).toEqual([]);
  });
});
