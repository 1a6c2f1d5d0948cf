/**
 * Child process of the memory figure: a backend alone (its own process, so its RSS is its own)
 * against the sandbox at SANDBOX_URL, installed on the demo site, on PGlite in a new folder (as
 * `npm run server` keeps it, the database on disk; `memory://` would count it in RAM). Prints one
 * JSON line: the memory of each phase, after a collection:
 * - `started`: the backend listening, nothing installed;
 * - `seeded`: the first refresh of ASSETS assets finished and the usage crawl that follows it;
 * - `served`: the index answered once as the panel asks for it (compact, gzip), its buffer kept.
 * And `refreshMs`: from the first GET /index (which starts the first refresh) to the refresh's end;
 * `peak`: the largest RSS, V8 heap (committed) and external memory sampled every 100 ms from then
 * until the usage crawl ended (what the machine must have, where `seeded` is what stays).
 * HEAP_SNAPSHOTS=dir writes a heap snapshot at each phase (to find where the memory goes).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import { startBackend } from '../../src/server/main.ts';
import { installOnSandboxSite } from '../../src/stack/install.ts';

const sandboxUrl = process.env.SANDBOX_URL ?? '';
const siteId = process.env.SITE_ID ?? '';
const assets = Number(process.env.ASSETS);
const windowMs = Number(process.env.WINDOW_MS ?? 1000);
const snapshots = process.env.HEAP_SNAPSHOTS;

export interface PeakMemory {
  rssBytes: number;
  /** The V8 heap's committed size, live objects and garbage not yet collected. */
  heapTotalBytes: number;
  externalBytes: number;
}

/** Samples the process's memory until stopped; the largest of each. */
function samplePeak(): { stop(): PeakMemory } {
  const peak: PeakMemory = { rssBytes: 0, heapTotalBytes: 0, externalBytes: 0 };
  const sample = () => {
    const usage = process.memoryUsage();
    peak.rssBytes = Math.max(peak.rssBytes, usage.rss);
    peak.heapTotalBytes = Math.max(peak.heapTotalBytes, usage.heapTotal);
    peak.externalBytes = Math.max(peak.externalBytes, usage.external);
  };
  const timer = setInterval(sample, 100);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return peak;
    },
  };
}

export interface PhaseMemory {
  rssBytes: number;
  heapUsedBytes: number;
  /** Memory of C++ objects and buffers outside the JS heap, PGlite's WebAssembly memory among them. */
  externalBytes: number;
  arrayBuffersBytes: number;
}

function measure(phase: string): PhaseMemory {
  globalThis.gc?.();
  if (snapshots) writeHeapSnapshot(join(snapshots, `${phase}.heapsnapshot`));
  const usage = process.memoryUsage();
  return { rssBytes: usage.rss, heapUsedBytes: usage.heapUsed, externalBytes: usage.external, arrayBuffersBytes: usage.arrayBuffers };
}

/**
 * A GET, sent again once if the connection dropped under it (a kept-alive socket the server
 * closed as it was reused): a GET changes nothing, and a long run must not end on that race.
 */
async function get(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch {
    return fetch(url, init);
  }
}

async function json<T>(response: Response): Promise<T> {
  if (!response.ok) throw new Error(`${response.url} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

const dataDir = mkdtempSync(join(tmpdir(), 'asset-desk-rss-'));
const backend = await startBackend({ port: 0, sandboxUrl, databaseUrl: join(dataDir, 'pglite'), dataDir, panelOrigins: [], rateWindowMs: windowMs });
const started = measure('started');
await installOnSandboxSite(backend.url, siteId);
const { idToken } = await json<{ idToken: string }>(await fetch(`${sandboxUrl}/_sandbox/designer/id-token?siteId=${siteId}`, { method: 'POST' }));
const { sessionToken } = await json<{ sessionToken: string }>(
  await fetch(`${backend.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ idToken, siteId }) }),
);
const headers = { authorization: `Bearer ${sessionToken}` };
const site = `${backend.url}/api/sites/${siteId}`;
// The first GET /index starts the first refresh; then only its state is polled (no whole index).
const refreshStarted = Date.now();
const sampler = samplePeak();
await get(`${site}/index?format=compact`, { headers }).then((r) => r.arrayBuffer());
let refreshMs = 0;
for (;;) {
  const { refresh } = await json<{ refresh: { state: string; done: number; total: number | null; finishedAt: string | null } }>(await get(`${site}/index/changes?since=${Number.MAX_SAFE_INTEGER}`, { headers }));
  if (refresh.state === 'failed') throw new Error(`The refresh failed: ${JSON.stringify(refresh)}`);
  if (refresh.state === 'idle' && refresh.total !== null && refresh.done >= refresh.total) {
    // To the moment the backend recorded it (same machine), not to the poll that saw it.
    refreshMs = Date.parse(refresh.finishedAt ?? '') - refreshStarted;
    break;
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
}
for (;;) {
  const { crawl } = await json<{ crawl: { state: string; built: boolean } }>(await get(`${site}/usage`, { headers }));
  if (crawl.state === 'failed') throw new Error('The usage crawl failed.');
  if (crawl.state === 'idle' && crawl.built) break;
  await new Promise((resolve) => setTimeout(resolve, 500));
}
const peak = sampler.stop();
const seeded = measure('seeded');
const served = await get(`${site}/index?format=compact`, { headers: { ...headers, 'accept-encoding': 'gzip' } });
// fetch takes the gzip off: the bytes on the wire are the Content-Length.
const indexBytes = Number(served.headers.get('content-length'));
await served.arrayBuffer();
const afterServing = measure('served');
// Checked after measuring: reading the whole index here would count in this process's memory.
const count = await json<{ assets: unknown[] }>(await get(`${site}/index/changes?since=0`, { headers }));
if (count.assets.length < assets) throw new Error(`The index holds ${count.assets.length} of ${assets} assets.`);
console.log(JSON.stringify({ assets, indexBytes, refreshMs, peak, phases: { started, seeded, served: afterServing } }));
await backend.close();
rmSync(dataDir, { recursive: true, force: true });
process.exit(0);
