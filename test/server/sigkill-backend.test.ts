/**
 * The production backend killed mid-batch: `src/server/main.ts` itself, started as `npm run
 * server` starts it (configured from the environment only), with the real Webflow client, its
 * quota and its retries, against the sandbox in a process of its own. A batch of alt-text
 * changes is recorded through the HTTP API with a real session; the backend is SIGKILLed several
 * times while its server applier works through it and started again on the same store each time.
 * The sandbox then shows every change made exactly once: one PATCH that it applied per asset, the
 * new value in place, and the journal says applied.
 * On PostgreSQL (TEST_DATABASE_URL) the backend's store is a schema of that database.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Batch, ChangesResponse } from '../../src/core/api.ts';
import { listeningUrl } from '../../src/stack/backend-listening.ts';
import { BACKEND_NODE_FLAGS } from '../../src/stack/backend-node-flags.ts';
import { installOnSandboxSite } from '../../src/stack/install.ts';
import { startSandboxProcess, type SandboxProcess } from '../../src/stack/sandbox-process.ts';
import { openStore } from '../../src/server/store/db.ts';
import { idTokenOf, setFaults, statsOf, waitFor, wire } from './sandbox-control.ts';
import { freePortIn } from './free-port.ts';
import { seededRandom } from './seeded.ts';
import { notePostgresNotRun, testStoreKinds } from './store-test-helpers.ts';

const CHANGES = 300;
const KILLS = 3;
/** The sandbox's fast mode: Webflow's 60 a minute, in a second. */
const RATE = { perWindow: 60, windowMs: 1_000 };
const mainScript = fileURLToPath(new URL('../../src/server/main.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

interface ListedAsset {
  id: string;
  altText: string | null;
}

async function assetsOf(sandbox: SandboxProcess): Promise<ListedAsset[]> {
  const assets: ListedAsset[] = [];
  for (let offset = 0; ; offset += 100) {
    const page = await waitFor(`the sandbox's assets from ${offset}`, async () => {
      const answer = await wire<{ assets: ListedAsset[]; pagination: { total: number } }>(sandbox, sandbox.info.siteToken, `/sites/${sandbox.info.siteId}/assets?limit=100&offset=${offset}`);
      // The site token has a rate window of its own; a 429 there only means "a moment later".
      return answer.status === 200 ? answer.body : undefined;
    });
    assets.push(...page.assets);
    if (assets.length >= page.pagination.total || page.assets.length === 0) return assets;
  }
}

beforeAll(() => notePostgresNotRun('the PostgreSQL run of the production backend killed mid-batch'));

describe.each(testStoreKinds)('killing the production backend (src/server/main.ts) mid-batch on %s', (kind) => {
  const random = seededRandom(`killing the production backend on ${kind}`);
  let sandbox: SandboxProcess;
  let dataDir: string;
  let schema: string | undefined;
  let databaseUrl: string | undefined;
  let port: number;
  let running: ChildProcess | undefined;

  beforeAll(async () => {
    sandbox = await startSandboxProcess({ port: 0, assets: CHANGES, rateLimit: RATE });
    dataDir = mkdtempSync(join(tmpdir(), 'asset-desk-kill-backend-'));
    port = await freePortIn(5400, 5499); // this suite's range
    if (kind === 'postgres') {
      const url = process.env.TEST_DATABASE_URL ?? '';
      schema = `test_${randomBytes(6).toString('hex')}`;
      // The backend takes one URL: the schema travels in it as the connection's search_path.
      const creator = await openStore(url, { schema, migrations: [] });
      await creator.query('SELECT 1'); // creates the schema, which the backend's URL cannot
      await creator.close();
      const withSchema = new URL(url);
      withSchema.searchParams.set('options', `-c search_path=${schema}`);
      databaseUrl = withSchema.toString();
    }
  }, 180_000);

  afterAll(async () => {
    if (running && running.exitCode === null && running.signalCode === null) {
      const exited = new Promise((resolve) => running?.once('exit', resolve));
      running.kill('SIGKILL');
      await exited;
    }
    await sandbox?.close();
    if (schema) {
      const store = await openStore(process.env.TEST_DATABASE_URL ?? '', { migrations: [] });
      await store.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await store.close();
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  /** `npm run server`: tsx on main.ts with the backend's heap flags, everything from the environment (src/server/config.ts). */
  async function startBackend(): Promise<{ child: ChildProcess; url: string; exited: Promise<void> }> {
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), DATA_DIR: dataDir, SANDBOX_URL: sandbox.url, RATE_WINDOW_MS: String(RATE.windowMs) };
    for (const name of ['DATABASE_URL', 'PUBLIC_URL', 'WEBFLOW_CLIENT_ID', 'WEBFLOW_CLIENT_SECRET', 'PANEL_ORIGINS', 'TRUSTED_PROXIES']) delete env[name];
    if (databaseUrl) env.DATABASE_URL = databaseUrl;
    const child = spawn(process.execPath, ['--import', 'tsx', ...BACKEND_NODE_FLAGS, mainScript], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'inherit'] });
    running = child;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const url = await listeningUrl(child);
    return { child, url, exited };
  }

  async function kill(backend: { child: ChildProcess; exited: Promise<void> }): Promise<void> {
    backend.child.kill('SIGKILL');
    await backend.exited;
  }

  const patchesOf = async (): Promise<Map<string, number>> => {
    const { writes } = await statsOf(sandbox);
    const patches = new Map<string, number>();
    for (const [write, count] of Object.entries(writes)) {
      const id = /^PATCH \/v2\/assets\/([^/]+)$/.exec(write)?.[1];
      if (id) patches.set(id, count);
    }
    return patches;
  };
  const patchCount = async () => [...(await patchesOf()).values()].reduce((sum, n) => sum + n, 0);

  it(`applies every change of a ${CHANGES}-change batch exactly once though killed ${KILLS} times`, async () => {
    const { siteId } = sandbox.info;
    const before = await assetsOf(sandbox);
    expect(before).toHaveLength(CHANGES);
    const after = new Map(before.map((asset, i) => [asset.id, `Roasted beans, photo ${i + 1} of the kill test`]));

    let backend = await startBackend();
    await installOnSandboxSite(backend.url, siteId);
    const session = await fetch(`${backend.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ idToken: await idTokenOf(sandbox), siteId }),
    });
    expect(session.status).toBe(200);
    const { sessionToken } = (await session.json()) as { sessionToken: string };
    const api = (path: string, init: RequestInit = {}) =>
      fetch(`${backend.url}/api/sites/${siteId}${path}`, { ...init, headers: { authorization: `Bearer ${sessionToken}`, 'content-type': 'application/json' } });

    // Webflow fails now and then too (500s before acting): the client's retries run as in production.
    await setFaults(sandbox, { errorRate: 0.02 });
    const recorded = await api('/changes', {
      method: 'POST',
      body: JSON.stringify({
        label: `Alt text for ${CHANGES} assets`,
        changes: before.map((asset) => ({ assetId: asset.id, field: 'altText', before: asset.altText, after: after.get(asset.id) })),
      }),
    });
    expect(recorded.status).toBe(201);
    const { batch } = (await recorded.json()) as { batch: Batch };
    expect(batch.changes).toHaveLength(CHANGES);

    for (let n = 0; n < KILLS; n += 1) {
      // Mid-batch: after some more PATCHes than before this start, at a seeded point.
      const target = (await patchCount()) + random.int(5, 40);
      await waitFor(`${target} PATCHes before kill ${n + 1}`, async () => ((await patchCount()) >= target ? true : undefined), 120_000, 20);
      await kill(backend);
      backend = await startBackend();
    }
    const patchedBeforeLastRun = await patchCount();
    expect(patchedBeforeLastRun).toBeGreaterThan(0);
    expect(patchedBeforeLastRun).toBeLessThan(CHANGES);

    // The last start finishes the batch (changes a killed process held wait for its lease to lapse).
    const counts = await waitFor(
      'the journal to say every change applied',
      async () => {
        const answer = await api('/changes?status=applied&limit=1');
        if (answer.status !== 200) return undefined;
        const { counts: byStatus } = (await answer.json()) as ChangesResponse;
        return (byStatus.applied ?? 0) === CHANGES ? byStatus : undefined;
      },
      240_000,
      250,
    );
    expect(counts).toMatchObject({ applied: CHANGES });
    expect(Object.entries(counts).filter(([status, n]) => status !== 'applied' && n > 0)).toEqual([]);
    const applied = (await (await api(`/changes?status=applied&limit=${CHANGES}`)).json()) as ChangesResponse;
    expect(applied.changes.filter((change) => change.batchId === batch.id && change.appliedBy === 'server')).toHaveLength(CHANGES);

    const patches = await patchesOf();
    const twice = [...patches].filter(([, n]) => n !== 1);
    expect(twice).toEqual([]);
    expect(patches.size).toBe(CHANGES);
    await setFaults(sandbox, {});
    const now = new Map((await assetsOf(sandbox)).map((asset) => [asset.id, asset.altText]));
    for (const [assetId, value] of after) expect(now.get(assetId)).toBe(value);
    await kill(backend);
  }, 600_000); // A hang guard only: each kill strands up to 100 leased changes for the lease's 60 s.
});
