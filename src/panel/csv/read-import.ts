/**
 * From the file the designer picked to a preview: size and encoding checked first, then the
 * records read in stretches of a few milliseconds with a pause between them, so a 100,000-row
 * file keeps the panel answering while it is read.
 */
import { decodeCsvSteps, type DecodedCsv } from '../../core/csv.ts';
import { importSteps, importTooLarge, type ImportResult, type ImportTarget } from '../../core/csv-import.ts';
import { nextTask, WORK_BUDGET_MS } from './export-rows.ts';

/** Rows between looks at the clock. */
const ROWS_PER_CHECK = 50;

export interface ImportFile {
  name: string;
  size: number;
  arrayBuffer(): Promise<ArrayBuffer>;
}

export async function readImport(file: ImportFile, target: ImportTarget, onProgress?: (rows: number) => void): Promise<ImportResult> {
  const tooLarge = importTooLarge(file.name, file.size);
  if (tooLarge) return { ok: false, reason: tooLarge };
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await file.arrayBuffer());
  } catch {
    return { ok: false, reason: `${file.name} could not be read. Check that it is still there, and choose it again.` };
  }
  const decoded = await decodeInStretches(bytes);
  if (!decoded.ok) return { ok: false, reason: `${file.name}: ${decoded.reason}` };
  return readImportText(decoded.text, target, onProgress, file.name);
}

export async function readImportText(text: string, target: ImportTarget, onProgress?: (rows: number) => void, fileName = 'The file'): Promise<ImportResult> {
  return inStretches(importSteps(text, target, fileName, ROWS_PER_CHECK), onProgress);
}

/** The file's text, decoded a slice at a time. */
function decodeInStretches(bytes: Uint8Array): Promise<DecodedCsv> {
  return inStretches(decodeCsvSteps(bytes));
}

/** Runs steps to their end, with a pause whenever a stretch of work is spent; `onPause` hears the step's value then. */
async function inStretches<T, R>(steps: Generator<T, R>, onPause?: (value: T) => void): Promise<R> {
  let stretch = performance.now();
  for (let step = steps.next(); ; step = steps.next()) {
    if (step.done) return step.value;
    if (performance.now() - stretch >= WORK_BUDGET_MS) {
      onPause?.(step.value);
      await nextTask();
      stretch = performance.now();
    }
  }
}
