// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import axe from 'axe-core';
import { afterEach, describe, expect, it } from 'vitest';
import type { Folder, IndexedAsset } from '../../../core/api.ts';
import { digestOf, FakeUploadBackend, fileOf, ManualHasher } from '../../models/uploads-fakes.ts';
import { createUploadsModel } from '../../models/uploads.ts';
import { BackendError } from '../../ports/backend.ts';
import { makeAsset } from '../../testing/fakes.ts';
import { UploadPanel } from './UploadPanel.tsx';

afterEach(cleanup);

const folders: Folder[] = [
  { id: 'people', name: 'People', parentId: null },
  { id: 'team', name: 'Team', parentId: 'people' },
];

function setup(options: { disabledReason?: string } = {}) {
  const backend = new FakeUploadBackend();
  const hasher = new ManualHasher();
  const uploaded: IndexedAsset[] = [];
  const model = createUploadsModel({ backend, siteId: 'site1', onUploaded: (asset) => uploaded.push(asset), hash: hasher.hash });
  // Placed as the desk places it: in the main area's "Uploads" section.
  render(
    <main>
      <section aria-label="Uploads">
        <UploadPanel model={model} folders={folders} disabledReason={options.disabledReason} />
      </section>
    </main>,
  );
  const pick = (...files: File[]) => fireEvent.change(screen.getByLabelText('Choose files to upload'), { target: { files } });
  return { backend, hasher, uploaded, model, pick };
}

function dropOnPage(files: File[]) {
  const dataTransfer = { types: ['Files'], files, dropEffect: 'none' };
  for (const type of ['dragenter', 'dragover']) {
    const event = new Event(type, { bubbles: true, cancelable: true });
    Object.defineProperty(event, 'dataTransfer', { value: dataTransfer });
    document.body.dispatchEvent(event);
  }
  const drop = new Event('drop', { bubbles: true, cancelable: true });
  Object.defineProperty(drop, 'dataTransfer', { value: dataTransfer });
  document.body.dispatchEvent(drop);
  return drop;
}

