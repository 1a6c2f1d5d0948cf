import { describe, expect, it } from 'vitest';
import type { IndexedAsset } from '../../core/api.ts';
import type { UsageCrawlState, UsageSources } from '../../core/usage.ts';
import { judgeDeletions, type DeletionFacts } from './judge.ts';

const NOW = new Date('2026-12-04T18:00:00Z');
const minutesAgo = (n: number) => new Date(NOW.getTime() - n * 60_000).toISOString();
const daysAgo = (n: number) => new Date(NOW.getTime() - n * 86_400_000);

function asset(id: string, createdOn = '2024-01-01T00:00:00Z'): IndexedAsset {
  return { id, name: `${id}.jpg`, fileName: `${id}.jpg`, contentType: 'image/jpeg', size: 1000, url: `https://cdn/${id}`, thumbUrl: null, folderId: null, createdOn, lastUpdated: createdOn, altText: '', localeAltText: {}, md5: null };
}
const crawl: UsageCrawlState = { state: 'idle', done: 1, total: 1, finishedAt: minutesAgo(3), error: null, missingScopes: [], built: true };
const sources = (pages: string | null, styles: string | null): UsageSources => ({
  read: [
    { source: 'pages', readAt: pages },
    { source: 'components', readAt: pages },
    { source: 'cms', readAt: pages },
    { source: 'styles', readAt: styles },
  ],
  notSeen: ['Custom code'],
});

function facts(overrides: Partial<DeletionFacts> = {}): DeletionFacts {
  return {
    assetIds: ['a'],
    assets: new Map([['a', asset('a')]]),
    used: new Map(),
    seenUsed: new Map(),
    pending: new Set(),
    crawl,
    sources: sources(minutesAgo(3), minutesAgo(3)),
    now: NOW,
    graceDays: 7,
    freshMinutes: 10,
    ...overrides,
  };
}

describe('which selected assets may be deleted', () => {
  it('offers an indexed asset used nowhere, uploaded and last used before the grace days', () => {
    const verdict = judgeDeletions(facts({ seenUsed: new Map([['a', daysAgo(8)]]) }));
    expect(verdict).toMatchObject({ ready: true, notReady: [], deletable: [{ assetId: 'a', name: 'a.jpg', size: 1000 }], heldBack: [] });
  });

  it('is not ready while the uses are older than the fresh minutes, never read, or the styles never read', () => {
    expect(judgeDeletions(facts({ sources: sources(minutesAgo(11), minutesAgo(1)) })).notReady).toEqual(['Where assets are used was last read more than 10 minutes ago: check again first.']);
    expect(judgeDeletions(facts({ sources: sources(null, minutesAgo(1)) })).ready).toBe(false);
    const noStyles = judgeDeletions(facts({ sources: sources(minutesAgo(1), null) }));
    expect(noStyles.ready).toBe(false);
    expect(noStyles.notReady[0]).toMatch(/styles \(background images\) have never been read/);
    expect(judgeDeletions(facts({ crawl: { ...crawl, state: 'needs_scopes' } })).ready).toBe(false);
  });

  it('holds back, with the reason, an asset in use (links and styles count), seen used or uploaded lately, deleting already, or not indexed', () => {
    const link = { where: { kind: 'link' as const, collectionId: 'c', collectionName: 'Products', itemId: 'i', itemName: 'Mug', fieldSlug: 'brochure' }, localeId: null };
    const style = { where: { kind: 'style' as const, styleName: 'hero', breakpoint: null, pseudo: null }, localeId: null };
    const verdict = judgeDeletions(
      facts({
        assetIds: ['linked', 'styled', 'seen', 'new', 'going', 'gone'],
        assets: new Map(['linked', 'styled', 'seen', 'going'].map((id) => [id, asset(id)] as const).concat([['new', asset('new', daysAgo(2).toISOString())]])),
        used: new Map([
          ['linked', { uses: [], references: [link] }],
          ['styled', { uses: [], references: [style] }],
        ]),
        seenUsed: new Map([['seen', daysAgo(6)]]),
        pending: new Set(['going']),
      }),
    );
    expect(verdict.deletable).toEqual([]);
    expect(verdict.heldBack.map((held) => [held.assetId, held.reason, held.detail])).toEqual([
      ['linked', 'in_use', 'Used: linked from CMS item “Mug” (Products).'],
      ['styled', 'in_use', 'Used: background image of style “hero”.'],
      ['seen', 'recently_used', 'Seen used on Nov 28, 2026, within the last 7 days.'],
      ['new', 'recently_uploaded', 'Uploaded on Dec 2, 2026, within the last 7 days.'],
      ['going', 'pending', 'Its deletion is already under way.'],
      ['gone', 'not_indexed', 'Not in the asset list (deleted already, or not read yet).'],
    ]);
    expect(verdict.heldBack[0]?.references).toEqual([link]);
  });

  it('takes a grace of 0 days to mean no grace', () => {
    const verdict = judgeDeletions(facts({ graceDays: 0, assets: new Map([['a', asset('a', NOW.toISOString())]]), seenUsed: new Map([['a', NOW]]) }));
    expect(verdict.deletable.map((d) => d.assetId)).toEqual(['a']);
  });
});
