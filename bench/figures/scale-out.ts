/**
 * Scale beyond one machine: two backend processes (`src/server/main.ts`, as `npm run server`
 * runs it) sharing one store behind one port, a round robin of TCP connections the benchmark
 * starts itself (bench/lib/round-robin.ts).
 *
 * The store is PostgreSQL, a server of the benchmark's own on loopback (bench/lib/postgres.ts).
 * That is how Asset Desk runs more than one instance: everything instances must agree on lives
 * in the store (the journal and its leases, the quota per token and its 429 block, the refresh
 * and crawl leases, sign-in budgets, OAuth states), and `src/server/store/db.ts` opens PostgreSQL
 * through a pool for exactly that. PGlite cannot be shared: it is PostgreSQL compiled to
 * WebAssembly inside one process, holding its folder alone, with no server for a second process
 * to connect to. The benchmark uses the machine's PostgreSQL (installed by `.ci/run` for CI);
 * where there is none its figures say so (value NaN, not passed) instead of measuring PGlite.
 *
 * Figures, 50 connections through the round robin:
 * - the index of 2,000 assets under load (compact, gzip, a session; then unchanged: 304), as
 *   bench/figures/index-load.ts measures one backend, beside one of the two backends alone under
 *   the same load in the same run (the baseline: what a second process adds);
 * - 1,000 alt-text changes recorded through the round robin in batches of 50 and applied by the
 *   two server appliers together against one quota of 120 per two-second window, against the
 *   quota's bound at the share background work may use, as bench/figures/server-applier.ts
 *   measures one applier (docs/decisions/apply-bounds.md); with the duplicate applications counted
 *   from the sandbox's record of writes (a second PATCH of one asset) and every new value read
 *   back from the sandbox;
 * - a save through one backend reaching a panel's long poll for work waiting on the other (the
 *   store's broadcast, src/server/services/work-waiters.ts): from the save's answer to the lease's,
 *   five times; without the broadcast the panel found the work when its 20-s wait ended.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startSandboxProcess, type SandboxProcess } from '../../src/stack/sandbox-process.ts';
import { installOnSandboxSite } from '../../src/stack/install.ts';
import { loadWithWrk, requireWrk, type LoadResult } from '../lib/load.ts';
import { startBackendProcess, type BackendProcess } from '../lib/backend-process.ts';
import type { Benchmark, Figure } from '../lib/figure.ts';
import { round } from '../lib/figure.ts';
import { freePorts } from '../lib/ports.ts';
import { findPostgres, startPostgres } from '../lib/postgres.ts';
import { startRoundRobin } from '../lib/round-robin.ts';
import { openSiteClient, waitForSite, type SiteClient } from '../lib/site-client.ts';
import { windowPace, type SandboxStats } from '../lib/stacks.ts';
import { capsOf } from '../../src/server/webflow/quota.ts';
import { patchesPerAsset, sandboxAltTexts } from '../lib/sandbox-record.ts';

const CONNECTIONS = 50;
const BACKENDS = 2;
const PER_WINDOW = 120;
/** The sandbox's window, as the single server applier's figure (docs/decisions/apply-bounds.md). */
const WINDOW_MS = 2_000;
const BATCH = 50;
const TARGET_RPS = 2_000;
const TARGET_P99_MS = 50;
const PANEL_ORIGIN = 'http://127.0.0.1:4300';
const COMMAND = 'npm run bench -- --only scale-out';

interface IndexAnswer {
  assets: Array<{ id: string; altText: string | null; contentType: string }>;
}

