/**
 * Memory: the backend's RSS with a 50,000-asset index loaded (a backend in its own process
 * against the sandbox, after a full refresh; the index route answered once, so its cached body
 * is counted). The panel's JS heap with 20,000 assets is measured by the keystroke figure.
 * Baseline: the same backend process before it installed or indexed anything would need a
 * second child; the RSS of an idle Node process is printed in the notes instead.
 */
import { spawn } from 'node:child_process';
import type { Benchmark } from '../lib/figure.ts';
import { round } from '../lib/figure.ts';
import { FAST_WINDOW_MS } from '../lib/stacks.ts';
import { createSandbox } from '../../src/sandbox/server.ts';

function runChild(env: Record<string, string>): Promise<{ rssBytes: number; heapUsedBytes: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', 'bench/children/backend-rss.ts'], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0 || !line.startsWith('{')) reject(new Error(`The backend child exited with ${code}: ${out.slice(-500)}`));
      else resolve(JSON.parse(line) as { rssBytes: number; heapUsedBytes: number });
    });
  });
}

export const memory: Benchmark = {
  id: 'memory',
  async run(context) {
    const assets = context.size(50_000, 2_000);
    const sandbox = await createSandbox({ demo: { assets }, rateLimit: { perWindow: 600, windowMs: FAST_WINDOW_MS } });
    try {
      const measured = await runChild({ SANDBOX_URL: sandbox.url, SITE_ID: sandbox.info.siteId, ASSETS: String(assets), WINDOW_MS: String(FAST_WINDOW_MS) });
      const mb = measured.rssBytes / (1024 * 1024);
      return [
        {
          name: `backend RSS, ${assets.toLocaleString('en')}-asset index`,
          value: round(mb),
          unit: 'MB',
          baseline: null,
          ratio: null,
          target: 'report',
          pass: true,
          command: 'npm run bench -- --only memory',
          notes: `JS heap used ${round(measured.heapUsedBytes / (1024 * 1024))} MB`,
        },
      ];
    } finally {
      await sandbox.close();
    }
  },
};
