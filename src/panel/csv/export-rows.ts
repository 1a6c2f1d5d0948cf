/**
 * The export as a file in the panel: the rows of src/core/csv-export.ts (the backend's export
 * writes the same), with the alt text the designer sees as saved (what Webflow has, or will have
 * once the journal is applied), built in stretches so 100,000 rows never hold the panel for more
 * than a few milliseconds at a time.
 */
import { exportChunks, type ExportSource } from '../../core/csv-export.ts';

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
