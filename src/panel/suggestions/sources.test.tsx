// @vitest-environment happy-dom
/**
 * What the panel says of the suggestion sources: each suggestion with its source and confidence
 * in the review, which sources run (text in images not read for a locale, or switched off; the
 * vision model's host and requests today), and per use in "Where used", what that use suggests.
 */
import { cleanup, fireEvent, screen, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import type { SuggestionSourcesStatus } from '../../core/suggestions/sources.ts';
import type { AssetUse } from '../../core/usage.ts';
import { FakeBackend, makeAsset, makeUsage } from '../testing/fakes.ts';
import { gridReady, renderPanel } from '../testing/render-panel.tsx';
import { sourcesWords } from './SourcesNote.tsx';

afterEach(cleanup);

const ON_ABOUT = { kind: 'page', pageId: 'about', pageTitle: 'About us', nodeId: 'n1' } as const;
const ON_SHOP = { kind: 'page', pageId: 'shop', pageTitle: 'Shop', nodeId: 'n2' } as const;

async function openReview(backend: FakeBackend, name = 'latte-art.jpg') {
  renderPanel({ backend });
  await gridReady();
  await screen.findByRole('button', { name: /^Suggest: “Barista pouring latte art”/ });
  fireEvent.click(screen.getByRole('checkbox', { name: `Select ${name}` }));
  fireEvent.click(screen.getByRole('button', { name: 'Apply suggestions…' }));
  return screen.findByRole('dialog', { name: 'Review suggestions' });
}

describe('suggestion sources in the panel', () => {
  it('says in the review which sources run, that nothing is sent anywhere, and each suggestion’s source and confidence', async () => {
    const backend = new FakeBackend({ assets: [makeAsset(1, { fileName: 'latte-art.jpg', name: 'latte-art.jpg', altText: '' })] });
    backend.suggestionsByAsset.set('asset1', [{ text: 'Barista pouring latte art', source: 'usage', confidence: 0.6, detail: 'caption on page “About us”' }]);
    const dialog = await openReview(backend);
    const note = await within(dialog).findByRole('note', { name: 'Suggestion sources' });
    expect(note.textContent).toContain("Suggestions come from the file's metadata, text in the image (read in English, French, German), where it is used, the file name.");
    expect(note.textContent).toContain('No vision model is configured: no image is sent anywhere.');
    expect(within(dialog).getByRole('list', { name: 'Suggestions' }).textContent).toContain('“Barista pouring latte art” from where it is used, 60%');
    // Reviewed first: nothing was applied by opening the review.
    expect(backend.changes).toEqual([]);
  });

  it('names the vision model, where images go and its requests today, and the locales whose text is not read', async () => {
    // A camera's file name says nothing, so the model's text is the best there is.
    const backend = new FakeBackend({ assets: [makeAsset(1, { fileName: 'IMG_7333.jpg', name: 'IMG_7333.jpg', altText: '' })] });
    backend.suggestionsByAsset.set('asset1', [{ text: 'Barista pouring latte art', source: 'vision', confidence: 0.5, detail: 'llava' }]);
    backend.sources = {
      metadata: { active: true },
      ocr: { active: true, languages: ['en', 'fr', 'de'], notRead: [{ localeId: 'es', tag: 'es-ES' }] },
      usage: { active: true },
      vision: { active: true, model: 'llava', host: '127.0.0.1:11434', requestsToday: 12, dailyCap: 500, pausedUntil: null },
    };
    const dialog = await openReview(backend, 'IMG_7333.jpg');
    const note = await within(dialog).findByRole('note', { name: 'Suggestion sources' });
    expect(note.textContent).toContain('the vision model llava.');
    expect(note.textContent).toContain('A small copy of each image is sent to 127.0.0.1:11434: 12 of 500 requests today for this site.');
    expect(note.textContent).toContain('Text in images is not read for es-ES: no language data for es-ES.');
    expect(within(dialog).getByRole('list', { name: 'Suggestions' }).textContent).toContain('from the vision model, 50%');
  });

  it('says when text in images is switched off', () => {
    const off: SuggestionSourcesStatus = { metadata: { active: true }, ocr: { active: false, languages: ['en'], notRead: [] }, usage: { active: false }, vision: { active: false } };
    expect(sourcesWords(off, [])).toEqual([
      "Suggestions come from the file's metadata, the file name.",
      'Text in images is not read: it is switched off on the backend.',
      'No vision model is configured: no image is sent anywhere.',
    ]);
  });

  it('shows beside each use in “Where used” what that use suggests, with its source and confidence', async () => {
    const assets = [makeAsset(1, { fileName: 'beans.jpg', name: 'beans.jpg', altText: 'Beans' })];
    const backend = new FakeBackend({ assets, usage: makeUsage({ asset1: { pages: 2 } }) });
    const uses: AssetUse[] = [
      { where: ON_ABOUT, localeId: null, altState: 'inherited', altText: 'Beans' },
      { where: ON_SHOP, localeId: null, altState: 'inherited', altText: 'Beans' },
    ];
    backend.assetUses.set('asset1', uses);
    backend.useSuggestionsByAsset.set('asset1', [
      { where: ON_ABOUT, localeId: null, suggestions: [{ text: 'Our roaster sorting green beans', source: 'usage', confidence: 0.6, detail: 'caption on page “About us”' }] },
      { where: ON_SHOP, localeId: null, suggestions: [{ text: 'Ethiopian single origin', source: 'usage', confidence: 0.4, detail: 'heading near the image on page “Shop”' }] },
    ]);
    renderPanel({ backend });
    await gridReady();
    fireEvent.click(await screen.findByRole('button', { name: '2 pages: where beans.jpg is used' }));
    const dialog = await screen.findByRole('dialog', { name: 'Where beans.jpg is used' });
    const list = await within(dialog).findByRole('list', { name: 'Uses of beans.jpg' });
    await within(list).findByText(/Our roaster sorting green beans/);
    const items = within(list).getAllByRole('listitem').map((item) => item.textContent);
    expect(items[0]).toContain('Suggested here: “Our roaster sorting green beans” (from where it is used, 60%)');
    expect(items[1]).toContain('Suggested here: “Ethiopian single origin” (from where it is used, 40%)');
    expect(backend.changes).toEqual([]);
  });
});
