import { describe, expect, it } from 'vitest';
import { elementAltState, itemAltState, resolveReferences, resolveUses, summarize, type SiteSources } from './uses.ts';

const A = 'aaaaaaaaaaaaaaaaaaaaaaaa';
const B = 'bbbbbbbbbbbbbbbbbbbbbbbb';

describe('elementAltState', () => {
  it('follows the shared rules for an element using the asset alt text', () => {
    expect(elementAltState(null, 'A cup')).toEqual({ altState: 'inherited', altText: 'A cup' });
    expect(elementAltState(null, null)).toEqual({ altState: 'decorative', altText: '' });
    expect(elementAltState(null, '')).toEqual({ altState: 'missing', altText: '' });
    expect(elementAltState(null, undefined)).toEqual({ altState: 'missing', altText: '' });
  });

  it('follows the shared rules for an element with its own alt', () => {
    expect(elementAltState('Mine', 'A cup')).toEqual({ altState: 'overridden', altText: 'Mine' });
    expect(elementAltState('', null)).toEqual({ altState: 'decorative', altText: '' });
    expect(elementAltState('', 'A cup')).toEqual({ altState: 'missing', altText: '' });
  });

  it('calls a CMS image without alt missing', () => {
    expect(itemAltState(null)).toEqual({ altState: 'missing', altText: null });
    expect(itemAltState('')).toEqual({ altState: 'missing', altText: '' });
    expect(itemAltState('Beans')).toEqual({ altState: 'overridden', altText: 'Beans' });
  });
});

function site(): SiteSources {
  const dom = (images: Array<[string, string, string | null]>, placements: Array<[string, string]> = []) => ({
    images: images.map(([nodeId, assetId, alt]) => ({ nodeId, assetId, alt })),
    placements: placements.map(([nodeId, componentId]) => ({ nodeId, componentId })),
  });
  return {
    primaryLocaleId: 'en',
    pages: [
      { kind: 'page', id: 'p1', localeId: 'en', title: 'Home', lastUpdated: null, dom: dom([['i1', A, null], ['i2', B, 'Beans on a table']], [['x1', 'hero'], ['x2', 'hero']]) },
      { kind: 'page', id: 'p1', localeId: 'fr', title: 'Accueil', lastUpdated: null, dom: dom([['i1', A, null], ['i2', B, null]], [['x1', 'hero'], ['x2', 'hero']]) },
    ],
    components: [
      { kind: 'component', id: 'hero', localeId: 'en', title: 'Hero', dom: dom([['h1', A, '']], [['y1', 'badge']]) },
      { kind: 'component', id: 'badge', localeId: 'en', title: 'Badge', dom: dom([['b1', B, null]]) },
      { kind: 'component', id: 'unused', localeId: 'en', title: 'Unused', dom: dom([['u1', A, null]]) },
    ],
    items: [{ kind: 'item', id: 'it1', collectionId: 'blog', localeId: 'en', title: 'Post', lastUpdated: null, images: [{ kind: 'rich-text', assetId: A, fieldSlug: 'body', position: 0, alt: null }], links: [] }],
    collections: new Map([['blog', 'Blog']]),
    styles: [],
  };
}

describe('resolveUses', () => {
  // A: 'A cup' in en, none in fr. B: decorative.
  const altOf = (assetId: string, localeId: string | null) => (assetId === A ? (localeId === 'fr' ? '' : 'A cup') : null);

  it('gives each page use the alt a visitor gets, a secondary locale falling back to the primary override', () => {
    const uses = resolveUses(site(), altOf).filter((u) => u.use.where.kind === 'page');
    expect(uses.map((u) => [u.assetId, u.use.localeId, u.use.altState, u.use.altText])).toEqual([
      [A, 'en', 'inherited', 'A cup'],
      [B, 'en', 'overridden', 'Beans on a table'],
      [A, 'fr', 'missing', ''],
      [B, 'fr', 'overridden', 'Beans on a table'],
    ]);
  });

  it('uses component images once per placement, nested ones too, in the page locale (primary DOM when the locale has none)', () => {
    const uses = resolveUses(site(), altOf).filter((u) => u.use.where.kind === 'component' && u.seen);
    expect(uses).toHaveLength(8); // 2 placements × (hero + nested badge) × 2 locales
    expect(uses[0]).toEqual({
      assetId: A,
      seen: true,
      use: { where: { kind: 'component', componentId: 'hero', componentName: 'Hero', nodeId: 'h1', pageId: 'p1', pageTitle: 'Home', instanceNodeId: 'x1' }, localeId: 'en', altState: 'missing', altText: '' },
    });
    expect(uses[1]?.use).toMatchObject({ where: { componentId: 'badge', instanceNodeId: 'x1' }, altState: 'decorative' });
  });

  it('keeps images of components no page places as unseen uses', () => {
    const unseen = resolveUses(site(), altOf).filter((u) => !u.seen);
    expect(unseen.map((u) => u.use.where)).toEqual([{ kind: 'component', componentId: 'unused', componentName: 'Unused', nodeId: 'u1', pageId: null, pageTitle: null, instanceNodeId: null }]);
  });

  it('survives components that place each other', () => {
    const looped = site();
    looped.components = [
      { kind: 'component', id: 'hero', localeId: 'en', title: 'Hero', dom: { images: [{ nodeId: 'h1', assetId: A, alt: null }], placements: [{ nodeId: 'y', componentId: 'badge' }] } },
      { kind: 'component', id: 'badge', localeId: 'en', title: 'Badge', dom: { images: [], placements: [{ nodeId: 'z', componentId: 'hero' }] } },
    ];
    expect(resolveUses(looped, altOf).filter((u) => u.use.where.kind === 'component')).toHaveLength(4);
  });

  it('summarizes distinct pages, placements, items and the uses seen without alt text', () => {
    const columns = summarize(resolveUses(site(), altOf));
    expect(columns).toEqual({ assetId: [A, B], pages: [1, 1], components: [2, 2], items: [1, 0], links: [0, 0], styles: [0, 0], missing: [1 + 4 + 1, 0] });
  });
});

