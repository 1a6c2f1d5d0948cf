/**
 * Builds the panel into dist/ when it is missing or older than its sources, so `npm start`, the
 * journeys and the benchmarks always serve the code in the tree.
 *
 * Journeys run in parallel processes, and on a fresh clone each finds dist/ missing: one builds
 * while the others wait (a lock directory beside dist/), then finds it fresh. Two builds at once
 * would empty dist/ under a panel already served from it (its lazy chunks and workers 404).
 */
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
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

/** A lock left by a build that died is taken over after this long (a build takes well under it). */
const STALE_LOCK_MS = 5 * 60_000;

async function isFresh(root: string, distDir: string): Promise<boolean> {
  const built = await stat(join(distDir, 'index.html')).catch(() => null);
  const sources = ['src/panel', 'src/core', 'index.html', 'public', 'vite.config.ts'].map((path) => resolve(root, path));
  return built !== null && built.mtimeMs >= (await newestChange(sources));
}

/** Runs `work` holding `lock` (a directory: mkdir is atomic across processes). */
export async function withLock<T>(lock: string, work: () => Promise<T>, staleMs = STALE_LOCK_MS): Promise<T> {
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const held = await stat(lock).catch(() => null);
      if (held && Date.now() - held.mtimeMs > staleMs) await rm(lock, { recursive: true, force: true });
      else await new Promise((done) => setTimeout(done, 200));
    }
  }
  try {
    return await work();
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

export async function buildPanelIfStale(root = process.cwd()): Promise<string> {
  const distDir = resolve(root, 'dist');
  if (await isFresh(root, distDir)) return distDir;
  return withLock(`${distDir}.building`, async () => {
    // Another process may have built it while this one waited for the lock.
    if (!(await isFresh(root, distDir))) await build({ root, logLevel: 'warn', build: { outDir: distDir, emptyOutDir: true } });
    return distDir;
  });
}
