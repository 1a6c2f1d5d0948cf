/**
 * Memory: the backend's RSS with a 50,000-asset index on PGlite (`--size N` for another size),
 * a backend alone in its own process against the sandbox (bench/children/backend-rss.ts), driven
 * from this process as the panel drives it, so that no client's copy of an answer counts in it:
 * after the first refresh and the usage crawl that follows it (seeded), after answering the index
 * once as the panel asks for it (served), both after a full collection (RSS read half a second
 * after it, once V8's background thread has unmapped the pages it emptied), and a minute later with
 * nothing asked of it (settled: what the process holds on its own once V8 has given back what
 * the work left). The panel's JS heap is measured by the keystroke figure.
 * Baseline: the same backend process listening before it installed or indexed anything.
 * The child is built as `npm run build:server` builds the backend (src/stack/build-server.ts) and
 * runs on plain Node with the backend's heap flags (src/stack/backend-node-flags.ts), as the
 * backend is deployed (`npm run serve`): tsx would add its own ~35 MB.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Benchmark, Figure } from '../lib/figure.ts';
import { round } from '../lib/figure.ts';
import { FAST_WINDOW_MS } from '../lib/stacks.ts';
import { createSandbox } from '../../src/sandbox/server.ts';
import { BACKEND_NODE_FLAGS } from '../../src/stack/backend-node-flags.ts';
import { buildServer } from '../../src/stack/build-server.ts';
import { installOnSandboxSite } from '../../src/stack/install.ts';
import { openSiteClient, waitForSite } from '../lib/site-client.ts';
import type { ChildAnswer, ChildMessage, PeakMemory, PhaseMemory } from '../children/backend-rss.ts';

interface Measured {
  indexBytes: number;
  refreshMs: number;
  peak: PeakMemory;
  phases: { started: PhaseMemory; seeded: PhaseMemory; served: PhaseMemory; settled: PhaseMemory };
}

/** The sandbox's quota: the figure is memory, not the quota's pace. */
const PER_WINDOW = 600;

/** Idle time before the settled phase: V8's memory reducer gave back the work's heap 25–30 s after it (probe at 50,000). */
const SETTLE_MS = 60_000;

/** Issue 20's targets for the backend's RSS on PGlite, by number of assets. */
const TARGET_MB: Record<number, number> = { 50_000: 300, 100_000: 400 };

/** The backend alone, built as for production, listening; `ask` sends it a message and waits for its answer. */
async function startChild(env: Record<string, string>): Promise<{ url: string; child: ChildProcess; ask(message: ChildMessage): Promise<ChildAnswer> }> {
  const { file } = await buildServer({ entry: 'bench/children/backend-rss.ts', outFile: 'bench/out/backend-rss/child.js' });
  const child = spawn(process.execPath, ['--expose-gc', ...BACKEND_NODE_FLAGS, file], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith('{"url":'));
      if (line) resolve((JSON.parse(line) as { url: string }).url);
    });
    child.once('exit', (code) => reject(new Error(`The backend child exited with ${code} before listening: ${out.slice(-500)}`)));
  });
  const ask = (message: ChildMessage) =>
    new Promise<ChildAnswer>((resolve, reject) => {
      child.once('message', (answer) => resolve(answer as ChildAnswer));
      child.send(message, (error) => error && reject(error));
    });
  return { url, child, ask };
}

