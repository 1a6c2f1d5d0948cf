import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assetIdsNamed, elementAltState, itemAltState, resolveReferences, resolveUses, summarize, type AssetAltOf, type SiteSources } from './uses.ts';

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

describe('assetIdsNamed', () => {
  // Few ids, locales and components, so sources name each other's assets and components often.
  const assetId = fc.constantFrom(A, B, 'cccccccccccccccccccccccc', 'dddddddddddddddddddddddd', 'eeeeeeeeeeeeeeeeeeeeeeee');
  const localeId = fc.constantFrom('en', 'fr', null);
  const componentId = fc.constantFrom('hero', 'badge', 'card');
  const alt = fc.option(fc.constantFrom('', 'A cup', 'Beans'));
  const dom = fc.record({
    images: fc.array(fc.record({ nodeId: fc.constantFrom('n1', 'n2', 'n3'), assetId, alt }), { maxLength: 3 }),
    placements: fc.array(fc.record({ nodeId: fc.constantFrom('x1', 'x2'), componentId, altOverride: fc.option(fc.constantFrom('', 'Over')) }), { maxLength: 2 }),
  });
  const sources: fc.Arbitrary<SiteSources> = fc.record({
    primaryLocaleId: fc.constantFrom('en', null),
    pages: fc.array(fc.record({ kind: fc.constant('page' as const), id: fc.constantFrom('p1', 'p2'), localeId, title: fc.constant('Page'), lastUpdated: fc.constant(null), dom }), { maxLength: 3 }),
    components: fc.array(fc.record({ kind: fc.constant('component' as const), id: componentId, localeId, title: fc.constant('Component'), dom }), { maxLength: 3 }),
    items: fc.array(
      fc.record({
        kind: fc.constant('item' as const),
        id: fc.constant('it1'),
        collectionId: fc.constant('blog'),
        localeId,
        title: fc.constant('Post'),
        lastUpdated: fc.constant(null),
        images: fc.array(fc.record({ kind: fc.constant('rich-text' as const), assetId, fieldSlug: fc.constant('body'), position: fc.nat(3), alt }), { maxLength: 2 }),
        links: fc.array(fc.record({ assetId, fieldSlug: fc.constant('link') }), { maxLength: 2 }),
      }),
      { maxLength: 2 },
    ),
    collections: fc.constant(new Map([['blog', 'Blog']])),
    styles: fc.array(fc.record({ assetId, styleName: fc.constant('Hero bg'), breakpoint: fc.constant(null), pseudo: fc.constant(null) }), { maxLength: 2 }),
  });
  /** The whole index: some of the ids, each with an alt text per locale. */
  const index = fc.dictionary(assetId, fc.record({ en: alt, fr: alt }), { maxKeys: 5 });

  it('names every asset whose index entry the uses and references read: those entries alone give the same answers', () => {
    fc.assert(
      fc.property(sources, index, (site, whole) => {
        const named = new Set(assetIdsNamed(site));
        const only = Object.fromEntries(Object.entries(whole).filter(([id]) => named.has(id)));
        const altIn =
          (docs: typeof whole): AssetAltOf =>
          (id, locale) =>
            Object.hasOwn(docs, id) ? (docs[id]![locale === 'fr' ? 'fr' : 'en'] ?? null) : undefined;
        expect(resolveUses(site, altIn(only))).toEqual(resolveUses(site, altIn(whole)));
        expect(resolveReferences(site, (id) => Object.hasOwn(only, id))).toEqual(resolveReferences(site, (id) => Object.hasOwn(whole, id)));
      }),
    );
  });

  it('names each asset once, and not the assets CMS images show (their alt text is their own)', () => {
    const named = assetIdsNamed(site());
    expect(named.sort()).toEqual([A, B]);
    const cmsOnly: SiteSources = { ...site(), pages: [], components: [] };
    expect(assetIdsNamed(cmsOnly)).toEqual([]);
  });
});
