import { describe, expect, it } from 'vitest';
import { ownAltText } from './alt-lint.ts';
import type { IndexedAsset, Locale } from './api.ts';
import { exportText } from './csv-export.ts';
import { previewImport, type ImportTarget } from './csv-import.ts';
import { csvRecord, parseCsv, unescapeFormula, UTF8_BOM } from './csv.ts';

const locales: Locale[] = [
  { id: 'en', displayName: 'English', tag: 'en', primary: true },
  { id: 'fr', displayName: 'French', tag: 'fr', primary: false },
];

function asset(altText: string | null, french?: string | null): IndexedAsset {
  return {
    id: 'asset1',
    name: 'bike.jpg',
    fileName: 'bike.jpg',
    contentType: 'image/jpeg',
    size: 1000,
    url: 'https://cdn.example/bike.jpg',
    thumbUrl: 'https://cdn.example/bike.jpg',
    md5: null,
    altText,
    localeAltText: french === undefined ? {} : { fr: french },
    folderId: null,
    createdOn: '2026-01-01T00:00:00.000Z',
    lastUpdated: '2026-01-01T00:00:00.000Z',
  };
}

function site(...assets: IndexedAsset[]): ImportTarget {
  return { assets, locales, altText: ownAltText, hasDraft: () => false };
}

/** An export of `exportedFrom` whose alt cells (column → text) a person then edited. */
function exportEdited(exportedFrom: ImportTarget, edits: Record<string, string> = {}): string {
  const [header = [], ...rows] = parseCsv(exportText({ ...exportedFrom, folders: [], uses: null }));
  const edited = rows.map((cells) => cells.map((cell, column) => edits[header[column] ?? ''] ?? unescapeFormula(cell)));
  return UTF8_BOM + [header, ...edited].map(csvRecord).join('');
}

function preview(text: string, target: ImportTarget) {
  const result = previewImport(text, target);
  if (!result.ok) throw new Error(result.reason);
  return result.preview;
}

describe('changed since the export', () => {
  it('applies what the file changed when Webflow still has the exported value', () => {
    const file = exportEdited(site(asset('Old')), { 'alt:en': 'A red bicycle' });
    const result = preview(file, site(asset('Old')));
    expect(result.changes).toEqual([{ row: 2, assetId: 'asset1', localeId: null, after: 'A red bicycle' }]);
    expect(result.conflicts).toEqual([]);
  });

  it('keeps a value Webflow changed since the export when the file left it as exported', () => {
    const file = exportEdited(site(asset('Old', 'Vieux')), { 'alt:fr': 'Un vélo rouge' });
    const result = preview(file, site(asset('Changed in Webflow', 'Vieux')));
    expect(result.changes).toEqual([{ row: 2, assetId: 'asset1', localeId: 'fr', after: 'Un vélo rouge' }]);
    expect(result.keptWebflow).toBe(1);
    expect(result.conflicts).toEqual([]);
  });

  it('marks as a conflict a value both Webflow and the file changed, and leaves it out of the changes', () => {
    const file = exportEdited(site(asset('Old')), { 'alt:en': 'From the translator' });
    const result = preview(file, site(asset('From a designer')));
    expect(result.changes).toEqual([]);
    expect(result.conflicts).toEqual([
      { row: 2, assetId: 'asset1', localeId: null, after: 'From the translator', current: 'From a designer', assetName: 'bike.jpg', localeName: 'English' },
    ]);
  });

  it('tells decorative from empty: an image made decorative in Webflow since the export is a change, not the same', () => {
    const file = exportEdited(site(asset('')), { 'alt:en': 'Now described' });
    const result = preview(file, site(asset(null)));
    expect(result.conflicts.map((conflict) => conflict.current)).toEqual([null]);
  });

  it('reads a file without the exported column as before: the file wins', () => {
    const file = 'id,alt:en\r\nasset1,From the file\r\n';
    const result = preview(file, site(asset('Changed in Webflow')));
    expect(result.changes).toEqual([{ row: 2, assetId: 'asset1', localeId: null, after: 'From the file' }]);
    expect(result.conflicts).toEqual([]);
  });

  it('ignores fingerprints that do not fit the site’s locales (a locale added since)', () => {
    const file = 'id,alt:en,decorative:en,exported\r\nasset1,New,,zzzz\r\n';
    const result = preview(file, site(asset('Other')));
    expect(result.changes).toEqual([{ row: 2, assetId: 'asset1', localeId: null, after: 'New' }]);
  });
});
