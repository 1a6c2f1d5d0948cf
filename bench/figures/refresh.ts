/**
 * A full refresh of the index from the Data API: requests used, time against the quota's bound,
 * and 429s, with the sandbox's quota at 60 per window in fast mode (1 s windows: time scaled 60×).
 * Baseline: the quota's bound itself, the least time any client could take for these requests.
 *
 * The usage crawl follows every refresh (docs/decisions/usage-index.md): the first one is waited
 * for before the measured refresh starts, and the one that follows it is waited for too and its
 * requests (as the crawl counts them) taken out of the sandbox's count, so the figure counts the
 * refresh's own requests. The crawl starts after the refresh finished, so it takes none of its time.
 */
import type { Benchmark } from '../lib/figure.ts';
import { round } from '../lib/figure.ts';
import { api, openSession, waitForCrawl, waitForIndex } from '../lib/session.ts';
import { FAST_WINDOW_MS, resetSandboxStats, sandboxStats, windowPace, withStack, type SandboxStats } from '../lib/stacks.ts';

const PER_WINDOW = 60;

interface RefreshAnswer {
  version: number;
  refresh: { state: string; done: number; finishedAt: string | null };
}

export const refresh: Benchmark = {
  id: 'refresh',
  async run(context) {
    const assets = context.assets(10_000, 1_000);
    return withStack({ demo: { assets }, rateLimit: { perWindow: PER_WINDOW, windowMs: FAST_WINDOW_MS }, withoutPanel: true }, async (stack) => {
      const token = await openSession(stack);
      await waitForIndex(stack, token, assets);
      const firstCrawl = await waitForCrawl(stack, token, null);
      // Let the quota refill so the measured refresh starts as a scheduled one would.
      await new Promise((resolve) => setTimeout(resolve, 2 * FAST_WINDOW_MS));
      // Poll with the version held, as a panel does: asking since 0 would read the whole index
      // every time and slow the refresh being measured.
      const { version } = await api<RefreshAnswer>(stack, token, `/api/sites/${stack.siteId}/index/changes?since=${Number.MAX_SAFE_INTEGER}`);
      await resetSandboxStats(stack);
      const started = Date.now();
      const before = new Date(started).toISOString();
      await api(stack, token, `/api/sites/${stack.siteId}/index/refresh`, { method: 'POST' });
      let finishedAt: string;
      for (;;) {
        const state = await api<RefreshAnswer>(stack, token, `/api/sites/${stack.siteId}/index/changes?since=${version}`);
        if (state.refresh.state === 'idle' && state.refresh.finishedAt && state.refresh.finishedAt > before) {
          finishedAt = state.refresh.finishedAt;
          break;
        }
        if (state.refresh.state === 'failed') throw new Error('The refresh failed.');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      // To the moment the backend recorded the refresh as finished (same machine, same clock),
      // not to the poll that saw it: polling every 50 ms would add 25 ms on average.
      const ms = Date.parse(finishedAt) - started;
      const crawl = await waitForCrawl(stack, token, firstCrawl.finishedAt);
      const stats = await sandboxStats(stack);
      const requests = stats.requests - crawl.done;
      // Webflow lists one locale's alt text at a time, so each secondary locale costs a listing
      // of its own (docs/decisions/index-refresh-cost.md): site + folders + pages × locales.
      const { site } = await api<{ site: { locales: unknown[] } }>(stack, token, `/api/sites/${stack.siteId}/index`);
      const locales = Math.max(1, site.locales.length);
      const expected = 2 + Math.ceil(assets / 100) * locales;
      // The quota's bound: the least time PER_WINDOW requests per fixed window allow. The first
      // window's requests go at once; each further window's can start only when it opens, so R
      // requests end no sooner than (ceil(R / PER_WINDOW) - 1) windows after the first.
      const boundMs = (Math.ceil(requests / PER_WINDOW) - 1) * FAST_WINDOW_MS;
      const pass = requests <= expected && stats.tooManyRequests === 0 && ms <= Math.max(1.05 * boundMs, FAST_WINDOW_MS);
      return [
        {
          name: `refresh of ${assets} assets (quota 60/window, fast mode)`,
          value: round(ms),
          unit: 'ms',
          baseline: round(boundMs),
          ratio: round(boundMs / ms, 2),
          target: 'requests = 2 + ceil(N/100) × locales; ≤ 1.05 × bound; zero 429s',
          pass,
          command: 'npm run bench -- --only refresh',
          notes: `${requests} Data API requests of the refresh (2 + ceil(N/100) × ${locales} locales = ${expected}), and ${crawl.done} of the usage crawl that follows it (${stats.requests} in all); ${stats.tooManyRequests} 429s; ${firstRequest(stats, started)}; ${windowPace({ ...stats, windows: stats.windows.filter((window) => window.startedAt <= started + ms) }, FAST_WINDOW_MS)} (the crawl's windows left out)`,
        },
      ];
    });
  },
};

/** Only the first request's moment: the sandbox's last one is the crawl's, after the refresh ended. */
function firstRequest(stats: SandboxStats, started: number): string {
  return stats.firstAt === null ? 'no Data API request' : `first request ${Math.round(stats.firstAt - started)} ms after the start`;
}
