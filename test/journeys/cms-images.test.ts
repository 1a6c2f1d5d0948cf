/**
 * "CMS images" in Chromium against the whole stack: a gallery image's alt text fixed in the panel
 * reaches the sandbox's item (read through its Data API) with every other image of the gallery,
 * and every other field, unchanged; the item then waits for publishing, and Publish puts it live;
 * Ctrl+Z in the view puts the previous alt text back (staged again).
 */
import { describe, expect, it, vi } from 'vitest';
import { axeFindings, dataApi, eventually, openPanel, screenshot, useJourney, watchTrouble } from './support.ts';

vi.setConfig({ testTimeout: 300_000 });

const SOON = { timeout: 120_000 };

interface GalleryImage {
  fileId: string;
  url: string;
  alt: string | null;
}
interface WireItem {
  id: string;
  isDraft?: boolean;
  isArchived?: boolean;
  lastPublished: string | null;
  lastUpdated: string;
  fieldData: Record<string, unknown> & { name: string; gallery?: GalleryImage[] };
}

describe('CMS images', () => {
  const under = useJourney();

  /** A Data API GET with the site's token, 429s waited out. */
  async function api<T>(path: string): Promise<T> {
    const { stack } = under.journey;
    return dataApi<T>(stack, `${stack.sandbox.info.apiBaseUrl}${path}`);
  }

  /** Fully published: no staged change waits in it, and not a draft (as the sandbox models publishing). */
  const live = (item: WireItem) => !item.isDraft && item.lastPublished !== null && Date.parse(item.lastPublished) >= Date.parse(item.lastUpdated);

  it('fixes a gallery image’s alt text: the item shows it with the other images unchanged, waits for publishing until Publish, and undo restores it', async () => {
    const { journey } = under;
    const { collections } = await api<{ collections: Array<{ id: string; displayName: string }> }>(`/sites/${journey.stack.siteId}/collections`);
    const products = collections.find((collection) => collection.displayName === 'Products');
    expect(products).toBeDefined();
    const { items } = await api<{ items: WireItem[] }>(`/collections/${products!.id}/items?limit=100`);
    // A live item (so the change is the only one waiting in it) with a gallery of at least three images.
    const chosen = items.find((item) => (item.fieldData.gallery?.length ?? 0) >= 3 && live(item) && !item.isArchived);
    expect(chosen).toBeDefined();
    const item = chosen!;
    const readItem = () => api<WireItem>(`/collections/${products!.id}/items/${item.id}`);
    const original = await readItem();
    const gallery = original.fieldData.gallery!;

    const page = await openPanel(journey);
    const trouble = watchTrouble(page);
    await page.getByRole('button', { name: 'CMS images' }).click();
    const view = page.getByRole('region', { name: 'CMS images' });
    // The usage index is crawled in the background after the asset index: the collections appear when it is built.
    const collection = view.getByRole('combobox', { name: 'Collection' });
    await expect.poll(() => collection.locator('option', { hasText: 'Products' }).count(), SOON).toBe(1);
    await collection.selectOption({ label: 'Products' });
    await view.getByRole('heading', { name: 'Products', level: 3 }).waitFor(SOON);
    await view.getByRole('combobox', { name: 'CMS locale' }).selectOption({ index: 1 });
    await view.getByRole('searchbox', { name: 'Search items by name' }).fill(item.fieldData.name);
    // Products may share a name ("Kenya AA — 250 g"): the item's own group.
    const list = view.locator(`[data-item-id="${item.id}"]`).getByRole('list', { name: `Images of ${item.fieldData.name}` });
    await list.waitFor(SOON);
    const fields = list.getByRole('textbox');
    expect(await fields.count()).toBe(gallery.length);
    const second = fields.nth(1);
    expect(await second.getAttribute('aria-label')).toMatch(/, gallery image 2 \(/);
    expect(await second.inputValue()).toBe(gallery[1]?.alt ?? '');

    const fixed = 'Two espresso cups on a walnut tray';
    await second.fill(fixed);
    await second.press('Enter');
    const after = await eventually(readItem, (read) => read.fieldData.gallery?.[1]?.alt === fixed);
    // Only that image's alt changed: every other image (fileId, url, alt) and every other field is as it was.
    expect(after.fieldData.gallery).toEqual(gallery.map((image, index) => (index === 1 ? { ...image, alt: fixed } : image)));
    const { gallery: _before, ...otherFields } = original.fieldData;
    const { gallery: _after, ...otherFieldsAfter } = after.fieldData;
    expect(otherFieldsAfter).toEqual(otherFields);
    await expect.poll(() => list.getByText('Saved: waiting for Webflow to apply it…').count(), SOON).toBe(0);
    expect(await fields.nth(1).inputValue()).toBe(fixed);
    expect(live(after)).toBe(false);
    await screenshot(page, 'cms-images-fixed');

    // Staged, not live: the item says it waits for publishing; Publish (after a confirmation naming it) puts it live.
    const itemBox = view.locator(`[data-item-id="${item.id}"]`);
    await itemBox.getByText('Waits for publishing', { exact: true }).waitFor(SOON);
    await view.getByRole('region', { name: 'Waiting for publishing' }).getByRole('button', { name: 'Publish 1 item…' }).click();
    const confirm = page.getByRole('dialog', { name: 'Publish 1 item' });
    expect(await confirm.getByRole('listitem').allTextContents()).toEqual([`${item.fieldData.name} (Products)`]);
    expect(await axeFindings(page)).toEqual([]);
    await confirm.getByRole('button', { name: 'Publish' }).click();
    const published = await eventually(readItem, live);
    expect(published.fieldData.gallery?.[1]?.alt).toBe(fixed);
    await expect.poll(() => itemBox.getByText(/Waits for publishing/).count(), SOON).toBe(0);
    await expect.poll(() => view.getByRole('region', { name: 'Waiting for publishing' }).count(), SOON).toBe(0);
    await screenshot(page, 'cms-images-published');

    // Ctrl+Z in the view undoes the last save: the item holds its previous alt text again.
    await fields.nth(1).focus();
    await fields.nth(1).press('Control+z');
    const undone = await eventually(readItem, (read) => (read.fieldData.gallery?.[1]?.alt ?? null) === (gallery[1]?.alt ?? null));
    expect(undone.fieldData.gallery).toEqual(gallery);
    await expect.poll(() => fields.nth(1).inputValue(), SOON).toBe(gallery[1]?.alt ?? '');
    // The undo is staged too: the item waits for publishing again, and is not published by itself.
    await itemBox.getByText('Waits for publishing', { exact: true }).waitFor(SOON);
    expect(live(await readItem())).toBe(false);

    expect(await axeFindings(page)).toEqual([]);
    expect(trouble).toEqual([]);
    await page.close();
  });
});
