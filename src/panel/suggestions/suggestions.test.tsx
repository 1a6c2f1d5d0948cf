// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AssetSuggestions } from '../../core/suggestions/sources.ts';
import { FakeBackend, makeAsset } from '../testing/fakes.ts';
import { gridReady, renderPanel } from '../testing/render-panel.tsx';
import { createSuggestionsModel } from './model.ts';

afterEach(cleanup);

const FROM_XMP = { text: 'Barista pouring latte art', source: 'metadata', confidence: 0.95, detail: 'XMP Iptc4xmpCore:AltTextAccessibility' } as const;

describe('suggestions in the grid', () => {
  it("offers the file's embedded alt text over its name, says so, and saves it only on Enter", async () => {
    const backend = new FakeBackend({ assets: [makeAsset(1, { fileName: 'latte-art.jpg', name: 'latte-art.jpg', altText: '' }), makeAsset(2, { fileName: 'red-bicycle.jpg', name: 'red-bicycle.jpg', altText: '' })] });
    backend.suggestionsByAsset.set('asset1', [FROM_XMP]);
    renderPanel({ backend });
    await gridReady();
    const chip = await screen.findByRole('button', { name: "Suggest: “Barista pouring latte art” (from the file's metadata, 95%), use it for latte-art.jpg" });
    expect(chip.textContent).toBe("Suggest: Barista pouring latte art (from the file's metadata, 95%)");
    expect(screen.getByRole('button', { name: 'Suggest: “Red bicycle” (from the file name, 30%), use it for red-bicycle.jpg' })).toBeTruthy();
    fireEvent.click(chip);
    const field = screen.getByRole<HTMLInputElement>('textbox', { name: 'Alt text for latte-art.jpg' });
    expect(field.value).toBe('Barista pouring latte art');
    expect(backend.changes).toEqual([]);
    fireEvent.keyDown(field, { key: 'Enter' });
    await waitFor(() => expect(backend.changes.map((change) => change.after)).toEqual(['Barista pouring latte art']));
  });

  it('shows each suggestion’s source in the bulk review and applies the reviewed ones', async () => {
    const backend = new FakeBackend({ assets: [makeAsset(1, { fileName: 'latte-art.jpg', name: 'latte-art.jpg', altText: '' })] });
    backend.suggestionsByAsset.set('asset1', [FROM_XMP]);
    renderPanel({ backend });
    await gridReady();
    await screen.findByRole('button', { name: /^Suggest: “Barista pouring latte art”/ });
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select latte-art.jpg' }));
    fireEvent.click(screen.getByRole('button', { name: 'Apply suggestions…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Review suggestions' });
    expect(within(dialog).getByRole('list', { name: 'Suggestions' }).textContent).toContain("“Barista pouring latte art” from the file's metadata, 95%");
    fireEvent.click(within(dialog).getByRole('button', { name: 'Apply 1 suggestion' }));
    await waitFor(() => expect(backend.changes.map((change) => change.after)).toEqual(['Barista pouring latte art']));
  });
  it('applies what the review showed, even when a better suggestion arrives while it is open', async () => {
    const backend = new FakeBackend({ assets: [makeAsset(1, { fileName: 'latte-art.jpg', name: 'latte-art.jpg', altText: '' })] });
    // The text in the image is still being read: the model asks again in a moment.
    backend.pendingSuggestionsByAsset.set('asset1', ['ocr']);
    renderPanel({ backend });
    await gridReady();
    await screen.findByRole('button', { name: /^Suggest: “Latte art”/ });
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select latte-art.jpg' }));
    fireEvent.click(screen.getByRole('button', { name: 'Apply suggestions…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Review suggestions' });
    expect(within(dialog).getByRole('list', { name: 'Suggestions' }).textContent).toContain('“Latte art”');

    backend.suggestionsByAsset.set('asset1', [FROM_XMP]);
    backend.pendingSuggestionsByAsset.delete('asset1');
    await screen.findByRole('button', { name: /^Suggest: “Barista pouring latte art”/ }, { timeout: 10_000 });
    expect(within(dialog).getByRole('list', { name: 'Suggestions' }).textContent).toContain('“Latte art”');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Apply 1 suggestion' }));
    await waitFor(() => expect(backend.changes.map((change) => change.after)).toEqual(['Latte art']));
  });
});

describe('the suggestions model', () => {
  it('asks the backend about each asset once, and again after a failed or partial answer', async () => {
    const calls: string[] = [];
    const answers: Record<string, AssetSuggestions | Error> = {
      a: { assetId: 'a', suggestions: [FROM_XMP], uses: [], unread: [], pending: [] },
      b: new Error('offline'),
      c: { assetId: 'c', suggestions: [], uses: [], unread: ['metadata'], pending: [] },
    };
    const model = createSuggestionsModel(
      {
        assetSuggestions: async (_siteId, assetId) => {
          calls.push(assetId);
          const answer = answers[assetId];
          if (answer instanceof Error || !answer) throw answer ?? new Error('unknown');
          return answer;
        },
      },
      'site1',
    );
    model.want(['a', 'b', 'c', 'a']);
    await waitFor(() => expect(model.byAsset.value.size).toBe(2));
    model.want(['a', 'b', 'c']);
    await waitFor(() => expect(calls.sort()).toEqual(['a', 'b', 'b', 'c', 'c']));
    const asset = makeAsset(9, { id: 'a', fileName: 'IMG_1.jpg', name: 'IMG_1.jpg' });
    expect(model.best(asset, null)).toEqual(FROM_XMP);
    expect(model.best(asset, 'fr')).toBeNull();
    model.dispose();
  });

  it('asks about the rows in view once they rest there, not about rows that passed while typing or scrolling', async () => {
    vi.useFakeTimers();
    try {
      const asked: string[] = [];
      const model = createSuggestionsModel({ assetSuggestions: async (_siteId, assetId) => (asked.push(assetId), { assetId, suggestions: [], uses: [], unread: [], pending: [] }) }, 'site1', { settleMs: 250 });
      model.inView(['coffee-1', 'coffee-2'], null);
      await vi.advanceTimersByTimeAsync(100);
      model.inView(['team-1'], null);
      await vi.advanceTimersByTimeAsync(200);
      expect(asked).toEqual([]);
      model.inView(['hero-1', 'hero-2'], null);
      await vi.advanceTimersByTimeAsync(250);
      expect(asked).toEqual(['hero-1', 'hero-2']);
      // The grid went away before its rows rested: nothing is asked.
      model.inView(['menu-1'], null);
      model.inView([], null);
      await vi.advanceTimersByTimeAsync(1000);
      expect(asked).toEqual(['hero-1', 'hero-2']);
      model.dispose();
    } finally {
      vi.useRealTimers();
    }
  });

  it('asks again while the backend still reads the text in the image, and offers it once read', async () => {
    const OCR = { text: 'Summer sale 30% off', source: 'ocr', confidence: 0.8 } as const;
    let reads = 0;
    const model = createSuggestionsModel(
      {
        assetSuggestions: async (_siteId, assetId) => {
          reads += 1;
          return reads === 1 ? { assetId, suggestions: [], uses: [], unread: [], pending: ['ocr'] } : { assetId, suggestions: [OCR], uses: [], unread: [], pending: [] };
        },
      },
      'site1',
      { pendingRetryMs: 5 },
    );
    const banner = makeAsset(1, { id: 'banner', fileName: 'IMG_2001.png', name: 'IMG_2001.png', contentType: 'image/png' });
    model.want(['banner']);
    await waitFor(() => expect(model.best(banner, null)).toEqual(OCR));
    expect(reads).toBe(2);
    model.dispose();
  });

  it('asks nothing more about an asset being deleted, not even the retry it was waiting for', async () => {
    const reads = new Map<string, number>();
    const model = createSuggestionsModel(
      {
        assetSuggestions: async (_siteId, assetId) => {
          reads.set(assetId, (reads.get(assetId) ?? 0) + 1);
          return { assetId, suggestions: [], uses: [], unread: [], pending: ['ocr'] };
        },
      },
      'site1',
      { pendingRetryMs: 5 },
    );
    model.want(['going', 'staying']);
    await waitFor(() => expect(reads.get('going')).toBe(1));
    model.forget(['going']);
    model.want(['going']);
    // The retries of both were set at once; by the second retry of the other, the first of this one had its turn.
    await waitFor(() => expect(reads.get('staying')).toBeGreaterThanOrEqual(3));
    expect(reads.get('going')).toBe(1);
    model.dispose();
  });

  it('asks for the vision model’s texts in the grid’s locale, keeps each locale’s, and asks for its cost again once a burst of answers is in', async () => {
    const statusCalls: string[] = [];
    const asked: (string | null | undefined)[] = [];
    const model = createSuggestionsModel(
      {
        assetSuggestions: async (_siteId, assetId, localeId) => {
          asked.push(localeId);
          const text = localeId ? 'Tasse de café' : 'Cup of coffee';
          return { assetId, suggestions: [{ text, source: 'vision', confidence: 0.5, ...(localeId ? { localeId } : {}) }], uses: [], unread: [], pending: [] };
        },
        suggestionSources: async (siteId) => {
          statusCalls.push(siteId);
          return { metadata: { active: true }, ocr: { active: true, languages: ['en'], notRead: [] }, usage: { active: true }, vision: { active: true, model: 'm', host: 'h', requestsToday: statusCalls.length, dailyCap: 9, pausedUntil: null } };
        },
      },
      'site1',
      { sourcesRefreshMs: 50 },
    );
    const cup = makeAsset(3, { id: 'cup', fileName: 'IMG_3.jpg', name: 'IMG_3.jpg' });
    model.want(['cup']);
    model.want(['cup'], 'fr');
    await waitFor(() => expect(model.best(cup, 'fr')?.text).toBe('Tasse de café'));
    expect(model.best(cup, null)?.text).toBe('Cup of coffee');
    expect(asked).toEqual([null, 'fr']);
    await waitFor(() => expect(statusCalls).toEqual(['site1', 'site1']));
    expect(model.sources.value?.vision).toMatchObject({ requestsToday: 2 });
    model.dispose();
  });
});
