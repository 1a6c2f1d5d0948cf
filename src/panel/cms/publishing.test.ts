import { describe, expect, it } from 'vitest';
import type { UnpublishedItem } from '../../core/cms.ts';
import { createAnnouncer } from '../models/announcer.ts';
import { FakeBackend } from '../testing/fakes.ts';
import { createCmsPublishingModel, waitingItemsOf } from './publishing.ts';

const entry = (overrides: Partial<UnpublishedItem>): UnpublishedItem => ({
  collectionId: 'products',
  itemId: 'espresso',
  localeId: null,
  name: 'Espresso',
  lastUpdated: '2026-12-04T12:00:00Z',
  isDraft: false,
  onlyOurs: true,
  changeIds: ['1'],
  ...overrides,
});

describe('items waiting for publishing', () => {
  it('makes one item of its locales, ours to publish only when every locale is ours alone', () => {
    const items = waitingItemsOf([
      entry({}),
      entry({ localeId: 'fr' }),
      entry({ itemId: 'latte', name: 'Latte' }),
      entry({ itemId: 'latte', name: 'Latte', localeId: 'fr', onlyOurs: false }),
      entry({ itemId: 'mocha', name: 'Mocha', onlyOurs: false }),
      entry({ itemId: 'draft', name: 'New blend', isDraft: true, onlyOurs: false }),
    ]);
    expect(items.map((item) => [item.name, item.inWebflowBecause])).toEqual([
      ['Espresso', null],
      ['Latte', 'Another locale of it has changes that are not Asset Desk’s.'],
      ['Mocha', 'It has unpublished changes that are not Asset Desk’s.'],
      ['New blend', 'It is a draft: publishing it would put the whole item live.'],
    ]);
  });

  it('has nothing waiting when nothing is listed', () => {
    expect(waitingItemsOf([])).toEqual([]);
  });
});

describe('the publishing model', () => {
  it('reads one at a time, once more when asked meanwhile (each read costs Webflow requests)', async () => {
    const backend = new FakeBackend();
    let reads = 0;
    const release: Array<() => void> = [];
    backend.cmsUnpublished = () => {
      reads += 1;
      return new Promise((done) => release.push(() => done([entry({})])));
    };
    const model = createCmsPublishingModel({ backend, siteId: 'site1', announcer: createAnnouncer() });
    const first = model.load();
    const second = model.load();
    void model.load();
    expect(reads).toBe(1);
    release.shift()?.();
    await Promise.resolve();
    await new Promise((done) => setTimeout(done, 0));
    expect(reads).toBe(2);
    release.shift()?.();
    await Promise.all([first, second]);
    expect(reads).toBe(2);
    expect(model.publishable.value.map((item) => item.itemId)).toEqual(['espresso']);
  });
});
