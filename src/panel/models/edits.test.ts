import { describe, expect, it, vi } from 'vitest';
import { BackendError } from '../ports/backend.ts';
import { FakeBackend, makeAsset, MemoryStorage } from '../testing/fakes.ts';
import { createAnnouncer } from './announcer.ts';
import { createAssetsModel } from './assets.ts';
import { createEditsModel, MAX_BATCH, UNAPPLIED_PAGE } from './edits.ts';

async function setup(count: number) {
  const backend = new FakeBackend({ assets: Array.from({ length: count }, (_, n) => makeAsset(n)) });
  const assets = createAssetsModel(backend, 'site1');
  await assets.load();
  const announcer = createAnnouncer();
  const storage = new MemoryStorage();
  const edits = createEditsModel({ backend, siteId: 'site1', assets, announcer, storage });
  return { backend, assets, announcer, storage, edits };
}

describe('edits', () => {
  it('journals a large bulk action in batches the journal accepts, and undoes all of it as one step', async () => {
    const { backend, edits } = await setup(MAX_BATCH + 10);
    const all = backend.assets.map((asset) => ({ assetId: asset.id, localeId: null, after: null }));
    expect(await edits.saveMany(all, 'Mark all decorative')).toBe(true);
    expect(backend.batches.map((batch) => [batch.changes.length, batch.label])).toEqual([
      [MAX_BATCH, 'Mark all decorative (part 1 of 2)'],
      [10, 'Mark all decorative (part 2 of 2)'],
    ]);

    expect(await edits.undoLast()).toBe(true);
    const [part1, part2, ...undos] = backend.batches;
    expect(undos.map((batch) => batch.undoOf)).toEqual([part2?.id, part1?.id]);
    expect(edits.canUndo.value).toBe(false);
  });

  it('keeps the drafts the journal did not take when a later batch fails', async () => {
    const { backend, edits, storage, assets, announcer } = await setup(MAX_BATCH + 2);
    const first = backend.assets[0]!;
    const last = backend.assets.at(-1)!;
    for (const asset of [first, ...backend.assets.slice(-2)]) edits.setDraft(asset.id, null, `Text ${asset.id}`);
    const original = backend.recordBatch.bind(backend);
    let calls = 0;
    backend.recordBatch = async (siteId, request) => {
      calls += 1;
      if (calls === 2) throw new BackendError(0, 'network', 'The connection dropped.');
      return original(siteId, request);
    };
    const drafts = backend.assets.map((asset) => ({ assetId: asset.id, localeId: null, after: `Text ${asset.id}` }));
    expect(await edits.saveMany(drafts, 'Save drafts')).toBe(false);
    expect(edits.hasDraft(first.id, null)).toBe(false);
    expect(edits.hasDraft(last.id, null)).toBe(true);
    expect(edits.drafts.value.size).toBe(2);
    expect(JSON.parse(storage.getItem('asset-desk:drafts:site1') ?? '[]')).toHaveLength(2);
    expect(edits.altText(assets.byId.value.get(first.id)!, null)).toBe(`Text ${first.id}`);
    expect(announcer.current.value?.message).toBe(
      `Not saved: The connection dropped. ${MAX_BATCH} of ${MAX_BATCH + 2} changes were saved. Your text is kept; press Enter to try again.`,
    );
  });

  it('shows Webflow’s value again after undoing a change that never reached Webflow', async () => {
    const { backend, assets, edits } = await setup(1);
    await edits.saveMany([{ assetId: 'asset0', localeId: null, after: 'Never applied' }], 'one');
    expect(await edits.undoLast()).toBe(true);
    // The journal discarded the change and its inverse: nothing is on its way to Webflow.
    expect(backend.changes.map((change) => change.status)).toEqual(['discarded', 'discarded']);

    backend.emitAssetChange({ ...backend.assets[0]!, altText: 'Written by a colleague' });
    await assets.poll();

    expect(edits.altText(assets.byId.value.get('asset0')!, null)).toBe('Written by a colleague');
  });

  it('uses the value still on its way to Webflow as the before-value of the next change', async () => {
    const { backend, edits } = await setup(1);
    await edits.saveMany([{ assetId: 'asset0', localeId: null, after: 'First' }], 'one');
    await edits.saveMany([{ assetId: 'asset0', localeId: null, after: 'Second' }], 'two');
    expect(backend.changes.map((change) => [change.before, change.after])).toEqual([
      ['', 'First'],
      ['First', 'Second'],
    ]);
  });

  it('settles a run of acknowledgements in one update: Webflow values shown, a later edit kept', async () => {
    const { backend, assets, edits } = await setup(300);
    const all = backend.assets.map((asset) => ({ assetId: asset.id, localeId: null, after: `Alt ${asset.id}` }));
    await edits.saveMany(all, 'Bulk');
    // A later edit of asset1 is on its way: its optimistic value must outlive the first change's settling.
    await edits.saveMany([{ assetId: 'asset1', localeId: null, after: 'Later' }], 'later');
    const lease = await backend.leaseChanges('site1', 'applier', 5000);
    const settled = await backend.ackChanges(
      'site1',
      'applier',
      lease.changes
        .filter((change) => change.after !== 'Later')
        .map((change) =>
          change.assetId === 'asset2'
            ? { changeId: change.id, outcome: 'conflict' as const, current: 'Theirs' }
            : { changeId: change.id, outcome: 'applied' as const },
        ),
    );
    // One new asset list for the whole run, not one per change (300 copies of a site's list froze the panel).
    const upsert = vi.spyOn(assets, 'upsert');
    edits.settle(settled);
    expect(upsert).toHaveBeenCalledTimes(1);
    const byId = assets.byId.value;
    expect(byId.get('asset0')?.altText).toBe('Alt asset0');
    expect(byId.get('asset299')?.altText).toBe('Alt asset299');
    expect(byId.get('asset2')?.altText).toBe('Theirs');
    expect(edits.altText(byId.get('asset2')!, null)).toBe('Theirs');
    expect(byId.get('asset1')?.altText).toBe('Alt asset1');
    expect(edits.altText(byId.get('asset1')!, null)).toBe('Later');
    expect(edits.savedAltText(byId.get('asset0')!, null)).toBe('Alt asset0');
  });

  it('shows, on opening again, what an earlier open saved that Webflow does not have yet', async () => {
    const { backend, assets, edits: earlier } = await setup(3);
    await earlier.saveMany([{ assetId: 'asset0', localeId: null, after: 'First' }], 'one');
    await earlier.saveMany([{ assetId: 'asset0', localeId: null, after: 'Second' }], 'two');
    await earlier.moveToFolder(['asset1'], 'folder-b', 'Move');
    await earlier.rename('asset2', 'Hero.png');
    // The earlier panel leased the first change and was closed before its acknowledgement.
    await backend.leaseChanges('site1', 'closed-panel', 1);
    expect(backend.changes.map((change) => change.status)).toEqual(['leased', 'pending', 'pending', 'pending']);

    const announcer = createAnnouncer();
    const reopened = createEditsModel({ backend, siteId: 'site1', assets, announcer, storage: new MemoryStorage() });
    const asset0 = () => assets.byId.value.get('asset0')!;
    expect(reopened.altText(asset0(), null)).toBe('');
    await reopened.showUnapplied();
    expect(reopened.altText(asset0(), null)).toBe('Second');
    expect(reopened.folderOf(assets.byId.value.get('asset1')!)).toBe('folder-b');
    expect(reopened.nameOf(assets.byId.value.get('asset2')!)).toBe('Hero.png');

    // The next change follows the last one saved, not Webflow's older value (which would conflict).
    await reopened.saveMany([{ assetId: 'asset0', localeId: null, after: 'Third' }], 'three');
    expect(backend.changes.at(-1)).toMatchObject({ before: 'Second', after: 'Third' });

    // Once applied, Webflow's value is shown and nothing masks it.
    const first = backend.changes[0]!;
    reopened.settle(await backend.ackChanges('site1', 'closed-panel', [{ changeId: first.id, outcome: 'applied' }]));
    expect(asset0().altText).toBe('First');
    expect(reopened.altText(asset0(), null)).toBe('Third');
    const lease = await backend.leaseChanges('site1', 'reopened-panel', 10);
    expect(lease.changes.map((change) => change.after)).toEqual(['Second', 'folder-b', 'Hero.png']);
    expect(reopened.nameOf(assets.byId.value.get('asset2')!)).toBe('Hero.png');
    reopened.settle(await backend.ackChanges('site1', 'reopened-panel', lease.changes.map((change) => ({ changeId: change.id, outcome: 'applied' as const }))));
    expect(assets.byId.value.get('asset1')?.folderId).toBe('folder-b');
    expect(assets.byId.value.get('asset2')?.name).toBe('Hero.png');
    expect(asset0().altText).toBe('Second');
    expect(reopened.altText(asset0(), null)).toBe('Third');
  });

  it('saves what is typed while the unapplied changes are listed once they are, after the last of them', async () => {
    const { backend, assets, edits: earlier } = await setup(1);
    await earlier.saveMany([{ assetId: 'asset0', localeId: null, after: 'Older' }], 'older');
    const reopened = createEditsModel({ backend, siteId: 'site1', assets, announcer: createAnnouncer(), storage: new MemoryStorage() });
    const listing = backend.listChanges.bind(backend);
    let saveMeanwhile: Promise<boolean> | null = null;
    let journaledMeanwhile = -1;
    backend.listChanges = async (siteId, statuses, limit, afterId) => {
      const answer = await listing(siteId, statuses, limit, afterId);
      saveMeanwhile = reopened.saveMany([{ assetId: 'asset0', localeId: null, after: 'Newer' }], 'newer');
      await new Promise((resolve) => setTimeout(resolve, 10));
      journaledMeanwhile = backend.changes.length;
      return answer;
    };
    await reopened.showUnapplied();
    expect(await saveMeanwhile).toBe(true);
    // The save waited for the listing: its before-value is the last value journaled, not
    // Webflow's older one (which would make it conflict with its own predecessor).
    expect(journaledMeanwhile).toBe(1);
    expect(backend.changes.at(-1)).toMatchObject({ before: 'Older', after: 'Newer' });
    expect(reopened.altText(assets.byId.value.get('asset0')!, null)).toBe('Newer');
  });

  it('shows every unapplied change on opening, page after page, a later one over an earlier', async () => {
    const { backend, assets, edits: earlier } = await setup(UNAPPLIED_PAGE + 2);
    await earlier.saveMany(backend.assets.map((asset) => ({ assetId: asset.id, localeId: null, after: `Alt ${asset.id}` })), 'Bulk');
    await earlier.saveMany([{ assetId: 'asset0', localeId: null, after: 'Later' }], 'later');
    const reopened = createEditsModel({ backend, siteId: 'site1', assets, announcer: createAnnouncer(), storage: new MemoryStorage() });
    const pages: Array<string | undefined> = [];
    const listing = backend.listChanges.bind(backend);
    backend.listChanges = async (siteId, statuses, limit, afterId) => {
      pages.push(afterId);
      return listing(siteId, statuses, limit, afterId);
    };
    await reopened.showUnapplied();
    expect(pages).toEqual([undefined, backend.changes[UNAPPLIED_PAGE - 1]?.id]);
    const shown = (id: string) => reopened.altText(assets.byId.value.get(id)!, null);
    expect(shown('asset1')).toBe('Alt asset1');
    // On the second page: the last assets' changes, and asset0's later one.
    expect(shown(`asset${UNAPPLIED_PAGE + 1}`)).toBe(`Alt asset${UNAPPLIED_PAGE + 1}`);
    expect(shown('asset0')).toBe('Later');
  });

  it('keeps a value this panel saved before the listing began over an older listed one', async () => {
    const { backend, assets, edits: earlier } = await setup(2);
    await earlier.saveMany([{ assetId: 'asset0', localeId: null, after: 'Older' }], 'older');
    const reopened = createEditsModel({ backend, siteId: 'site1', assets, announcer: createAnnouncer(), storage: new MemoryStorage() });
    // Saved by this panel before it listed (its own change is in the listing too, later).
    await reopened.saveMany([{ assetId: 'asset0', localeId: null, after: 'Newer' }], 'newer');
    const listing = backend.listChanges.bind(backend);
    // A listing that saw only the older change (read before the save reached the journal).
    backend.listChanges = async (siteId, statuses, limit, afterId) => {
      const answer = await listing(siteId, statuses, limit, afterId);
      return { ...answer, changes: answer.changes.filter((change) => change.after === 'Older') };
    };
    await reopened.showUnapplied();
    expect(reopened.altText(assets.byId.value.get('asset0')!, null)).toBe('Newer');
  });

  it('shows Webflow’s values when the unapplied changes cannot be listed', async () => {
    const { backend, assets } = await setup(1);
    backend.listChanges = async () => {
      throw new BackendError(0, 'network', 'The connection dropped.');
    };
    const reopened = createEditsModel({ backend, siteId: 'site1', assets, announcer: createAnnouncer(), storage: new MemoryStorage() });
    await expect(reopened.showUnapplied()).resolves.toBeUndefined();
    expect(reopened.altText(assets.byId.value.get('asset0')!, null)).toBe('');
  });

  it('lets Webflow’s value show once another applier applied a change listed at opening', async () => {
    const { backend, assets, edits: earlier } = await setup(2);
    await earlier.saveMany([{ assetId: 'asset0', localeId: null, after: 'Listed' }], 'one');
    await earlier.moveToFolder(['asset1'], 'folder-b', 'Move');
    const reopened = createEditsModel({ backend, siteId: 'site1', assets, announcer: createAnnouncer(), storage: new MemoryStorage() });
    await reopened.showUnapplied();
    const asset = (id: string) => assets.byId.value.get(id)!;
    expect(reopened.altText(asset('asset0'), null)).toBe('Listed');

    // A colleague's panel applies it; this panel learns of it from the index alone.
    backend.emitAssetChange({ ...backend.assets[0]!, altText: 'Listed' });
    backend.emitAssetChange({ ...backend.assets[1]!, folderId: 'folder-b' });
    await assets.poll();
    expect(reopened.altText(asset('asset0'), null)).toBe('Listed');
    // Then someone changes it in Webflow: that shows, not the value listed at opening.
    backend.emitAssetChange({ ...backend.assets[0]!, altText: 'Written in Webflow' });
    backend.emitAssetChange({ ...backend.assets[1]!, folderId: 'folder-c' });
    await assets.poll();
    expect(reopened.altText(asset('asset0'), null)).toBe('Written in Webflow');
    expect(reopened.folderOf(asset('asset1'))).toBe('folder-c');
    // And the next change starts from it.
    await reopened.saveMany([{ assetId: 'asset0', localeId: null, after: 'Mine' }], 'mine');
    expect(backend.changes.at(-1)).toMatchObject({ before: 'Written in Webflow', after: 'Mine' });
    expect(reopened.altText(asset('asset0'), null)).toBe('Mine');
  });

  it('keeps showing a later listed value while this panel applies the earlier one', async () => {
    const { backend, assets, edits: earlier } = await setup(1);
    await earlier.saveMany([{ assetId: 'asset0', localeId: null, after: 'First' }], 'one');
    await earlier.saveMany([{ assetId: 'asset0', localeId: null, after: 'Second' }], 'two');
    const reopened = createEditsModel({ backend, siteId: 'site1', assets, announcer: createAnnouncer(), storage: new MemoryStorage() });
    await reopened.showUnapplied();
    const lease = await backend.leaseChanges('site1', 'reopened-panel', 1);
    expect(lease.changes.map((change) => change.after)).toEqual(['First']);
    reopened.settle(await backend.ackChanges('site1', 'reopened-panel', [{ changeId: lease.changes[0]!.id, outcome: 'applied' }]));
    expect(assets.byId.value.get('asset0')?.altText).toBe('First');
    expect(reopened.altText(assets.byId.value.get('asset0')!, null)).toBe('Second');
  });

  it('keeps showing the last listed value while another applier applies the earlier ones of the run', async () => {
    const { backend, assets, edits: earlier } = await setup(1);
    for (const text of ['First', 'Second', 'Third']) await earlier.saveMany([{ assetId: 'asset0', localeId: null, after: text }], text);
    const reopened = createEditsModel({ backend, siteId: 'site1', assets, announcer: createAnnouncer(), storage: new MemoryStorage() });
    await reopened.showUnapplied();
    const shown = () => reopened.altText(assets.byId.value.get('asset0')!, null);
    expect(shown()).toBe('Third');
    // The server applies the run in order; this panel hears of each value from the index alone.
    for (const text of ['First', 'Second']) {
      backend.emitAssetChange({ ...backend.assets[0]!, altText: text });
      await assets.poll();
      expect(shown()).toBe('Third');
    }
    // A value from elsewhere (written in Webflow) is not one of the run's: it shows.
    backend.emitAssetChange({ ...backend.assets[0]!, altText: 'Written in Webflow' });
    await assets.poll();
    expect(shown()).toBe('Written in Webflow');
  });

  it('drops only the drafts that hold what is saved already', async () => {
    const { backend, assets, edits: earlier } = await setup(3);
    await earlier.saveMany([{ assetId: 'asset0', localeId: null, after: 'Saved' }], 'one');
    const storage = new MemoryStorage();
    const reopened = createEditsModel({ backend, siteId: 'site1', assets, announcer: createAnnouncer(), storage });
    reopened.setDraft('asset0', null, 'Saved');
    reopened.setDraft('asset1', null, 'Still a draft');
    reopened.setDraft('asset2', null, '');
    await reopened.showUnapplied();
    // asset2's alt text is '' in Webflow: a draft of '' holds what is saved too.
    expect(reopened.dropSavedDrafts()).toBe(1);
    expect([...reopened.drafts.value.keys()]).toEqual(['asset1\u0000']);
    expect(JSON.parse(storage.getItem('asset-desk:drafts:site1') ?? '[]')).toEqual([['asset1\u0000', 'Still a draft']]);
  });
});
