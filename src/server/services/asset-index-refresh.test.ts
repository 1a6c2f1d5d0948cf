import { describe, expect, it } from 'vitest';
import { FakeWebflow, wireLocale } from '../../../test/server/fake-webflow.ts';
import type { ListedAsset } from '../store/refresh-listing.ts';
import { LISTING_BATCH, PAGE_SIZE, PAGES_IN_FLIGHT, readSite, type ListingSink } from './asset-index-refresh.ts';

const SITE = 'site1';

function localizedSite(assets: number): FakeWebflow {
  const webflow = new FakeWebflow();
  webflow.addSite(SITE, { secondary: [wireLocale('fr', 'fr'), wireLocale('de', 'de')] });
  for (let i = 0; i < assets; i += 1) {
    // fr has its own words, de says the primary's again (falls back), a few have no own words.
    webflow.addAsset(SITE, { altText: { [`${SITE}-en`]: `Photo ${i}`, ...(i % 10 === 3 ? {} : { fr: `Photo ${i} (fr)`, de: `Photo ${i}` }) } });
  }
  return webflow;
}

/** A sink that holds each write a while, and notes how many pages were read while it wrote. */
function slowSink(webflow: FakeWebflow) {
  const docs: ListedAsset[] = [];
  const batches: number[] = [];
  const readWhileWriting: number[] = [];
  let writing = 0;
  let mostAtOnce = 0;
  const sink: ListingSink = {
    async listed(batch) {
      writing += 1;
      mostAtOnce = Math.max(mostAtOnce, writing);
      const before = webflow.count('listAssets');
      await new Promise((resolve) => setTimeout(resolve, 30));
      readWhileWriting.push(webflow.count('listAssets') - before);
      docs.push(...batch);
      batches.push(batch.length);
      writing -= 1;
    },
  };
  return { sink, docs, batches, readWhileWriting, mostAtOnce: () => mostAtOnce };
}

