import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ownAltText } from '../../core/alt-lint.ts';
import type { AltText, IndexedAsset } from '../../core/api.ts';
import { frenchLocale, makeAsset, primaryLocale } from '../testing/fakes.ts';
import { exportChunks, exportFileName, folderPaths } from '../../core/csv-export.ts';
import { importLabel } from '../../core/csv-import.ts';
import { readImportText } from './read-import.ts';
import type { ImportTarget } from '../../core/csv-import.ts';
import { exportedFingerprint } from '../../core/csv-columns.ts';
import { csvRecord, parseCsv, unescapeFormula, UTF8_BOM } from '../../core/csv.ts';

const locales = [frenchLocale, primaryLocale];

function site(assets: IndexedAsset[], drafts: string[] = []): ImportTarget & { folders: [] ; uses: null } {
  return { assets, locales, folders: [], uses: null, altText: ownAltText, hasDraft: (assetId, localeId) => drafts.includes(`${assetId}/${localeId ?? ''}`) };
}

function exported(target: ReturnType<typeof site>): string {
  return [...exportChunks(target, 3)].join('');
}

/** The `exported` cell of a row with these (alt, decorative) cells per locale, primary first. */
function fingerprints(...cells: Array<[alt: string, decorative?: boolean]>): string {
  return cells.map(([alt, decorative]) => exportedFingerprint(alt, decorative ?? false)).join('.');
}

/** The rows of `edited` with the `exported` column of `original`: a script edited the cells of an export. */
function editedExport(original: string, edited: string): string {
  const originals = parseCsv(original);
  const rows = parseCsv(edited).map((cells, i) => [...cells.slice(0, -1), originals[i]?.at(-1) ?? ''].map(unescapeFormula));
  return UTF8_BOM + rows.map(csvRecord).join('');
}

async function preview(text: string, target: ImportTarget) {
  const result = await readImportText(text, target);
  if (!result.ok) throw new Error(result.reason);
  return result.preview;
}

const altText: fc.Arbitrary<AltText> = fc.oneof(
  fc.constant(null),
  fc.string({ unit: fc.constantFrom(',', ';', '"', '\r', '\n', '\t', '=', '+', '-', '@', "'", ' ', 'a', 'é', '😀') }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
);

describe('exporting', () => {
  it('writes a BOM, a header with a column pair per locale (primary first), and one CRLF row per asset', () => {
    const assets = [makeAsset(1, { altText: 'A red bicycle', localeAltText: { fr: 'Un vélo rouge' } }), makeAsset(2, { altText: null, folderId: 'b' })];
    const text = [...exportChunks({ ...site(assets), folders: [{ id: 'a', name: 'Trips', parentId: null }, { id: 'b', name: 'Summer, 2024', parentId: 'a' }], uses: new Map([['asset1', 3]]) })].join('');
    expect(text.split('\r\n')).toEqual([
      '\uFEFFid,name,folder,url,type,uses,alt:en,decorative:en,alt:fr,decorative:fr,exported',
      `asset1,photo-1.jpg,,https://cdn.example/photo-1.jpg,image/jpeg,3,A red bicycle,,Un vélo rouge,,${fingerprints(['A red bicycle'], ['Un vélo rouge'])}`,
      `asset2,photo-2.jpg,"Trips/Summer, 2024",https://cdn.example/photo-2.jpg,image/jpeg,0,,yes,,,${fingerprints(['', true], [''])}`,
      '',
    ]);
  });

  it('leaves the uses column empty until the usage index is built', () => {
    expect(exported(site([makeAsset(1)])).split('\r\n')[1]).toBe(`asset1,photo-1.jpg,,https://cdn.example/photo-1.jpg,image/jpeg,,,,,,${fingerprints([''], [''])}`);
  });

  it('names folders by their path and survives a cycle in bad data', () => {
    const paths = folderPaths([{ id: 'a', name: 'A', parentId: 'b' }, { id: 'b', name: 'B', parentId: 'a' }, { id: 'c', name: 'C', parentId: 'a' }]);
    expect(paths.get('c')).toBe('B/A/C');
  });

  it('names the file by site and day, without characters file systems refuse', () => {
    expect(exportFileName('Acme: "Studio"/EU', new Date(2026, 11, 4, 9))).toBe('Acme Studio EU alt text 2026-12-04.csv');
    expect(exportFileName('', new Date(2026, 0, 31))).toBe('Site alt text 2026-01-31.csv');
  });
});

describe('importing what was exported', () => {
  it('finds no changes in an export read back, whatever the alt text holds', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(altText, fc.option(altText, { nil: undefined })), { minLength: 1, maxLength: 8 }), async (texts) => {
        const assets = texts.map(([primary, french], n) => makeAsset(n + 1, { altText: primary, localeAltText: french === undefined ? {} : { fr: french } }));
        const target = site(assets);
        const result = await preview(exported(target), target);
        expect(result.changes).toEqual([]);
        expect(result.unchanged).toBe(assets.length);
        expect([...result.unknown, ...result.duplicates, ...result.problems]).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });

  it('finds exactly the edited values, per locale, whatever the new text holds', async () => {
    await fc.assert(
      fc.asyncProperty(altText, altText, async (english, french) => {
        const target = site([makeAsset(1, { altText: 'old', localeAltText: { fr: 'vieux' } })]);
        const edited = editedExport(exported(target), exported(site([makeAsset(1, { altText: english, localeAltText: { fr: french } })])));
        const result = await preview(edited, target);
        const expected = [
          ...(english === 'old' ? [] : [{ row: 2, assetId: 'asset1', localeId: null, after: english }]),
          ...(french === 'vieux' ? [] : [{ row: 2, assetId: 'asset1', localeId: 'fr', after: french }]),
        ].filter((change) => !(change.after !== null && change.after.length > 2000));
        expect(result.problems).toEqual([]);
        expect(result.changes).toEqual(expected);
      }),
      { numRuns: 80 },
    );
  });
});