describe('the upload panel', () => {
  it('offers an "Upload files" button that opens the file picker', () => {
    setup();
    const input = screen.getByLabelText<HTMLInputElement>('Choose files to upload');
    let opened = 0;
    input.click = () => (opened += 1);
    fireEvent.click(screen.getByRole('button', { name: 'Upload files' }));
    expect(opened).toBe(1);
    expect(input.multiple).toBe(true);
  });

  it('shows how far all the files on their way are, and hides it when they are done', async () => {
    const { backend, hasher, pick } = setup();
    backend.holdSends = true;
    pick(fileOf('a.png', 1000), fileOf('b.png', 1000));
    expect(screen.queryByRole('progressbar', { name: 'All uploads' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: /^Upload all \(2\)/ }));
    hasher.finish('a.png');
    hasher.finish('b.png');
    await waitFor(() => expect(backend.heldSends).toBe(2));
    const bar = screen.getByRole<HTMLProgressElement>('progressbar', { name: 'All uploads' });
    expect(bar.value).toBeCloseTo(0.75);
    expect(screen.getByText('0 of 2 files uploaded · 75%')).toBeTruthy();
    backend.releaseSends();
    await waitFor(() => expect(screen.queryByRole('progressbar', { name: 'All uploads' })).toBeNull());
  });

  it('says why a file is refused and goes on with the others', () => {
    const { pick } = setup();
    pick(fileOf('huge.png', 5 * 1024 * 1024), fileOf('hero-banner@2x.png'));
    const list = screen.getByRole('list', { name: 'Upload queue' });
    expect(within(list).getByText(/huge\.png is 5\.0 MB; Webflow accepts images up to 4\.0 MB/)).toBeTruthy();
    expect(within(list).getByRole('progressbar', { name: 'Reading hero-banner@2x.png' })).toBeTruthy();
    expect(screen.queryByRole('textbox', { name: 'Alt text for huge.png' })).toBeNull();
  });

  it('offers the suggestion from the file name as a chip, and sends it once taken', async () => {
    const { pick, hasher, backend, uploaded } = setup();
    pick(fileOf('hero-banner@2x.png'), fileOf('team-photo.jpg'));
    const field = screen.getByRole<HTMLInputElement>('textbox', { name: 'Alt text for hero-banner@2x.png' });
    // A suggestion, not a value: the field stays empty until the designer takes it.
    expect(field.value).toBe('');
    // In a form of its own (components/field-form.tsx): autofill reads it alone as it is typed in.
    expect(field.form && [...field.form.elements]).toEqual([field]);
    expect(screen.queryByRole('checkbox')).toBeNull();
    const chip = screen.getByRole('button', { name: 'Suggest: “Hero banner” (from the file name, 30%), use it for hero-banner@2x.png' });
    expect(chip.textContent).toBe('Suggest: Hero banner (from the file name, 30%)');
    fireEvent.click(chip);
    expect(field.value).toBe('Hero banner');
    expect(document.activeElement).toBe(field);
    expect(screen.queryByRole('button', { name: /^Suggest: .* for hero-banner@2x\.png$/ })).toBeNull();
    hasher.finish('hero-banner@2x.png');
    hasher.finish('team-photo.jpg');
    fireEvent.click(await screen.findByRole('button', { name: 'Upload all (2)' }));
    await waitFor(() => expect(uploaded).toHaveLength(2));
    expect(backend.completed.map((each) => each.altText)).toEqual(['Hero banner', undefined]);
    await waitFor(() => expect(screen.getByRole('status').textContent).toMatch(/(hero-banner@2x.png|team-photo.jpg) uploaded\.$/));
    expect(screen.getByText('Uploaded without alt text: add it in the list above.')).toBeTruthy();
  });

  it('sends the alt text the designer typed, with no box to tick', async () => {
    const { pick, hasher, backend, uploaded } = setup();
    pick(fileOf('IMG_1234.jpg'));
    const field = screen.getByRole<HTMLInputElement>('textbox', { name: 'Alt text for IMG_1234.jpg' });
    // A camera's name suggests nothing.
    expect(screen.queryByRole('button', { name: /^Suggest: / })).toBeNull();
    fireEvent.input(field, { target: { value: 'Sunset over the harbour' } });
    expect(field.getAttribute('aria-describedby')).toBeTruthy();
    expect(document.getElementById(field.getAttribute('aria-describedby') ?? '')?.textContent).toBe('Sent as alt text with the upload.');
    hasher.finish('IMG_1234.jpg');
    fireEvent.click(await screen.findByRole('button', { name: 'Upload IMG_1234.jpg' }));
    await waitFor(() => expect(uploaded).toHaveLength(1));
    expect(backend.completed[0]?.altText).toBe('Sunset over the harbour');
    expect(screen.getByText('Alt text: Sunset over the harbour')).toBeTruthy();
  });

  it('says plainly that an image with an empty field is uploaded without alt text', () => {
    const { pick } = setup();
    pick(fileOf('hero-banner.png'), fileOf('brochure.pdf'));
    const field = screen.getByRole<HTMLInputElement>('textbox', { name: 'Alt text for hero-banner.png' });
    const note = () => document.getElementById(field.getAttribute('aria-describedby') ?? '')?.textContent;
    expect(note()).toBe('No alt text: the image will be uploaded without it.');
    fireEvent.input(field, { target: { value: 'Banner' } });
    expect(note()).toBe('Sent as alt text with the upload.');
    fireEvent.input(field, { target: { value: '   ' } });
    expect(note()).toBe('No alt text: the image will be uploaded without it.');
    // Documents have no alt text to speak of.
    expect(screen.queryByRole('textbox', { name: 'Alt text for brochure.pdf' })).toBeNull();
  });

  it('counts the images that would go without alt text beside "Upload all"', () => {
    const { pick } = setup();
    pick(fileOf('a.png'), fileOf('b.png'), fileOf('c.png'), fileOf('brochure.pdf'));
    expect(screen.getByText('3 images without alt text')).toBeTruthy();
    fireEvent.input(screen.getByRole('textbox', { name: 'Alt text for a.png' }), { target: { value: 'A red door' } });
    expect(screen.getByText('2 images without alt text')).toBeTruthy();
    fireEvent.input(screen.getByRole('textbox', { name: 'Alt text for b.png' }), { target: { value: 'A blue window' } });
    fireEvent.input(screen.getByRole('textbox', { name: 'Alt text for c.png' }), { target: { value: 'A green gate' } });
    expect(screen.queryByText(/without alt text$/)).toBeNull();
  });

  it('announces many files reaching the same state as a count', async () => {
    const { pick, hasher } = setup();
    const names = ['a.png', 'b.png', 'c.png', 'd.png', 'e.png'];
    pick(...names.map((name) => fileOf(name)));
    for (const name of names) hasher.finish(name);
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('5 files are ready to upload.'));
  });

  it('uploads into the chosen folder', async () => {
    const { pick, hasher, backend } = setup();
    fireEvent.change(screen.getByRole('combobox', { name: 'Upload to folder' }), { target: { value: 'team' } });
    pick(fileOf('a.png'));
    hasher.finish('a.png');
    fireEvent.click(await screen.findByRole('button', { name: 'Upload a.png' }));
    await screen.findByText('Uploaded');
    expect(backend.uploadRequests[0]?.folderId).toBe('team');
  });

  it('names the existing asset of a duplicate and lets the designer skip it or upload anyway', async () => {
    const { pick, hasher, backend } = setup();
    backend.existing.set(digestOf('logo.png'), makeAsset(9, { name: 'Brand logo' }));
    backend.existing.set(digestOf('mark.png'), makeAsset(10, { name: 'Brand mark' }));
    pick(fileOf('logo.png'), fileOf('mark.png'));
    hasher.finish('logo.png');
    hasher.finish('mark.png');
    fireEvent.click(await screen.findByRole('button', { name: 'Upload all (2)' }));
    expect(await screen.findByText('logo.png is already on the site as “Brand logo”.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Skip logo.png' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Upload mark.png anyway' }));
    await screen.findByText('Uploaded');
    expect(screen.getByText('Skipped')).toBeTruthy();
    expect(backend.sent.map((each) => each.fileName)).toEqual(['mark.png']);
  });

  it('shows a failure with a Retry that uploads again', async () => {
    const { pick, hasher, backend, uploaded } = setup();
    backend.failSendOnce = new BackendError(0, 'network', 'Webflow’s storage did not answer. Try again.');
    pick(fileOf('a.png'));
    hasher.finish('a.png');
    fireEvent.click(await screen.findByRole('button', { name: 'Upload a.png' }));
    expect(await screen.findByText('a.png was not uploaded: Webflow’s storage did not answer. Try again.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Retry a.png' }));
    await waitFor(() => expect(uploaded).toHaveLength(1));
  });

  it('cancels hashing with the row’s Cancel button', async () => {
    const { pick, model } = setup();
    pick(fileOf('a.png'));
    fireEvent.click(screen.getByRole('button', { name: 'Upload a.png' }));
    expect(screen.getByText(/then uploading/)).toBeTruthy();
    const cancel = screen.getByRole('button', { name: 'Cancel a.png' });
    cancel.focus();
    fireEvent.click(cancel);
    expect(model.items.value[0]?.status).toBe('cancelled');
    // The same button now offers Retry, and keeps the focus.
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Retry a.png' }));
  });

  it('keeps focus in the row as its controls change until the upload is done', async () => {
    const { pick, hasher, backend } = setup();
    backend.holdSends = true;
    pick(fileOf('a.png'));
    hasher.finish('a.png');
    const upload = await screen.findByRole('button', { name: 'Upload a.png' });
    upload.focus();
    fireEvent.click(upload);
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Cancel a.png' })));
    backend.releaseSends();
    await screen.findByText('Uploaded');
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Remove a.png' })));
  });

  it('moves focus into the list when "Upload all" goes away', async () => {
    const { pick, hasher, backend } = setup();
    backend.holdSends = true;
    pick(fileOf('a.png'), fileOf('b.png'));
    hasher.finish('a.png');
    hasher.finish('b.png');
    const uploadAll = await screen.findByRole('button', { name: 'Upload all (2)' });
    uploadAll.focus();
    fireEvent.click(uploadAll);
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Cancel a.png' })));
    backend.releaseSends();
  });

  it('takes files dropped anywhere on the page', () => {
    const { model } = setup();
    const drop = dropOnPage([fileOf('dropped.png')]);
    expect(drop.defaultPrevented).toBe(true);
    expect(model.items.value.map((item) => item.file.name)).toEqual(['dropped.png']);
  });

  it('removes a row and moves focus to the picker when the list empties', async () => {
    const { pick } = setup();
    pick(fileOf('huge.png', 5 * 1024 * 1024));
    fireEvent.click(screen.getByRole('button', { name: 'Remove huge.png' }));
    expect(screen.queryByRole('list', { name: 'Upload queue' })).toBeNull();
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Upload files' })));
  });

  it('says why uploading is off in a read-only panel and ignores drops', () => {
    const { model } = setup({ disabledReason: 'You can look but not upload: ask a site manager for access.' });
    expect((screen.getByRole('button', { name: 'Upload files' }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText(/ask a site manager/)).toBeTruthy();
    dropOnPage([fileOf('a.png')]);
    expect(model.items.value).toHaveLength(0);
  });
});

describe('accessibility of the upload panel (axe-core)', () => {
  it('finds nothing with files in every state', async () => {
    const { pick, hasher, backend } = setup();
    backend.existing.set(digestOf('logo.png'), makeAsset(9, { name: 'Brand logo' }));
    backend.failSendOnce = new BackendError(0, 'network', 'The connection was lost. Check your network.');
    pick(fileOf('huge.png', 5 * 1024 * 1024), fileOf('logo.png'), fileOf('fails.png'), fileOf('waiting.png'), fileOf('brochure.pdf'));
    hasher.finish('logo.png');
    hasher.finish('fails.png');
    hasher.finish('brochure.pdf');
    fireEvent.click(await screen.findByRole('button', { name: 'Upload logo.png' }));
    fireEvent.click(screen.getByRole('button', { name: 'Upload fails.png' }));
    await screen.findByRole('button', { name: 'Skip logo.png' });
    await screen.findByRole('button', { name: 'Retry fails.png' });
    // Contrast needs real layout; the journeys check it in Chromium.
    const result = await axe.run(document.body, { rules: { 'color-contrast': { enabled: false } } });
    expect(result.violations.map((violation) => [violation.id, violation.nodes[0]?.html])).toEqual([]);
  });
});
