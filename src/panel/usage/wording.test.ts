import { describe, expect, it } from 'vitest';
import { makeUsage } from '../testing/fakes.ts';
import { crawlMessage, usageLine } from './wording.ts';

const crawl = (overrides: Parameters<typeof makeUsage>[1]) => makeUsage({}, overrides).crawl;

describe('a row’s usage line', () => {
  it('counts page uses and component placements as pages, and CMS items apart', () => {
    expect(usageLine({ pages: 1, components: 1, items: 12, missing: 0 }, true)).toBe('2 pages · 12 CMS items');
    expect(usageLine({ pages: 1, components: 0, items: 0, missing: 0 }, true)).toBe('1 page');
    expect(usageLine({ pages: 0, components: 0, items: 1, missing: 1 }, true)).toBe('1 CMS item');
  });

  it('says “Not used” only once the usage index is built, and nothing before', () => {
    expect(usageLine(undefined, true)).toBe('Not used');
    // Only image uses are read: a document with none found may still be linked from a page.
    expect(usageLine(undefined, true, false)).toBeNull();
    expect(usageLine({ pages: 0, components: 0, items: 2, missing: 0 }, true, false)).toBe('2 CMS items');
    expect(usageLine(undefined, false)).toBeNull();
    expect(usageLine({ pages: 3, components: 0, items: 0, missing: 0 }, false)).toBeNull();
  });

  it('names a use no page shows rather than claiming it is unused', () => {
    expect(usageLine({ pages: 0, components: 0, items: 0, missing: 0 }, true)).toBe('In an unplaced component');
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
