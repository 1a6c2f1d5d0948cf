/**
 * A load of HTTP GETs from wrk in a process of its own (as from other clients), and what came
 * back: throughput, latency, and every answer that was not the expected status.
 *
 * wrk (C, Debian's `wrk`, installed by `.ci/run`) and not a load generator in JavaScript: on two
 * cores the client shares the machine with the server, and autocannon parsing 73 KB answers
 * topped out at ~940 req/s against a bare node:http server that wrk measured at ~60,000
 * (docs/decisions/index-under-load.md). One wrk thread: the other core is the server's.
 */
import { execFile, execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  /** Errors, timeouts and answers of another status than the expected one. */
  failures: number;
  total: number;
}

interface WrkJson {
  requests: number;
  seconds: number;
  p50: number;
  p99: number;
  errors: number;
  timeouts: number;
  statuses: Record<string, number>;
}

const SCRIPT = fileURLToPath(new URL('./load-count.lua', import.meta.url));

const MISSING = 'The load figures need wrk, an HTTP load generator in C: apt-get install -y wrk (Debian), brew install wrk (macOS).';
const isMissing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';

/** Throws with what to install when wrk is not on this machine: before a benchmark starts its stack. */
export function requireWrk(): void {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
  } catch (error) {
    // wrk --version prints its banner and exits 1; only a missing binary is a problem.
    if (isMissing(error)) throw new Error(MISSING);
  }
}

export async function loadWithWrk(options: { url: string; seconds: number; connections: number; headers: Record<string, string>; expectedStatus: number }): Promise<LoadResult> {
  const args = ['-t1', '-c', String(options.connections), '-d', `${options.seconds}s`, '--timeout', '10s', '-s', SCRIPT];
  for (const [name, value] of Object.entries(options.headers)) args.push('-H', `${name}: ${value}`);
  const { stdout } = await promisify(execFile)('wrk', [...args, options.url], { maxBuffer: 16 * 1024 * 1024 }).catch((error: unknown) => {
    throw isMissing(error) ? new Error(MISSING) : error;
  });
  const line = stdout.trim().split('\n').at(-1) ?? '';
  const result = JSON.parse(line) as WrkJson;
  const expected = result.statuses[String(options.expectedStatus)] ?? 0;
  const answered = Object.values(result.statuses).reduce((sum, count) => sum + count, 0);
  return {
    rps: result.requests / result.seconds,
    p50: result.p50,
    p99: result.p99,
    failures: result.errors + result.timeouts + (answered - expected),
    total: result.requests,
  };
}
