import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeAltText } from '../../core/alt-lint.ts';
import type { Folder, IndexedAsset } from '../../core/api.ts';
import { frenchLocale, makeAsset, primaryLocale } from '../testing/fakes.ts';
import { buildSearchIndex, countFilters, defaultFindQuery, findAssets, type FindQuery } from './index.ts';

const folders: Folder[] = [
  { id: 'people', name: 'People', parentId: null },
  { id: 'team', name: 'Team', parentId: 'people' },
  { id: 'offsite', name: 'Offsite 2024', parentId: 'team' },
  { id: 'docs', name: 'Docs', parentId: null },
];

const assets: IndexedAsset[] = [
  makeAsset(1, { name: 'Golden retriever.jpg', fileName: 'golden-retriever.jpg', altText: 'A dog on the beach', size: 300, folderId: 'people' }),
  makeAsset(2, { name: 'Team photo 10.jpg', altText: '', size: 100, folderId: 'team' }),
  makeAsset(3, { name: 'Team photo 2.jpg', altText: null, size: 200, folderId: 'offsite' }),
  makeAsset(4, { name: 'Brochure.pdf', fileName: 'brochure.pdf', contentType: 'application/pdf', thumbUrl: null, altText: '', size: 50, folderId: 'docs' }),
  makeAsset(5, { name: 'intro.json', fileName: 'intro.json', contentType: 'application/json', thumbUrl: null, altText: '', size: 70 }),
  makeAsset(6, { name: 'Hero.png', fileName: 'hero.png', contentType: 'image/png', altText: 'image', size: 400, localeAltText: { fr: 'Chien sur la plage' } }),
];

const index = () => buildSearchIndex(assets, { folders, locales: [primaryLocale, frenchLocale] });
const query = (overrides: Partial<FindQuery>): FindQuery => ({ ...defaultFindQuery, ...overrides });
const ids = (found: IndexedAsset[]) => found.map((asset) => asset.id);

