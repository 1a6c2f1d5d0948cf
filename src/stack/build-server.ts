/**
 * `npm run build:server`: the backend as plain JavaScript for Node (`dist-server/main.js`), as it
 * runs where it is deployed (`npm run serve`). `npm run server` runs the TypeScript through tsx, a
 * development dependency: an install for production (`npm ci --omit=dev`) has none, and the loader
 * costs the process ~35 MB of memory for its whole life (docs/decisions/server-build.md).
 *
 * Packages stay outside the file and load from node_modules at run time. The build fails when the
 * backend imports a package that an install for production would not have: the mistake is found
 * here, not on the server.
 */
import { mkdir, readFile, rm } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Metafile } from 'esbuild';

export interface BuiltServer {
  /** The JavaScript file to run with `node`. */
  file: string;
  /** The packages it loads from node_modules, by name. */
  packages: string[];
}

export interface BuildServerOptions {
  /** The repository's root (its package.json names the dependencies an install for production has). */
  root?: string;
  /** The TypeScript module to start from; the backend's main by default. */
  entry?: string;
  /** The file to write; `dist-server/main.js` by default. Inside the root, so that node_modules and `"type": "module"` apply. */
  outFile?: string;
}

/**
 * Scripts the backend starts beside its own module at run time (`new URL(…, import.meta.url)`):
 * each built beside the built file under its own name, its packages checked as the backend's are.
 */
const BESIDE = ['src/server/suggestions/ocr-process.mjs'];

const BUILTINS = new Set(builtinModules);

/** `@scope/name/sub/path` → `@scope/name`; `name/sub` → `name`; undefined for Node's own modules. */
export function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('node:') || BUILTINS.has(specifier) || BUILTINS.has(specifier.split('/')[0] ?? '')) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Every package the built output imports (statically or dynamically), by name, sorted. */
export function importedPackages(metafile: Metafile): string[] {
  const names = new Set<string>();
  for (const output of Object.values(metafile.outputs)) {
    for (const imported of output.imports) {
      if (!imported.external) continue;
      const name = packageOf(imported.path);
      if (name) names.add(name);
    }
  }
  return [...names].sort();
}

export async function buildServer(options: BuildServerOptions = {}): Promise<BuiltServer> {
  const root = resolve(options.root ?? process.cwd());
  const file = resolve(root, options.outFile ?? 'dist-server/main.js');
  const outDir = dirname(file);
  const manifest = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  const installed = new Set(Object.keys(manifest.dependencies ?? {}));

  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const common = { absWorkingDir: root, bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', sourcemap: 'linked', metafile: true, logLevel: 'warning' } as const;
  const result = await build({ ...common, entryPoints: [resolve(root, options.entry ?? 'src/server/main.ts')], outfile: file });
  const beside = await build({ ...common, entryPoints: BESIDE.map((path) => resolve(root, path)), outdir: outDir, entryNames: '[name]', outExtension: { '.js': '.mjs' } });
  const packages = [...new Set([...importedPackages(result.metafile), ...importedPackages(beside.metafile)])].sort();
  const missing = packages.filter((name) => !installed.has(name));
  if (missing.length > 0) {
    await rm(outDir, { recursive: true, force: true });
    throw new Error(
      `The backend imports ${missing.join(', ')}, which an install for production (npm ci --omit=dev) does not have: move ${missing.length === 1 ? 'it' : 'them'} to "dependencies" in package.json, or stop importing ${missing.length === 1 ? 'it' : 'them'} from src/server.`,
    );
  }
  return { file, packages };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  buildServer().then(
    ({ file, packages }) => console.info(`Built the backend: ${file} (loads ${packages.length} packages from node_modules). Run it with \`npm run serve\`.`),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : String(error));
      process.exit(1);
    },
  );
}
