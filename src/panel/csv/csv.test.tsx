// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { exportedFingerprint } from '../../core/csv-columns.ts';
import { frenchLocale, makeAsset, makeUsage, primaryLocale } from '../testing/fakes.ts';
import { gridReady, MemoryStorage, renderPanel } from '../testing/render-panel.tsx';

// The dialogs load on demand; compiled once here, so the first test does not wait on the compiler.
beforeAll(async () => {
  await import('./dialogs.ts');
});

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const locales = [primaryLocale, frenchLocale];
const site = () => ({
  assets: [
    makeAsset(1, { altText: 'A red bicycle', localeAltText: { fr: 'Un vélo rouge' } }),
    makeAsset(2, { altText: '' }),
    makeAsset(3, { altText: null, folderId: 'f' }),
  ],
  folders: [{ id: 'f', name: 'Products', parentId: null }],
  locales,
});

/** What the export link hands the browser: the file's name and its blob. */
function captureDownloads() {
  const downloads: Array<{ fileName: string; blob: Blob }> = [];
  const blobs = new Map<string, Blob>();
  vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
    const url = `blob:test/${blobs.size}`;
    blobs.set(url, blob as Blob);
    return url;
  });
  vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    downloads.push({ fileName: this.download, blob: blobs.get(this.getAttribute('href') ?? '') as Blob });
  });
  return downloads;
}

async function openImport(): Promise<HTMLElement> {
  fireEvent.click(screen.getByRole('button', { name: 'Import CSV…' }));
  return screen.findByRole('dialog', { name: 'Import alt text from CSV' });
}

function chooseFile(dialog: HTMLElement, text: string | Uint8Array<ArrayBuffer>, name = 'brochure.csv') {
  const file = new File([text], name, { type: 'text/csv' });
  fireEvent.change(within(dialog).getByLabelText('CSV file'), { target: { files: [file] } });
}

const counts = (dialog: HTMLElement) =>
  Object.fromEntries(
    [...dialog.querySelectorAll('dl dt')].map((term) => [term.textContent, term.nextElementSibling?.textContent]),
  );

beforeEach(() => {
  document.documentElement.lang = 'en';
});

/** The `exported` cell of a row with these (alt, decorative) cells per locale, primary first. */
function fingerprints(...cells: Array<[alt: string, decorative?: boolean]>): string {
  return cells.map(([alt, decorative]) => exportedFingerprint(alt, decorative ?? false)).join('.');
}

