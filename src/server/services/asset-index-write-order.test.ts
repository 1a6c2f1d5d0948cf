/**
 * Index writes that run at once (a refresh committing, a folder created, a change mirrored, an
 * upload indexed) lock the site before its rows, so on PostgreSQL they wait for each other
 * instead of deadlocking (a deadlock aborts one of them: a folder create answered 500).
 */
import { describe, expect, it } from 'vitest';
import { FakeWebflow } from '../../../test/server/fake-webflow.ts';
import { testStoreKinds, useTestStore } from '../../../test/server/store-test-helpers.ts';
import { createAssetIndex } from './asset-index.ts';

const SITE = 'site1';

describe.each(testStoreKinds)('index writes at once on %s', (kind) => {
  const stores = useTestStore(kind);

  it('never deadlock: refreshes, folder reads and folder adds interleaved all succeed', async () => {
    const webflow = new FakeWebflow();
    webflow.addSite(SITE);
    for (let i = 0; i < 30; i += 1) webflow.addFolder(SITE, `Folder ${i}`);
    for (let i = 0; i < 50; i += 1) webflow.addAsset(SITE, { altText: `alt ${i}` });
    const errors: unknown[] = [];
    const index = createAssetIndex({ store: stores.current(), webflow, getSiteToken: async (siteId) => webflow.tokens.get(siteId), onError: (error) => errors.push(error) });
    await index.refresh(SITE);

    const work: Promise<unknown>[] = [];
    for (let round = 0; round < 12; round += 1) {
      // Each round changes what Webflow lists, so every refresh and folder read has rows to write.
      webflow.addFolder(SITE, `Round ${round}`);
      work.push(index.refresh(SITE));
      work.push(index.refreshFolders(SITE, 'interactive'));
      work.push(index.addFolder(SITE, { id: `added-${round}`, name: `Added ${round}`, parentId: null }));
      work.push(index.addAsset(SITE, { ...(await index.index(SITE)).assets[round % 50]!, altText: `new ${round}` }));
    }
    const settled = await Promise.allSettled(work);
    await index.idle();
    expect(settled.filter((s) => s.status === 'rejected').map((s) => String((s as PromiseRejectedResult).reason))).toEqual([]);
    expect(errors.map(String)).toEqual([]);
  });
});
