/**
 * A load of HTTP GETs from autocannon in a process of its own (as from other clients), and what
 * came back: throughput, latency, and every answer that was not the expected status.
 */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  /** Errors, timeouts and answers of another status than the expected one. */
  failures: number;
  total: number;
}

interface AutocannonJson {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  errors: number;
  timeouts: number;
  statusCodeStats: Record<string, { count: number }>;
}

export async function loadWithAutocannon(options: { url: string; seconds: number; connections: number; headers: Record<string, string>; expectedStatus: number }): Promise<LoadResult> {
  const args = ['--json', '-c', String(options.connections), '-d', String(options.seconds)];
  for (const [name, value] of Object.entries(options.headers)) args.push('-H', `${name}=${value}`);
  const { stdout } = await promisify(execFile)(resolve('node_modules/.bin/autocannon'), [...args, options.url], { maxBuffer: 64 * 1024 * 1024 });
  const result = JSON.parse(stdout) as AutocannonJson;
  const counts = Object.entries(result.statusCodeStats);
  const expected = counts.find(([status]) => status === String(options.expectedStatus))?.[1].count ?? 0;
  const answered = counts.reduce((sum, [, s]) => sum + s.count, 0);
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failures: result.errors + result.timeouts + (answered - expected),
    total: result.requests.total,
  };
}
