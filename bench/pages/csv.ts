// The benchmark page: the panel's own CSV export and import preview over made-up assets, with
// every main-thread task longer than 50 ms recorded meanwhile. The preview is timed as the
// Import dialog reads a dropped file (`readImport`: size, bytes, encoding, then the rows in
// stretches with pauses) to the first frame after it, beside the same work done in one go.
import type { IndexedAsset, Locale } from '../../src/core/api.ts';
import { ownAltText } from '../../src/core/alt-lint.ts';
import { decodeCsvBytes, UTF8_BOM } from '../../src/core/csv.ts';
import { exportChunks, type ExportSource } from '../../src/core/csv-export.ts';
import { importSteps, type ImportResult, type ImportTarget } from '../../src/core/csv-import.ts';
import { buildExport } from '../../src/panel/csv/export-rows.ts';
import { readImport } from '../../src/panel/csv/read-import.ts';

export interface CsvBenchResult {
  characters: number;
  oneGoMs: number;
  blobMs: number;
  blobBytes: number;
  exportMs: number;
  exportLongestTaskMs: number;
  previewMs: number;
  previewLongestTaskMs: number;
  /** The same preview from the same file's bytes in one go, without pauses: what the work costs. */
  previewOneGoMs: number;
  /** Of which decoding the file's bytes (one step the pauses do not cut up). */
  decodeMs: number;
  importBytes: number;
  changes: number;
}

declare global {
  interface Window {
    runCsvBench(exportRows: number, siteAssets: number, importRows: number): Promise<CsvBenchResult>;
  }
}

const LOCALES: Locale[] = [
  { id: 'en', displayName: 'English', tag: 'en', primary: true },
  { id: 'fr', displayName: 'French', tag: 'fr', primary: false },
  { id: 'de', displayName: 'German', tag: 'de', primary: false },
];

function makeAssets(count: number): IndexedAsset[] {
  return Array.from({ length: count }, (_, n): IndexedAsset => ({
    id: `65f0c0ffee${String(n).padStart(14, '0')}`,
    name: `photo-${n}, "summer" édition.jpg`,
    fileName: `photo-${n}.jpg`,
    contentType: 'image/jpeg',
    size: 100_000 + n,
    url: `https://cdn.example/site/65f0c0ffee${n}_photo-${n}.jpg`,
    thumbUrl: null,
    folderId: null,
    createdOn: '2026-01-01T00:00:00Z',
    lastUpdated: '2026-01-01T00:00:00Z',
    altText: n % 7 === 0 ? null : `A golden retriever ${n} on a beach, seen from the dunes`,
    localeAltText: n % 3 === 0 ? { fr: `Un golden retriever ${n} sur une plage`, de: `Ein Golden Retriever ${n} am Strand` } : {},
    md5: null,
  }));
}

/** The work's time and its longest main-thread task over 50 ms (0 when there was none). */
async function measured<T>(work: () => Promise<T>): Promise<{ result: T; ms: number; longestTaskMs: number }> {
  const longTasks: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longTasks.push(entry.duration);
  });
  observer.observe({ type: 'longtask', buffered: false });
  const started = performance.now();
  const result = await work();
  const ms = performance.now() - started;
  // Long-task entries are delivered asynchronously: give the observer a moment to report.
  await new Promise((resolve) => setTimeout(resolve, 100));
  observer.disconnect();
  return { result, ms, longestTaskMs: Math.max(0, ...longTasks) };
}

window.runCsvBench = async (exportRows, siteAssets, importRows) => {
  const source: ExportSource = { assets: makeAssets(exportRows), folders: [], locales: LOCALES, altText: ownAltText, uses: null };
  const oneGoStarted = performance.now();
  const whole = [...exportChunks(source, Number.MAX_SAFE_INTEGER)].join('');
  const oneGoMs = performance.now() - oneGoStarted;
  await new Promise((resolve) => setTimeout(resolve, 200));
  const exported = await measured(() => buildExport(source));
  // The one step that cannot be cut up: handing the encoded chunks to a Blob.
  const encoder = new TextEncoder();
  const parts = [...exportChunks(source, 200)].map((chunk) => encoder.encode(chunk));
  const blobStarted = performance.now();
  const blob = new Blob(parts);
  const blobMs = performance.now() - blobStarted;

  const target: ImportTarget = { assets: makeAssets(siteAssets), locales: LOCALES, altText: ownAltText, hasDraft: () => false };
  // Every third row edited in English, so the preview has changes to count and lint.
  const lines = whole.split('\r\n').slice(0, importRows + 1);
  const text = lines.map((line, row) => (row > 0 && row % 3 === 0 ? line.replace('A golden retriever', 'A black labrador') : line)).join('\r\n');
  // As a spreadsheet saves it: UTF-8 with a BOM, in a File as the file picker or a drop hands it over.
  const file = new File([UTF8_BOM + text], 'alt-text.csv', { type: 'text/csv' });
  const bytes = encoder.encode(UTF8_BOM + text);
  const oneGo = (): { ms: number; decodeMs: number } => {
    const started = performance.now();
    const decoded = decodeCsvBytes(bytes);
    const decodeMs = performance.now() - started;
    if (!decoded.ok) throw new Error(decoded.reason);
    const steps = importSteps(decoded.text, target, file.name, Number.MAX_SAFE_INTEGER);
    let step = steps.next();
    while (!step.done) step = steps.next();
    if (!step.value.ok) throw new Error(step.value.reason);
    return { ms: performance.now() - started, decodeMs };
  };
  // Once to warm up the code both ways share, then each measured in turn.
  oneGo();
  await new Promise((resolve) => setTimeout(resolve, 200));
  const previewed = await measured(async () => {
    const result: ImportResult = await readImport(file, target);
    if (!result.ok) throw new Error(result.reason);
    // The dialog shows the preview in the frame after the result: wait for that frame.
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
    return result.preview.changes.length;
  });
  await new Promise((resolve) => setTimeout(resolve, 200));
  const baseline = oneGo();
  return {
    characters: whole.length,
    oneGoMs,
    blobMs,
    blobBytes: blob.size,
    exportMs: exported.ms,
    exportLongestTaskMs: exported.longestTaskMs,
    previewMs: previewed.ms,
    previewLongestTaskMs: previewed.longestTaskMs,
    previewOneGoMs: baseline.ms,
    decodeMs: baseline.decodeMs,
    importBytes: file.size,
    changes: previewed.result,
  };
};
