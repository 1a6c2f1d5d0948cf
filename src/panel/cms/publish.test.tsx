// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useTextCanvas, violations } from '../testing/axe.ts';
import { BackendError } from '../ports/backend.ts';
import { FakeBackend, makeAsset, makeCmsUse } from '../testing/fakes.ts';
import { gridReady, renderPanel } from '../testing/render-panel.tsx';

afterEach(cleanup);
useTextCanvas();
beforeEach(() => {
  document.documentElement.lang = 'en';
  document.title = 'Asset Desk';
});

const post = { collectionId: 'posts', collectionName: 'Posts', fieldSlug: 'main-image', fieldType: 'Image' as const, position: null };
const waitingEntry = { collectionId: 'posts', localeId: null, lastUpdated: '2026-12-04T12:00:00Z', isDraft: false, onlyOurs: true, changeIds: ['7'] };

function setup() {
  const backend = new FakeBackend({ assets: [makeAsset(1, { altText: 'Roasted beans' })] });
  backend.cmsUses = [
    makeCmsUse({ position: 0, assetId: 'asset1' }),
    makeCmsUse({ ...post, itemId: 'post1', itemName: 'Brewing at home', assetId: 'asset1' }),
    makeCmsUse({ ...post, itemId: 'post2', itemName: 'Cold brew', assetId: 'asset1' }),
  ];
  return renderPanel({ backend });
}

async function openView(): Promise<HTMLElement> {
  await gridReady();
  fireEvent.click(screen.getByRole('button', { name: 'CMS images' }));
  return screen.findByRole('region', { name: 'CMS images' });
}

const itemOf = (view: HTMLElement, name: string) => within(view).getByRole('list', { name: `Images of ${name}` }).parentElement as HTMLElement;

describe('CMS images waiting for publishing', () => {
  it('says an item waits once its change is applied, publishes it after a confirmation listing it, then reads the state again', async () => {
    const { backend } = setup();
    const view = await openView();
    expect(within(view).queryByRole('region', { name: 'Waiting for publishing' })).toBeNull();
    const field = screen.getByRole<HTMLInputElement>('textbox', { name: 'Alt text for Espresso, gallery image 1' });
    fireEvent.input(field, { target: { value: 'Beans in a scoop' } });
    fireEvent.keyDown(field, { key: 'Enter' });
    await waitFor(() => expect(backend.changes).toHaveLength(1));
    // Saved is not staged yet: nothing waits until the server applied it.
    expect(within(itemOf(view, 'Espresso')).queryByText(/Waits for publishing/)).toBeNull();
    backend.applyCmsChanges();
    await within(itemOf(view, 'Espresso')).findByText('Waits for publishing');
    const waiting = within(view).getByRole('region', { name: 'Waiting for publishing' });
    expect(within(waiting).getByText(/1 item holds alt text that Asset Desk saved/)).toBeTruthy();

    fireEvent.click(within(waiting).getByRole('button', { name: 'Publish 1 item…' }));
    const dialog = screen.getByRole('dialog', { name: 'Publish 1 item' });
    expect(within(within(dialog).getByRole('list', { name: 'Items to publish' })).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['Espresso (Products)']);
    expect(await violations()).toEqual([]);
    expect(backend.cmsPublishes).toEqual([]);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Publish' }));
    await waitFor(() => expect(backend.cmsPublishes).toEqual([['espresso']]));
    await waitFor(() => expect(within(view).queryByRole('region', { name: 'Waiting for publishing' })).toBeNull());
    expect(within(itemOf(view, 'Espresso')).queryByText(/Waits for publishing/)).toBeNull();
    expect(screen.getByText('Published 1 item: its alt text is live.')).toBeTruthy();
  });

  it('offers to publish only items whose only change is ours, and lists the others as "publish in Webflow" with why', async () => {
    const { backend } = setup();
    backend.cmsWaiting = [
      { ...waitingEntry, collectionId: 'products', itemId: 'espresso', name: 'Espresso' },
      { ...waitingEntry, itemId: 'post1', name: 'Brewing at home', onlyOurs: false },
      { ...waitingEntry, itemId: 'post2', name: 'Cold brew', isDraft: true, onlyOurs: false },
    ];
    const view = await openView();
    const waiting = await within(view).findByRole('region', { name: 'Waiting for publishing' });
    expect(within(waiting).getByText(/3 items hold alt text/)).toBeTruthy();
    expect(within(within(waiting).getByRole('list', { name: 'Publish in Webflow' })).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      'Brewing at home (Posts): It has unpublished changes that are not Asset Desk’s.',
      'Cold brew (Posts): It is a draft: publishing it would put the whole item live.',
    ]);
    expect(within(itemOf(view, 'Cold brew')).getByText('Waits for publishing: publish it in Webflow. It is a draft: publishing it would put the whole item live.')).toBeTruthy();
    expect(within(itemOf(view, 'Espresso')).getByText('Waits for publishing')).toBeTruthy();

    fireEvent.click(within(waiting).getByRole('button', { name: 'Publish 1 item…' }));
    const dialog = screen.getByRole('dialog', { name: 'Publish 1 item' });
    expect(within(dialog).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['Espresso (Products)']);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(backend.cmsPublishes).toEqual([]);
  });

  it('tells what the backend would not publish (changed in Webflow since it was read), and what failed to reach it', async () => {
    const { backend } = setup();
    backend.cmsWaiting = [{ ...waitingEntry, collectionId: 'products', itemId: 'espresso', name: 'Espresso' }];
    const view = await openView();
    const waiting = await within(view).findByRole('region', { name: 'Waiting for publishing' });
    backend.failNext.publishCmsItems = new BackendError(0, 'network', 'The backend could not be reached.');
    fireEvent.click(within(waiting).getByRole('button', { name: 'Publish 1 item…' }));
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Publish' }));
    await screen.findByText('Nothing was published: The backend could not be reached.');
    expect(within(itemOf(view, 'Espresso')).getByText('Waits for publishing')).toBeTruthy();

    // Someone edits the item in Webflow after the view read it: the backend refuses, the view says why and reads again.
    backend.cmsWaiting[0]!.onlyOurs = false;
    fireEvent.click(within(waiting).getByRole('button', { name: 'Publish 1 item…' }));
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Publish' }));
    const notPublished = await within(view).findByRole('list', { name: 'Not published' });
    expect(notPublished.textContent).toBe('Not published: Espresso. “Espresso” has unpublished changes that are not Asset Desk\'s; publish it in Webflow once they are ready.');
    await waitFor(() => expect(within(itemOf(view, 'Espresso')).getByText(/publish it in Webflow/)).toBeTruthy());
    expect(within(view).queryByRole('button', { name: /^Publish \d/ })).toBeNull();
  });

  it('shows what waits to a read-only user without offering to publish', async () => {
    const backend = new FakeBackend({ assets: [makeAsset(1)] });
    backend.cmsUses = [makeCmsUse({ assetId: 'asset1' })];
    backend.cmsWaiting = [{ ...waitingEntry, collectionId: 'products', itemId: 'espresso', name: 'Espresso' }];
    renderPanel({ backend, canManage: false });
    const view = await openView();
    await within(itemOf(view, 'Espresso')).findByText('Waits for publishing');
    expect(within(view).queryByRole('button', { name: /^Publish/ })).toBeNull();
  });
});
