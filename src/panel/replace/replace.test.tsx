// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import SparkMD5 from 'spark-md5';
import { afterEach, describe, expect, it } from 'vitest';
import { Panel } from '../components/Panel.tsx';
import type { HashFunction } from '../models/uploads.ts';
import { FakeBackend, FakeDesigner, MemoryStorage, makeAsset } from '../testing/fakes.ts';
import { BACKEND_ORIGIN, gridReady } from '../testing/render-panel.tsx';

afterEach(cleanup);

/** MD5 in-process (the worker pool is the browser's). */
const hash: HashFunction = async (file, options) => {
  const digest = SparkMD5.ArrayBuffer.hash(await file.arrayBuffer());
  options.onProgress?.(1);
  return digest;
};
const md5Of = (text: string) => SparkMD5.ArrayBuffer.hash(new TextEncoder().encode(text).buffer);
const OLD_MD5 = md5Of('the old menu board');

function renderWithFiles(overrides: { md5?: string } = {}) {
  const assets = [
    makeAsset(1, { name: 'menu-board.png', fileName: 'menu-board.png', contentType: 'image/png', size: 2048, md5: overrides.md5 ?? OLD_MD5 }),
    makeAsset(2, { name: 'price-list.pdf', fileName: 'price-list.pdf', contentType: 'application/pdf', thumbUrl: null, size: 4096 }),
  ];
  const backend = new FakeBackend({ assets });
  const designer = new FakeDesigner(backend.assets);
  render(<Panel backend={backend} designer={designer} backendOrigin={BACKEND_ORIGIN} storage={new MemoryStorage()} pollMs={20} applierIdleMs={10} hash={hash} />);
  return { backend, designer };
}

const row = (assetId: string) => document.querySelector<HTMLElement>(`[data-row-id="${assetId}"]`) as HTMLElement;

/** Files dragged from the desktop and dropped on `target` (as Preact's row handlers hear them). */
function drop(target: HTMLElement, files: File[]) {
  const dataTransfer = { files, types: ['Files'], dropEffect: 'none' };
  fireEvent.dragOver(target, { dataTransfer });
  fireEvent.drop(target, { dataTransfer });
}

/** The same drop as the page's upload overlay hears it, on the document (happy-dom hands it the raw event). */
function dropBubbling(target: HTMLElement, files: File[]) {
  const dataTransfer = { files, types: ['Files'], dropEffect: 'none' };
  for (const type of ['dragenter', 'dragover', 'drop']) {
    const event = new Event(type, { bubbles: true, cancelable: true });
    Object.defineProperty(event, 'dataTransfer', { value: dataTransfer });
    target.dispatchEvent(event);
  }
}

