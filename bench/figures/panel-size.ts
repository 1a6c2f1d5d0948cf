/**
 * Gzipped bytes of the panel's JavaScript as Vite builds it for Webflow.
 *
 * Judged: what the panel loads to open, the entry chunk and every chunk it imports statically
 * (Vite's manifest: `imports`, followed to the end), as index.html loads them. The views a
 * designer opens later (report, CMS images, CSV dialogs, a file's embedded metadata) are chunks
 * of their own, loaded by `import()` when opened, and the MD5 workers start on the first drop:
 * their bytes are reported as the whole, not judged (docs/decisions/panel-size.md).
 * Baseline: the same files unminified, i.e. what shipping without the build's care would cost.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import type { Benchmark, Figure } from '../lib/figure.ts';
import { round } from '../lib/figure.ts';

const TARGET_BYTES = 60 * 1024;

/** One chunk of Vite's build manifest (`build.manifest`). */
interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
}

/** The files of the entry chunks and of every chunk they import statically, however deep. */
export function filesLoadedToOpen(manifest: Record<string, ManifestChunk>): string[] {
  const files = new Map<string, string>();
  const visit = (key: string) => {
    if (files.has(key)) return;
    const chunk = manifest[key];
    if (!chunk) throw new Error(`Vite's manifest names ${key} but has no chunk for it.`);
    files.set(key, chunk.file);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  for (const [key, chunk] of Object.entries(manifest)) if (chunk.isEntry) visit(key);
  if (files.size === 0) throw new Error("Vite's manifest has no entry chunk.");
  return [...files.values()].filter((file) => file.endsWith('.js'));
}

interface Sizes {
  /** Gzipped bytes of what the panel loads to open. */
  open: number;
  /** Gzipped bytes of every JavaScript file of the build (views, workers). */
  whole: number;
  files: number;
}

async function gzippedJavaScript(minify: boolean): Promise<Sizes> {
  const outDir = await mkdtemp(join(tmpdir(), 'asset-desk-size-'));
  const gzipped = async (file: string) => gzipSync(await readFile(join(outDir, file)), { level: 9 }).length;
  try {
    await build({ logLevel: 'silent', build: { outDir, emptyOutDir: true, minify, manifest: 'manifest.json' } });
    const manifest = JSON.parse(await readFile(join(outDir, 'manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
    let open = 0;
    for (const file of filesLoadedToOpen(manifest)) open += await gzipped(file);
    let whole = 0;
    let files = 0;
    for (const entry of await readdir(outDir, { recursive: true })) {
      if (!entry.endsWith('.js')) continue;
      whole += await gzipped(entry);
      files += 1;
    }
    return { open, whole, files };
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

/** A figure of gzipped kilobytes beside the same files unminified. */
function sizeFigure(name: string, minified: number, unminified: number, judged: { target: string; pass: boolean }, notes: string): Figure {
  return { name, value: round(minified / 1024), unit: 'KB', baseline: round(unminified / 1024), ratio: round(unminified / minified, 2), ...judged, command: 'npm run bench -- --only size', notes: `${notes}; baseline: the same unminified` };
}

export const panelSize: Benchmark = {
  id: 'size',
  async run() {
    const minified = await gzippedJavaScript(true);
    const unminified = await gzippedJavaScript(false);
    return [
      sizeFigure('panel JavaScript loaded to open (gzip)', minified.open, unminified.open, { target: '≤ 60 KB', pass: minified.open <= TARGET_BYTES }, "the entry chunk and the chunks it imports statically (Vite's manifest)"),
      sizeFigure(
        'panel JavaScript, every view and worker (gzip)',
        minified.whole,
        unminified.whole,
        { target: 'report', pass: true },
        `${minified.files} files; the views (report, CMS images, CSV dialogs, embedded metadata) load when opened, the MD5 workers on the first drop`,
      ),
    ];
  },
};
