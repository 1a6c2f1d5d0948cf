import { describe, expect, it } from 'vitest';
import { usageSuggestions, type ImageSurroundings, type UseInContext } from './usage.ts';

const page = (pageId: string, pageTitle: string, heading: string | null, caption: ImageSurroundings['caption'] = null, localeId: string | null = 'en'): UseInContext => ({
  where: { kind: 'page', pageId, pageTitle, nodeId: `n-${pageId}` },
  localeId,
  seen: true,
  surroundings: { heading, caption },
});

describe('suggestions from where an image is used', () => {
  it('offers the caption, the heading and the page title of a use, most telling first', () => {
    const { common, perUse } = usageSuggestions([page('p1', 'About us', 'Our team', { text: 'Jane roasting at dawn', figcaption: true })], 'en');
    expect(perUse[0]?.suggestions.map((s) => [s.text, s.confidence, s.detail])).toEqual([
      ['Jane roasting at dawn', 0.6, 'caption on page “About us”'],
      ['Our team', 0.4, 'heading near the image on page “About us”'],
      ['About us', 0.3, 'title of page “About us”'],
    ]);
    expect(common.map((s) => s.text)).toEqual(['Jane roasting at dawn', 'Our team', 'About us']);
    expect(common.every((s) => s.source === 'usage' && s.localeId === undefined)).toBe(true);
  });

  it('keeps per use what two pages say differently, and offers the asset only what every use shares', () => {
    const { common, perUse } = usageSuggestions([page('p1', 'About us', 'Coffee beans'), page('p2', 'Shop', 'coffee beans')], 'en');
    expect(perUse).toHaveLength(2);
    expect(perUse.map((u) => u.suggestions[0]?.text)).toEqual(['Coffee beans', 'coffee beans']);
    expect(common.map((s) => [s.text, s.detail])).toEqual([['Coffee beans', 'heading near the image on page “About us” and 1 other use']]);
  });

  it('marks a secondary locale’s texts with its locale, and compares uses within a locale only', () => {
    const { common } = usageSuggestions([page('p1', 'À propos', 'Notre équipe', null, 'fr'), page('p1', 'About us', 'Our team', null, 'en')], 'en');
    expect(common.filter((s) => s.localeId === 'fr').map((s) => s.text)).toEqual(['Notre équipe', 'À propos']);
    expect(common.filter((s) => s.localeId === undefined).map((s) => s.text)).toEqual(['Our team', 'About us']);
  });

  it('names a CMS item, trusting an Image field’s item more than a gallery’s, and leaves unseen uses and long texts out', () => {
    const item = (fieldType: 'Image' | 'MultiImage'): UseInContext => ({
      where: { kind: 'cms-image', collectionId: 'c', collectionName: 'Team Members', itemId: 'i', itemName: 'Jane Doe', fieldSlug: 'photo', fieldType, index: fieldType === 'Image' ? null : 0 },
      localeId: null,
      seen: true,
      surroundings: null,
    });
    expect(usageSuggestions([item('Image')], null).common).toEqual([{ text: 'Jane Doe', source: 'usage', confidence: 0.5, detail: 'CMS item “Jane Doe” in Team Members' }]);
    expect(usageSuggestions([item('MultiImage')], null).common[0]?.confidence).toBe(0.35);
    const unseen: UseInContext = { where: { kind: 'component', componentId: 'c', componentName: 'Footer', nodeId: 'n', pageId: null, pageTitle: null, instanceNodeId: null }, localeId: null, seen: false, surroundings: { heading: 'Hi', caption: null } };
    expect(usageSuggestions([unseen], null)).toEqual({ common: [], perUse: [] });
    expect(usageSuggestions([page('p', 'x'.repeat(151), null)], 'en').common).toEqual([]);
  });
});