describe('replacing an asset’s file', () => {
  it('drops a file on a row, shows the current file beside the new one, and Replace journals it for the Designer to set', async () => {
    const { backend, designer } = renderWithFiles();
    await gridReady();
    const file = new File(['the new menu board'], 'menu-board-2027.png', { type: 'image/png' });
    drop(row('asset1'), [file]);

    const dialog = await screen.findByRole('dialog', { name: 'Replace the file of menu-board.png' });
    const now = within(dialog).getByRole('figure', { name: 'Current file' });
    expect(now.textContent).toContain('menu-board.png');
    expect(now.textContent).toContain('2.0 KB');
    expect(now.textContent).toContain('image/png');
    const after = within(dialog).getByRole('figure', { name: 'New file' });
    expect(after.textContent).toContain('menu-board-2027.png');
    expect(after.textContent).toContain('18 B');
    const replace = within(dialog).getByRole('button', { name: 'Replace file' });
    await waitFor(() => expect(replace.hasAttribute('disabled')).toBe(false));
    fireEvent.click(replace);

    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    const [change] = backend.changes;
    expect(change).toMatchObject({ assetId: 'asset1', field: 'file', before: OLD_MD5, after: md5Of('the new menu board') });
    // The Designer applier sets the file with asset.setFile and the journal has it applied.
    await waitFor(() => expect(backend.changes[0]?.status).toBe('applied'));
    const set = designer.files.get('asset1');
    expect(set?.name).toBe('menu-board-2027.png');
    expect(set?.type).toBe('image/png');
    expect(await set?.text()).toBe('the new menu board');
    // The upload area never took the dropped file.
    expect(screen.queryByRole('list', { name: /upload/i })).toBeNull();
  });

  it('reaches the same preview by keyboard: one selected asset, "Replace file…", a file chosen in the dialog', async () => {
    const { backend } = renderWithFiles();
    await gridReady();
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select menu-board.png' }));
    fireEvent.click(screen.getByRole('button', { name: 'Replace file…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Replace the file of menu-board.png' });
    expect(within(dialog).getByRole('button', { name: 'Replace file' }).hasAttribute('disabled')).toBe(true);
    const input = within(dialog).getByLabelText('Choose the new file') as HTMLInputElement;
    expect(input.accept).toContain('.webp');
    fireEvent.change(input, { target: { files: [new File(['a webp menu'], 'menu.webp', { type: 'image/webp' })] } });
    const replace = within(dialog).getByRole('button', { name: 'Replace file' });
    await waitFor(() => expect(replace.hasAttribute('disabled')).toBe(false));
    fireEvent.click(replace);
    await waitFor(() => expect(backend.changes.map((c) => c.field)).toEqual(['file']));
  });

  it('leaves "Replace file…" disabled unless exactly one asset is selected', async () => {
    renderWithFiles();
    await gridReady();
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select menu-board.png' }));
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select price-list.pdf' }));
    expect(screen.getByRole('button', { name: 'Replace file…' }).hasAttribute('disabled')).toBe(true);
  });

  it.each([
    ['a file over Webflow’s 4 MB for images', new File([new Uint8Array(4 * 1024 * 1024 + 1)], 'huge.png', { type: 'image/png' }), /Webflow accepts/],
    ['another kind of file', new File(['%PDF'], 'menu.pdf', { type: 'application/pdf' }), /same kind/],
    ['a type Webflow refuses', new File(['x'], 'menu.heic', { type: 'image/heic' }), /not a type Webflow accepts/],
    ['the very file the asset has', new File(['the old menu board'], 'menu-board.png', { type: 'image/png' }), /same MD5/],
  ])('refuses %s with a clear message and journals nothing', async (_what, file, message) => {
    const { backend } = renderWithFiles();
    await gridReady();
    drop(row('asset1'), [file]);
    const dialog = await screen.findByRole('dialog', { name: 'Replace the file of menu-board.png' });
    const alert = await within(dialog).findByRole('alert');
    expect(alert.textContent).toMatch(message);
    expect(within(dialog).getByRole('button', { name: 'Replace file' }).hasAttribute('disabled')).toBe(true);
    expect(backend.changes).toEqual([]);
  });

  it('says why when the backend refuses, and keeps the dialog open', async () => {
    // The panel did not know the asset's MD5; the backend, reading the CDN, finds the same file.
    const { backend } = renderWithFiles({ md5: '' });
    backend.fileMd5.set('asset1', md5Of('same bytes'));
    await gridReady();
    drop(row('asset1'), [new File(['same bytes'], 'again.png', { type: 'image/png' })]);
    const dialog = await screen.findByRole('dialog', { name: 'Replace the file of menu-board.png' });
    const replace = within(dialog).getByRole('button', { name: 'Replace file' });
    await waitFor(() => expect(replace.hasAttribute('disabled')).toBe(false));
    fireEvent.click(replace);
    expect((await within(dialog).findByRole('alert')).textContent).toMatch(/^The file was not replaced: again.png is the very file/);
    expect(backend.changes).toEqual([]);
  });

  it('reports a conflict, and sets nothing, when the asset’s file changed in Webflow meanwhile', async () => {
    const { backend, designer } = renderWithFiles();
    await gridReady();
    backend.fileMd5.set('asset1', OLD_MD5);
    drop(row('asset1'), [new File(['mine'], 'mine.png', { type: 'image/png' })]);
    const dialog = await screen.findByRole('dialog');
    const replace = within(dialog).getByRole('button', { name: 'Replace file' });
    await waitFor(() => expect(replace.hasAttribute('disabled')).toBe(false));
    fireEvent.click(replace);
    // Someone replaces it in the Designer after it was journaled, before the applier gets to it.
    backend.fileMd5.set('asset1', md5Of('theirs'));
    await waitFor(() => expect(backend.changes[0]?.status).toBe('conflict'));
    expect(backend.changes[0]?.current).toBe(md5Of('theirs'));
    expect(designer.files.size).toBe(0);
  });

  it('gives several files dropped on a row to the upload, not to a replacement', async () => {
    const { backend } = renderWithFiles();
    await gridReady();
    const two = [new File(['a'], 'a.png', { type: 'image/png' }), new File(['b'], 'b.png', { type: 'image/png' })];
    // The row leaves such a drop alone (not prevented), so it reaches the upload overlay.
    expect(fireEvent.drop(row('asset1'), { dataTransfer: { files: two, types: ['Files'] } })).toBe(true);
    dropBubbling(row('asset1'), two);
    await waitFor(() => expect(document.body.textContent).toContain('b.png'));
    expect(screen.queryByRole('dialog', { name: /^Replace the file/ })).toBeNull();
    expect(backend.changes).toEqual([]);
  });
});
