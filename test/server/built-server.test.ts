/**
 * The backend as it is deployed: `npm run build:server` writes plain JavaScript
 * (src/stack/build-server.ts) and `npm run serve` runs it on Node alone, with no TypeScript
 * loader (tsx is a development dependency: an install for production has none). Built here into
 * test/out/, started as `npm run serve` starts it (configured from the environment only) against
 * the sandbox on a PGlite folder: installed through OAuth, a session opened with a Designer ID
 * token, the index answered, an alt text recorded, and stopped by SIGTERM. And the build refuses
 * a backend that imports a package an install for production would not have.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Batch } from '../../src/core/api.ts';
import { createSandbox, type Sandbox } from '../../src/sandbox/server.ts';
import { buildServer, packageOf, type BuiltServer } from '../../src/stack/build-server.ts';
import { listeningUrl } from '../../src/stack/backend-listening.ts';
import { BACKEND_NODE_FLAGS } from '../../src/stack/backend-node-flags.ts';
import { installOnSandboxSite } from '../../src/stack/install.ts';
import { freePortIn } from './free-port.ts';
import { idTokenOf } from './sandbox-control.ts';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string>; scripts: Record<string, string> };

/** The banner's suggestion from the text in it, once read (the first ask starts the reading). */
async function waitForOcr(api: (path: string) => Promise<Response>, assetId: string): Promise<{ source: string; text: string }> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const answer = await api(`/suggestions/assets/${assetId}`);
    expect(answer.status).toBe(200);
    const { suggestions, pending } = (await answer.json()) as { suggestions: Array<{ source: string; text: string }>; pending: string[] };
    const read = suggestions.find((suggestion) => suggestion.source === 'ocr');
    if (read) return read;
    if (!pending.includes('ocr')) throw new Error(`The text in the banner was not read: ${JSON.stringify(suggestions)}`);
    if (Date.now() > deadline) throw new Error('The text in the banner was not read within 60 s.');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('the backend built for production', () => {
  let outDir: string;
  let built: BuiltServer;
  let sandbox: Sandbox;
  let dataDir: string;
  let backend: ChildProcess | undefined;

  beforeAll(async () => {
    mkdirSync(join(repoRoot, 'test/out'), { recursive: true });
    outDir = mkdtempSync(join(repoRoot, 'test/out/built-server-'));
    built = await buildServer({ root: repoRoot, outFile: join(outDir, 'main.js') });
    sandbox = await createSandbox({ demo: { assets: 30 }, rateLimit: { perWindow: 600, windowMs: 1_000 } });
    dataDir = mkdtempSync(join(tmpdir(), 'asset-desk-built-server-'));
  }, 60_000);

  afterAll(async () => {
    if (backend && backend.exitCode === null && backend.signalCode === null) backend.kill('SIGKILL');
    await sandbox?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  it('loads only packages that an install for production has', () => {
    expect(built.packages).toEqual(expect.arrayContaining(['hono', '@hono/node-server', 'webflow-api', '@electric-sql/pglite']));
    for (const name of built.packages) expect(Object.keys(manifest.dependencies)).toContain(name);
    // `npm run serve` is what this suite starts: node on the built file with the backend's heap flags, nothing else.
    expect(manifest.scripts.serve).toBe(`node --enable-source-maps ${BACKEND_NODE_FLAGS.join(' ')} dist-server/main.js`);
    expect(manifest.scripts.server).toBe(`tsx ${BACKEND_NODE_FLAGS.join(' ')} src/server/main.ts`);
    expect(manifest.scripts['build:server']).toBe('tsx src/stack/build-server.ts');
  });

  it('runs on plain Node: installs, opens a session, answers the index, records an alt text, and stops on SIGTERM', async () => {
    const port = await freePortIn(5500, 5599); // this suite's range
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), DATA_DIR: dataDir, SANDBOX_URL: sandbox.url, RATE_WINDOW_MS: '1000' };
    // No loader and no other configuration from the test's own environment.
    for (const name of ['NODE_OPTIONS', 'DATABASE_URL', 'PUBLIC_URL', 'WEBFLOW_CLIENT_ID', 'WEBFLOW_CLIENT_SECRET', 'PANEL_ORIGINS', 'TRUSTED_PROXIES']) delete env[name];
    const child = spawn(process.execPath, ['--enable-source-maps', ...BACKEND_NODE_FLAGS, built.file], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'inherit'] });
    backend = child;
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const url = await listeningUrl(child, 60_000);
    expect(url).toBe(`http://127.0.0.1:${port}`);

    const { siteId } = sandbox.info;
    await installOnSandboxSite(url, siteId);
    const session = await fetch(`${url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ idToken: await idTokenOf(sandbox), siteId }) });
    expect(session.status).toBe(200);
    const { sessionToken } = (await session.json()) as { sessionToken: string };
    const api = (path: string, init: RequestInit = {}) =>
      fetch(`${url}/api/sites/${siteId}${path}`, { ...init, headers: { authorization: `Bearer ${sessionToken}`, 'content-type': 'application/json' } });

    // The first read starts the refresh; the index is whole once it has run.
    let assets: Array<{ id: string; fileName: string; altText: string | null }> = [];
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const index = await api('/index');
      expect(index.status).toBe(200);
      ({ assets } = (await index.json()) as { assets: typeof assets });
      if (assets.length === 30) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(assets).toHaveLength(30);

    const first = assets[0];
    if (!first) throw new Error('no asset');
    const recorded = await api('/changes', {
      method: 'POST',
      body: JSON.stringify({ label: 'Alt text for one asset', changes: [{ assetId: first.id, field: 'altText', before: first.altText, after: 'Green beans drying on raised beds' }] }),
    });
    expect(recorded.status).toBe(201);
    expect(((await recorded.json()) as { batch: Batch }).batch.changes).toHaveLength(1);

    // Text in an image is read in a process of its own whose script is built beside the built file.
    const banner = assets.find((asset) => asset.fileName.startsWith('banner-'));
    if (!banner) throw new Error(`The demo's ${assets.length} assets hold no banner with text.`);
    const read = await waitForOcr(api, banner.id);
    expect(read).toMatchObject({ source: 'ocr' });
    // The seed draws the banner's subject, named in its file name (banner-<subject>-<year>.png), on it.
    const subject = /^banner-(.+)-\d{4}\.png$/.exec(banner.fileName)?.[1]?.replace(/-/g, ' ');
    expect(subject).toBeTruthy();
    expect(read.text.toLowerCase()).toContain(subject);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 90_000);

  it('refuses to build a backend that imports a development dependency, and names it', async () => {
    const entry = join(outDir, 'imports-a-dev-dependency.ts');
    writeFileSync(entry, "import fc from 'fast-check';\nexport const sample = fc.sample(fc.integer(), 1);\n");
    await expect(buildServer({ root: repoRoot, entry, outFile: join(outDir, 'refused/main.js') })).rejects.toThrow(/imports fast-check, which an install for production \(npm ci --omit=dev\) does not have/);
    expect(manifest.devDependencies['fast-check']).toBeDefined();
  });

  it('starts nothing in a bundle that only imports the backend (the memory benchmark’s child is one)', async () => {
    // Until the script and the backend were two files, a bundle holding the backend saw itself
    // as `npm run server` and started a second backend, on ./.data, beside the one it asked for.
    const entry = join(outDir, 'imports-the-backend.ts');
    writeFileSync(entry, `import { startBackend } from ${JSON.stringify(join(repoRoot, 'src/server/backend.ts'))};\nconsole.log(typeof startBackend);\n`);
    const bundle = await buildServer({ root: repoRoot, entry, outFile: join(outDir, 'imports-the-backend/main.js') });
    const env: NodeJS.ProcessEnv = { ...process.env, SANDBOX_URL: sandbox.url, PORT: String(await freePortIn(5500, 5599)), DATA_DIR: join(outDir, 'never-used') };
    delete env.NODE_OPTIONS;
    const child = spawn(process.execPath, [bundle.file], { cwd: outDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    // A backend started by the import would listen and never exit: given 20 s, then stopped.
    const stopper = setTimeout(() => child.kill('SIGKILL'), 20_000);
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    clearTimeout(stopper);
    expect({ code, out: out.trim() }).toEqual({ code: 0, out: 'function' });
    expect(existsSync(join(outDir, 'never-used'))).toBe(false);
  }, 60_000);

  it('names a package by its import path', () => {
    expect(packageOf('hono/secure-headers')).toBe('hono');
    expect(packageOf('@electric-sql/pglite')).toBe('@electric-sql/pglite');
    expect(packageOf('@hono/node-server/serve-static')).toBe('@hono/node-server');
    expect(packageOf('node:fs')).toBeUndefined();
    expect(packageOf('fs/promises')).toBeUndefined();
    expect(packageOf('crypto')).toBeUndefined();
  });
});
