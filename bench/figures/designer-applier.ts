/**
 * 1,000 alt-text changes applied by the panel's Designer applier in Chromium, the sandbox's
 * Designer API at 1 ms per round trip. Baseline: one `setAltText` awaited after another for the
 * same assets, the way a simple extension would write them.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Benchmark } from '../lib/figure.ts';
import { round } from '../lib/figure.ts';
import { designerOnlyPage, openPanel } from '../lib/panel-page.ts';
import { api, openSession, waitForIndex } from '../lib/session.ts';
import { FAST_WINDOW_MS, withStack } from '../lib/stacks.ts';
import { launchChromium, newPage } from '../../src/stack/chromium.ts';

interface IndexAnswer {
  assets: Array<{ id: string; altText: string | null; contentType: string }>;
}
interface ChangesAnswer {
  changes: Array<{ appliedBy: 'designer' | 'server' | null; appliedAt: string | null }>;
  counts: Partial<Record<string, number>>;
}

export const designerApplier: Benchmark = {
  id: 'designer-applier',
  async run(context) {
    const changes = context.size(1_000, 100);
    const assets = Math.max(1_500, Math.ceil(changes * 2.5)); // about 9 in 10 demo assets are images
    return withStack(
      { demo: { assets }, rateLimit: { perWindow: 60, windowMs: FAST_WINDOW_MS }, designerLatencyMs: 1 },
      async (stack) => {
        const token = await openSession(stack);
        await waitForIndex(stack, token, assets);
        const index = await api<IndexAnswer>(stack, token, `/api/sites/${stack.siteId}/index`);
        const images = index.assets.filter((asset) => asset.contentType.startsWith('image/'));
        const forPanel = images.slice(0, changes);
        const forBaseline = images.slice(changes, changes * 2).map((asset) => asset.id);
        if (forPanel.length < changes || forBaseline.length < changes) throw new Error('Not enough images on the demo site.');

        const browser = await launchChromium();
        const baselineServer = createServer((_, response) => {
          response.writeHead(200, { 'content-type': 'text/html' }).end(designerOnlyPage(stack.sandbox.info.designerScriptUrl));
        });
        await new Promise<void>((resolve) => baselineServer.listen(0, '127.0.0.1', resolve));
        try {
          await openPanel(browser, stack.panelUrl);
          const recording = Date.now();
          await api(stack, token, `/api/sites/${stack.siteId}/changes`, {
            method: 'POST',
            body: JSON.stringify({
              label: 'Benchmark',
              changes: forPanel.map((asset, i) => ({ assetId: asset.id, field: 'altText', before: asset.altText, after: `Designer benchmark ${i}` })),
            }),
          });
          // From the moment the journal holds the batch (as the baseline starts with its calls);
          // the panel's applier, waiting at the backend for work, takes it as it would a CSV import.
          const started = Date.now();
          const recordMs = started - recording;
          for (;;) {
            const open = await api<ChangesAnswer>(stack, token, `/api/sites/${stack.siteId}/changes?status=pending,leased&limit=1`);
            if ((open.counts.pending ?? 0) + (open.counts.leased ?? 0) === 0) break;
            // A light poll: the backend under test (and its PGlite) runs in this process.
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
          const applied = await api<ChangesAnswer>(stack, token, `/api/sites/${stack.siteId}/changes?status=applied&limit=5000`);
          // Applied when the journal took the last acknowledgement (as the server applier's figure), not when this poll noticed.
          const ms = Math.max(...applied.changes.map((change) => Date.parse(change.appliedAt ?? ''))) - started;
          const byDesigner = applied.changes.filter((change) => change.appliedBy === 'designer').length;
          const appliedCount = applied.counts.applied ?? 0;

          const baselinePage = await newPage(browser);
          await baselinePage.goto(`http://127.0.0.1:${(baselineServer.address() as AddressInfo).port}/`);
          const baseline = await baselinePage.evaluate(async (ids) => {
            const handles = await Promise.all(ids.map((id) => webflow.getAssetById(id)));
            const begun = performance.now();
            for (const [i, asset] of handles.entries()) await asset?.setAltText(`Baseline ${i}`);
            return performance.now() - begun;
          }, forBaseline);
          const ratio = baseline / ms;
          return [
            {
              name: `${changes} alt-text changes, Designer applier`,
              value: round(ms),
              unit: 'ms',
              baseline: round(baseline),
              ratio: round(ratio, 2),
              target: '≥ 4× faster than the baseline, no change lost',
              pass: ratio >= 4 && appliedCount >= changes,
              command: 'npm run bench -- --only designer-applier',
              notes: `${appliedCount} applied (${byDesigner} by the Designer applier); from journaled to applied (journaling the batch took ${round(recordMs)} ms)`,
            },
          ];
        } finally {
          await browser.close();
          baselineServer.closeAllConnections();
          baselineServer.close();
        }
      },
    );
  },
};
