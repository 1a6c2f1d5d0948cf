import { describe, expect, it } from 'vitest';
import { ownSetting, waitingPages } from './model.ts';

describe('an element’s own alt text setting', () => {
  it('is "uses the asset’s" when the element shows the asset’s alt text, else what it shows', () => {
    expect(ownSetting('A red door', 'A red door')).toBeNull();
    expect(ownSetting('Front door', 'A red door')).toBe('Front door');
    expect(ownSetting('', 'A red door')).toBe('');
  });

  it('reads a decorative or empty asset’s alt as empty, so an element showing nothing uses it', () => {
    expect(ownSetting('', null)).toBeNull();
    expect(ownSetting('', '')).toBeNull();
    expect(ownSetting('Text', null)).toBe('Text');
  });
});

describe('changes waiting for their page', () => {
  it('groups changes by page, leaves the open page out, and names pages it knows', () => {
    const pending = ['home', 'about', 'about', 'gone'];
    expect(waitingPages(pending, 'home', new Map([['about', 'About us']]))).toEqual([
      { pageId: 'about', pageName: 'About us', count: 2 },
      { pageId: 'gone', pageName: 'gone', count: 1 },
    ]);
    expect(waitingPages([], null, new Map())).toEqual([]);
  });
});
