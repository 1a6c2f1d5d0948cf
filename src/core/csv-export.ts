/**
 * The rows of an alt-text export, shared by the panel's Export button and the backend's
 * `GET …/csv/export`: one row per asset, the columns of csv-columns.ts, UTF-8 with a BOM, each
 * cell escaped against formulas. The last column, `exported`, fingerprints each locale's cells
 * as written, so an import can tell a value Webflow changed since (docs/decisions/csv-alt-text.md).
 */
import type { AltText, Folder, IndexedAsset, Locale } from './api.ts';
import { csvRecord, UTF8_BOM } from './csv.ts';
import { DECORATIVE_YES, FIXED_COLUMNS, exportedFingerprint, headerRow, modelLocaleId, orderedLocales } from './csv-columns.ts';

export interface ExportSource {
  assets: readonly IndexedAsset[];
  folders: readonly Folder[];
  locales: readonly Locale[];
  /** The saved alt text of one locale (null: the primary); undefined: the locale has none of its own. */
  altText(asset: IndexedAsset, localeId: string | null): AltText | undefined;
  /** Uses per asset id (pages + placements + CMS items) when the usage index is built; null otherwise. */
  uses: ReadonlyMap<string, number> | null;
}

/** Each folder's path from the top, "Products/Shoes"; a cycle in bad data stops rather than loops. */
export function folderPaths(folders: readonly Folder[]): Map<string, string> {
  const byId = new Map(folders.map((folder) => [folder.id, folder]));
  const paths = new Map<string, string>();
  for (const folder of folders) {
    const names: string[] = [];
    const seen = new Set<string>();
    for (let current: Folder | undefined = folder; current && !seen.has(current.id); current = current.parentId ? byId.get(current.parentId) : undefined) {
      seen.add(current.id);
      names.unshift(current.name);
    }
    paths.set(folder.id, names.join('/'));
  }
  return paths;
}

/** The rows of an export (header first), each already a CSV record, a chunk at a time. */
export function* exportChunks(source: ExportSource, rowsPerChunk = 2000): Generator<string, void, undefined> {
  const locales = orderedLocales(source.locales).map(modelLocaleId);
  const paths = folderPaths(source.folders);
  let chunk = UTF8_BOM + csvRecord(headerRow(source.locales));
  let rows = 0;
  const cells: string[] = new Array<string>(FIXED_COLUMNS.length + locales.length * 2 + 1);
  const fingerprints: string[] = new Array<string>(locales.length);
  for (const asset of source.assets) {
    cells[0] = asset.id;
    cells[1] = asset.name;
    cells[2] = asset.folderId ? (paths.get(asset.folderId) ?? '') : '';
    cells[3] = asset.url;
    cells[4] = asset.contentType;
    cells[5] = source.uses ? String(source.uses.get(asset.id) ?? 0) : '';
    let column = FIXED_COLUMNS.length;
    locales.forEach((localeId, i) => {
      const text = source.altText(asset, localeId);
      cells[column] = text ?? '';
      cells[column + 1] = text === null ? DECORATIVE_YES : '';
      fingerprints[i] = exportedFingerprint(text ?? '', text === null);
      column += 2;
    });
    cells[column] = fingerprints.join('.');
    chunk += csvRecord(cells);
    rows += 1;
    if (rows % rowsPerChunk === 0) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

/** The whole export as one string: for the backend and tests (the panel builds a Blob a stretch at a time). */
export function exportText(source: ExportSource): string {
  let text = '';
  for (const chunk of exportChunks(source)) text += chunk;
  return text;
}

/** "Acme Studio alt text 2026-12-04.csv": safe on every file system, dated by the day given. */
export function exportFileName(siteName: string, now: Date): string {
  const site = siteName.replace(/[\\/:*?"<>|\p{Cc}]+/gu, ' ').replace(/\s+/g, ' ').trim().slice(0, 80) || 'Site';
  const day = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
  return `${site} alt text ${day}.csv`;
}