export const scaleOut: Benchmark = {
  id: 'scale-out',
  async run(context) {
    const assets = context.size(2_000, 500);
    const changes = context.size(1_000, 150);
    const seconds = context.size(10, 2);
    requireWrk();
    const names = {
      index: `index under load, ${assets.toLocaleString('en')} assets, ${BACKENDS} backends on one PostgreSQL, ${CONNECTIONS} connections`,
      unchanged: `index under load, unchanged (304), ${assets.toLocaleString('en')} assets, ${BACKENDS} backends, ${CONNECTIONS} connections`,
      apply: `${changes} alt-text changes, ${BACKENDS} server appliers on one PostgreSQL (quota 120 per 2-second window)`,
      duplicates: `duplicate applications, ${changes} changes, ${BACKENDS} server appliers`,
      wake: `a save through one backend to a panel's long poll waiting on the other, ${BACKENDS} backends on one PostgreSQL`,
    };
    const found = findPostgres();
    if ('missing' in found) {
      return Object.values(names).map((name) => ({ name, value: Number.NaN, unit: '', baseline: null, ratio: null, target: 'PostgreSQL', pass: false, command: COMMAND, notes: `not measured: ${found.missing}` }));
    }

    const closers: Array<() => Promise<void>> = [];
    try {
      const [sandbox, postgres] = await Promise.all([
        startSandboxProcess({ port: 0, assets, rateLimit: { perWindow: PER_WINDOW, windowMs: WINDOW_MS } }),
        startPostgres(),
      ]);
      closers.push(() => sandbox.close(), () => postgres.close());
      const dataDir = mkdtempSync(join(tmpdir(), 'asset-desk-scale-out-'));
      closers.push(async () => rmSync(dataDir, { recursive: true, force: true }));

      // The backends' ports are known first: the round robin points at them, and each backend's
      // public URL (its OAuth redirect) is the round robin's.
      const ports = await freePorts(BACKENDS, 5420);
      const proxy = await startRoundRobin(ports.map((port) => `http://127.0.0.1:${port}`));
      closers.push(() => proxy.close());
      const start = (port: number) =>
        startBackendProcess({ port, sandboxUrl: sandbox.url, databaseUrl: postgres.url, dataDir, publicUrl: proxy.url, rateWindowMs: WINDOW_MS, panelOrigins: [PANEL_ORIGIN] }).then((backend) => {
          closers.push(() => backend.close());
          return backend;
        });
      // The first generates the secrets every instance must share (session secret, token key) in
      // the shared data folder; the others start once they are there, and migrate the store
      // alongside it as instances do (the migrations take a lock).
      const first = start(ports[0] as number);
      await waitForFile(join(dataDir, 'secrets.json'), first);
      const backends = await Promise.all([first, ...ports.slice(1).map(start)]);
      await installOnSandboxSite(proxy.url, sandbox.info.siteId);
      const client = await openSiteClient(proxy.url, sandbox.url, sandbox.info.siteId);
      await waitForSite(client, assets);

      const load = await indexUnderLoad(client, backends[0] as BackendProcess, seconds);
      const apply = await applyThroughBoth(client, sandbox, postgres.url, changes);
      const wake = await saveToOtherBackend(client, backends as BackendProcess[]);
      const passes = (l: LoadResult) => l.rps >= TARGET_RPS && l.p99 <= TARGET_P99_MS && l.failures === 0;
      const loadFigure = (name: string, l: LoadResult, alone: LoadResult, what: string): Figure => ({
        name,
        value: round(l.rps),
        unit: 'req/s',
        baseline: round(alone.rps),
        ratio: round(l.rps / alone.rps, 2),
        target: `≥ ${TARGET_RPS.toLocaleString('en')} req/s, p99 ≤ ${TARGET_P99_MS} ms, 0 errors`,
        pass: passes(l),
        command: COMMAND,
        notes: `p99 ${l.p99} ms (p50 ${l.p50}); ${l.failures} errors of ${l.total}; ${what}; baseline: one of the two backends alone, same load, p99 ${alone.p99} ms; connections per backend ${proxy.connections().join('/')}`,
      });
      return [
        loadFigure(names.index, load.full, load.fullAlone, 'compact layout, gzip, with a session, through the round robin'),
        loadFigure(names.unchanged, load.unchanged, load.unchangedAlone, 'If-None-Match with the current ETag: every answer 304'),
        {
          name: names.apply,
          value: round(apply.ms),
          unit: 'ms',
          baseline: round(apply.boundMs),
          ratio: round(apply.boundMs / apply.ms, 2),
          target: "≤ 1.05 × the quota's bound, 0 × 429",
          pass: apply.applied >= changes && apply.appliers === BACKENDS && apply.tooManyRequests === 0 && apply.ms <= Math.max(1.05 * apply.boundMs, WINDOW_MS),
          command: COMMAND,
          notes: `${apply.applied} applied; ${apply.appliers} server appliers seen holding leases; bound at ${capsOf(PER_WINDOW).interactive} of ${PER_WINDOW} requests a window (at all ${PER_WINDOW}: ${apply.wholeLimitBoundMs} ms); ${apply.requests} Data API requests; ${apply.tooManyRequests} 429s; ${apply.pace}; batches of ${BATCH} recorded through the round robin`,
        },
        {
          name: names.duplicates,
          value: apply.duplicates,
          unit: 'changes',
          baseline: null,
          ratio: null,
          target: '0, and every new value in place',
          pass: apply.duplicates === 0 && apply.wrongValues === 0 && apply.patched === changes,
          command: COMMAND,
          notes: `${apply.patched} assets PATCHed, ${apply.duplicates} of them more than once (the sandbox's record of writes); ${apply.wrongValues} assets without their new alt text`,
        },
        {
          name: names.wake,
          value: round(Math.max(...wake.ms), 1),
          unit: 'ms',
          baseline: LONG_POLL_MS,
          ratio: round(LONG_POLL_MS / Math.max(...wake.ms), 1),
          target: '≤ 1,000 ms, each change leased',
          pass: wake.leased === wake.ms.length && Math.max(...wake.ms) <= 1_000,
          command: COMMAND,
          notes: `the longest of ${wake.ms.length} (each: ${wake.ms.map((ms) => round(ms, 1)).join(', ')} ms), from the save's 201 on one backend to the lease's answer on the other, which waited for work; ${wake.leased} of ${wake.ms.length} leases held the change saved; baseline: the long poll's wait, at whose end the work was found before the broadcast`,
        },
      ];
    } finally {
      for (const close of closers.reverse()) await close().catch(() => undefined);
    }
  },
};

