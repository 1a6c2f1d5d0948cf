import { describe, expect, it, vi } from 'vitest';
import type { IndexedAsset } from '../../core/api.ts';
import { BackendError } from '../ports/backend.ts';
import { makeAsset } from '../testing/fakes.ts';
import { digestOf, FakeUploadBackend, fileOf, ManualHasher } from './uploads-fakes.ts';
import { createUploadsModel, UPLOADS_IN_FLIGHT, type UploadStatus } from './uploads.ts';

function setup(parallel?: number) {
  const backend = new FakeUploadBackend();
  const hasher = new ManualHasher();
  const uploaded: IndexedAsset[] = [];
  const model = createUploadsModel({ backend, siteId: 'site1', onUploaded: (asset) => uploaded.push(asset), hash: hasher.hash, parallel });
  const item = (name: string) => {
    const found = model.items.value.find((each) => each.file.name === name);
    if (!found) throw new Error(`no item for ${name}`);
    return found;
  };
  const statusOf = (name: string): UploadStatus => item(name).status;
  const until = (name: string, status: UploadStatus) => vi.waitFor(() => expect(statusOf(name)).toBe(status));
  return { backend, hasher, uploaded, model, item, statusOf, until };
}

describe('the uploads model', () => {
  it('refuses a file Webflow would not take, says why, and goes on with the others', () => {
    const { model, statusOf, item, hasher } = setup();
    model.addFiles([fileOf('huge.png', 5 * 1024 * 1024), fileOf('photo.heic'), fileOf('hero.png')]);
    expect(statusOf('huge.png')).toBe('refused');
    expect(item('huge.png').message).toMatch(/Webflow accepts images up to 4\.0 MB/);
    expect(item('photo.heic').message).toMatch(/not a type Webflow accepts/);
    expect(statusOf('hero.png')).toBe('hashing');
    expect(hasher.jobs).toHaveLength(1);
  });

  it('hashes, waits for Upload, then creates, sends and completes into the chosen folder', async () => {
    const { model, hasher, backend, uploaded, until, item } = setup();
    model.addFiles([fileOf('team-photo@2x.jpg', 2048)]);
    hasher.finish('team-photo@2x.jpg');
    await until('team-photo@2x.jpg', 'ready');
    expect(backend.uploadRequests).toHaveLength(0);

    model.targetFolderId.value = 'folder1';
    model.upload(item('team-photo@2x.jpg').id);
    await until('team-photo@2x.jpg', 'done');
    expect(backend.uploadRequests).toEqual([
      { fileName: 'team-photo@2x.jpg', fileHash: digestOf('team-photo@2x.jpg'), size: 2048, contentType: 'image/jpeg', folderId: 'folder1', allowDuplicate: undefined },
    ]);
    expect(backend.sent.map((send) => send.fileName)).toEqual(['team-photo@2x.jpg']);
    expect(uploaded.map((asset) => asset.id)).toEqual(['new-up1']);
    expect(item('team-photo@2x.jpg').asset?.id).toBe('new-up1');
  });

  it('sends the alt text the designer typed or took from the suggestion, and none for an empty field', async () => {
    const { model, hasher, backend, until, item } = setup();
    const names = ['red-bicycle.jpg', 'blue-car.jpg', 'green-tree.jpg', 'IMG_1234.jpg', 'spaces.jpg'];
    model.addFiles(names.map((name) => fileOf(name)));
    // The suggestion is offered, not put in the field: an untouched field is empty.
    expect(item('red-bicycle.jpg').altText).toBe('');
    expect(item('red-bicycle.jpg').suggestion).toEqual({ text: 'Red bicycle', source: 'file-name', confidence: 0.3 });
    expect(item('IMG_1234.jpg').suggestion).toBeNull();
    model.useSuggestion(item('blue-car.jpg').id);
    expect(item('blue-car.jpg').altText).toBe('Blue car');
    model.setAltText(item('green-tree.jpg').id, '  An oak in autumn ');
    model.setAltText(item('spaces.jpg').id, '   ');
    model.useSuggestion(item('IMG_1234.jpg').id);
    for (const name of names) hasher.finish(name);
    model.uploadAll();
    for (const name of names) await until(name, 'done');
    const sentAltText = Object.fromEntries(backend.completed.map((each, n) => [backend.sent[n]?.fileName, each.altText]));
    expect(sentAltText).toEqual({
      'red-bicycle.jpg': undefined,
      'blue-car.jpg': 'Blue car',
      'green-tree.jpg': 'An oak in autumn',
      'IMG_1234.jpg': undefined,
      'spaces.jpg': undefined,
    });
  });

  it('sends alt text typed while the file was already on its way', async () => {
    const { model, hasher, backend, until, item } = setup();
    backend.holdSends = true;
    model.addFiles([fileOf('roastery.png')]);
    hasher.finish('roastery.png');
    model.uploadAll();
    await until('roastery.png', 'sending');
    model.setAltText(item('roastery.png').id, 'Roaster pouring beans into the cooling tray');
    backend.releaseSends();
    await until('roastery.png', 'done');
    expect(backend.completed[0]?.altText).toBe('Roaster pouring beans into the cooling tray');
  });

  it('never sends alt text for a document', async () => {
    const { model, hasher, backend, until, item } = setup();
    model.addFiles([fileOf('price-list.pdf')]);
    model.setAltText(item('price-list.pdf').id, 'Prices');
    hasher.finish('price-list.pdf');
    model.uploadAll();
    await until('price-list.pdf', 'done');
    expect(backend.completed[0]?.altText).toBeUndefined();
    expect(item('price-list.pdf').isImage).toBe(false);
  });

  it('uploads a file that was still hashing when Upload was pressed, once hashed', async () => {
    const { model, hasher, until } = setup();
    model.addFiles([fileOf('a.png'), fileOf('b.png')]);
    model.uploadAll();
    expect(model.items.value[0]?.uploadRequested).toBe(true);
    // Nothing waits for the designer any more: both are on their way, hashing first.
    expect(model.summary.value).toMatchObject({ waiting: 0, active: 2 });
    hasher.finish('b.png');
    hasher.finish('a.png');
    await until('a.png', 'done');
  });

  it('reports a duplicate with the existing asset, and skips it when asked', async () => {
    const { model, hasher, backend, until, item } = setup();
    backend.existing.set(digestOf('logo.png'), makeAsset(7, { name: 'Brand logo' }));
    model.addFiles([fileOf('logo.png')]);
    hasher.finish('logo.png');
    model.uploadAll();
    await until('logo.png', 'duplicate');
    expect(item('logo.png').existing?.name).toBe('Brand logo');
    expect(item('logo.png').message).toContain('“Brand logo”');
    model.skipDuplicate(item('logo.png').id);
    expect(item('logo.png').status).toBe('skipped');
    expect(backend.sent).toHaveLength(0);
  });

  it('uploads a duplicate anyway when the designer says so', async () => {
    const { model, hasher, backend, until, item } = setup();
    backend.existing.set(digestOf('logo.png'), makeAsset(7));
    model.addFiles([fileOf('logo.png')]);
    hasher.finish('logo.png');
    model.uploadAll();
    await until('logo.png', 'duplicate');
    model.uploadDuplicate(item('logo.png').id);
    await until('logo.png', 'done');
    expect(backend.uploadRequests.map((request) => request.allowDuplicate)).toEqual([undefined, true]);
  });

  it('tells the backend to forget a failed send, shows the error, and retries with a new upload', async () => {
    const { model, hasher, backend, until, item } = setup();
    backend.failSendOnce = new BackendError(0, 'network', 'The connection to Webflow was lost. Check your network.');
    model.addFiles([fileOf('a.png')]);
    hasher.finish('a.png');
    model.uploadAll();
    await until('a.png', 'failed');
    expect(item('a.png').message).toBe('a.png was not uploaded: The connection to Webflow was lost. Check your network.');
    expect(backend.failed).toEqual([{ uploadId: 'up1', reason: 'The connection to Webflow was lost. Check your network.' }]);
    model.retry(item('a.png').id);
    await until('a.png', 'done');
    expect(backend.uploadRequests).toHaveLength(2);
    expect(backend.completed.map((each) => each.uploadId)).toEqual(['up2']);
  });

  it('retries only the completion when the file was already stored', async () => {
    const { model, hasher, backend, until, item } = setup();
    backend.failCompleteOnce = new BackendError(500, 'internal_error', 'The backend had a problem. Try again.');
    model.addFiles([fileOf('a.png')]);
    hasher.finish('a.png');
    model.uploadAll();
    await until('a.png', 'failed');
    expect(backend.failed).toEqual([]);
    model.retry(item('a.png').id);
    await until('a.png', 'done');
    expect(backend.sent).toHaveLength(1);
    expect(backend.uploadRequests).toHaveLength(1);
  });

  it('cancels hashing, and hashes again on retry', async () => {
    const { model, hasher, until, item } = setup();
    model.addFiles([fileOf('a.png')]);
    const signal = hasher.jobs[0]?.options.signal;
    model.cancel(item('a.png').id);
    expect(item('a.png').status).toBe('cancelled');
    expect(signal?.aborted).toBe(true);
    model.retry(item('a.png').id);
    expect(item('a.png').status).toBe('hashing');
    hasher.finish('a.png');
    await until('a.png', 'ready');
  });

  it('cancels a send under way and tells the backend to forget it', async () => {
    const { model, hasher, backend, until, item } = setup();
    backend.holdSends = true;
    model.addFiles([fileOf('a.png')]);
    hasher.finish('a.png');
    model.uploadAll();
    await until('a.png', 'sending');
    expect(item('a.png').progress).toBe(0.5);
    model.cancel(item('a.png').id);
    await until('a.png', 'cancelled');
    expect(backend.failed.map((each) => each.uploadId)).toEqual(['up1']);
    expect(backend.completed).toHaveLength(0);
  });

  it('cancels while the backend creates the upload, and has it forget the new upload', async () => {
    const { model, hasher, backend, until, item } = setup();
    backend.holdCreates = true;
    model.addFiles([fileOf('a.png')]);
    hasher.finish('a.png');
    model.uploadAll();
    await until('a.png', 'creating');
    model.cancel(item('a.png').id);
    backend.releaseCreates();
    await until('a.png', 'cancelled');
    expect(backend.failed.map((each) => each.uploadId)).toEqual(['up1']);
    expect(backend.sent).toHaveLength(0);
  });

  it('keeps at most four files on their way at once', async () => {
    const { model, hasher, backend, until } = setup();
    backend.holdSends = true;
    const names = ['a.png', 'b.png', 'c.png', 'd.png', 'e.png', 'f.png'];
    model.addFiles(names.map((name) => fileOf(name)));
    for (const name of names) hasher.finish(name);
    model.uploadAll();
    await vi.waitFor(() => expect(backend.heldSends).toBe(UPLOADS_IN_FLIGHT));
    expect(UPLOADS_IN_FLIGHT).toBe(4);
    expect(model.summary.value.active).toBe(6);
    expect(model.items.value.map((each) => each.status)).toEqual(['sending', 'sending', 'sending', 'sending', 'queued', 'queued']);
    backend.releaseSends();
    await vi.waitFor(() => expect(backend.heldSends).toBe(2));
    backend.releaseSends();
    for (const name of names) await until(name, 'done');
  });

  it('tells how far the files on their way are, by their bytes: hashing the first half, sending the second', async () => {
    const { model, hasher, backend, until } = setup();
    backend.holdSends = true;
    model.addFiles([fileOf('small.png', 1000), fileOf('big.png', 3000), fileOf('later.png', 5000)]);
    // Nothing asked to upload yet: no overall progress, however far hashing is.
    expect(model.summary.value.progress).toBeNull();
    const [small, big] = model.items.value;
    model.upload(small!.id);
    model.upload(big!.id);
    expect(model.summary.value).toMatchObject({ progress: 0, requested: 2 });
    hasher.finish('small.png');
    await vi.waitFor(() => expect(backend.heldSends).toBe(1));
    // small is hashed (half its way) and half sent (the fake's send says 0.5): 750 of 4,000 bytes' ways.
    expect(model.summary.value.progress).toBeCloseTo(750 / 4000);
    hasher.finish('big.png');
    await vi.waitFor(() => expect(backend.heldSends).toBe(2));
    expect(model.summary.value.progress).toBeCloseTo(0.75);
    backend.releaseSends();
    await until('small.png', 'done');
    await until('big.png', 'done');
    // All done: nothing on its way, no bar; the third file still waits for its Upload.
    expect(model.summary.value).toMatchObject({ progress: null, requested: 2, done: 2 });
  });

  it('clears finished files and keeps the rest', async () => {
    const { model, hasher, until } = setup();
    model.addFiles([fileOf('big.png', 5 * 1024 * 1024), fileOf('a.png'), fileOf('b.png')]);
    hasher.finish('a.png');
    model.upload(model.items.value[1]?.id ?? '');
    await until('a.png', 'done');
    model.clearFinished();
    expect(model.items.value.map((each) => each.file.name)).toEqual(['b.png']);
  });
});
