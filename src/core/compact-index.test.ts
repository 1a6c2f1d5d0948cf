import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { IndexResponse, IndexedAsset } from './api.ts';
import { decodeCompactIndex, encodeCompactIndex } from './compact-index.ts';
import { nameSortKey } from './display-name.ts';

const BASE = 'https://cdn.prod.website-files.com/64f0a1b2c3d4e5f607182930/';

function asset(n: number, overrides: Partial<IndexedAsset> = {}): IndexedAsset {
  const id = n.toString(16).padStart(24, 'a');
  const fileName = `Team Photo ${n}@2x.png`;
  const url = `${BASE}${id}_${encodeURIComponent(fileName)}`;
  return {
    id,
    name: fileName,
    fileName,
    contentType: 'image/png',
    size: 1000 + n,
    url,
    thumbUrl: `${BASE}${id}_${encodeURIComponent(`Team Photo ${n}@2x-p-500.png`)}`,
    folderId: n % 2 ? 'f1' : null,
    createdOn: new Date(Date.UTC(2024, 0, 1) + n * 61_234).toISOString(),
    lastUpdated: new Date(Date.UTC(2024, 0, 2) + n * 97_001).toISOString(),
    altText: n % 3 === 0 ? null : n % 3 === 1 ? '' : `A barista ${n}`,
    localeAltText: n % 4 === 0 ? { fr: `Un barista ${n}`, de: null } : {},
    md5: null,
    ...overrides,
  };
}

function index(assets: IndexedAsset[]): IndexResponse {
  return {
    version: 7,
    epoch: 'e1',
    site: { id: 'site1', displayName: 'Northwind', locales: [{ id: 'en', displayName: 'English', tag: 'en', primary: true }] },
    folders: [{ id: 'f1', name: 'Team', parentId: null }],
    assets,
    refresh: { state: 'idle', done: 10, total: 10, finishedAt: null, error: null },
  };
}

const byId = (assets: readonly IndexedAsset[]) => [...assets].sort((a, b) => (a.id < b.id ? -1 : 1));

