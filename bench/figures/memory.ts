/**
 * Memory: the backend's RSS with a 50,000-asset index on PGlite (`--size N` for another size),
 * a backend in its own process against the sandbox: after the first refresh and the usage crawl
 * that follows it (seeded), and after answering the index once as the panel asks for it (its
 * buffer kept). The panel's JS heap is measured by the keystroke figure.
 * Baseline: the same backend process listening before it installed or indexed anything.
 * The child is built as `npm run build:server` builds the backend (src/stack/build-server.ts) and
 * runs on plain Node, as the backend is deployed (`npm run serve`): tsx would add its own ~35 MB.
 */
import { spawn } from 'node:child_process';
import type { Benchmark, Figure } from '../lib/figure.ts';
import { round } from '../lib/figure.ts';
import { FAST_WINDOW_MS } from '../lib/stacks.ts';
import { createSandbox } from '../../src/sandbox/server.ts';
import { buildServer } from '../../src/stack/build-server.ts';
import type { PeakMemory, PhaseMemory } from '../children/backend-rss.ts';

interface Measured {
  assets: number;
  indexBytes: number;
  refreshMs: number;
  peak: PeakMemory;
  phases: { started: PhaseMemory; seeded: PhaseMemory; served: PhaseMemory };
}

/** The sandbox's quota: the figure is memory, not the quota's pace. */
const PER_WINDOW = 600;

/** Issue 20's targets for the backend's RSS on PGlite, by number of assets. */
const TARGET_MB: Record<number, number> = { 50_000: 300, 100_000: 400 };

/** The child, built as the backend is for production (bench/out/ is not kept). */
async function builtChild(): Promise<string> {
  const { file } = await buildServer({ entry: 'bench/children/backend-rss.ts', outFile: 'bench/out/backend-rss/child.js' });
  return file;
}

async function runChild(env: Record<string, string>): Promise<Measured> {
  const file = await builtChild();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', file], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0 || !line.startsWith('{')) reject(new Error(`The backend child exited with ${code}: ${out.slice(-500)}`));
      else resolve(JSON.parse(line) as Measured);
    });
  });
}

const mb = (bytes: number): number => round(bytes / (1024 * 1024));

function phaseNotes(phase: PhaseMemory): string {
  return `JS heap ${mb(phase.heapUsedBytes)} MB, external ${mb(phase.externalBytes)} MB (array buffers ${mb(phase.arrayBuffersBytes)})`;
}

export const memory: Benchmark = {
  id: 'memory',
  async run(context) {
    const assets = context.assets(50_000, 2_000);
    const sandbox = await createSandbox({ demo: { assets }, rateLimit: { perWindow: PER_WINDOW, windowMs: FAST_WINDOW_MS } });
    try {
      const measured = await runChild({ SANDBOX_URL: sandbox.url, SITE_ID: sandbox.info.siteId, ASSETS: String(assets), WINDOW_MS: String(FAST_WINDOW_MS) });
      const { started, seeded, served } = measured.phases;
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
          notes: `sampled every 100 ms; at most: V8 heap committed ${mb(measured.peak.heapTotalBytes)} MB, external ${mb(measured.peak.externalBytes)} MB; baseline: the backend listening, nothing indexed`,
        },
        figure(`backend RSS, ${size} assets, seeded (PGlite folder)`, seeded, 'after the first refresh and the usage crawl'),
        figure(`backend RSS, ${size} assets, index served (PGlite folder)`, served, `after answering the index once (compact, gzip: ${round(measured.indexBytes / 1024)} KB)`),
      ];
    } finally {
      await sandbox.close();
    }
  },
};
