import { describe, expect, it } from 'vitest';
import type { Folder, IndexedAsset } from '../../core/api.ts';
import { buildSearchIndex, countFilters, defaultFindQuery, findAssets, usageColumns, type FindQuery } from '../find/index.ts';
import { makeAsset, makeUsage } from '../testing/fakes.ts';
import { usesByAsset } from './model.ts';

const folders: Folder[] = [
  { id: 'team', name: 'Team', parentId: null },
  { id: 'offsite', name: 'Offsite', parentId: 'team' },
];
const assets: IndexedAsset[] = [
  makeAsset(1, { name: 'hero.jpg', fileName: 'hero.jpg', altText: 'Hero', folderId: null }),
  makeAsset(2, { name: 'team photo a.jpg', fileName: 'team photo a.jpg', altText: '', folderId: 'team' }),
  makeAsset(3, { name: 'team photo b.jpg', fileName: 'team photo b.jpg', altText: 'Team', folderId: 'offsite' }),
  makeAsset(4, { name: 'logo.png', fileName: 'logo.png', altText: null, folderId: null }),
  makeAsset(5, { name: 'team banner.jpg', fileName: 'team banner.jpg', altText: '', folderId: 'team' }),
  makeAsset(6, { name: 'price list.pdf', fileName: 'price list.pdf', contentType: 'application/pdf', thumbUrl: null, altText: '', folderId: null }),
];
// asset3 and asset4 are used nowhere; asset2 and asset5 are seen without alt text. asset6, a
// PDF, has no use found, but links outside CMS values are not read: it is never called unused.
const summary = makeUsage({
  asset1: { pages: 3, components: 2, items: 0 },
  asset2: { pages: 1, items: 4, missing: 2 },
  asset5: { pages: 1, missing: 1 },
});

const index = buildSearchIndex(assets, { folders });
const usage = usageColumns(index, usesByAsset(summary));
const query = (overrides: Partial<FindQuery>): FindQuery => ({ ...defaultFindQuery, ...overrides });
const ids = (found: IndexedAsset[]) => found.map((asset) => asset.id);

describe('the usage filters', () => {
  it('finds unused assets and assets used without alt text, with their counts', () => {
    expect(ids(findAssets(index, query({ usage: 'unused' }), usage))).toEqual(['asset4', 'asset3']);
    expect(ids(findAssets(index, query({ usage: 'missingAlt' }), usage))).toEqual(['asset5', 'asset2']);
    expect(countFilters(index, query({}), usage).usage).toEqual({ all: 6, unused: 2, missingAlt: 2 });
  });

  it('combine with a folder, the search text and the alt-text filter, and their counts say so', () => {
    const inTeam = query({ folderId: 'team', text: 'team photo' });
    expect(ids(findAssets(index, { ...inTeam, usage: 'unused' }, usage))).toEqual(['asset3']);
    expect(ids(findAssets(index, { ...inTeam, usage: 'missingAlt' }, usage))).toEqual(['asset2']);
    expect(countFilters(index, inTeam, usage).usage).toEqual({ all: 2, unused: 1, missingAlt: 1 });
    // The alt-text filter's counts follow the usage filter, and the other way round.
    const unused = countFilters(index, query({ usage: 'unused' }), usage);
    expect(unused.filter).toMatchObject({ all: 2, decorative: 1 });
    expect(countFilters(index, query({ filter: 'missing' }), usage).usage).toEqual({ all: 2, unused: 0, missingAlt: 2 });
    expect(unused.folders.get('team')).toBe(1);
  });

  it('are set aside until the usage index is built', () => {
    expect(findAssets(index, query({ usage: 'unused' }), null)).toHaveLength(6);
    expect(countFilters(index, query({}), null).usage).toEqual({ all: 6, unused: 0, missingAlt: 0 });
  });
});

describe('the most used first sort', () => {
  it('puts pages, placements and CMS items together first, ties by name', () => {
    // asset2: 5 uses, asset1: 5, asset5: 1, then those without a use found, by name.
    expect(ids(findAssets(index, query({ sort: 'uses' }), usage))).toEqual(['asset1', 'asset2', 'asset5', 'asset4', 'asset6', 'asset3']);
    expect(ids(findAssets(index, query({ sort: 'uses', direction: 'desc' }), usage))).toEqual(['asset3', 'asset6', 'asset4', 'asset5', 'asset2', 'asset1']);
    // Under a short search, the few matches are sorted the same way.
    expect(ids(findAssets(index, query({ sort: 'uses', text: 'team' }), usage))).toEqual(['asset2', 'asset5', 'asset3']);
  });

  it('falls back to names before the usage index is built', () => {
    expect(ids(findAssets(index, query({ sort: 'uses' }), null))).toEqual(ids(findAssets(index, query({ sort: 'name' }), null)));
  });
});