describe('findAssets', () => {
  it('keeps only the assets used on a page, under the other filters, and counts every filter within it', () => {
    const home = { kind: 'page' as const, id: 'home', name: 'Home', assetIds: new Set(['asset1', 'asset2', 'asset4', 'gone']) };
    const search = index();
    expect(ids(findAssets(search, query({ place: home })))).toEqual(['asset4', 'asset1', 'asset2']);
    expect(ids(findAssets(search, query({ place: home, filter: 'missing' })))).toEqual(['asset2']);
    expect(ids(findAssets(search, query({ place: home, text: 'team' })))).toEqual(['asset2']);
    const counts = countFilters(search, query({ place: home }));
    expect(counts.filter).toEqual({ all: 3, missing: 1, decorative: 0, lint: 0 });
    expect(counts.kind).toMatchObject({ all: 3, image: 2, document: 1 });
    expect(counts.folders.get('people')).toBe(2);
  });

  it('returns every asset by name, in natural order, when nothing is asked', () => {
    expect(ids(findAssets(index(), defaultFindQuery))).toEqual(['asset4', 'asset1', 'asset6', 'asset5', 'asset3', 'asset2']);
  });

  it('sorts names Webflow stored behind an asset id by what they read as', () => {
    // Webflow names an uploaded file "<24-hex id>_<name>"; the ids say nothing of the order.
    const stored = buildSearchIndex([
      makeAsset(1, { name: '5f2a9c0d1e3b4a5f6c7d8e9f_Ethiopia-Yirgacheffe.jpg' }),
      makeAsset(2, { name: '0a1b2c3d4e5f60718293a4b5_Cupping-Session.jpg' }),
      makeAsset(3, { name: 'ffffffffffffffffffffffff_Aeropress.jpg' }),
      makeAsset(4, { name: 'Drip kettle.jpg' }),
    ]);
    expect(ids(findAssets(stored, defaultFindQuery))).toEqual(['asset3', 'asset2', 'asset4', 'asset1']);
  });

  it('finds every word of the search text in names, file names and alt texts, in any order and case', () => {
    const search = index();
    expect(ids(findAssets(search, query({ text: 'BEACH dog' })))).toEqual(['asset1']);
    expect(ids(findAssets(search, query({ text: 'retriever.jpg' })))).toEqual(['asset1']);
    expect(ids(findAssets(search, query({ text: 'plage' })))).toEqual(['asset6']);
    expect(findAssets(search, query({ text: 'cat' }))).toEqual([]);
  });

  it('finds text whatever its accents', () => {
    const accented = buildSearchIndex([makeAsset(1, { altText: 'Équipe à la plage' }), makeAsset(2, { altText: 'Equipment' })]);
    expect(ids(findAssets(accented, query({ text: 'equipe a la' })))).toEqual(['asset1']);
    expect(ids(findAssets(accented, query({ text: 'ÉQUIPE' })))).toEqual(['asset1']);
  });

  it('gives the same answers when narrowing as the text grows and shrinks', () => {
    const typed = index();
    const answers = ['t', 'te', 'tea', 'team 1', 'team', 'p', 'ph', ''].map((text) => ids(findAssets(typed, query({ text }))));
    const fresh = ['t', 'te', 'tea', 'team 1', 'team', 'p', 'ph', ''].map((text) => ids(findAssets(index(), query({ text }))));
    expect(answers).toEqual(fresh);
    expect(answers[3]).toEqual(['asset2']);
  });

  it('gives the same answers as a fresh index whatever is typed, deleted and typed again (first letters kept included)', () => {
    const letter = fc.constantFrom('t', 'e', 'a', 'm', 'o', 'p', 'h', ' ', '1', 'g', 'é');
    fc.assert(
      fc.property(fc.array(fc.string({ unit: letter, maxLength: 5 }), { maxLength: 12 }), (texts) => {
        const typed = index();
        for (const text of texts) {
          // Typed a character at a time, as a search box sees it.
          for (let end = 1; end <= text.length; end += 1) {
            const sofar = text.slice(0, end);
            expect(ids(findAssets(typed, query({ text: sofar })))).toEqual(ids(findAssets(index(), query({ text: sofar }))));
          }
        }
      }),
    );
  });

  it('filters images by alt-text state, leaving documents out of missing', () => {
    const search = index();
    expect(ids(findAssets(search, query({ filter: 'missing' })))).toEqual(['asset2']);
    expect(ids(findAssets(search, query({ filter: 'decorative' })))).toEqual(['asset3']);
    expect(ids(findAssets(search, query({ filter: 'lint' })))).toEqual(['asset6']);
  });

  it('filters by kind', () => {
    const search = index();
    expect(ids(findAssets(search, query({ kind: 'document' })))).toEqual(['asset4']);
    expect(ids(findAssets(search, query({ kind: 'other' })))).toEqual(['asset5']);
    expect(findAssets(search, query({ kind: 'image' }))).toHaveLength(4);
  });

  it('takes a folder with its descendants', () => {
    const search = index();
    expect(ids(findAssets(search, query({ folderId: 'people' })))).toEqual(['asset1', 'asset3', 'asset2']);
    expect(ids(findAssets(search, query({ folderId: 'team' })))).toEqual(['asset3', 'asset2']);
    expect(findAssets(search, query({ folderId: 'gone' }))).toEqual([]);
  });

  it('sorts by size and date in both directions', () => {
    const search = index();
    expect(ids(findAssets(search, query({ sort: 'size' })))).toEqual(['asset4', 'asset5', 'asset2', 'asset3', 'asset1', 'asset6']);
    expect(ids(findAssets(search, query({ sort: 'size', direction: 'desc' })))[0]).toBe('asset6');
    expect(ids(findAssets(search, query({ sort: 'date', direction: 'desc' })))).toEqual(['asset6', 'asset5', 'asset4', 'asset3', 'asset2', 'asset1']);
  });

  it('counts a secondary locale as missing where it has no alt text of its own', () => {
    const search = index();
    // asset1 has primary text only; asset3 is decorative and stays so; asset6 has French text.
    expect(ids(findAssets(search, query({ localeId: 'fr', filter: 'missing' })))).toEqual(['asset1', 'asset2']);
    expect(ids(findAssets(search, query({ localeId: 'fr', filter: 'decorative' })))).toEqual(['asset3']);
    expect(findAssets(search, query({ localeId: 'fr', filter: 'lint' }))).toEqual([]);
    expect(ids(findAssets(search, query({ localeId: 'en', filter: 'lint' })))).toEqual(['asset6']);
  });

  it('flags the same alt text on three images for the lint filter', () => {
    const same = [1, 2, 3].map((n) => makeAsset(n, { altText: 'Our team at work' }));
    expect(findAssets(buildSearchIndex(same), query({ filter: 'lint' }))).toHaveLength(3);
    expect(findAssets(buildSearchIndex(same.slice(0, 2)), query({ filter: 'lint' }))).toHaveLength(0);
  });
});

