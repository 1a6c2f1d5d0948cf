/**
 * The index route under load: wrk in its own process (bench/lib/load.ts), 50 connections, the index of 2,000
 * assets as the panel asks for it (compact layout, gzip, a session token), and the same with the
 * ETag the panel holds (`If-None-Match`: 304, no body). Baseline: a plain Hono route in this
 * process (where the backend runs too) answering the very same bytes with no session and no
 * store, under the same load: what Node and Hono can serve at all on this machine. A third
 * figure, not judged, is the floor under both: node:http alone writing the same bytes.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { Benchmark, Figure } from '../lib/figure.ts';
import { round } from '../lib/figure.ts';
import { loadWithWrk, requireWrk, type LoadResult } from '../lib/load.ts';
import { openSession, waitForCrawl, waitForIndex } from '../lib/session.ts';
import { FAST_WINDOW_MS, withStack } from '../lib/stacks.ts';

const CONNECTIONS = 50;
/** Targets of issue 20 for the index under load. */
const TARGET_RPS = 2_000;
const TARGET_P99_MS = 50;

async function listening(server: Server): Promise<{ url: string; close(): Promise<void> }> {
  await new Promise<void>((done, fail) => {
    server.once('listening', done);
    server.once('error', fail);
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/index`,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}

/** node:http with no framework writing `body` with the index's headers: what this machine's Node can serve. */
function startBare(body: Uint8Array<ArrayBuffer>, headers: Record<string, string>): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { ...headers, 'content-length': body.length });
    response.end(body);
  });
  server.listen(0, '127.0.0.1');
  return listening(server);
}

/** A plain Hono route answering `body` with the index's headers: the baseline. */
async function startBaseline(body: Uint8Array<ArrayBuffer>, headers: Record<string, string>): Promise<{ url: string; close(): Promise<void> }> {
  const app = new Hono();
  app.get('/index', (c) => {
    for (const [name, value] of Object.entries(headers)) c.header(name, value);
    // A Uint8Array, as the backend answers: @hono/node-server writes it as it is.
    return c.body(body);
  });
  return listening(serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server);
}

export const indexLoad: Benchmark = {
  id: 'load',
  async run(context) {
    const assets = context.size(2_000, 500);
    const seconds = context.size(10, 3);
    requireWrk();
    const load = (url: string, headers: Record<string, string>, expectedStatus: number) => loadWithWrk({ url, seconds, connections: CONNECTIONS, headers, expectedStatus });
    return withStack({ demo: { assets }, rateLimit: { perWindow: 60, windowMs: FAST_WINDOW_MS }, withoutPanel: true }, async (stack) => {
      const token = await openSession(stack);
      await waitForIndex(stack, token, assets);
      // The usage crawl follows the first refresh: measure the index alone, not beside it.
      await waitForCrawl(stack, token, null);
      const url = new URL(`/api/sites/${stack.siteId}/index?format=compact`, stack.backendUrl).href;
      // As the panel asks: from its origin (CORS), with its session, taking gzip.
      const headers = { authorization: `Bearer ${token}`, 'accept-encoding': 'gzip', origin: stack.backend.config.panelOrigins[0] ?? '' };
      const first = await fetch(url, { headers });
      if (first.status !== 200) throw new Error(`The index answered ${first.status}.`);
      const etag = first.headers.get('etag');
      if (!etag) throw new Error('The index answered without an ETag.');
      // fetch decodes gzip; the baseline answers the same JSON gzipped as the backend does (level 9).
      const json = new Uint8Array(await first.arrayBuffer());
      const gzipped = new Uint8Array(gzipSync(json, { level: 9 }));

      const bodyHeaders = { 'content-type': 'application/json; charset=utf-8', 'content-encoding': 'gzip', etag };
      const loadOf = async (server: { url: string; close(): Promise<void> }): Promise<LoadResult> => {
        try {
          return await load(server.url, { 'accept-encoding': 'gzip' }, 200);
        } finally {
          await server.close();
        }
      };
      const bare = await loadOf(await startBare(gzipped, bodyHeaders));
      const plain = await loadOf(await startBaseline(gzipped, bodyHeaders));
      const full = await load(url, headers, 200);
      const unchanged = await load(url, { ...headers, 'if-none-match': etag }, 304);
      const passes = (l: LoadResult) => l.rps >= TARGET_RPS && l.p99 <= TARGET_P99_MS && l.failures === 0;
      const figure = (name: string, l: LoadResult, notes: string): Figure => ({
        name,
        value: round(l.rps),
        unit: 'req/s',
        baseline: round(plain.rps),
        ratio: round(l.rps / plain.rps, 2),
        target: `≥ ${TARGET_RPS.toLocaleString('en')} req/s, p99 ≤ ${TARGET_P99_MS} ms, 0 errors`,
        pass: passes(l),
        command: 'npm run bench -- --only load',
        notes: `p99 ${l.p99} ms (p50 ${l.p50}); ${l.failures} errors of ${l.total}; ${notes}; baseline: a plain Hono route with the same ${size}, p99 ${plain.p99} ms`,
      });
      const size = `${round(gzipped.length / 1024)} KB`;
      return [
        figure(`index under load, ${assets.toLocaleString('en')} assets, ${CONNECTIONS} connections`, full, 'compact layout, gzip, with a session'),
        figure(`index under load, unchanged (304), ${assets.toLocaleString('en')} assets, ${CONNECTIONS} connections`, unchanged, 'If-None-Match with the current ETag: every answer 304'),
        {
          // Not judged: the floor under the route and its baseline on this machine, where the
          // load runs on the same cores as the server.
          name: `the same ${size} from bare node:http, ${CONNECTIONS} connections (the floor under the index)`,
          value: round(bare.rps),
          unit: 'req/s',
          baseline: round(plain.rps),
          ratio: round(bare.rps / plain.rps, 2),
          target: 'report',
          pass: bare.failures === 0,
          command: 'npm run bench -- --only load',
          notes: `p99 ${bare.p99} ms (p50 ${bare.p50}); ${bare.failures} errors of ${bare.total}; no framework, no session, no store; baseline: the plain Hono route`,
        },
      ];
    });
  },
};