async function measureBackend(sandboxUrl: string, siteId: string, assets: number): Promise<Measured> {
  const { url, child, ask } = await startChild({ SANDBOX_URL: sandboxUrl, WINDOW_MS: String(FAST_WINDOW_MS) });
  const memory = async (phase: string, collect: boolean): Promise<PhaseMemory> => {
    const answer = await ask({ measure: phase, collect });
    if (!('memory' in answer)) throw new Error(`The backend child answered ${JSON.stringify(answer)}`);
    return answer.memory;
  };
  try {
    const started = await memory('started', true);
    await installOnSandboxSite(url, siteId);
    const client = await openSiteClient(url, sandboxUrl, siteId);
    // waitForSite's first GET /index starts the first refresh; then it polls only the refresh's and
    // the crawl's states (no whole index read).
    const refreshStarted = Date.now();
    child.send({ peak: 'start' } satisfies ChildMessage);
    await waitForSite(client, assets);
    const { refresh } = await client.api<{ refresh: { finishedAt: string | null } }>(`/index/changes?since=${Number.MAX_SAFE_INTEGER}`);
    // To the moment the backend recorded it (same machine), not to the poll that saw it.
    const refreshMs = Date.parse(refresh.finishedAt ?? '') - refreshStarted;
    const peakAnswer = await ask({ peak: 'stop' });
    if (!('peak' in peakAnswer)) throw new Error(`The backend child answered ${JSON.stringify(peakAnswer)}`);
    const seeded = await memory('seeded', true);
    const served = await fetch(`${url}/api/sites/${siteId}/index?format=compact`, { headers: { authorization: `Bearer ${client.token}`, 'accept-encoding': 'gzip' } });
    // fetch takes the gzip off: the bytes on the wire are the Content-Length.
    const indexBytes = Number(served.headers.get('content-length'));
    await served.arrayBuffer();
    const afterServing = await memory('served', true);
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const settled = await memory('settled', false);
    const count = await client.api<{ assets: unknown[] }>('/index/changes?since=0');
    if (count.assets.length < assets) throw new Error(`The index holds ${count.assets.length} of ${assets} assets.`);
    await ask({ close: true });
    return { indexBytes, refreshMs, peak: peakAnswer.peak, phases: { started, seeded, served: afterServing, settled } };
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

const mb = (bytes: number): number => round(bytes / (1024 * 1024));

function phaseNotes(phase: PhaseMemory): string {
  return `JS heap ${mb(phase.heapUsedBytes)} MB (committed ${mb(phase.heapTotalBytes)}), external ${mb(phase.externalBytes)} MB (array buffers ${mb(phase.arrayBuffersBytes)})`;
}

export const memory: Benchmark = {
  id: 'memory',
  async run(context) {
    const assets = context.assets(50_000, 2_000);
    const sandbox = await createSandbox({ demo: { assets }, rateLimit: { perWindow: PER_WINDOW, windowMs: FAST_WINDOW_MS } });
    try {
      const measured = await measureBackend(sandbox.url, sandbox.info.siteId, assets);
      const { started, seeded, served, settled } = measured.phases;
      const target = TARGET_MB[assets];
      const figure = (name: string, phase: PhaseMemory, notes: string): Figure => ({
        name,
        value: mb(phase.rssBytes),
        unit: 'MB',
        baseline: mb(started.rssBytes),
        ratio: null,
        target: target ? `≤ ${target} MB` : 'report (targets at 50,000 and 100,000)',
        pass: target ? phase.rssBytes <= target * 1024 * 1024 : true,
        command: `npm run bench -- --only memory${assets === 50_000 ? '' : ` --size ${assets}`}`,
        notes: `${phaseNotes(phase)}; ${notes}; the backend built as \`npm run build:server\` builds it, on plain Node; baseline: the backend listening, nothing indexed`,
      });
      const size = assets.toLocaleString('en');
      const quota = `quota ${PER_WINDOW}/window, fast mode`;
      return [
        {
          name: `first refresh of ${size} assets, backend alone on a PGlite folder (${quota})`,
          value: round(measured.refreshMs),
          unit: 'ms',
          baseline: null,
          ratio: null,
          target: 'report; finishes (the 100,000-asset refresh once failed on a lapsed lease)',
          pass: true,
          command: `npm run bench -- --only memory${assets === 50_000 ? '' : ` --size ${assets}`}`,
          notes: `from the first GET /index to the end the backend recorded: site, folders, ${Math.ceil(assets / 100)} pages × locales, and the commit; the usage crawl follows it`,
        },
        {
          name: `backend RSS, ${size} assets, peak during the first refresh and usage crawl (PGlite folder)`,
          value: mb(measured.peak.rssBytes),
          unit: 'MB',
          baseline: mb(started.rssBytes),
          ratio: null,
          target: 'report',
          pass: true,
          command: `npm run bench -- --only memory${assets === 50_000 ? '' : ` --size ${assets}`}`,
          notes: `sampled every 100 ms; at most: V8 heap committed ${mb(measured.peak.heapTotalBytes)} MB (objects in it, live or not yet collected, ${mb(measured.peak.heapUsedBytes)} MB), external ${mb(measured.peak.externalBytes)} MB; baseline: the backend listening, nothing indexed`,
        },
        figure(`backend RSS, ${size} assets, seeded (PGlite folder)`, seeded, 'after the first refresh and the usage crawl'),
        figure(`backend RSS, ${size} assets, index served (PGlite folder)`, served, `after answering the index once (compact, gzip: ${round(measured.indexBytes / 1024)} KB)`),
        figure(`backend RSS, ${size} assets, settled: a minute idle after serving (PGlite folder)`, settled, `${SETTLE_MS / 1000} s after the index was served, nothing asked meanwhile, no collection forced: what the process holds on its own; V8 heap committed ${mb(settled.heapTotalBytes)} MB`),
      ];
    } finally {
      await sandbox.close();
    }
  },
};
