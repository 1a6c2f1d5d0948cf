import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { IndexResponse, IndexedAsset } from './api.ts';
import { decodeCompactIndex, encodeCompactIndex } from './compact-index.ts';

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
    site: { id: 'site1', displayName: 'Northwind', locales: [{ id: 'en', displayName: 'English', tag: 'en', primary: true }] },
    folders: [{ id: 'f1', name: 'Team', parentId: null }],
    assets,
    refresh: { state: 'idle', done: 10, total: 10, finishedAt: null, error: null },
  };
}

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
    expect(decoded).toEqual(whole);
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
