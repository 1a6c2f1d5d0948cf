import { describe, expect, it } from 'vitest';
import { makeUsage, sourcesReadOn } from '../testing/fakes.ts';
import type { AssetUses } from './model.ts';
import { crawlMessage, readDate, unusedNote, usageLine } from './wording.ts';

const crawl = (overrides: Parameters<typeof makeUsage>[1]) => makeUsage({}, overrides).crawl;
const uses = (counts: Partial<AssetUses>): AssetUses => ({ pages: 0, components: 0, items: 0, links: 0, styles: 0, missing: 0, ...counts });

describe('a row’s usage line', () => {
  it('counts page uses and component placements as pages, and CMS items apart', () => {
    expect(usageLine(uses({ pages: 1, components: 1, items: 12, missing: 0 }), true)).toBe('2 pages · 12 CMS items');
    expect(usageLine(uses({ pages: 1, components: 0, items: 0, missing: 0 }), true)).toBe('1 page');
    expect(usageLine(uses({ pages: 0, components: 0, items: 1, missing: 1 }), true)).toBe('1 CMS item');
  });

  it('says “Not used” only once the usage index is built, and nothing before', () => {
    expect(usageLine(undefined, true)).toBe('Not used');
    // A document with no use found may still be linked from a page's text or custom code: not a claim.
    expect(usageLine(undefined, true, false)).toBe('Not seen used');
    expect(usageLine(uses({ pages: 0, components: 0, items: 2, missing: 0 }), true, false)).toBe('2 CMS items');
    expect(usageLine(undefined, false)).toBeNull();
    expect(usageLine(uses({ pages: 3, components: 0, items: 0, missing: 0 }), false)).toBeNull();
  });

  it('says which CMS items link it and which styles show it as a background', () => {
    expect(usageLine(uses({ links: 1 }), true, false)).toBe('Linked from 1 CMS item');
    expect(usageLine(uses({ pages: 2, links: 3, styles: 1 }), true)).toBe('2 pages · linked from 3 CMS items · background of 1 style');
    expect(usageLine(uses({ styles: 2 }), true)).toBe('Background of 2 styles');
  });

  it('names a use no page shows rather than claiming it is unused', () => {
    expect(usageLine(uses({ pages: 0, components: 0, items: 0, missing: 0 }), true)).toBe('In an unplaced component');
  });
});

describe('the usage crawl’s status message', () => {
  it('shows the crawl’s progress while it runs', () => {
    expect(crawlMessage(crawl({ state: 'running', done: 12, total: 340, built: false }))).toEqual({ text: 'Reading pages and CMS… 12/340', tone: 'progress' });
    expect(crawlMessage(crawl({ state: 'running', done: 3, total: null }))?.text).toBe('Reading pages and CMS… 3');
  });

  it('asks for a re-install naming the scopes the installation lacks', () => {
    const message = crawlMessage(crawl({ state: 'needs_scopes', built: false, missingScopes: ['pages:read', 'cms:read'] }));
    expect(message?.tone).toBe('notice');
    expect(message?.text).toBe(
      'To show where assets are used, install Asset Desk again so it can read pages (pages:read), CMS (cms:read). Everything else works as before.',
    );
  });

  it('shows a failure’s error, and that the counts are the last complete read’s when there was one', () => {
    expect(crawlMessage(crawl({ state: 'failed', error: 'Webflow answered 503.', built: true }))).toEqual({
      text: 'Reading pages and CMS failed: Webflow answered 503. The uses shown are from the last complete read.',
      tone: 'failed',
    });
    expect(crawlMessage(crawl({ state: 'failed', error: 'Webflow answered 503', built: false }))?.text).toBe('Reading pages and CMS failed: Webflow answered 503.');
  });

  it('says nothing when idle', () => {
    expect(crawlMessage(crawl({ state: 'idle' }))).toBeNull();
    expect(crawlMessage(null)).toBeNull();
  });
});

describe('what “Unused” means', () => {
  const day = '2026-12-04T12:00:00Z';

  it('says what was read and when, what was not checked, and that it is not safe for deleting while styles were never read', () => {
    const note = unusedNote(sourcesReadOn(day));
    expect(note.line).toBe(`Unused means: not on any page, component or CMS item read on ${readDate(day)}. Not checked: background images in styles, custom code, links from other sites.`);
    expect(note.warning).toMatch(/Styles have never been read.*not safe for deleting/);
    expect(note.details).toEqual([
      `Pages: read on ${readDate(day)}`,
      `Components: read on ${readDate(day)}`,
      `CMS items: read on ${readDate(day)}`,
      'Styles (background images): never read',
      'Not seen: Custom code in the site’s or a page’s settings, and Embed elements: the Data API does not show it.',
      'Not seen: Other sites, emails and documents that link to a file’s CDN URL.',
    ]);
  });

  it('drops the warning and counts styles once they were read', () => {
    const note = unusedNote(sourcesReadOn(day, '2026-12-05T09:00:00Z'));
    expect(note.warning).toBeNull();
    expect(note.line).toBe(`Unused means: not on any page, component or CMS item read on ${readDate(day)}, nor in a style read on ${readDate('2026-12-05T09:00:00Z')}. Not checked: custom code, links from other sites.`);
    expect(note.details).toContain(`Styles (background images): read on ${readDate('2026-12-05T09:00:00Z')}`);
  });
});
