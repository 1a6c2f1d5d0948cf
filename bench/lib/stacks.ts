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
}

/** Where a measured span went: before the sandbox saw the first request, and after the last. */
export function requestSpan(stats: SandboxStats, started: number, finished: number): string {
  if (stats.firstAt === null || stats.lastAt === null) return 'no Data API request';
  return `first request ${Math.round(stats.firstAt - started)} ms after the start, the last ${Math.round(finished - stats.lastAt)} ms before the end`;
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