async function indexUnderLoad(client: SiteClient, alone: BackendProcess, seconds: number) {
  const path = `/api/sites/${client.siteId}/index?format=compact`;
  const headers = { authorization: `Bearer ${client.token}`, 'accept-encoding': 'gzip', origin: PANEL_ORIGIN };
  const first = await fetch(new URL(path, client.backendUrl), { headers });
  if (first.status !== 200) throw new Error(`The index answered ${first.status}.`);
  const etag = first.headers.get('etag');
  if (!etag) throw new Error('The index answered without an ETag.');
  await first.arrayBuffer();
  const run = (base: string, extra: Record<string, string>, status: number) =>
    loadWithWrk({ url: new URL(path, base).href, seconds, connections: CONNECTIONS, headers: { ...headers, ...extra }, expectedStatus: status });
  return {
    fullAlone: await run(alone.url, {}, 200),
    full: await run(client.backendUrl, {}, 200),
    unchangedAlone: await run(alone.url, { 'if-none-match': etag }, 304),
    unchanged: await run(client.backendUrl, { 'if-none-match': etag }, 304),
  };
}

/** POST on a connection of its own: the round robin hands each to the next backend, so both are told of work. */
function postOnNewConnection(url: string, token: string, body: unknown): Promise<void> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent: false, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => (res.statusCode === 201 ? resolve() : reject(new Error(`POST /changes answered ${res.statusCode}: ${text.slice(0, 300)}`))));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

