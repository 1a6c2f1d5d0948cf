/**
 * From the file the designer picked to a preview: size and encoding checked first, then the
 * records read in stretches of a few milliseconds with a pause between them, so a 100,000-row
 * file keeps the panel answering while it is read.
 */
import { CsvReader, CsvSyntaxError, decodeCsvBytes, type CsvDelimiter } from '../../core/csv.ts';
import { ImportHeaderError, ImportPreviewBuilder, mapColumns, type ImportPreview, type ImportTarget } from './import-preview.ts';
import { nextTask, WORK_BUDGET_MS } from './export-rows.ts';

/** Larger than any site's alt text (100,000 assets × 3 locales at 60 characters is about 20 MB). */
export const MAX_IMPORT_BYTES = 30 * 1024 * 1024;
export const MAX_IMPORT_ROWS = 200_000;
/** Rows between looks at the clock. */
const ROWS_PER_CHECK = 50;

export type ReadImportResult = { ok: true; preview: ImportPreview; delimiter: CsvDelimiter } | { ok: false; reason: string };

export interface ImportFile {
  name: string;
  size: number;
  arrayBuffer(): Promise<ArrayBuffer>;
}

const MB = 1024 * 1024;

export async function readImport(file: ImportFile, target: ImportTarget, onProgress?: (rows: number) => void): Promise<ReadImportResult> {
  if (file.size > MAX_IMPORT_BYTES) {
    return {
      ok: false,
      reason: `${file.name} is ${(file.size / MB).toFixed(1)} MB; Asset Desk imports files of at most ${MAX_IMPORT_BYTES / MB} MB. Split it into smaller files, or leave out columns other than id and alt text.`,
    };
  }
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await file.arrayBuffer());
  } catch {
    return { ok: false, reason: `${file.name} could not be read. Check that it is still there, and choose it again.` };
  }
  const decoded = decodeCsvBytes(bytes);
  if (!decoded.ok) return { ok: false, reason: `${file.name}: ${decoded.reason}` };
  return readImportText(decoded.text, target, onProgress, file.name);
}

export async function readImportText(text: string, target: ImportTarget, onProgress?: (rows: number) => void, fileName = 'The file'): Promise<ReadImportResult> {
  const reader = new CsvReader(text);
  try {
    const header = reader.next();
    if (!header || header.every((cell) => cell.trim() === '')) return { ok: false, reason: `${fileName} has no header row: it is empty.` };
    const builder = new ImportPreviewBuilder(target, mapColumns(header, target.locales));
    let stretch = performance.now();
    for (let record = reader.next(); record; record = reader.next()) {
      if (reader.row - 1 > MAX_IMPORT_ROWS) {
        return { ok: false, reason: `${fileName} has more than ${MAX_IMPORT_ROWS.toLocaleString('en')} rows; split it into smaller files.` };
      }
      builder.add(record, reader.row);
      if (reader.row % ROWS_PER_CHECK === 0 && performance.now() - stretch >= WORK_BUDGET_MS) {
        onProgress?.(reader.row - 1);
        await nextTask();
        stretch = performance.now();
      }
    }
    const preview = builder.result();
    if (preview.rows === 0) return { ok: false, reason: `${fileName} has a header row but no rows of assets.` };
    return { ok: true, preview, delimiter: reader.delimiter };
  } catch (failure) {
    if (failure instanceof CsvSyntaxError || failure instanceof ImportHeaderError) return { ok: false, reason: `${fileName}: ${failure.message}` };
    throw failure;
  }
}

/**
 * The journal batch's label: at most 200 UTF-16 units are taken (with " (part 2 of 3)" added
 * past 5,000 changes), and a file name may have 255, so a long one is cut, never inside a pair.
 */
export function importLabel(fileName: string): string {
  if (fileName.length <= MAX_LABEL_NAME) return `Import alt text from ${fileName}`;
  const cut = /[\uD800-\uDBFF]/.test(fileName[MAX_LABEL_NAME - 2] ?? '') ? MAX_LABEL_NAME - 2 : MAX_LABEL_NAME - 1;
  return `Import alt text from ${fileName.slice(0, cut)}…`;
}

const MAX_LABEL_NAME = 120;
