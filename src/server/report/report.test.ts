import { describe, expect, it } from 'vitest';
import type { IndexedAsset } from '../../core/api.ts';
import type { AssetUse } from '../../core/usage.ts';
import type { ResolvedUse } from '../usage/uses.ts';
import { placeCoverage } from './places.ts';
import { latestStretch } from './progress.ts';

function asset(id: string): IndexedAsset {
  return {
    id,
    name: `${id}.jpg`,
    fileName: `${id}.jpg`,
    contentType: 'image/jpeg',
    size: 1,
    url: `https://cdn.example/${id}.jpg`,
    thumbUrl: `https://cdn.example/${id}.jpg`,
    folderId: null,
    createdOn: '2026-01-01T00:00:00.000Z',
    lastUpdated: '2026-01-01T00:00:00.000Z',
    altText: '',
    localeAltText: {},
    md5: null,
  };
}

function onPage(assetId: string, pageId: string, altState: AssetUse['altState'], altText: string | null, localeId: string | null = null): ResolvedUse {
  return { assetId, seen: true, use: { where: { kind: 'page', pageId, pageTitle: `Page ${pageId}`, nodeId: `n-${assetId}` }, localeId, altState, altText } };
}

describe('what visitors see, per place', () => {
  const assets = new Map(['a', 'b', 'c'].map((id) => [id, asset(id)]));

  it('counts an image once per use, so one on 30 pages weighs 30 times', () => {
    const uses = Array.from({ length: 30 }, (_, n) => onPage('a', `p${n}`, 'missing', ''));
    uses.push(onPage('b', 'p0', 'inherited', 'A red bicycle leaning on a wall'));
    const { places, visitors } = placeCoverage(uses, assets);
    expect(visitors).toEqual([{ localeId: null, uses: 31, withAlt: 1, decorative: 0, missing: 30, review: 0 }]);
    expect(places).toHaveLength(30);
    expect(places.find((place) => place.id === 'p0')).toMatchObject({ kind: 'page', name: 'Page p0', uses: 2, missing: 1, withAlt: 1, assets: 2 });
    expect(places.find((place) => place.id === 'p0')?.assetIds).toEqual(['a', 'b']);
  });

  it('groups CMS images by collection, per locale, and marks alt text the lint has findings on', () => {
    const cms = (assetId: string, localeId: string | null, altState: AssetUse['altState'], altText: string | null): ResolvedUse => ({
      assetId,
      seen: true,
      use: { where: { kind: 'cms-image', collectionId: 'posts', collectionName: 'Blog posts', itemId: `i-${assetId}`, itemName: 'Post', fieldSlug: 'hero', fieldType: 'Image', index: null }, localeId, altState, altText },
    });
    const { places } = placeCoverage([cms('a', null, 'overridden', 'c.jpg'), cms('b', null, 'decorative', ''), cms('c', 'fr', 'missing', '')], assets);
    expect(places).toEqual(
      expect.arrayContaining([
        { kind: 'collection', id: 'posts', name: 'Blog posts', localeId: null, uses: 2, withAlt: 1, decorative: 1, missing: 0, review: 1, assets: 2, assetIds: ['a', 'b'] },
        { kind: 'collection', id: 'posts', name: 'Blog posts', localeId: 'fr', uses: 1, withAlt: 0, decorative: 0, missing: 1, review: 0, assets: 1, assetIds: ['c'] },
      ]),
    );
  });

  it('leaves out images of components no page places: no visitor sees them', () => {
    const unplaced: ResolvedUse = {
      assetId: 'a',
      seen: false,
      use: { where: { kind: 'component', componentId: 'c1', componentName: 'Card', nodeId: 'n', pageId: null, pageTitle: null, instanceNodeId: null }, localeId: null, altState: 'missing', altText: '' },
    };
    expect(placeCoverage([unplaced], assets)).toEqual({ places: [], visitors: [] });
  });
});

describe('the latest stretch of work', () => {
  const at = (minutes: number) => new Date(Date.UTC(2026, 11, 4, 10, 0) + minutes * 60_000);

  it('takes changes no more than 30 minutes apart, newest first, and counts images given alt text once', () => {
    const stretch = latestStretch([
      { assetId: 'a', createdAt: at(52), fixes: true },
      { assetId: 'a', createdAt: at(50), fixes: true },
      { assetId: 'b', createdAt: at(30), fixes: false },
      { assetId: 'c', createdAt: at(0), fixes: true },
      { assetId: 'd', createdAt: at(-31), fixes: true },
    ]);
    expect(stretch).toEqual({ startedAt: at(0).toISOString(), endedAt: at(52).toISOString(), changes: 4, fixedImages: 2, assets: 3 });
  });

  it('is null without changes', () => {
    expect(latestStretch([])).toBeNull();
  });
});