describe('exporting alt text as CSV', () => {
  it('downloads the whole site as a UTF-8 CSV with a BOM, named by site and day', async () => {
    const downloads = captureDownloads();
    renderPanel({ ...site(), usage: makeUsage({ asset1: { pages: 2, items: 1 } }) });
    await gridReady();
    fireEvent.click(screen.getByRole('button', { name: 'Export CSV…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Export alt text as CSV' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Export 3 assets' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());

    expect(downloads).toHaveLength(1);
    expect(downloads[0]?.fileName).toMatch(/^Demo site alt text \d{4}-\d{2}-\d{2}\.csv$/);
    const bytes = new Uint8Array(await downloads[0]!.blob.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder().decode(bytes.slice(3)).split('\r\n')).toEqual([
      'id,name,folder,url,type,uses,alt:en,decorative:en,alt:fr,decorative:fr,exported',
      `asset1,photo-1.jpg,,https://cdn.example/photo-1.jpg,image/jpeg,3,A red bicycle,,Un vélo rouge,,${fingerprints(['A red bicycle'], ['Un vélo rouge'])}`,
      `asset2,photo-2.jpg,,https://cdn.example/photo-2.jpg,image/jpeg,0,,,,,${fingerprints([''], [''])}`,
      `asset3,photo-3.jpg,Products,https://cdn.example/photo-3.jpg,image/jpeg,0,,yes,,,${fingerprints(['', true], [''])}`,
      '',
    ]);
    await screen.findByText(/^Exported 3 assets to Demo site alt text/);
  });

  it('exports only the assets the current filter shows when asked to', async () => {
    const downloads = captureDownloads();
    renderPanel(site());
    await gridReady();
    fireEvent.click(screen.getByRole('button', { name: /^Missing alt text/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Export CSV…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Export alt text as CSV' });
    expect(within(dialog).getByText(/The uses column stays empty/)).toBeTruthy();
    fireEvent.click(within(dialog).getByRole('radio', { name: /^Those shown now/ }));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Export 1 asset' }));
    await waitFor(() => expect(downloads).toHaveLength(1));
    const lines = (await downloads[0]!.blob.text()).split('\r\n');
    expect(lines.slice(1, -1).map((line) => line.split(',')[0])).toEqual(['asset2']);
  });
});

describe('importing alt text from CSV', () => {
  const edited = [
    'id,name,alt:en,decorative:en,alt:fr,decorative:fr',
    'asset1,photo-1.jpg,A red bicycle,,"Un vélo rouge, vu de côté",',
    'asset2,photo-2.jpg,"=Two ""quoted"" words",,,',
    'asset3,photo-3.jpg,,yes,,',
  ].join('\r\n');

  it('previews, then applies as one undoable journal batch, and undo restores the values', async () => {
    const { backend, designer } = renderPanel(site());
    await gridReady();
    const dialog = await openImport();
    chooseFile(dialog, edited);
    await within(dialog).findByText(/brochure\.csv: 3 rows read\. Nothing has changed yet\./);
    expect(counts(dialog)).toMatchObject({ English: '1 change', French: '1 change', Unchanged: '1 row', 'Unknown assets': '0 rows', 'Rows with problems': '0 rows' });
    expect(backend.batches).toEqual([]);

    fireEvent.click(within(dialog).getByRole('button', { name: 'Apply 2 changes' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(backend.batches.map((batch) => [batch.label, batch.changes.length])).toEqual([['Import alt text from brochure.csv', 2]]);
    await waitFor(() => expect(designer.values.get('asset2')?.altText).toBe('=Two "quoted" words'));
    await waitFor(() => expect(designer.values.get('asset1')?.localeAltText.fr).toBe('Un vélo rouge, vu de côté'));
    await screen.findByText('Imported 2 changes from brochure.csv. Ctrl+Z undoes the import.');

    fireEvent.keyDown(document.body, { key: 'z', ctrlKey: true });
    await waitFor(() => expect(designer.values.get('asset2')?.altText).toBe(''));
    await waitFor(() => expect(designer.values.get('asset1')?.localeAltText.fr).toBe('Un vélo rouge'));
    expect(backend.batches).toHaveLength(2);
  });

  it('keeps what Webflow changed since the export, and writes the file’s text over it in a conflict only when told to', async () => {
    const { backend } = renderPanel(site());
    await gridReady();
    const dialog = await openImport();
    // Exported when asset1 read "Old bicycle" and asset2 "Old dog"; Webflow has changed both since.
    const exported = (english: string, french = '') => `${exportedFingerprint(english, false)}.${exportedFingerprint(french, false)}`;
    const file = [
      'id,alt:en,decorative:en,alt:fr,decorative:fr,exported',
      `asset1,Old bicycle,,Un vélo rouge,,${exported('Old bicycle', 'Un vélo rouge')}`,
      `asset2,A dog on a sofa,,,,${exported('Old dog')}`,
    ].join('\r\n');
    chooseFile(dialog, file);
    await within(dialog).findByText(/brochure\.csv: 2 rows read/);
    expect(counts(dialog)).toMatchObject({ 'Changed in Webflow since the export': '1 value kept as in Webflow', Conflicts: '1 value' });
    const conflicts = within(dialog).getByRole('list', { name: 'Conflicts' });
    expect(within(conflicts).getByRole('listitem').textContent).toBe('Row 3, photo-2.jpg (English): Webflow has “”, the file “A dog on a sofa”');
    expect(within(dialog).getByRole<HTMLButtonElement>('button', { name: 'Apply 0 changes' }).disabled).toBe(true);

    fireEvent.click(within(dialog).getByRole('checkbox', { name: /Write the file’s text over Webflow’s/ }));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Apply 1 change' }));
    await waitFor(() => expect(backend.batches).toHaveLength(1));
    expect(backend.changes.map((change) => [change.assetId, change.after])).toEqual([['asset2', 'A dog on a sofa']]);
  });

  it('reads a file dropped on the dialog, with semicolons, and lists what it leaves out', async () => {
    const { backend } = renderPanel(site());
    await gridReady();
    const dialog = await openImport();
    const text = 'id;alt:en;alt:de\r\nasset2;Ein Hund;Hund\r\nasset9;x;\r\nasset2;again;\r\nasset1;bad\u0000text;\r\n';
    fireEvent.drop(dialog.querySelector('.csv-dialog')!, { dataTransfer: { files: [new File([text], 'agency.csv')] } });
    await within(dialog).findByText(/agency\.csv: 4 rows read/);
    expect(counts(dialog)).toMatchObject({ English: '1 change', 'Unknown assets': '1 row', 'Duplicate rows': '1 row', 'Rows with problems': '1 row' });
    expect(within(dialog).getByRole('note').textContent).toMatch(/alt:de/);
    expect(within(within(dialog).getByRole('list', { name: 'Rows with problems' })).getByRole('listitem').textContent).toMatch(/^Row 5: photo-1\.jpg: alt:en must not contain the NUL/);

    const apply = within(dialog).getByRole<HTMLButtonElement>('button', { name: 'Apply 1 change' });
    expect(apply.disabled).toBe(true);
    fireEvent.click(within(dialog).getByRole('checkbox', { name: /Apply the other rows and leave out the 3 rows/ }));
    expect(apply.disabled).toBe(false);
    fireEvent.click(apply);
    await waitFor(() => expect(backend.batches).toHaveLength(1));
    expect(backend.changes.map((change) => [change.assetId, change.after])).toEqual([['asset2', 'Ein Hund']]);
  });

  it('asks before replacing alt text the designer has typed and not saved, and keeps it when told to', async () => {
    const storage = new MemoryStorage();
    storage.setItem('asset-desk:drafts:site1', JSON.stringify([['asset2\u0000', 'My own words']]));
    const { backend } = renderPanel({ ...site(), storage });
    await gridReady();
    const dialog = await openImport();
    chooseFile(dialog, edited);
    const drafts = await within(dialog).findByRole('group', { name: 'You have unsaved alt text in 1 field this file changes' });
    expect(within(drafts).getByRole<HTMLInputElement>('radio', { name: /^Keep my unsaved text/ }).checked).toBe(true);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Apply 1 change' }));
    await waitFor(() => expect(backend.batches).toHaveLength(1));
    expect(backend.changes.map((change) => change.assetId)).toEqual(['asset1']);
    expect(screen.getByRole<HTMLInputElement>('textbox', { name: /photo-2\.jpg/ }).value).toBe('My own words');
  });

  it('refuses an empty, binary or headerless file with a clear reason and changes nothing', async () => {
    const { backend } = renderPanel(site());
    await gridReady();
    const dialog = await openImport();
    chooseFile(dialog, '', 'empty.csv');
    expect((await within(dialog).findByRole('alert')).textContent).toBe('empty.csv: The file is empty.');
    chooseFile(dialog, Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1]), 'photo.png');
    await within(dialog).findByText(/^photo\.png: This is not a text file/);
    chooseFile(dialog, 'name,alt text\r\nx,y\r\n', 'notes.csv');
    await within(dialog).findByText(/^notes\.csv: The first row must name the columns/);
    expect(backend.batches).toEqual([]);
  });

  it('is not offered to someone who may not change assets', async () => {
    renderPanel({ ...site(), canManage: false });
    await gridReady();
    expect(screen.getByRole('button', { name: 'Export CSV…' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Import CSV…' })).toBeNull();
  });
});

describe('where the CSV buttons are', () => {
  it('moves them from the toolbar to the status bar in the widest layout, where the toolbar is full', async () => {
    renderPanel(site());
    await gridReady();
    expect(screen.getByRole('button', { name: 'Export CSV…' }).closest('header')).not.toBeNull();
    const { happyDOM } = window as unknown as { happyDOM: { setViewport(size: { width: number; height: number }): void } };
    const { innerWidth, innerHeight } = window;
    happyDOM.setViewport({ width: 1200, height: 800 });
    try {
      await waitFor(() => expect(screen.getByRole('button', { name: 'Export CSV…' }).closest('footer')).not.toBeNull());
      expect(screen.getAllByRole('button', { name: /^(Export|Import) CSV…$/ })).toHaveLength(2);
      fireEvent.click(screen.getByRole('button', { name: 'Import CSV…' }));
      await screen.findByRole('dialog', { name: 'Import alt text from CSV' });
    } finally {
      happyDOM.setViewport({ width: innerWidth, height: innerHeight });
    }
  });
});