async function applyThroughBoth(client: SiteClient, sandbox: SandboxProcess, databaseUrl: string, changes: number) {
  const index = await client.api<IndexAnswer>('/index');
  const images = index.assets.filter((asset) => asset.contentType.startsWith('image/')).slice(0, changes);
  if (images.length < changes) throw new Error(`The demo site has only ${images.length} images.`);
  const after = new Map(images.map((asset, i) => [asset.id, `Scale-out alt text ${i}`]));
  // The crawl's requests are behind; a fresh quota window, and the sandbox counts from here.
  await new Promise((resolve) => setTimeout(resolve, 2 * WINDOW_MS));
  const reset = await fetch(new URL('/_sandbox/stats/reset', sandbox.url), { method: 'POST' });
  if (!reset.ok) throw new Error(`The sandbox's stats could not be reset: ${reset.status}`);
  // The shared store tells which appliers hold leases while the batches drain, and when the last
  // change was recorded applied.
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const holders = new Set<string>();
  let applied: number;
  let ms: number;
  try {
    const started = Date.now();
    const url = new URL(`/api/sites/${client.siteId}/changes`, client.backendUrl).href;
    for (let from = 0; from < images.length; from += BATCH) {
      const batch = images.slice(from, from + BATCH);
      await postOnNewConnection(url, client.token, {
        label: 'Scale-out benchmark',
        changes: batch.map((asset) => ({ assetId: asset.id, field: 'altText', before: asset.altText, after: after.get(asset.id) })),
      });
    }
    for (;;) {
      const { rows } = await db.query<{ holder: string | null; open: string }>(
        `SELECT lease_holder AS holder, count(*) AS open FROM journal_changes WHERE site_id = $1 AND status IN ('pending', 'leased') GROUP BY lease_holder`,
        [client.siteId],
      );
      for (const row of rows) if (row.holder !== null) holders.add(row.holder);
      if (rows.length === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const { rows } = await db.query<{ applied: string; last: Date | null }>(
      `SELECT count(*) AS applied, max(applied_at) AS last FROM journal_changes WHERE site_id = $1 AND status = 'applied'`,
      [client.siteId],
    );
    applied = Number(rows[0]?.applied ?? 0);
    // To the last change the backends recorded as applied (same machine, same clock), not to the poll that saw it.
    ms = (rows[0]?.last?.getTime() ?? Number.NaN) - started;
  } finally {
    await db.end();
  }
  if (!Number.isFinite(ms)) throw new Error('No change was recorded as applied.');
  const stats = (await (await fetch(new URL('/_sandbox/stats', sandbox.url))).json()) as SandboxStats;
  const patches = await patchesPerAsset(sandbox.url);
  const values = await sandboxAltTexts(sandbox);
  let duplicates = 0;
  let wrongValues = 0;
  for (const [assetId, value] of after) {
    if ((patches.get(assetId) ?? 0) > 1) duplicates += 1;
    if (values.get(assetId) !== value) wrongValues += 1;
  }
  return {
    ms,
    // The quota's bound for the requests Webflow saw, at the share of a window background work
    // may use (as bench/figures/server-applier.ts), and at the whole limit for the notes.
    boundMs: (Math.ceil(stats.requests / capsOf(PER_WINDOW).interactive) - 1) * WINDOW_MS,
    wholeLimitBoundMs: (Math.ceil(stats.requests / PER_WINDOW) - 1) * WINDOW_MS,
    pace: windowPace(stats, WINDOW_MS),
    requests: stats.requests,
    tooManyRequests: stats.tooManyRequests,
    applied,
    appliers: holders.size,
    patched: [...after.keys()].filter((id) => (patches.get(id) ?? 0) > 0).length,
    duplicates,
    wrongValues,
  };
}

/** The panel's long poll (src/panel/models/applier.ts LONG_POLL_SECONDS). */
const LONG_POLL_MS = 20_000;

/**
 * A panel's applier waits for work on one backend (a long poll); a save comes through the other.
 * Five times, each with a change of its own; the time from the save's answer to the lease's.
 */
async function saveToOtherBackend(client: SiteClient, backends: readonly BackendProcess[]) {
  const [saving, waiting] = backends;
  if (!saving || !waiting) throw new Error('Two backends are needed.');
  const index = await client.api<IndexAnswer>('/index');
  const images = index.assets.filter((asset) => asset.contentType.startsWith('image/'));
  const applierId = `bench-panel-${randomUUID()}`;
  const site = (base: string, path: string) => new URL(`/api/sites/${client.siteId}${path}`, base).href;
  const post = (url: string, body: unknown) =>
    fetch(url, { method: 'POST', headers: { authorization: `Bearer ${client.token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const ms: number[] = [];
  let leased = 0;
  try {
    for (let turn = 0; turn < 5; turn += 1) {
      const asset = images[turn];
      if (!asset) throw new Error('The demo site has too few images.');
      const lease = post(site(waiting.url, '/changes/lease'), { applierId, limit: 10, seconds: 30, waitSeconds: 20 });
      // The lease found nothing and waits (the server appliers stand back for a panel).
      await new Promise((resolve) => setTimeout(resolve, 500));
      const text = `Saved through the other backend ${turn} ${randomUUID().slice(0, 8)}`;
      const saved = await post(site(saving.url, '/changes'), { label: 'Scale-out benchmark', changes: [{ assetId: asset.id, field: 'altText', before: asset.altText, after: text }] });
      if (saved.status !== 201) throw new Error(`POST /changes answered ${saved.status}: ${(await saved.text()).slice(0, 300)}`);
      const savedAt = performance.now();
      await saved.arrayBuffer();
      const answer = await lease;
      const answeredAt = performance.now();
      if (!answer.ok) throw new Error(`The lease answered ${answer.status}: ${(await answer.text()).slice(0, 300)}`);
      const { changes } = (await answer.json()) as { changes: Array<{ id: string; after: string | null }> };
      ms.push(answeredAt - savedAt);
      if (changes.some((change) => change.after === text)) leased += 1;
      // Acknowledged as a panel would after writing it, so the next round's lease waits again.
      const ack = await post(site(waiting.url, '/changes/ack'), { applierId, results: changes.map((change) => ({ changeId: change.id, outcome: 'applied' })) });
      if (!ack.ok) throw new Error(`The acknowledgement answered ${ack.status}: ${(await ack.text()).slice(0, 300)}`);
    }
  } finally {
    await post(site(waiting.url, '/changes/release'), { applierId }).catch(() => undefined);
  }
  return { ms, leased };
}

/** Waits for a file to appear, or for `starting` to fail first. */
async function waitForFile(path: string, starting: Promise<unknown>): Promise<void> {
  let failed: unknown;
  starting.catch((error: unknown) => (failed = error ?? new Error('failed')));
  while (!existsSync(path)) {
    if (failed !== undefined) throw failed;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
