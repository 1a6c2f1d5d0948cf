import { describe, expect, it } from 'vitest';
import type { AssetUse } from '../../core/usage.ts';
import { altStateWords, goThere, useWhereWords } from './uses-wording.ts';

const use = (where: AssetUse['where']): AssetUse => ({ where, localeId: null, altState: 'missing', altText: null });

describe('the words of a use', () => {
  it('says where each kind of use is', () => {
    expect(useWhereWords({ kind: 'page', pageId: 'p', pageTitle: 'Home', nodeId: 'n' })).toBe('Page: Home');
    expect(
      useWhereWords({ kind: 'component', componentId: 'c', componentName: 'Card', nodeId: 'n', pageId: 'p', pageTitle: 'About', instanceNodeId: 'i' }),
    ).toBe('Component Card, on the page About');
    expect(useWhereWords({ kind: 'component', componentId: 'c', componentName: 'Card', nodeId: 'n', pageId: null, pageTitle: null, instanceNodeId: null })).toBe(
      'Component Card, placed on no page',
    );
    expect(
      useWhereWords({ kind: 'cms-image', collectionId: 'c', collectionName: 'Products', itemId: 'i', itemName: 'Chair', fieldSlug: 'gallery', fieldType: 'MultiImage', index: 2 }),
    ).toBe('CMS: Products › Chair (gallery, image 3)');
    expect(useWhereWords({ kind: 'rich-text', collectionId: 'c', collectionName: 'Blog', itemId: 'i', itemName: 'Spring', fieldSlug: 'body', position: 0 })).toBe(
      'CMS rich text: Blog › Spring (body, image 1)',
    );
  });

  it('says the alt text a visitor gets', () => {
    expect(altStateWords('inherited', 'A door')).toBe('Uses the asset’s alt text: “A door”');
    expect(altStateWords('overridden', 'Front door')).toBe('Own alt text: “Front door”');
    expect(altStateWords('decorative', '')).toBe('Decorative (alt="")');
    expect(altStateWords('missing', null)).toBe('No alt text: visitors get no description');
  });

  it('goes to a page use’s element and a placed component’s instance, never to a CMS use', () => {
    expect(goThere(use({ kind: 'page', pageId: 'p', pageTitle: 'Home', nodeId: 'n' }))).toEqual({ pageId: 'p', elementId: 'n' });
    expect(
      goThere(use({ kind: 'component', componentId: 'c', componentName: 'Card', nodeId: 'n', pageId: 'p', pageTitle: 'About', instanceNodeId: 'i' })),
    ).toEqual({ pageId: 'p', elementId: 'i' });
    expect(goThere(use({ kind: 'component', componentId: 'c', componentName: 'Card', nodeId: 'n', pageId: null, pageTitle: null, instanceNodeId: null }))).toBeNull();
    expect(goThere(use({ kind: 'rich-text', collectionId: 'c', collectionName: 'Blog', itemId: 'i', itemName: 'S', fieldSlug: 'body', position: 0 }))).toBeNull();
  });
});
