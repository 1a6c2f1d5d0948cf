/**
 * Builds the panel into dist/ when it is missing or older than its sources, so `npm start`, the
 * journeys and the benchmarks always serve the code in the tree.
 */
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { build } from 'vite';

async function newestChange(paths: string[]): Promise<number> {
  let newest = 0;
  for (const path of paths) {
    const info = await stat(path).catch(() => null);
    if (!info) continue;
    if (info.isDirectory()) {
      const entries = await readdir(path, { recursive: true });
      for (const entry of entries) {
        const entryInfo = await stat(join(path, entry)).catch(() => null);
        if (entryInfo?.isFile()) newest = Math.max(newest, entryInfo.mtimeMs);
      }
    } else {
      newest = Math.max(newest, info.mtimeMs);
    }
  }
  return newest;
}

export async function buildPanelIfStale(root = process.cwd()): Promise<string> {
  const distDir = resolve(root, 'dist');
  const built = await stat(join(distDir, 'index.html')).catch(() => null);
  const sources = ['src/panel', 'src/core', 'index.html', 'public', 'vite.config.ts'].map((path) => resolve(root, path));
  if (built && built.mtimeMs >= (await newestChange(sources))) return distDir;
  await build({ root, logLevel: 'warn', build: { outDir: distDir, emptyOutDir: true } });
  return distDir;
}
