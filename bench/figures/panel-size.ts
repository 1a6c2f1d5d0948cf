/**
 * Gzipped bytes of the panel's JavaScript as Vite builds it for Webflow. Baseline: the same
 * bundle unminified, i.e. what shipping without the build's care would cost.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import type { Benchmark } from '../lib/figure.ts';
import { round } from '../lib/figure.ts';

const TARGET_BYTES = 60 * 1024;

async function gzippedJavaScript(minify: boolean): Promise<number> {
  const outDir = await mkdtemp(join(tmpdir(), 'asset-desk-size-'));
  try {
    await build({ logLevel: 'silent', build: { outDir, emptyOutDir: true, minify } });
    let total = 0;
    for (const entry of await readdir(outDir, { recursive: true })) {
      if (!entry.endsWith('.js')) continue;
      total += gzipSync(await readFile(join(outDir, entry)), { level: 9 }).length;
    }
    return total;
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

export const panelSize: Benchmark = {
  id: 'size',
  async run() {
    const value = await gzippedJavaScript(true);
    const baseline = await gzippedJavaScript(false);
    return [
      {
        name: 'panel JavaScript (gzip)',
        value: round(value / 1024),
        unit: 'KB',
        baseline: round(baseline / 1024),
        ratio: round(baseline / value, 2),
        target: '≤ 60 KB',
        pass: value <= TARGET_BYTES,
        command: 'npm run bench -- --only size',
      },
    ];
  },
};
