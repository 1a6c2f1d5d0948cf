/**
 * Child process of the memory figure: a backend alone, so that its RSS is its own. It serves
 * the sandbox at SANDBOX_URL on PGlite in a new folder (as `npm run server` keeps it, the
 * database on disk; `memory://` would count it in RAM) and does nothing else: the benchmark
 * (bench/figures/memory.ts) installs it, opens a session and asks for the index from its own
 * process, so no client's copy of an answer counts here.
 *
 * It prints `{"url": …}` once listening, then answers IPC messages:
 * - `{ measure: phase, collect }`: the memory now (`collect`: after a full collection, to see
 *   what is held; without it, what the process holds on its own);
 * - `{ peak: 'start' | 'stop' }`: the largest RSS, V8 heap (committed) and external memory,
 *   sampled every 100 ms between the two;
 * - `{ close: true }`: closes the backend and exits.
 * HEAP_SNAPSHOTS=dir writes a heap snapshot at each measure (to find where the memory goes);
 * MEMORY_TRACE=file appends the memory every 100 ms, milliseconds since the peak's start first
 * (when the memory grows, to set beside the refresh's time the figure prints).
 */
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import { startBackend } from '../../src/server/backend.ts';

export interface PeakMemory {
  rssBytes: number;
  /** The V8 heap's committed size, live objects and garbage not yet collected. */
  heapTotalBytes: number;
  /** The V8 heap's objects, live and garbage not yet collected (no collection forced). */
  heapUsedBytes: number;
  externalBytes: number;
}

export interface PhaseMemory {
  rssBytes: number;
  heapUsedBytes: number;
  /** The V8 heap's committed size. */
  heapTotalBytes: number;
  /** Memory of C++ objects and buffers outside the JS heap, PGlite's WebAssembly memory among them. */
  externalBytes: number;
  arrayBuffersBytes: number;
}

export type ChildMessage = { measure: string; collect: boolean } | { peak: 'start' | 'stop' } | { close: true };
export type ChildAnswer = { phase: string; memory: PhaseMemory } | { peak: PeakMemory } | { closed: true };

const sandboxUrl = process.env.SANDBOX_URL ?? '';
const windowMs = Number(process.env.WINDOW_MS ?? 1000);
const snapshots = process.env.HEAP_SNAPSHOTS;
const trace = process.env.MEMORY_TRACE;

/** Samples the process's memory until stopped; the largest of each. */
function samplePeak(): { stop(): PeakMemory } {
  const peak: PeakMemory = { rssBytes: 0, heapTotalBytes: 0, heapUsedBytes: 0, externalBytes: 0 };
  const sample = () => {
    const usage = process.memoryUsage();
    peak.rssBytes = Math.max(peak.rssBytes, usage.rss);
    peak.heapTotalBytes = Math.max(peak.heapTotalBytes, usage.heapTotal);
    peak.heapUsedBytes = Math.max(peak.heapUsedBytes, usage.heapUsed);
    peak.externalBytes = Math.max(peak.externalBytes, usage.external);
    return usage;
  };
  const started = Date.now();
  if (trace) appendFileSync(trace, 'ms,rss_mb,heap_total_mb,heap_used_mb,external_mb\n');
  const mb = (bytes: number) => (bytes / (1024 * 1024)).toFixed(1);
  const timer = setInterval(() => {
    const usage = sample();
    if (trace) appendFileSync(trace, `${Date.now() - started},${mb(usage.rss)},${mb(usage.heapTotal)},${mb(usage.heapUsed)},${mb(usage.external)}\n`);
  }, 100);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return peak;
    },
  };
}

/**
 * V8 frees a collection's emptied pages on a background thread just after it: right after
 * `gc()` the heap's committed size has dropped but RSS has not (a probe: 238 MB at once, 85 MB
 * 100 ms later). The figure reads RSS once that thread had its time.
 */
const UNMAP_WAIT_MS = 500;

async function measure(phase: string, collect: boolean): Promise<PhaseMemory> {
  if (collect) {
    globalThis.gc?.();
    await new Promise((resolve) => setTimeout(resolve, UNMAP_WAIT_MS));
  }
  if (snapshots) writeHeapSnapshot(join(snapshots, `${phase}.heapsnapshot`));
  const usage = process.memoryUsage();
  return { rssBytes: usage.rss, heapUsedBytes: usage.heapUsed, heapTotalBytes: usage.heapTotal, externalBytes: usage.external, arrayBuffersBytes: usage.arrayBuffers };
}

const dataDir = mkdtempSync(join(tmpdir(), 'asset-desk-rss-'));
const backend = await startBackend({ port: 0, sandboxUrl, databaseUrl: join(dataDir, 'pglite'), dataDir, panelOrigins: [], rateWindowMs: windowMs });
let sampler: { stop(): PeakMemory } | undefined;
const answer = (message: ChildAnswer) => process.send?.(message);
process.on('message', async (message: ChildMessage) => {
  if ('measure' in message) answer({ phase: message.measure, memory: await measure(message.measure, message.collect) });
  else if ('peak' in message && message.peak === 'start') sampler = samplePeak();
  else if ('peak' in message) answer({ peak: sampler?.stop() ?? { rssBytes: 0, heapTotalBytes: 0, heapUsedBytes: 0, externalBytes: 0 } });
  else if ('close' in message) {
    await backend.close();
    rmSync(dataDir, { recursive: true, force: true });
    answer({ closed: true });
    process.exit(0);
  }
});
console.log(JSON.stringify({ url: backend.url }));