describe('reading a site for a refresh', () => {
  it('hands over whole documents, every locale in them, in batches written one at a time', async () => {
    const webflow = localizedSite(6345);
    const { sink, docs, batches, readWhileWriting, mostAtOnce } = slowSink(webflow);
    const progress: number[] = [];

    const snapshot = await readSite(webflow, webflow.tokens.get(SITE)!, SITE, 'background', sink, async ({ done }) => void progress.push(done));

    expect(snapshot).toMatchObject({ complete: true, skipped: [] });
    expect(webflow.count('listAssets')).toBe(64 * 3);
    expect(batches).toEqual([...Array.from({ length: 6 }, () => 1000), 345]);
    expect(mostAtOnce()).toBe(1);
    // While the store writes a batch, the next one gathers and the pages already asked for
    // arrive, no more: the reader holds two batches and the pages in flight, never the listing.
    expect(Math.max(...readWhileWriting)).toBeLessThanOrEqual((LISTING_BATCH / PAGE_SIZE) * 3 + 2 * PAGES_IN_FLIGHT);
    expect(progress.at(-1)).toBe(6345 * 3);
    const byAlt = new Map(docs.map((doc) => [doc.altText, doc]));
    expect(byAlt.size).toBe(6345);
    expect(byAlt.get('Photo 0')?.localeAltText).toEqual({ fr: 'Photo 0 (fr)' });
    expect(byAlt.get('Photo 3')?.localeAltText).toEqual({});
    expect(docs.every((doc) => !('md5' in doc))).toBe(true);
  });

  it('puts a locale’s value in its document when the listing moved between the locales’ pages', async () => {
    const webflow = localizedSite(250);
    const first = webflow.assets[0]!;
    // fr is read as if the first asset had been deleted just before: its pages are shifted by one.
    const list = webflow.listAssets.bind(webflow);
    webflow.listAssets = async (token, siteId, options) => {
      const page = await list(token, siteId, options);
      if (options.localeId !== 'fr') return page;
      const all = (await Promise.all([0, 100, 200].map((offset) => list(token, siteId, { ...options, offset, limit: 100 })))).flatMap((p) => p.assets);
      const shifted = all.filter((asset) => asset.id !== first.id);
      return { assets: shifted.slice(options.offset, options.offset + options.limit), pagination: { ...page.pagination, total: shifted.length } };
    };
    const { sink, docs } = slowSink(webflow);

    await readSite(webflow, webflow.tokens.get(SITE)!, SITE, 'background', sink, async () => {});

    expect(docs).toHaveLength(250);
    const byId = new Map(docs.map((doc) => [doc.id, doc]));
    // The first asset's fr value was never listed: it shows the primary's until the next refresh.
    expect(byId.get(first.id)?.localeAltText).toEqual({});
    for (const asset of webflow.assets.slice(1)) {
      const own = asset.altText.fr;
      expect(byId.get(asset.id)?.localeAltText).toEqual(own ? { fr: own } : {});
    }
  });

  /**
   * Pages as if one asset had been added at the start of the listing just before a locale's
   * pages from the given offset on were read (`primary`: the primary's): they list each asset
   * one place later, so the last asset of the page before comes again.
   */
  function movedBetweenPages(webflow: FakeWebflow, from: Record<string, number>): void {
    const list = webflow.listAssets.bind(webflow);
    webflow.listAssets = async (token, siteId, options) => {
      const page = await list(token, siteId, options);
      const movedFrom = from[options.localeId ?? 'primary'];
      if (movedFrom === undefined || options.offset < movedFrom) return page;
      // The asset added is not one this test follows: the page holds the ones before it.
      const start = Math.max(0, options.offset - 1);
      const earlier = await list(token, siteId, { ...options, offset: start, limit: options.limit - (start - (options.offset - 1)) });
      return { assets: earlier.assets, pagination: { ...page.pagination, total: page.pagination.total + 1 } };
    };
  }

  /** Every asset with its own fr and de alt text. */
  function siteWithOwnWords(assets: number): FakeWebflow {
    const webflow = new FakeWebflow();
    webflow.addSite(SITE, { secondary: [wireLocale('fr', 'fr'), wireLocale('de', 'de')] });
    for (let i = 0; i < assets; i += 1) webflow.addAsset(SITE, { altText: { [`${SITE}-en`]: `Photo ${i}`, fr: `Photo ${i} (fr)`, de: `Photo ${i} (de)` } });
    return webflow;
  }

  it('keeps an asset’s locale values when the primary lists it twice and the other locales once', async () => {
    const webflow = siteWithOwnWords(250);
    movedBetweenPages(webflow, { primary: 100 });
    const { sink, docs } = slowSink(webflow);

    const snapshot = await readSite(webflow, webflow.tokens.get(SITE)!, SITE, 'background', sink, async () => {});

    expect(snapshot.complete).toBe(false);
    // The whole document of the first listing stands; the second never became whole.
    expect(docs.filter((doc) => doc.id === webflow.assets[99]!.id)).toHaveLength(1);
    const byId = new Map(docs.map((doc) => [doc.id, doc]));
    expect(byId.size).toBe(250);
    for (const [i, asset] of webflow.assets.entries()) expect(byId.get(asset.id)?.localeAltText).toEqual({ fr: `Photo ${i} (fr)`, de: `Photo ${i} (de)` });
  });

  it('keeps the locale values put in before the primary listed an asset again', async () => {
    const webflow = siteWithOwnWords(250);
    // fr was read after the asset was added, de before, the primary between its first pages
    // and the rest: the asset the primary lists twice (the 100th) has de from its first listing
    // only, fr from its second only.
    movedBetweenPages(webflow, { primary: 100, fr: 0 });
    const { sink, docs } = slowSink(webflow);

    await readSite(webflow, webflow.tokens.get(SITE)!, SITE, 'background', sink, async () => {});

    const byId = new Map(docs.map((doc) => [doc.id, doc]));
    expect(byId.size).toBe(250);
    for (const [i, asset] of webflow.assets.entries()) expect(byId.get(asset.id)?.localeAltText).toEqual({ fr: `Photo ${i} (fr)`, de: `Photo ${i} (de)` });
  });

  it('lets a locale fall back to a primary text that changed between two listings of an asset', async () => {
    const webflow = siteWithOwnWords(250);
    const twice = webflow.assets[99]!;
    // de says the primary's text (it falls back); the primary's text changes between the two
    // listings of the asset, as above.
    twice.altText.de = 'Photo 99';
    movedBetweenPages(webflow, { primary: 100, fr: 0 });
    const list = webflow.listAssets.bind(webflow);
    webflow.listAssets = async (token, siteId, options) => {
      if (!options.localeId && options.offset === 100) twice.altText[`${SITE}-en`] = 'Photo 99, changed';
      return list(token, siteId, options);
    };
    const { sink, docs } = slowSink(webflow);

    await readSite(webflow, webflow.tokens.get(SITE)!, SITE, 'background', sink, async () => {});

    const doc = docs.filter((d) => d.id === twice.id).at(-1);
    // Not "Photo 99" as de's own text: de said the primary's, and the primary's is now another.
    expect(doc?.altText).toBe('Photo 99, changed');
    expect(doc?.localeAltText).toEqual({ fr: 'Photo 99 (fr)' });
  });

  it('leaves out what it cannot index, by name, and hands over the rest', async () => {
    const webflow = new FakeWebflow();
    webflow.addSite(SITE);
    webflow.addAsset(SITE, { altText: 'kept' });
    const broken = webflow.addAsset(SITE, { fileName: 'broken.jpg' });
    (broken as { size: unknown }).size = 'large';
    const docs: ListedAsset[] = [];
    const snapshot = await readSite(webflow, webflow.tokens.get(SITE)!, SITE, 'background', { listed: async (batch) => void docs.push(...batch) }, async () => {});
    expect(docs.map((d) => d.altText)).toEqual(['kept']);
    expect(snapshot.skipped).toEqual([{ kind: 'asset', id: broken.id, name: 'broken.jpg' }]);
  });
});
