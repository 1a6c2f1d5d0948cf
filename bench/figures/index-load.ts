/** The index route under load: autocannon, 50 connections, an index of 2,000 assets. */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Benchmark } from '../lib/figure.ts';
import { round } from '../lib/figure.ts';
import { openSession, waitForIndex } from '../lib/session.ts';
import { FAST_WINDOW_MS, withStack } from '../lib/stacks.ts';

interface AutocannonResult {
  requests: { average: number };
  latency: { p99: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}

export const indexLoad: Benchmark = {
  id: 'load',
  async run(context) {
    const assets = context.size(2_000, 500);
    return withStack({ demo: { assets }, rateLimit: { perWindow: 60, windowMs: FAST_WINDOW_MS }, withoutPanel: true }, async (stack) => {
      const token = await openSession(stack);
      await waitForIndex(stack, token, assets);
      const url = new URL(`/api/sites/${stack.siteId}/index`, stack.backendUrl).href;
      // The load comes from a second process, as it would from other clients.
      const { stdout } = await promisify(execFile)(
        resolve('node_modules/.bin/autocannon'),
        ['--json', '-c', '50', '-d', String(context.size(10, 3)), '-H', `authorization=Bearer ${token}`, '-H', 'accept-encoding=gzip', url],
        { maxBuffer: 64 * 1024 * 1024 },
      );
      const result = JSON.parse(stdout) as AutocannonResult;
      const failures = result.errors + result.timeouts + result.non2xx;
      return [
        {
          name: `index under load, ${assets} assets, 50 connections`,
          value: round(result.requests.average),
          unit: 'req/s',
          baseline: null,
          ratio: null,
          target: 'report; no errors',
          pass: failures === 0,
          command: 'npm run bench -- --only load',
          notes: `p99 ${result.latency.p99} ms; ${failures} errors`,
        },
      ];
    });
  },
};