describe('the compact index', () => {
  it('gives back exactly the index, patterns or not', () => {
    const odd = [
      asset(1, { name: 'Renamed in Webflow' }),
      asset(2, { url: 'https://elsewhere.example/file.png', thumbUrl: 'https://elsewhere.example/file.png' }),
      asset(3, { thumbUrl: null, contentType: 'application/pdf', fileName: 'menu.pdf', name: 'menu.pdf' }),
      asset(4, { createdOn: '2024-05-01T10:00:00Z', lastUpdated: 'not a date' }),
      asset(5, { thumbUrl: 'https://other.example/thumb.webp' }),
    ];
    const whole = index([...Array.from({ length: 30 }, (_, i) => asset(i + 10)), ...odd]);
    const decoded = decodeCompactIndex(JSON.parse(JSON.stringify(encodeCompactIndex(whole))));
    expect({ ...decoded, assets: byId(decoded.assets) }).toEqual({ ...whole, assets: byId(whole.assets) });
  });

  it('sends the assets in the grid’s name order, equal names in the index’s order', () => {
    const names = ['photo-10.png', 'Photo-2.png', `${'a'.repeat(24)}_photo-3.png`, 'banner.png', 'photo-2.png', 'Équipe.png', 'photo-2.png'];
    const assets = names.map((name, n) => asset(n + 1, { name }));
    const decoded = decodeCompactIndex(encodeCompactIndex(index(assets))).assets;
    expect(decoded.map((a) => a.name)).toEqual(['banner.png', 'Photo-2.png', 'photo-2.png', 'photo-2.png', `${'a'.repeat(24)}_photo-3.png`, 'photo-10.png', 'Équipe.png']);
    expect(decoded.filter((a) => a.name === 'photo-2.png').map((a) => a.id)).toEqual([assets[4]?.id, assets[6]?.id]);
  });

  it('gives back any index: odd strings, locale ids such as __proto__, folders and types by number', () => {
    const text = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('__proto__', 'constructor', '', '\u0000', '\ud800', '\u202e'));
    const anAsset = fc.record({
      n: fc.nat(),
      name: text,
      fileName: text,
      contentType: fc.constantFrom('image/png', 'image/svg+xml', 'application/pdf', '\ud83d'),
      folderId: fc.option(fc.constantFrom('f1', 'f2', '__proto__', '\u0000'), { nil: null }),
      altText: fc.option(text, { nil: null }),
      localeAltText: fc.dictionary(fc.constantFrom('fr', 'de', '__proto__', 'toString', '\ud800'), fc.option(text, { nil: null })),
    });
    fc.assert(
      fc.property(fc.array(anAsset, { maxLength: 40 }), (drafts) => {
        const assets = drafts.map((draft, i) => {
          const made = asset(i + 1, { name: draft.name, fileName: draft.fileName, contentType: draft.contentType, folderId: draft.folderId, altText: draft.altText });
          // Built as JSON.parse builds it: `__proto__` an own key, as it is on the wire.
          return { ...made, localeAltText: JSON.parse(JSON.stringify(Object.entries(draft.localeAltText).reduce((o, [k, v]) => Object.defineProperty(o, k, { value: v, enumerable: true }), {}))) };
        });
        const whole = index(assets);
        const decoded = decodeCompactIndex(JSON.parse(JSON.stringify(encodeCompactIndex(whole))));
        expect(byId(decoded.assets)).toEqual(byId(whole.assets));
        const keys = decoded.assets.map((a) => nameSortKey(a.name));
        for (let i = 1; i < keys.length; i += 1) expect((keys[i - 1] as string) <= (keys[i] as string)).toBe(true);
        for (const a of decoded.assets) expect(Object.getPrototypeOf(a.localeAltText)).toBe(Object.prototype);
      }),
    );
  });

  it('refuses a content type or folder it does not list, or alt text for an asset it does not hold', () => {
    const compact = encodeCompactIndex(index([asset(1), asset(2)]));
    expect(() => decodeCompactIndex({ ...compact, contentTypes: [] })).toThrow(/content type 0/);
    expect(() => decodeCompactIndex({ ...compact, folderIds: [] })).toThrow(/folder 0/);
    expect(() => decodeCompactIndex({ ...compact, localeAltText: [{ locale: 'fr', at: [5], text: ['x'] }] })).toThrow(/asset 5/);
  });

  it('refuses columns that do not hold a value for every asset, or a column it lacks', () => {
    const compact = encodeCompactIndex(index([asset(1), asset(2), asset(3)]));
    expect(decodeCompactIndex(compact).assets).toHaveLength(3);
    for (const column of Object.keys(compact.columns) as Array<keyof typeof compact.columns>) {
      const cut = { ...compact, columns: { ...compact.columns, [column]: compact.columns[column].slice(0, -1) } };
      expect(() => decodeCompactIndex(cut)).toThrow(column === 'id' ? /name column holds 3 values for 2 assets/ : new RegExp(`${column} column holds 2 values for 3 assets`));
      const { [column]: _gone, ...rest } = compact.columns;
      expect(() => decodeCompactIndex({ ...compact, columns: rest as typeof compact.columns })).toThrow(new RegExp(`has no ${column} column`));
    }
  });

  it('sends each content type, folder id and locale id once', () => {
    const assets = Array.from({ length: 500 }, (_, n) => asset(n, { localeAltText: n % 2 ? { fr: `Un barista ${n}` } : {} }));
    const json = JSON.stringify(encodeCompactIndex(index(assets)));
    expect(json.split('image/png').length - 1).toBe(1);
    expect(json.split('"f1"').length - 1).toBe(2); // the folders list and the folder ids
    expect(json.split('"fr"').length - 1).toBe(1);
  });

  it('gives back every date as toISOString writes it, leap days and millisecond times included', () => {
    const moments = [
      Date.UTC(1970, 0, 1), Date.UTC(2000, 1, 29, 23, 59, 59, 999), Date.UTC(2024, 1, 29, 12, 0, 0, 5), Date.UTC(2100, 2, 1),
      Date.UTC(2026, 11, 31, 23, 59, 59, 40), Date.UTC(9999, 11, 31, 23, 59, 59, 999),
    ];
    for (let n = 0; n < 2000; n += 1) moments.push(Math.round(Math.random() * Date.UTC(2200, 0, 1)));
    const assets = moments.map((ms, n) => asset(n + 1, { createdOn: new Date(ms).toISOString(), lastUpdated: new Date(ms + n * 1_001).toISOString() }));
    const decoded = decodeCompactIndex(encodeCompactIndex(index(assets))).assets;
    expect(decoded.map((a) => [a.createdOn, a.lastUpdated])).toEqual(assets.map((a) => [a.createdOn, a.lastUpdated]));
  });

  it('drops md5, which only the backend reads', () => {
    const decoded = decodeCompactIndex(encodeCompactIndex(index([asset(1, { md5: 'd41d8cd98f00b204e9800998ecf8427e' })])));
    expect(decoded.assets[0]?.md5).toBeNull();
  });

  it('is much smaller gzipped than the list of objects', () => {
    const whole = index(Array.from({ length: 2000 }, (_, i) => asset(i)));
    const plain = gzipSync(JSON.stringify(whole)).length;
    const compact = gzipSync(JSON.stringify(encodeCompactIndex(whole))).length;
    expect(compact).toBeLessThan(plain * 0.7);
  });
});
