/**
 * The backend's index route on loopback: latency and bytes on the wire for the whole index at
 * once. Baseline: reading the same assets from the Data API page by page, as a panel without the
 * backend would have to (fast mode, so the quota's waiting is scaled down 60×).
 */
import { request } from 'node:http';
import type { Benchmark, Figure } from '../lib/figure.ts';
import { percentile, round } from '../lib/figure.ts';
import { openSession, waitForCrawl, waitForIndex } from '../lib/session.ts';
import { FAST_WINDOW_MS, withStack } from '../lib/stacks.ts';
import type { Stack } from '../../src/stack/stack.ts';

function getRaw(url: string, headers: Record<string, string>): Promise<{ status: number; bytes: number; ms: number; firstByteMs: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (response) => {
      const firstByteMs = performance.now() - started;
      let bytes = 0;
      response.on('data', (chunk: Buffer) => (bytes += chunk.length));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, bytes, ms: performance.now() - started, firstByteMs }));
      response.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

async function readDataApiPages(stack: Stack): Promise<{ ms: number; bytes: number }> {
  const started = performance.now();
  let bytes = 0;
  for (let offset = 0; ; offset += 100) {
    const url = `${stack.sandbox.info.apiBaseUrl}/sites/${stack.siteId}/assets?offset=${offset}&limit=100`;
    const response = await fetch(url, { headers: { authorization: `Bearer ${stack.sandbox.info.siteToken}` } });
    if (response.status === 429) {
      await new Promise((resolve) => setTimeout(resolve, Number(response.headers.get('retry-after') ?? 1) * 1000));
      offset -= 100;
      continue;
    }
    const text = await response.text();
    bytes += Buffer.byteLength(text);
    const page = JSON.parse(text) as { assets: unknown[]; pagination: { total: number } };
    if (offset + 100 >= page.pagination.total) break;
  }
  return { ms: performance.now() - started, bytes };
}

export const indexResponse: Benchmark = {
  id: 'index',
  async run(context) {
    const assets = context.assets(10_000, 1_000);
    return withStack({ demo: { assets }, rateLimit: { perWindow: 60, windowMs: FAST_WINDOW_MS }, withoutPanel: true }, async (stack) => {
      const token = await openSession(stack);
      await waitForIndex(stack, token, assets);
      await waitForCrawl(stack, token, null);
      // What the panel asks for: the compact layout (src/core/compact-index.ts), gzipped.
      const url = new URL(`/api/sites/${stack.siteId}/index?format=compact`, stack.backendUrl).href;
      const headers = { authorization: `Bearer ${token}`, 'accept-encoding': 'gzip' };
      // The first answer builds the body (what an open costs right after the index changed).
      const cold = await getRaw(url, headers);
      const times: number[] = [];
      const firstBytes: number[] = [];
      let bytes = 0;
      for (let i = 0; i < 50; i++) {
        const answer = await getRaw(url, headers);
        if (answer.status !== 200) throw new Error(`The index answered ${answer.status}.`);
        times.push(answer.ms);
        firstBytes.push(answer.firstByteMs);
        bytes = answer.bytes;
      }
      const p50 = percentile(times, 50);
      const naive = await readDataApiPages(stack);
      const figures: Figure[] = [
        {
          name: `index response p50, ${assets} assets`,
          value: round(p50),
          unit: 'ms',
          baseline: round(naive.ms),
          ratio: round(naive.ms / p50),
          target: '≤ 50 ms p50',
          pass: p50 <= 50,
          command: 'npm run bench -- --only index',
          notes: `p95 ${round(percentile(times, 95))} ms; first byte p50 ${round(percentile(firstBytes, 50))} ms; the first answer after a change (builds the body): ${round(cold.ms)} ms, first byte ${round(cold.firstByteMs)} ms; baseline: Data API read page by page in fast mode`,
        },
        {
          name: `index bytes on the wire, ${assets} assets`,
          value: round(bytes / 1024),
          unit: 'KB',
          baseline: round(naive.bytes / 1024),
          ratio: round(naive.bytes / bytes),
          target: '≤ 600 KB',
          pass: bytes <= 600 * 1024,
          command: 'npm run bench -- --only index',
          notes: 'compact layout, gzip; baseline: the Data API pages as JSON',
        },
      ];
      return figures;
    });
  },
};
