/**
 * The scheduling of a background applier: look for sites with work every `pollMs`, drain each
 * site in one run at a time, leave a site alone while it was told to wait (Retry-After, no
 * installation), and stop after the work under way. The server applier and the deletion
 * applier run on it.
 */
export interface SiteLoopOptions {
  /** Applies the site's open work; resolves when none is left or the site must wait. */
  drainSite(siteId: string): Promise<void>;
  /** Sites with work waiting. */
  sitesWithWork(): Promise<string[]>;
  pollMs: number;
  onError(error: unknown, siteId: string): void;
  /** Runs before each look for work (housekeeping). */
  beforePoll?(): Promise<void>;
}

export type SiteLoop = ReturnType<typeof createSiteLoop>;

export function createSiteLoop(options: SiteLoopOptions) {
  const { pollMs } = options;
  const running = new Map<string, Promise<void>>();
  const waitUntil = new Map<string, number>();
  let stopped = true;
  let timer: NodeJS.Timeout | undefined;
  const mayRun = (siteId: string) => (waitUntil.get(siteId) ?? 0) <= Date.now();

  function runSite(siteId: string): Promise<void> {
    const existing = running.get(siteId);
    if (existing) return existing;
    const run = options
      .drainSite(siteId)
      .catch((error: unknown) => {
        options.onError(error, siteId);
        waitUntil.set(siteId, Date.now() + pollMs);
      })
      .finally(() => running.delete(siteId));
    running.set(siteId, run);
    return run;
  }

  async function poll(): Promise<void> {
    try {
      await options.beforePoll?.();
      for (const siteId of await options.sitesWithWork()) if (mayRun(siteId)) void runSite(siteId);
    } catch (error) {
      options.onError(error, '*');
    }
    if (!stopped) timer = setTimeout(() => void poll(), pollMs);
  }

  return {
    /** True once stopped (and before started): work under way ends after its current step. */
    get stopped(): boolean {
      return stopped;
    },
    /** Leaves the site alone for `ms`. */
    wait(siteId: string, ms: number): void {
      waitUntil.set(siteId, Date.now() + ms);
    },
    /** Whether the site may run now (it was not told to wait). */
    mayRun,
    start(): void {
      if (!stopped) return;
      stopped = false;
      void poll();
    },
    /** Looks for work on the site now, unless it was told to wait. */
    kick(siteId: string): void {
      if (!stopped && mayRun(siteId)) void runSite(siteId);
    },
    /** Looks for sites with work now rather than at the next poll. */
    pollNow(): void {
      if (stopped) return;
      clearTimeout(timer);
      void poll();
    },
    /** Drains the site now, even when stopped or told to wait (tests, benchmarks). */
    async drain(siteId: string): Promise<void> {
      const wasStopped = stopped;
      stopped = false;
      waitUntil.delete(siteId);
      try {
        await runSite(siteId);
      } finally {
        stopped = wasStopped;
      }
    },
    async stop(): Promise<void> {
      stopped = true;
      clearTimeout(timer);
      await Promise.all(running.values());
    },
  };
}
