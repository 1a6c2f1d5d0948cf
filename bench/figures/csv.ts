/**
 * CSV export and import in the panel's code, in Chromium: the longest main-thread task while
 * 100,000 rows are exported (against building the whole file in one task, the naive way), and
 * how long the preview of a 10,000-row import takes at 20,000 assets (issue 19: ≤ 2 s), from the
 * dropped file to the frame after its preview, with the longest task meanwhile (against the
 * same preview in one go). Tasks are seen by the Long Tasks API, which reports those over 50 ms.
 */
import type { Benchmark } from '../lib/figure.ts';
import { round } from '../lib/figure.ts';
import { buildBenchPage } from '../lib/pages.ts';
import { serveStatic } from '../lib/static-server.ts';
import { launchChromium, newPage } from '../../src/stack/chromium.ts';
import { rm } from 'node:fs/promises';

export const csv: Benchmark = {
  id: 'csv',
  async run(context) {
    const exportRows = context.size(100_000, 5_000);
    const siteAssets = context.size(20_000, 2_000);
    const importRows = context.size(10_000, 1_000);
    const pageDir = await buildBenchPage('csv');
    const site = await serveStatic(pageDir);
    const browser = await launchChromium();
    try {
      const page = await newPage(browser);
      await page.goto(new URL('bench/pages/csv.html', site.url).href);
      await page.waitForFunction(() => typeof window.runCsvBench === 'function');
      const result = await page.evaluate(([a, b, c]) => window.runCsvBench(a, b, c), [exportRows, siteAssets, importRows] as const);
      const held = Math.max(result.exportLongestTaskMs, 1);
      return [
        {
          name: `CSV export of ${exportRows.toLocaleString('en')} assets: longest main-thread task`,
          value: round(result.exportLongestTaskMs),
          unit: 'ms',
          baseline: round(result.oneGoMs),
          ratio: round(result.oneGoMs / held),
          target: 'no task over 50 ms (0 = none); baseline: the whole file in one task',
          pass: result.exportLongestTaskMs <= 50,
          command: 'npm run bench -- --only csv',
          notes: `${(result.characters / 1e6).toFixed(1)} M characters, written in ${round(result.exportMs)} ms with pauses; the Blob of its ${(result.blobBytes / 1e6).toFixed(1)} MB alone ${round(result.blobMs)} ms`,
        },
        {
          name: `CSV import preview of ${importRows.toLocaleString('en')} rows at ${siteAssets.toLocaleString('en')} assets`,
          value: round(result.previewMs),
          unit: 'ms',
          baseline: round(result.previewOneGoMs),
          ratio: round(result.previewMs / Math.max(result.previewOneGoMs, 1), 2),
          target: '≤ 2,000 ms (issue 19), no task over 50 ms; baseline: the same preview in one go, no pauses',
          pass: result.previewMs <= 2000 && result.previewLongestTaskMs <= 50,
          command: 'npm run bench -- --only csv',
          notes: `from the dropped file (${(result.importBytes / 1e6).toFixed(1)} MB) to the frame after its preview; ${result.changes.toLocaleString('en')} changes found; longest task ${round(result.previewLongestTaskMs)} ms (0 = none over 50 ms); decoding the bytes alone ${round(result.decodeMs)} ms (one step)`,
        },
      ];
    } finally {
      await browser.close();
      await site.close();
      await rm(pageDir, { recursive: true, force: true });
    }
  },
};
