/**
 * The export: one row per asset with the alt text the designer sees as saved (what Webflow has,
 * or will have once the journal is applied), written in chunks so 100,000 rows never hold the
 * panel for more than a few milliseconds at a time.
 */
import type { AltText, Folder, IndexedAsset, Locale } from '../../core/api.ts';
import { csvRecord, UTF8_BOM } from '../../core/csv.ts';
import { DECORATIVE_YES, FIXED_COLUMNS, headerRow, modelLocaleId, orderedLocales } from './columns.ts';

export interface ExportSource {
  assets: readonly IndexedAsset[];
  folders: readonly Folder[];
  locales: readonly Locale[];
  /** The saved alt text of one locale; undefined: the locale has none of its own. */
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
  const cells: string[] = new Array<string>(FIXED_COLUMNS.length + locales.length * 2);
  for (const asset of source.assets) {
    cells[0] = asset.id;
    cells[1] = asset.name;
    cells[2] = asset.folderId ? (paths.get(asset.folderId) ?? '') : '';
    cells[3] = asset.url;
    cells[4] = asset.contentType;
    cells[5] = source.uses ? String(source.uses.get(asset.id) ?? 0) : '';
    let column = FIXED_COLUMNS.length;
    for (const localeId of locales) {
      const text = source.altText(asset, localeId);
      cells[column] = text ?? '';
      cells[column + 1] = text === null ? DECORATIVE_YES : '';
      column += 2;
    }
    chunk += csvRecord(cells);
    rows += 1;
    if (rows % rowsPerChunk === 0) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

/** "Acme Studio alt text 2026-12-04.csv": safe on every file system, dated by the designer's day. */
export function exportFileName(siteName: string, now: Date): string {
  const site = siteName.replace(/[\\/:*?"<>|\p{Cc}]+/gu, ' ').replace(/\s+/g, ' ').trim().slice(0, 80) || 'Site';
  const day = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
  return `${site} alt text ${day}.csv`;
}

/** Lets the browser paint and handle input between chunks. */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * How long one stretch of work may hold the panel before it lets a frame through: well inside
 * a 60 Hz frame, whatever the machine's speed (a slow laptop does fewer rows per stretch).
 */
export const WORK_BUDGET_MS = 8;

/**
 * The export as a file, built in small chunks with a pause whenever a stretch of work has taken
 * {@link WORK_BUDGET_MS}. `onProgress` hears the rows written so far. No single string of the
 * whole file is ever made, and the file grows a stretch at a time: a Blob made of other Blobs
 * refers to their bytes, where one made of a whole file's chunks at the end copied 20 MB in
 * one task (about 100 ms in Chromium).
 */
export async function buildExport(source: ExportSource, onProgress?: (rows: number) => void, rowsPerChunk = 200): Promise<Blob> {
  const type = 'text/csv;charset=utf-8';
  const encoder = new TextEncoder();
  let file = new Blob([], { type });
  let stretchParts: Uint8Array<ArrayBuffer>[] = [];
  let rows = 0;
  let stretch = performance.now();
  for (const chunk of exportChunks(source, rowsPerChunk)) {
    stretchParts.push(encoder.encode(chunk));
    rows = Math.min(source.assets.length, rows + rowsPerChunk);
    if (performance.now() - stretch >= WORK_BUDGET_MS) {
      file = new Blob([file, ...stretchParts], { type });
      stretchParts = [];
      onProgress?.(rows);
      await nextTask();
      stretch = performance.now();
    }
  }
  onProgress?.(rows);
  return new Blob([file, ...stretchParts], { type });
}