describe("names behind Webflow's id prefix", () => {
  // The ids sort the other way round from the names a person wrote.
  const prefixed = [
    makeAsset(1, { name: '0a9532e10db02a1c74df205f_Ethiopia-Yirgacheffe.jpg' }),
    makeAsset(2, { name: 'ff00000000000000000000aa_Cupping-session.jpg' }),
    makeAsset(3, { name: 'Brazil-Cerrado.jpg' }),
    makeAsset(4, { name: '5f8d4c2b1a9e3b0017c6d2e1_Decaf.png' }),
  ];

  it('sorts by the name a person wrote, not by the id', () => {
    const search = buildSearchIndex(prefixed);
    expect(ids(findAssets(search, defaultFindQuery))).toEqual(['asset3', 'asset2', 'asset4', 'asset1']);
    expect(ids(findAssets(search, query({ direction: 'desc' })))).toEqual(['asset1', 'asset4', 'asset2', 'asset3']);
  });

  it('finds an asset by the readable part and by the full name, id included', () => {
    const search = buildSearchIndex(prefixed);
    expect(ids(findAssets(search, query({ text: 'ethiopia' })))).toEqual(['asset1']);
    expect(ids(findAssets(search, query({ text: '0a9532e10db0' })))).toEqual(['asset1']);
    expect(ids(findAssets(search, query({ text: '0a9532e10db02a1c74df205f_Ethiopia-Yirgacheffe.jpg' })))).toEqual(['asset1']);
  });

  it('keeps the name order when an asset is renamed out of its prefix', () => {
    const first = buildSearchIndex(prefixed);
    first.order('name');
    const renamed = prefixed.map((asset) => (asset.id === 'asset2' ? { ...asset, name: 'Zambia-AA.jpg' } : asset));
    const carried = buildSearchIndex(renamed, { previous: first });
    expect(ids(findAssets(carried, defaultFindQuery))).toEqual(['asset3', 'asset4', 'asset1', 'asset2']);
  });
});

describe('the same-text tally (the `repeated` finding of the filter and of each row)', () => {
  it('counts images per normalized text, leaving out decorative, empty, punctuation-only texts and documents', () => {
    const tally = buildSearchIndex([
      makeAsset(1, { altText: 'Our team' }),
      makeAsset(2, { altText: ' our  TEAM. ' }),
      makeAsset(3, { altText: null }),
      makeAsset(4, { altText: '' }),
      makeAsset(5, { altText: '...' }),
      makeAsset(6, { altText: 'Our team', contentType: 'application/pdf', fileName: 'team.pdf' }),
    ]).localeView(null).sameText;
    expect([...tally]).toEqual([[normalizeAltText('Our team'), 2]]);
  });

  it("counts a secondary locale's own texts only", () => {
    const locales = [primaryLocale, frenchLocale];
    const search = buildSearchIndex(
      [makeAsset(1, { altText: 'Team', localeAltText: { fr: 'Équipe' } }), makeAsset(2, { altText: 'Team' })],
      { locales },
    );
    expect([...search.localeView('fr').sameText]).toEqual([['équipe', 1]]);
    expect([...search.localeView('en').sameText]).toEqual([['team', 2]]);
  });
});

