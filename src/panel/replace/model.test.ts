import { describe, expect, it } from 'vitest';
import type { Batch } from '../../core/api.ts';
import { createAnnouncer } from '../models/announcer.ts';
import type { HashFunction } from '../models/uploads.ts';
import { FakeBackend, makeAsset } from '../testing/fakes.ts';
import { createReplaceModel } from './model.ts';

const OLD = 'a'.repeat(32);
const NEW = 'b'.repeat(32);

/** A hash the test finishes by hand, as a worker would, later. */
function manualHash() {
  const jobs: Array<{ file: Blob; finish(md5: string): void; aborted: () => boolean }> = [];
  const hash: HashFunction = (file, options) =>
    new Promise((resolve, reject) => {
      options.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      jobs.push({ file, finish: resolve, aborted: () => options.signal?.aborted === true });
    });
  return { hash, jobs };
}

function setup() {
  const asset = makeAsset(1, { fileName: 'menu.png', name: 'menu.png', contentType: 'image/png', md5: OLD });
  const backend = new FakeBackend({ assets: [asset] });
  const recorded: Batch[] = [];
  const { hash, jobs } = manualHash();
  const model = createReplaceModel({ backend, siteId: 'site1', announcer: createAnnouncer(), hash, onRecorded: (batch) => recorded.push(batch) });
  return { asset, backend, recorded, jobs, model };
}

describe('the replace model', () => {
  it('hashes the new file, is ready once its MD5 differs, and journals it as one batch', async () => {
    const { asset, backend, recorded, jobs, model } = setup();
    const file = new File(['new'], 'menu-2.png', { type: 'image/png' });
    model.open(asset, file);
    expect(model.current.value?.state).toBe('hashing');
    jobs[0]?.finish(NEW);
    await Promise.resolve();
    await Promise.resolve();
    expect(model.current.value).toMatchObject({ state: 'ready', md5: NEW, progress: 1 });
    expect(await model.confirm()).toBe(true);
    expect(model.current.value).toBeNull();
    expect(recorded).toHaveLength(1);
    expect(backend.changes).toEqual([expect.objectContaining({ field: 'file', before: OLD, after: NEW })]);
  });

  it('refuses at once what Webflow would refuse, without hashing it', () => {
    const { asset, jobs, model } = setup();
    model.open(asset, new File(['%PDF'], 'menu.pdf', { type: 'application/pdf' }));
    expect(model.current.value).toMatchObject({ state: 'refused', message: expect.stringContaining('same kind') });
    expect(jobs).toHaveLength(0);
  });

  it('refuses the file the asset already has', async () => {
    const { asset, jobs, model } = setup();
    model.open(asset, new File(['old'], 'menu.png', { type: 'image/png' }));
    jobs[0]?.finish(OLD);
    await Promise.resolve();
    await Promise.resolve();
    expect(model.current.value).toMatchObject({ state: 'refused', message: expect.stringContaining('same MD5') });
    expect(await model.confirm()).toBe(false);
  });

  it('drops a file still hashing when another is chosen, and confirms only the last', async () => {
    const { asset, backend, jobs, model } = setup();
    model.open(asset);
    expect(model.current.value?.state).toBe('choosing');
    void model.choose(new File(['one'], 'one.png', { type: 'image/png' }));
    void model.choose(new File(['two'], 'two.png', { type: 'image/png' }));
    expect(jobs[0]?.aborted()).toBe(true);
    jobs[1]?.finish(NEW);
    await Promise.resolve();
    await Promise.resolve();
    expect(model.current.value?.file?.name).toBe('two.png');
    await model.confirm();
    expect(backend.changes[0]?.after).toBe(NEW);
  });
});
