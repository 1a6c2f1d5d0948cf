import { describe, expect, it } from 'vitest';
import { FakeBackend, makeAsset } from '../testing/fakes.ts';
import { countNotifications } from '../testing/notifications.ts';
import { createAssetsModel } from './assets.ts';

const folder = { id: 'f1', name: 'Hero images', parentId: null };

async function loaded() {
  const backend = new FakeBackend({ assets: [makeAsset(1), makeAsset(2)], folders: [folder] });
  const model = createAssetsModel(backend, 'site1');
  await model.load();
  return { backend, model };
}

/** The model's signals, to count their notifications. */
const notifications = (model: ReturnType<typeof createAssetsModel>) =>
  countNotifications({ assets: model.assets, folders: model.folders, refresh: model.refresh });

describe('assets model polling', () => {
  it('leaves its signals alone when a poll brings nothing new (every answer carries all folders and the refresh state)', async () => {
    const { model } = await loaded();
    const before = { assets: model.assets.value, folders: model.folders.value, refresh: model.refresh.value };
    const { seen, stop } = notifications(model);
    await model.poll();
    await model.poll();
    stop();
    expect(seen).toEqual({ assets: 0, folders: 0, refresh: 0 });
    expect(model.assets.value).toBe(before.assets);
    expect(model.folders.value).toBe(before.folders);
    expect(model.refresh.value).toBe(before.refresh);
  });

  it('takes what did change: an asset, a renamed or new folder, the refresh progress', async () => {
    const { backend, model } = await loaded();
    const { seen, stop } = notifications(model);
    backend.emitAssetChange(makeAsset(2, { altText: 'A cup of coffee' }));
    backend.folders = [{ ...folder, name: 'Heroes' }, { id: 'f2', name: 'Logos', parentId: null }];
    backend.refresh = { state: 'running', done: 100, total: 2000, finishedAt: null, error: null };
    await model.poll();
    stop();
    expect(seen).toEqual({ assets: 1, folders: 1, refresh: 1 });
    expect(model.assets.value.map((asset) => asset.altText)).toEqual(['', 'A cup of coffee']);
    expect(model.folders.value.map((each) => each.name)).toEqual(['Heroes', 'Logos']);
    expect(model.refresh.value).toMatchObject({ state: 'running', done: 100 });
  });
});
