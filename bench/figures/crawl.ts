/**
 * The usage index's crawl of the demo site's pages, components and CMS, measured against the
 * sandbox with its quota at 60 per window in fast mode (1 s windows: time scaled 60×), so the
 * docs' request counts and times at 60 req/min are read off a run rather than only computed.
 * Baseline: the quota's bound for the requests the crawl made (docs/benchmarks.md): a background
 * crawl may use 57 of each window (the session reserve keeps 3), so R requests need at least
 * ⌈R / 57⌉ − 1 windows after the first.
 */
import type { Benchmark, Figure } from '../lib/figure.ts';
import { round } from '../lib/figure.ts';
import { api, openSession, waitForCrawl, waitForIndex } from '../lib/session.ts';
import { FAST_WINDOW_MS, resetSandboxStats, sandboxStats, withStack } from '../lib/stacks.ts';

const PER_WINDOW = 60;
/** What a background crawl may use of each window (the quota keeps 3 for the session). */
const BACKGROUND_PER_WINDOW = 57;
/** The assets do not change the crawl's cost (pages and items are the demo's, whatever their number). */
const ASSETS = 1_200;

interface IndexState {
  refresh: { state: string; finishedAt: string | null };
}

export const crawl: Benchmark = {
  id: 'crawl',
  async run() {
    return withStack({ demo: { assets: ASSETS }, rateLimit: { perWindow: PER_WINDOW, windowMs: FAST_WINDOW_MS }, withoutPanel: true }, async (stack) => {
      const token = await openSession(stack);
      const usagePath = `/api/sites/${stack.siteId}/usage`;
      await waitForIndex(stack, token, ASSETS);
      const index = await api<IndexState>(stack, token, `/api/sites/${stack.siteId}/index`);
      if (!index.refresh.finishedAt) throw new Error('The first refresh has no finishing time.');

      // The first crawl follows the first refresh at once (docs/decisions/usage-index.md).
      const first = await waitForCrawl(stack, token, null);
      const firstMs = Date.parse(first.finishedAt) - Date.parse(index.refresh.finishedAt);

      // Then a crawl on demand with nothing changed: the incremental cost.
      await new Promise((resolve) => setTimeout(resolve, 2 * FAST_WINDOW_MS));
      await resetSandboxStats(stack);
      const started = Date.now();
      await api(stack, token, `${usagePath}/crawl`, { method: 'POST' });
      const again = await waitForCrawl(stack, token, first.finishedAt);
      const againMs = Date.parse(again.finishedAt) - started;
      const stats = await sandboxStats(stack);

      const figure = (name: string, requests: number, ms: number, notes: string): Figure => {
        const boundMs = (Math.ceil(requests / BACKGROUND_PER_WINDOW) - 1) * FAST_WINDOW_MS;
        return {
          name,
          value: round(ms),
          unit: 'ms',
          baseline: round(boundMs),
          ratio: boundMs > 0 ? round(boundMs / ms, 2) : null,
          target: '≤ 1.1 × the quota bound + one window; zero 429s',
          pass: stats.tooManyRequests === 0 && ms <= 1.1 * boundMs + FAST_WINDOW_MS,
          command: 'npm run bench -- --only crawl',
          notes: `${requests} Data API requests; at 60 req/min ≈ ${atRealPace(requests, ms, boundMs)}; ${notes}`,
        };
      };
      return [
        figure('usage crawl, first (demo site, quota 60/window, fast mode)', first.done, firstMs, 'from the end of the first refresh to the crawl recorded as finished'),
        figure('usage crawl, nothing changed (demo site, fast mode)', stats.requests, againMs, `the backend counted ${again.done}; ${stats.tooManyRequests} 429s`),
      ];
    });
  },
};

/**
 * The same crawl against Webflow's 60-second windows (61.2 s with the quota's margin): the waits
 * for windows scale 60×, the work between them (round trips, the store) does not.
 */
function atRealPace(requests: number, ms: number, boundMs: number): string {
  const windows = Math.ceil(requests / BACKGROUND_PER_WINDOW) - 1;
  const seconds = windows * 61.2 + Math.max(0, ms - boundMs) / 1000;
  return seconds < 60 ? `${round(seconds, 1)} s` : `${round(seconds / 60, 1)} min`;
}