describe('a locale view built in slices', () => {
  const texts = ['Our team', ' our  TEAM. ', '', null, '...', 'IMG_0042.jpg', 'Équipe', 'A barista pours milk into a cup'];
  const anAsset = fc.record({
    alt: fc.constantFrom(...texts),
    fr: fc.option(fc.constantFrom(...texts), { nil: undefined }),
    document: fc.boolean(),
  });

  it('is the view built at once, however the slices fall and whenever it is finished at once', () => {
    fc.assert(
      fc.property(fc.array(anAsset, { minLength: 1, maxLength: 3000 }), fc.constantFrom(null, 'fr'), fc.nat(6), (drafts, localeId, finishAfter) => {
        const list = drafts.map((draft, n) =>
          makeAsset(n, {
            altText: draft.alt,
            localeAltText: draft.fr === undefined ? {} : { fr: draft.fr },
            ...(draft.document ? { contentType: 'application/pdf', fileName: `menu-${n}.pdf` } : {}),
          }),
        );
        const options = { locales: [primaryLocale, frenchLocale] };
        const whole = buildSearchIndex(list, options).localeView(localeId);
        const sliced = buildSearchIndex(list, options);
        let slices = 0;
        // A deadline already past: each slice does the least it may (512 assets).
        while (slices < finishAfter && !sliced.prepareLocaleView(localeId, 0)) slices += 1;
        expect(slices).toBeLessThanOrEqual(Math.ceil(list.length / 512));
        const view = sliced.localeView(localeId);
        expect([...view.states]).toEqual([...whole.states]);
        expect([...view.lint]).toEqual([...whole.lint]);
        expect([...view.sameText]).toEqual([...whole.sameText]);
        expect(sliced.prepareLocaleView(localeId, 0)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('takes more than one slice for thousands of assets with a deadline already past', () => {
    const sliced = buildSearchIndex(Array.from({ length: 2000 }, (_, n) => makeAsset(n, { altText: `Photo ${n % 7}` })));
    const answers: boolean[] = [];
    for (let slice = 0; slice < 5; slice += 1) answers.push(sliced.prepareLocaleView(null, 0));
    expect(answers).toEqual([false, false, false, true, true]);
  });
});

describe('search haystacks made in slices', () => {
  const words = ['beach', 'dog', 'team', 'café', 'logo', 'Plage'];
  const make = (n: number, salt = '') =>
    makeAsset(n, { name: `${words[n % 6]} ${n}${salt}.jpg`, altText: n % 4 ? `A ${words[(n * 5) % 6]} photo` : '', localeAltText: n % 9 ? {} : { fr: words[(n + 3) % 6] as string } });
  const searches = ['b', 'be', 'beach 1', 'cafe', 'plage', 'o', 'dog 12', 'zzz'];
  const answers = (search: ReturnType<typeof buildSearchIndex>) => searches.map((text) => ids(findAssets(search, query({ text }))));

  it('answers as an index made at once, however many slices were made, here or in the index before', () => {
    const list = Array.from({ length: 1300 }, (_, n) => make(n));
    const fresh = answers(buildSearchIndex(list));
    fc.assert(
      fc.property(fc.nat(4), fc.nat(4), fc.nat(1299), (slicesBefore, slicesNow, changedAt) => {
        const previous = buildSearchIndex(list);
        for (let slice = 0; slice < slicesBefore; slice += 1) previous.prepareSearch(0);
        // One asset replaced (a rename) among the carried ones.
        const after = list.map((asset, n) => (n === changedAt ? make(n, ' renamed') : asset));
        const carried = buildSearchIndex(after, { previous });
        for (let slice = 0; slice < slicesNow; slice += 1) carried.prepareSearch(0);
        expect(answers(carried)).toEqual(answers(buildSearchIndex(after)));
        if (after[changedAt] !== list[changedAt]) expect(answers(buildSearchIndex(list, { previous: carried }))).toEqual(fresh);
      }),
      { numRuns: 40 },
    );
  });

  it('takes more than one slice for thousands of assets with a deadline already past, and none once a search made them', () => {
    const list = Array.from({ length: 2000 }, (_, n) => make(n));
    const sliced = buildSearchIndex(list);
    const steps: boolean[] = [];
    for (let slice = 0; slice < 5; slice += 1) steps.push(sliced.prepareSearch(0));
    expect(steps).toEqual([false, false, false, true, true]);
    const searched = buildSearchIndex(list);
    findAssets(searched, query({ text: 'dog' }));
    expect(searched.prepareSearch(0)).toBe(true);
  });
});

describe('countFilters', () => {
  it('counts each filter with the other choices applied', () => {
    const counts = countFilters(index(), query({ kind: 'image', filter: 'missing' }));
    expect(counts.filter).toEqual({ all: 4, missing: 1, decorative: 1, lint: 1 });
    expect(counts.kind).toEqual({ all: 1, image: 1, document: 0, other: 0 });
    expect(counts.folders.get('people')).toBe(1);
    expect(counts.folders.get('docs')).toBe(0);
  });

  it('counts folders with their descendants under the search text', () => {
    const counts = countFilters(index(), query({ text: 'team' }));
    expect(counts.folders.get('people')).toBe(2);
    expect(counts.folders.get('team')).toBe(2);
    expect(counts.folders.get('offsite')).toBe(1);
    expect(counts.topLevel).toBe(0);
    expect(counts.filter.all).toBe(2);
  });
});

describe('an index built over an updated list', () => {
  it('carries the sort orders over, sorting in only the changed assets, with the same answers as a fresh index', () => {
    // A seeded generator: the same list every run.
    let seed = 7;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
    const names = ['Team photo', 'Hero', 'Logo', 'Beach', 'Menu'];
    const make = (n: number) =>
      makeAsset(n, {
        name: `${names[Math.floor(random() * names.length)]} ${Math.floor(random() * 30)}.jpg`,
        size: Math.floor(random() * 50) * 100,
        createdOn: new Date(Date.UTC(2024, 0, 1 + Math.floor(random() * 40))).toISOString(),
      });
    const before = Array.from({ length: 400 }, (_, n) => make(n));
    const first = buildSearchIndex(before);
    for (const sort of ['name', 'date', 'size'] as const) first.order(sort);

    // As the assets model updates: changed assets replaced in place, removed ones dropped, new ones appended.
    const after = before
      .filter((_, n) => n % 37 !== 5)
      .map((asset, n) => (n % 29 === 3 ? { ...asset, name: `Renamed ${n}.jpg`, size: asset.size + 1 } : asset));
    after.push(make(1000), make(1001));
    // Every sort on the way, by the length of what it sorts.
    const sortedLengths: number[] = [];
    const originalSort = Array.prototype.sort;
    Array.prototype.sort = function <T>(this: T[], compare?: (a: T, b: T) => number): T[] {
      sortedLengths.push(this.length);
      return originalSort.call(this, compare) as T[];
    };
    let orders: number[][];
    try {
      const carried = buildSearchIndex(after, { previous: first });
      orders = (['name', 'date', 'size'] as const).map((key) => Array.from(carried.order(key)));
    } finally {
      Array.prototype.sort = originalSort;
    }

    const fresh = buildSearchIndex(after);
    expect(orders).toEqual((['name', 'date', 'size'] as const).map((key) => Array.from(fresh.order(key))));
    // Only the changed assets were sorted (24 of 402), never the whole list.
    expect(Math.max(...sortedLengths)).toBeLessThan(after.length / 8);
  });
});

describe('lint carried from the index before', () => {
  const texts = ['A dog on the beach', 'image', 'photo-1.jpg', '', '  ', null, 'Team photo', 'Team photo', 'Team photo', '!!', 'Chien'];
  const arbitraryAsset = fc.record({
    n: fc.nat(40),
    alt: fc.constantFrom(...texts),
    fr: fc.option(fc.constantFrom(...texts.filter((text) => text !== null)), { nil: undefined }),
    pdf: fc.boolean(),
  });
  const make = ({ n, alt, fr, pdf }: { n: number; alt: string | null; fr: string | undefined; pdf: boolean }) =>
    makeAsset(n, { altText: alt, localeAltText: fr === undefined ? {} : { fr }, ...(pdf ? { contentType: 'application/pdf', fileName: `file-${n}.pdf`, name: `file-${n}.pdf` } : {}) });
  const views = (search: ReturnType<typeof buildSearchIndex>) =>
    [null, 'fr'].map((locale) => {
      const view = search.localeView(locale);
      return { states: Array.from(view.states), lint: Array.from(view.lint), sameText: [...view.sameText].sort() };
    });

  it('gives every locale the same states and marks as a fresh index, whatever changed and however far the last lint got', () => {
    fc.assert(
      fc.property(
        fc.array(arbitraryAsset, { maxLength: 30 }),
        fc.array(fc.record({ keep: fc.boolean(), change: fc.option(arbitraryAsset, { nil: undefined }) }), { maxLength: 30 }),
        fc.array(arbitraryAsset, { maxLength: 5 }),
        fc.constantFrom('none', 'primary', 'both', 'partial'),
        fc.boolean(),
        (first, edits, added, linted, reversed) => {
          const locales = { locales: [primaryLocale, frenchLocale] };
          const before = first.map(make);
          const previous = buildSearchIndex(before, locales);
          if (linted === 'primary' || linted === 'both') previous.localeView(null);
          if (linted === 'both') previous.localeView('fr');
          // Begun in slices and replaced before it finished: a deadline already past.
          if (linted === 'partial') previous.prepareLocaleView('fr', 0);
          // As the assets model updates: some kept (the same objects), some replaced, some gone, new ones.
          const after = before.flatMap((asset, n) => {
            const edit = edits[n];
            if (!edit) return [asset];
            if (!edit.keep) return [];
            return [edit.change ? make(edit.change) : asset];
          });
          after.push(...added.map(make));
          if (reversed) after.reverse();
          const carried = buildSearchIndex(after, { ...locales, previous });
          expect(views(carried)).toEqual(views(buildSearchIndex(after, locales)));
        },
      ),
    );
  });

  it('lints only the assets that changed', () => {
    // Linting reads an asset's file name (alt text that is the file name); a carried lint does not.
    let reads = 0;
    const counted = (asset: IndexedAsset): IndexedAsset => {
      const fileName = asset.fileName;
      return Object.defineProperty({ ...asset }, 'fileName', { enumerable: true, get: () => ((reads += 1), fileName) });
    };
    const before = Array.from({ length: 200 }, (_, n) => counted(makeAsset(n, { altText: `Picture ${n % 50}`, localeAltText: { fr: `Image ${n}` } })));
    const first = buildSearchIndex(before, { locales: [primaryLocale, frenchLocale] });
    first.localeView(null);
    first.localeView('fr');
    const after = before.map((asset, n) => (n % 50 === 7 ? counted({ ...asset, altText: `New ${n}` }) : asset));
    const changed = after.filter((asset, n) => asset !== before[n]);
    const readsOf = (build: () => ReturnType<typeof buildSearchIndex>): number => {
      reads = 0;
      const search = build();
      search.localeView(null);
      search.localeView('fr');
      return reads;
    };
    // The 4 changed assets read as much as they do in an index of their own; the 196 others not at all.
    const carried = readsOf(() => buildSearchIndex(after, { locales: [primaryLocale, frenchLocale], previous: first }));
    expect(changed).toHaveLength(4);
    expect(carried).toBeGreaterThan(0);
    expect(carried).toBe(readsOf(() => buildSearchIndex(changed, { locales: [primaryLocale, frenchLocale] })));
  });
});

describe('at 20,000 assets', () => {
  it('answers a typed query keystroke by keystroke', () => {
    const many = Array.from({ length: 20_000 }, (_, n) =>
      makeAsset(n, { name: `Product ${n} ${n % 7 === 0 ? 'blue' : 'red'} shoe.jpg`, altText: n % 3 ? `A shoe number ${n}` : '' }),
    );
    const built = performance.now();
    const search = buildSearchIndex(many);
    findAssets(search, defaultFindQuery);
    const ready = performance.now();
    let found = 0;
    const text = 'blue shoe 12';
    for (let length = 1; length <= text.length; length += 1) {
      found = findAssets(search, query({ text: text.slice(0, length) })).length;
      countFilters(search, query({ text: text.slice(0, length) }));
    }
    const typed = performance.now();
    expect(found).toBeGreaterThan(0);
    // Figures, not assertions: timings on a shared machine would make the test flaky.
    console.info(
      `20,000 assets: index + first answer ${(ready - built).toFixed(1)} ms; ` +
        `${((typed - ready) / text.length).toFixed(2)} ms per keystroke (find + counts)`,
    );
  });
});
