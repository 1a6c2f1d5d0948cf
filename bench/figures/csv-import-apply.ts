/**
 * A 10,000-row CSV import applied with the panel closed (issue 19: at ≥ 0.95 of the quota's
 * bound): the site's export from `GET …/csv/export`, the primary locale's alt text edited in
 * every image row, sent to `POST …/csv/import` (one journaled batch), then applied by the server
 * applier, with the sandbox's quota at 120 per window in fast mode. Measured from the import's
 * request to the last change recorded as applied, as changes per second, against the most the
 * quota allows: one PATCH per change, a window's worth at once and each further window's when
 * it opens, at the share of a window the backend's quota lets background work use.
 */
import { csvRecord, parseCsv, UTF8_BOM } from '../../src/core/csv.ts';
import type { Benchmark } from '../lib/figure.ts';
import { round } from '../lib/figure.ts';
import { api, openSession, waitForCrawl, waitForIndex } from '../lib/session.ts';
import { capsOf } from '../../src/server/webflow/quota.ts';
import { requestSpan, resetSandboxStats, sandboxStats, windowPace, withStack } from '../lib/stacks.ts';

const PER_WINDOW = 120;
/**
 * Two-second windows (time scaled 30×), not fast mode's one second: what the quota spends at
 * each window's start (the answer to the request that opened the previous one, the store, the
 * timers: 15–60 ms measured, `windows` in the notes) and the import request before the first
 * PATCH (1–4 s) are fixed costs. Against Webflow's minute they are ~0.05% of a window and of an
 * 83-minute import; at one second they were 2–6% of each window, a figure of fast mode rather than
 * of the applier. At two seconds they are still 25 times what they are against Webflow.
 */
const WINDOW_MS = 2_000;

interface ChangesAnswer {
  counts: Partial<Record<string, number>>;
}

/** The export with the primary alt text of its first `rows` image rows rewritten, and how many it rewrote. */
function editedExport(exported: string, rows: number): { text: string; edited: number } {
  const [header, ...records] = parseCsv(exported.replace(/^\uFEFF/, ''));
  if (!header) throw new Error('The export has no header.');
  const type = header.indexOf('type');
  const alt = header.findIndex((name) => name.startsWith('alt:'));
  const decorative = header.findIndex((name) => name.startsWith('decorative:'));
  if (type === -1 || alt === -1 || decorative === -1) throw new Error(`The export's columns are not the expected ones: ${header.join(', ')}`);
  let edited = 0;
  const lines = [csvRecord(header)];
  for (const record of records) {
    if (edited < rows && record[type]?.startsWith('image/')) {
      record[alt] = `Imported alt text ${edited}`;
      record[decorative] = '';
      edited += 1;
    }
    lines.push(csvRecord(record));
  }
  return { text: UTF8_BOM + lines.join(''), edited };
}

export const csvImportApply: Benchmark = {
  id: 'csv-import-apply',
  async run(context) {
    const rows = context.size(10_000, 360);
    // About four in five of the demo site's assets are images.
    const assets = Math.max(1_200, Math.ceil(rows * 1.3));
    return withStack({ demo: { assets }, rateLimit: { perWindow: PER_WINDOW, windowMs: WINDOW_MS }, withoutPanel: true }, async (stack) => {
      const token = await openSession(stack);
      await waitForIndex(stack, token, assets);
      // The usage crawl that follows the first refresh shares the quota: not in the measured window.
      await waitForCrawl(stack, token, null);
      const exported = await fetch(new URL(`/api/sites/${stack.siteId}/csv/export`, stack.backendUrl), { headers: { authorization: `Bearer ${token}` } });
      if (!exported.ok) throw new Error(`The export answered ${exported.status}: ${await exported.text()}`);
      const { text, edited } = editedExport(await exported.text(), rows);
      if (edited < rows) throw new Error(`The demo site has only ${edited} images.`);
      await new Promise((resolve) => setTimeout(resolve, 2 * WINDOW_MS));
      await resetSandboxStats(stack);

      const started = Date.now();
      const imported = await api<{ recorded: number }>(stack, token, `/api/sites/${stack.siteId}/csv/import?fileName=bench.csv`, {
        method: 'POST',
        headers: { 'content-type': 'text/csv; charset=utf-8' },
        body: text,
      });
      const importedMs = Date.now() - started;
      if (imported.recorded !== rows) throw new Error(`The import recorded ${imported.recorded} changes, not ${rows}.`);
      let counts: ChangesAnswer['counts'];
      for (;;) {
        ({ counts } = await api<ChangesAnswer>(stack, token, `/api/sites/${stack.siteId}/changes?status=pending,leased&limit=1`));
        if ((counts.pending ?? 0) + (counts.leased ?? 0) === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      // To the poll that saw nothing open (every 50 ms: at most 0.03 % of the 10,000 rows' 174 s):
      // the journal's list, which holds the applied times, stops at 5,000 changes.
      const ms = Date.now() - started;
      const stats = await sandboxStats(stack);
      const applied = counts.applied ?? 0;
      // The quota's bound for one PATCH per change: the first window's at once, each further
      // one's when it opens, at the share of a window the backend's quota lets background work
      // use (the rest is kept for designers opening the panel: docs/decisions/apply-bounds.md).
      const share = capsOf(PER_WINDOW).interactive;
      const boundMs = Math.max(1, Math.ceil(rows / share) - 1) * WINDOW_MS;
      const wholeLimitMs = Math.max(1, Math.ceil(rows / PER_WINDOW) - 1) * WINDOW_MS;
      const rate = applied / (ms / 1000);
      const boundRate = rows / (boundMs / 1000);
      return [
        {
          name: `CSV import of ${rows.toLocaleString('en')} rows applied, panel closed (quota 120 per 2-second window)`,
          value: round(rate),
          unit: 'changes/s',
          baseline: round(boundRate),
          ratio: round(rate / boundRate, 2),
          target: '≥ 0.95 × the quota’s bound (issue 19)',
          pass: applied >= rows && stats.tooManyRequests === 0 && rate >= 0.95 * boundRate,
          command: `npm run bench -- --only csv-import-apply${context.small ? ' --small' : ''}`,
          notes: `${applied.toLocaleString('en')} applied in ${round(ms / 1000, 2)} s (the import request itself ${importedMs} ms); bound at ${share} of ${PER_WINDOW} requests a window for background work (at all ${PER_WINDOW}: ${round(rows / (wholeLimitMs / 1000))} changes/s, ${round(rate / (rows / (wholeLimitMs / 1000)), 2)}×); ${stats.requests} Data API requests (${round((stats.requests - applied) / Math.max(applied, 1), 3)} a change beyond its PATCH: ${Object.entries(stats.byRoute).map(([route, n]) => `${n} × ${route}`).join(', ')}); ${stats.tooManyRequests} 429s; ${windowPace(stats, WINDOW_MS)}; ${requestSpan(stats, started, started + ms)}`,
        },
      ];
    });
  },
};
