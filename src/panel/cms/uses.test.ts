import { describe, expect, it } from 'vitest';
import type { CmsImages } from '../../core/cms-images.ts';
import { cmsAltState, cmsTargetOf, cmsUsesOf, fieldsOf, filterUses, groupUses, NO_FILTERS, placeLabel, useKeyOf, useKeyOfTarget, type CmsUse } from './uses.ts';

const answer: CmsImages = {
  format: 'cms-images-1',
  crawl: { state: 'idle', done: 1, total: 1, finishedAt: null, error: null, missingScopes: [], built: true },
  collections: [
    { id: 'posts', name: 'Posts' },
    { id: 'products', name: 'Products' },
  ],
  columns: {
    collection: [0, 0, 1, 1],
    itemId: ['p1', 'p1', 'x1', 'x1'],
    itemName: ['Brewing at home', 'Brewing at home', 'Crème Espresso', 'Crème Espresso'],
    fieldSlug: ['main-image', 'body', 'gallery', 'gallery'],
    fieldType: ['Image', 'RichText', 'MultiImage', 'MultiImage'],
    position: [null, 0, 0, 1],
    localeId: [null, null, null, 'fr'],
    assetId: ['a1', 'a2', 'a3', 'a1'],
    altState: ['overridden', 'missing', 'missing', 'overridden'],
    altText: ['A cup', '', null, 'Tasse'],
  },
};

const uses = cmsUsesOf(answer);
const asRead = (use: CmsUse) => use.altText;

describe('CMS image uses', () => {
  it('are read from the columns with their collection, and keyed by place and locale', () => {
    expect(uses.map((use) => [use.collectionName, use.itemName, placeLabel(use), use.localeId, use.assetId, use.altText])).toEqual([
      ['Posts', 'Brewing at home', 'main-image', null, 'a1', 'A cup'],
      ['Posts', 'Brewing at home', 'body image 1', null, 'a2', ''],
      ['Products', 'Crème Espresso', 'gallery image 1', null, 'a3', null],
      ['Products', 'Crème Espresso', 'gallery image 2', 'fr', 'a1', 'Tasse'],
    ]);
    expect(new Set(uses.map((use) => use.key)).size).toBe(4);
    const gallery = uses[3]!;
    expect(useKeyOfTarget({ kind: 'cms', collectionId: 'products', itemId: 'x1', fieldSlug: 'gallery', fieldType: 'MultiImage', position: 1 }, 'fr')).toBe(gallery.key);
    expect(useKeyOf({ ...gallery, localeId: null })).not.toBe(gallery.key);
  });

  it('tell decorative from missing only where the field can be decorative (a Rich Text <img alt="">)', () => {
    expect(cmsAltState('RichText', '')).toBe('decorative');
    expect(cmsAltState('RichText', null)).toBe('missing');
    expect(cmsAltState('Image', '')).toBe('missing');
    expect(cmsAltState('MultiImage', null)).toBe('missing');
    expect(cmsAltState('MultiImage', '  ')).toBe('missing');
    expect(cmsAltState('Image', 'A cup')).toBe('described');
  });

  it('are filtered by collection, field, locale (the primary as ""), alt state and item name, accents and case ignored', () => {
    const keys = (filters: Partial<typeof NO_FILTERS>, altOf = asRead) => filterUses(uses, { ...NO_FILTERS, ...filters }, altOf).map(placeLabel);
    expect(keys({})).toHaveLength(4);
    expect(keys({ collectionId: 'products' })).toEqual(['gallery image 1', 'gallery image 2']);
    expect(keys({ fieldSlug: 'body' })).toEqual(['body image 1']);
    expect(keys({ localeId: 'fr' })).toEqual(['gallery image 2']);
    expect(keys({ localeId: '' })).toEqual(['main-image', 'body image 1', 'gallery image 1']);
    expect(keys({ altState: 'missing' })).toEqual(['gallery image 1']);
    expect(keys({ altState: 'decorative' })).toEqual(['body image 1']);
    expect(keys({ query: 'creme' })).toEqual(['gallery image 1', 'gallery image 2']);
    expect(keys({ query: '  BREWING ' })).toEqual(['main-image', 'body image 1']);
    // The alt state is the one shown now: a saved change moves a use out of "missing".
    expect(keys({ altState: 'missing' }, (use) => (use.assetId === 'a3' ? 'Beans' : use.altText))).toEqual([]);
  });

  it('list the fields of one collection or of all', () => {
    expect(fieldsOf(uses, 'all').map((field) => field.slug)).toEqual(['body', 'gallery', 'main-image']);
    expect(fieldsOf(uses, 'products')).toEqual([{ slug: 'gallery', type: 'MultiImage' }]);
  });

  it('are grouped by collection and item in the order given', () => {
    const groups = groupUses(uses);
    expect(groups.map((group) => [group.collectionName, group.items.map((item) => [item.itemName, item.uses.length])])).toEqual([
      ['Posts', [['Brewing at home', 2]]],
      ['Products', [['Crème Espresso', 2]]],
    ]);
    expect(groupUses([])).toEqual([]);
    // An item met again later (its name in another locale sorted elsewhere) joins its group.
    const [first, second, third, fourth] = uses as [CmsUse, CmsUse, CmsUse, CmsUse];
    const again = groupUses([first, third, { ...second, itemName: 'Préparer chez soi' }, fourth]);
    expect(again.map((group) => group.items.map((item) => [item.itemName, item.uses.length]))).toEqual([[['Brewing at home', 2]], [['Crème Espresso', 2]]]);
  });

  it('read a change’s CMS target, and nothing from an asset’s or an element’s change', () => {
    const target = { kind: 'cms', collectionId: 'c', itemId: 'i', fieldSlug: 'f', fieldType: 'Image', position: null } as const;
    expect(cmsTargetOf({ cmsTarget: target })).toEqual(target);
    expect(cmsTargetOf({})).toBeNull();
  });
});
