import { startStack, type Stack, type StackOptions } from '../../src/stack/stack.ts';

/** Fast mode: the sandbox's quota per one-second window instead of per minute, time scaled 60×. */
export const FAST_WINDOW_MS = 1000;

export async function withStack<T>(options: StackOptions, use: (stack: Stack) => Promise<T>): Promise<T> {
  const stack = await startStack(options);
  try {
    return await use(stack);
  } finally {
    await stack.close();
  }
}

export interface SandboxStats {
  requests: number;
  tooManyRequests: number;
  /** When the first and the last counted request arrived at the sandbox (epoch ms). */
  firstAt: number | null;
  lastAt: number | null;
  /** Requests per `METHOD /path`, ids as `:id`. */
  byRoute: Record<string, number>;
  /** The rate-limit windows the sandbox opened, with the requests each let through. */
  windows: Array<{ startedAt: number; requests: number }>;
}

/** Where a measured span went: before the sandbox saw the first request, and after the last. */
export function requestSpan(stats: SandboxStats, started: number, finished: number): string {
  if (stats.firstAt === null || stats.lastAt === null) return 'no Data API request';
  return `first request ${Math.round(stats.firstAt - started)} ms after the start, the last ${Math.round(finished - stats.lastAt)} ms before the end`;
}

/**
 * How the quota's windows were spent: how many the sandbox opened, their mean fill, and how long
 * after the previous window's end each opened (the quota's own time per window: the answer to
 * the request that opened it, the store, the timers). At Webflow's minute this time is ~0.1% of a
 * window; at fast mode's second it is what keeps a figure from its bound.
 */
export function windowPace(stats: SandboxStats, windowMs: number): string {
  const windows = stats.windows;
  if (windows.length === 0) return 'no window opened';
  const fill = windows.reduce((sum, window) => sum + window.requests, 0) / windows.length;
  const gaps = windows.slice(1).map((window, i) => window.startedAt - windows[i]!.startedAt - windowMs);
  const sorted = [...gaps].sort((a, b) => a - b);
  const median = sorted.length > 0 ? sorted[Math.floor(sorted.length / 2)]! : 0;
  const mean = gaps.length > 0 ? gaps.reduce((sum, gap) => sum + gap, 0) / gaps.length : 0;
  return `${windows.length} windows, ${fill.toFixed(1)} requests each on average; each opened ${Math.round(mean)} ms (median ${Math.round(median)}) after the previous one's end`;
}

export async function sandboxStats(stack: Stack): Promise<SandboxStats> {
  const response = await fetch(new URL('/_sandbox/stats', stack.sandbox.url));
  if (!response.ok) throw new Error(`The sandbox has no stats: ${response.status}`);
  return (await response.json()) as SandboxStats;
}

export async function resetSandboxStats(stack: Stack): Promise<void> {
  const response = await fetch(new URL('/_sandbox/stats/reset', stack.sandbox.url), { method: 'POST' });
  if (!response.ok) throw new Error(`The sandbox's stats could not be reset: ${response.status}`);
}
