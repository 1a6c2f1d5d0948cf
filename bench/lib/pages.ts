import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'vite';

/** Builds a benchmark page under bench/pages with the panel's own Vite config; returns the out dir. */
export async function buildBenchPage(name: string): Promise<string> {
  const outDir = await mkdtemp(join(tmpdir(), `asset-desk-bench-${name}-`));
  await build({
    logLevel: 'silent',
    build: { outDir, emptyOutDir: true, rollupOptions: { input: resolve(`bench/pages/${name}.html`) } },
  });
  return outDir;
}