describe('an instance’s "Alt Text" override', () => {
  const C = 'cccccccccccccccccccccccc';
  const altOf = (assetId: string) => (assetId === C ? 'Asset alt' : undefined);
  /** A card with one image (alt bound to a property, default 'Default'), placed four ways. */
  function cardSite(): SiteSources {
    const placements = (overrides: Array<string | null>) => overrides.map((altOverride, i) => ({ nodeId: `x${i}`, componentId: 'card', altOverride }));
    return {
      primaryLocaleId: 'en',
      pages: [
        { kind: 'page', id: 'p1', localeId: 'en', title: 'Home', lastUpdated: null, dom: { images: [], placements: placements(['Latte art', '', null]) } },
        { kind: 'page', id: 'p1', localeId: 'fr', title: 'Accueil', lastUpdated: null, dom: { images: [], placements: placements([null, 'Art latte', null]) } },
      ],
      components: [{ kind: 'component', id: 'card', localeId: 'en', title: 'Card', dom: { images: [{ nodeId: 'img', assetId: C, alt: 'Default' }], placements: [] } }],
      items: [],
      collections: new Map(),
      styles: [],
    };
  }

  it('is what the visitor gets at that placement: text overrides it, an empty one empties it, none keeps the definition’s', () => {
    const uses = resolveUses(cardSite(), altOf).map((u) => [u.use.localeId, (u.use.where as { instanceNodeId: string }).instanceNodeId, u.use.altState, u.use.altText]);
    expect(uses).toEqual([
      ['en', 'x0', 'overridden', 'Latte art'],
      ['en', 'x1', 'missing', ''],
      ['en', 'x2', 'overridden', 'Default'],
      // French: x0 has none of its own (the primary's), x1 its own, x2 none anywhere (the definition's).
      ['fr', 'x0', 'overridden', 'Latte art'],
      ['fr', 'x1', 'overridden', 'Art latte'],
      ['fr', 'x2', 'overridden', 'Default'],
    ]);
    expect(summarize(resolveUses(cardSite(), altOf)).missing).toEqual([1]);
  });

  it('reaches no image when the component holds several (the DOM does not say which one the property sets)', () => {
    const two = cardSite();
    two.components = [{ kind: 'component', id: 'card', localeId: 'en', title: 'Card', dom: { images: [{ nodeId: 'a', assetId: C, alt: null }, { nodeId: 'b', assetId: C, alt: null }], placements: [] } }];
    expect(new Set(resolveUses(two, altOf).map((u) => u.use.altState))).toEqual(new Set(['inherited']));
  });
});

describe('resolveReferences', () => {
  const sources = (): SiteSources => ({
    primaryLocaleId: 'en',
    pages: [],
    components: [],
    items: [
      { kind: 'item', id: 'it1', collectionId: 'products', localeId: 'en', title: 'Kettle', lastUpdated: null, images: [], links: [{ assetId: A, fieldSlug: 'brochure' }, { assetId: 'ffffffffffffffffffffffff', fieldSlug: 'related' }] },
      { kind: 'item', id: 'it1', collectionId: 'products', localeId: 'fr', title: 'Bouilloire', lastUpdated: null, images: [], links: [{ assetId: A, fieldSlug: 'brochure' }] },
    ],
    collections: new Map([['products', 'Products']]),
    styles: [
      { assetId: B, styleName: 'Hero', breakpoint: null, pseudo: null },
      { assetId: B, styleName: 'Hero', breakpoint: 'small', pseudo: null },
      { assetId: B, styleName: 'Card', breakpoint: null, pseudo: 'hover' },
    ],
  });

  it('keeps links and background images of the site’s assets only, and counts distinct items and styles', () => {
    const references = resolveReferences(sources(), (id) => id === A || id === B);
    expect(references[0]).toEqual({ assetId: A, reference: { where: { kind: 'link', collectionId: 'products', collectionName: 'Products', itemId: 'it1', itemName: 'Kettle', fieldSlug: 'brochure' }, localeId: 'en' } });
    expect(references.filter((r) => r.assetId === 'ffffffffffffffffffffffff')).toEqual([]);
    expect(summarize([], references)).toEqual({ assetId: [A, B], pages: [0, 0], components: [0, 0], items: [0, 0], links: [1, 0], styles: [0, 2], missing: [0, 0] });
  });
});