describe('the import preview', () => {
  const assets = () => [
    makeAsset(1, { altText: 'A red bicycle' }),
    makeAsset(2, { altText: '' }),
    makeAsset(3, { altText: null }),
    makeAsset(4, { altText: 'Old', localeAltText: { fr: 'Vieux' } }),
  ];

  it('counts changes per locale, unchanged rows, unknown ids and duplicate rows, with row numbers', async () => {
    const text = ['ID;Alt:FR;alt:en;notes', 'asset1;;A red bicycle;ok', 'asset2;Un chien;A dog;', 'nope;x;y;', 'asset4;Vieux;New;', 'asset2;Encore;Again;', ''].join('\r\n');
    const result = await preview(text, site(assets()));
    expect(result.rows).toBe(5);
    expect(result.changesByLocale).toEqual([
      { locale: primaryLocale, count: 2 },
      { locale: frenchLocale, count: 1 },
    ]);
    expect(result.unchanged).toBe(1);
    expect(result.unknown).toEqual([{ row: 4, reason: 'id nope: no such asset on this site' }]);
    expect(result.duplicates).toEqual([{ row: 6, reason: 'photo-2.jpg is already in row 3; only that row is read' }]);
  });

  it('maps rows by id first and by exact URL when the id is missing or from another site', async () => {
    const text = 'id,url,alt:en\r\nasset1,,Bike\r\nother-site-id,https://cdn.example/photo-2.jpg,Dog\r\nother,https://cdn.example/nope.jpg,Cat\r\n';
    const result = await preview(text, site(assets()));
    expect(result.changes.map((change) => [change.assetId, change.after])).toEqual([
      ['asset1', 'Bike'],
      ['asset2', 'Dog'],
    ]);
    expect(result.unknown).toEqual([{ row: 4, reason: 'id other: no such asset on this site' }]);
  });

  it('leaves out whole rows with problems and says why', async () => {
    const text = [
      'id,alt:en,decorative:en,alt:fr',
      `asset1,${'x'.repeat(2001)},,`,
      'asset2,nul\u0000here,,',
      'asset3,half \uD83D,,',
      'asset4,Text,yes,Texte',
      'asset2,,maybe,',
    ].join('\n');
    const result = await preview(text, site(assets()));
    expect(result.changes).toEqual([]);
    expect(result.problems.map((problem) => problem.row)).toEqual([2, 3, 4, 5]);
    expect(result.problems[0]?.reason).toMatch(/alt:en has 2,001 characters; Webflow alt text takes at most 2,000/);
    expect(result.problems[1]?.reason).toMatch(/NUL/);
    expect(result.problems[2]?.reason).toMatch(/lone UTF-16 surrogate/);
    expect(result.problems[3]?.reason).toMatch(/has alt text and is marked decorative/);
    expect(result.duplicates).toEqual([{ row: 6, reason: 'photo-2.jpg is already in row 3; only that row is read' }]);
  });

  it('does not refuse a value Webflow already holds, whatever it holds', async () => {
    const held = [makeAsset(1, { altText: 'nul\u0000kept' })];
    const result = await preview('id,alt:en\r\nasset1,nul\u0000kept\r\n', site(held));
    expect(result.problems).toEqual([]);
    expect(result.unchanged).toBe(1);
  });

  it('ignores a locale column the site does not have and says so', async () => {
    const result = await preview('id,alt:en,alt:de\r\nasset2,Dog,Hund\r\n', site(assets()));
    expect(result.ignoredColumns).toEqual(['alt:de']);
    expect(result.changes).toEqual([{ row: 2, assetId: 'asset2', localeId: null, after: 'Dog' }]);
  });

  it('marks and unmarks decorative, and never invents a value from an empty cell', async () => {
    const text = 'id,alt:en,decorative:en,alt:fr\r\nasset1,,yes,\r\nasset2,,,\r\nasset3,,,\r\nasset4,Old,,\r\n';
    const result = await preview(text, site(assets()));
    expect(result.changes).toEqual([
      { row: 2, assetId: 'asset1', localeId: null, after: null },
      { row: 4, assetId: 'asset3', localeId: null, after: '' },
      { row: 5, assetId: 'asset4', localeId: 'fr', after: '' },
    ]);
    const altOnly = await preview('id,alt:en\r\nasset3,\r\nasset1,\r\n', site(assets()));
    expect(altOnly.changes).toEqual([{ row: 3, assetId: 'asset1', localeId: null, after: '' }]);
  });

  it('gives the lint\'s findings on new text and names edits the designer has not saved', async () => {
    const result = await preview('id,alt:en\r\nasset1,photo-1.jpg\r\nasset2,A dog on a beach\r\n', site(assets(), ['asset2/']));
    expect(result.lint).toEqual([{ row: 2, assetName: 'photo-1.jpg', localeName: 'English', messages: ['The alt text is the file name.'] }]);
    expect(result.draftClashes).toEqual([{ row: 3, assetId: 'asset2', localeId: null, after: 'A dog on a beach' }]);
  });

  it('refuses a file whose header it cannot use, saying what it needs', async () => {
    const target = site(assets());
    await expect(readImportText('name,alt:en\r\nx,y', target)).resolves.toMatchObject({ ok: false, reason: expect.stringMatching(/needs an “id” \(or “url”\) column.*“name”, “alt:en”/) });
    await expect(readImportText('id,alt:de\r\nx,y', target)).resolves.toMatchObject({ ok: false, reason: expect.stringMatching(/no alt text column.*alt:de/) });
    await expect(readImportText('id,alt:en,ALT:EN\r\n', target)).resolves.toMatchObject({ ok: false, reason: expect.stringMatching(/Two columns are “alt:en” \(columns 2 and 3\)/) });
    await expect(readImportText('id,alt:en\r\n\r\n', target)).resolves.toMatchObject({ ok: false, reason: expect.stringMatching(/no rows of assets/) });
    await expect(readImportText('\r\n', target)).resolves.toMatchObject({ ok: false, reason: expect.stringMatching(/no header row/) });
    await expect(readImportText('id,alt:en\r\nasset1,"open', target)).resolves.toMatchObject({ ok: false, reason: expect.stringMatching(/Row 2: a quoted value is never closed/) });
  });
});

describe('the import batch\'s label', () => {
  it('names the file, cut to fit the journal\'s 200 characters with room for "(part n of m)"', () => {
    expect(importLabel('brochure.csv')).toBe('Import alt text from brochure.csv');
    const long = importLabel(`${'😀'.repeat(200)}.csv`);
    expect(long.length + ' (part 10 of 10)'.length).toBeLessThanOrEqual(200);
    expect(long).toBe(`Import alt text from ${'😀'.repeat(59)}…`);
    expect(importLabel(`${'a'.repeat(119)}😀.csv`)).toBe(`Import alt text from ${'a'.repeat(119)}…`);
    expect(long.endsWith('😀…')).toBe(true);
  });
});
