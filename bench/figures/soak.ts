/**
 * A soak: 20 clients editing alt text and reading the index for 10 minutes (20 s with
 * `--small`, storms every 8 s), on loopback only, while the sandbox answers 10% of the Data
 * API's requests with a 500 (before acting) and sheds load in 429 storms (3 s every 30 s,
 * Retry-After for the storm's rest; src/sandbox/api/gate.ts). The backend is
 * `src/server/main.ts` in a process of its own on a PGlite folder, as `npm run server` runs it
 * for one site owner, so its RSS is its own.
 *
 * Each client owns 25 images (10 with `--small`, on a site of 500 assets instead of 1,200) (two clients never edit the same one, so every before-value is
 * known) and, until the end, repeats with a pause of 0.5–1.5 s: record a batch of 1–3 alt-text
 * changes (70%), undo its latest batch (10%), read the index as the panel does, with its ETag
 * (20%). Then the faults stop, the journal drains, and the sandbox's final state is checked:
 * - sent: changes the clients asked for (inverse changes of undos included);
 * - applied: changes the journal says applied;
 * - lost: changes accepted (201) that were not applied (a change the client undid before it
 *   reached Webflow is discarded, which is what undo means), plus images whose alt text in the
 *   sandbox is not the value the client's own edits and undos leave;
 * - duplicated: PATCHes the sandbox made (its record of writes per asset) beyond one per applied
 *   change of that asset;
 * - the backend's RSS when the clients start and when the journal has drained.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Batch, Change } from '../../src/core/api.ts';
import { installOnSandboxSite } from '../../src/stack/install.ts';
import { startSandboxProcess } from '../../src/stack/sandbox-process.ts';
import { startBackendProcess } from '../lib/backend-process.ts';
import type { Benchmark, Figure } from '../lib/figure.ts';
import { round } from '../lib/figure.ts';
import { freePorts } from '../lib/ports.ts';
import { patchesPerAsset, sandboxAltTexts } from '../lib/sandbox-record.ts';
import { openSiteClient, waitForSite, type SiteClient } from '../lib/site-client.ts';
import { FAST_WINDOW_MS } from '../lib/stacks.ts';

const CLIENTS = 20;
const PER_WINDOW = 120;
const ERROR_RATE = 0.1;
const PANEL_ORIGIN = 'http://127.0.0.1:4300';
const COMMAND = 'npm run bench -- --only soak';
/** The most an RSS may grow over the soak before the figure calls it a leak. */
const RSS_GROWTH_LIMIT = 1.5;

interface ClientTally {
  sent: number;
  accepted: Change[];
  undos: number;
  /** Change ids of batches the client undid: their changes may end discarded. */
  undone: Set<string>;
  reads: number;
  notModified: number;
  /** Answers of the backend other than 2xx/304: each one a failure of the soak. */
  errors: string[];
}

export const soak: Benchmark = {
  id: 'soak',
  async run(context) {
    const durationMs = context.size(600_000, 20_000);
    const assetsOnSite = context.size(1_200, 500);
    const perClient = context.size(25, 10);
    const storms = context.small ? { everyMs: 8_000, lastMs: 2_000 } : { everyMs: 30_000, lastMs: 3_000 };
    const closers: Array<() => Promise<void>> = [];
    try {
      const sandbox = await startSandboxProcess({ port: 0, assets: assetsOnSite, rateLimit: { perWindow: PER_WINDOW, windowMs: FAST_WINDOW_MS } });
      closers.push(() => sandbox.close());
      const dataDir = mkdtempSync(join(tmpdir(), 'asset-desk-soak-'));
      closers.push(async () => rmSync(dataDir, { recursive: true, force: true }));
      const [port] = await freePorts(1, 5440);
      const backend = await startBackendProcess({ port: port as number, sandboxUrl: sandbox.url, databaseUrl: join(dataDir, 'pglite'), dataDir, rateWindowMs: FAST_WINDOW_MS, panelOrigins: [PANEL_ORIGIN] });
      closers.push(() => backend.close());
      await installOnSandboxSite(backend.url, sandbox.info.siteId);
      const first = await openSiteClient(backend.url, sandbox.url, sandbox.info.siteId);
      await waitForSite(first, assetsOnSite);
      const clients = [first];
      // Sessions are opened before the faults: a sign-in is not what the soak measures.
      while (clients.length < CLIENTS) clients.push(await openSiteClient(backend.url, sandbox.url, sandbox.info.siteId));
      const { assets } = await first.api<{ assets: Array<{ id: string; altText: string | null; contentType: string }> }>('/index');
      const images = assets.filter((asset) => asset.contentType.startsWith('image/')).slice(0, CLIENTS * perClient);
      if (images.length < CLIENTS * perClient) throw new Error(`The demo site has only ${images.length} images.`);
      // What each image's alt text must end as: the client's own edits and undos, in order.
      const expected = new Map(images.map((asset) => [asset.id, asset.altText]));

      await fetch(new URL('/_sandbox/stats/reset', sandbox.url), { method: 'POST' });
      await putFaults(sandbox.url, { errorRate: ERROR_RATE, storms });
      const rssStart = backend.rssBytes();
      let rssPeak = rssStart;
      const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, backend.rssBytes())), 5_000);
      const started = Date.now();
      const deadline = started + durationMs;
      let tallies: ClientTally[];
      try {
        tallies = await Promise.all(clients.map((client, k) => runClient(client, images.filter((_, i) => i % CLIENTS === k).map((a) => a.id), expected, deadline, k)));
      } finally {
        clearInterval(sampler);
      }
      const faultStats = (await (await fetch(new URL('/_sandbox/stats', sandbox.url))).json()) as { requests: number; tooManyRequests: number; serverErrors: number };
      await putFaults(sandbox.url, {});
      const drainStarted = Date.now();
      for (;;) {
        const { counts } = await first.api<{ counts: Partial<Record<string, number>> }>('/changes?status=pending,leased&limit=1');
        if ((counts.pending ?? 0) + (counts.leased ?? 0) === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      const drainMs = Date.now() - drainStarted;
      const rssEnd = backend.rssBytes();

      // The journal's last word on every change of every image, and the sandbox's.
      const histories = new Map<string, Change[]>();
      for (const image of images) histories.set(image.id, (await first.api<{ changes: Change[] }>(`/assets/${image.id}/history`)).changes);
      const patches = await patchesPerAsset(sandbox.url);
      const values = await sandboxAltTexts(sandbox);
      const statusOf = new Map([...histories.values()].flat().map((change) => [change.id, change]));
      const undone = new Set(tallies.flatMap((t) => [...t.undone]));
      let lost = 0;
      const lostExamples: string[] = [];
      for (const change of tallies.flatMap((t) => t.accepted)) {
        const final = statusOf.get(change.id);
        const fine = final?.status === 'applied' || (final?.status === 'discarded' && undone.has(change.batchId));
        if (!fine) {
          lost += 1;
          if (lostExamples.length < 3) lostExamples.push(`change ${change.id}: ${final?.status ?? 'not in the journal'}${final?.error ? ` (${final.error})` : ''}`);
        }
      }
      let wrongValues = 0;
      for (const [id, value] of expected) if (values.get(id) !== value) wrongValues += 1;
      let duplicated = 0;
      let appliedWithoutPatch = 0;
      for (const [id, changes] of histories) {
        const applied = changes.filter((change) => change.status === 'applied').length;
        const patched = patches.get(id) ?? 0;
        duplicated += Math.max(0, patched - applied);
        appliedWithoutPatch += Math.max(0, applied - patched);
      }
      const applied = [...histories.values()].flat().filter((change) => change.status === 'applied').length;
      const sent = tallies.reduce((sum, t) => sum + t.sent, 0);
      const accepted = tallies.reduce((sum, t) => sum + t.accepted.length, 0);
      const errors = tallies.flatMap((t) => t.errors);
      const minutes = durationMs / 60_000;
      const what = `${CLIENTS} clients, ${minutes >= 1 ? `${round(minutes)} min` : `${durationMs / 1000} s`}, ${ERROR_RATE * 100}% 500s, 429 storms of ${storms.lastMs / 1000} s every ${storms.everyMs / 1000} s`;
      const figure = (name: string, value: number, unit: string, target: string, pass: boolean, notes: string, baseline: number | null = null): Figure => ({
        name: `soak (${what}): ${name}`,
        value,
        unit,
        baseline,
        ratio: null,
        target,
        pass,
        command: COMMAND,
        notes,
      });
      const mb = (bytes: number) => round(bytes / 1024 / 1024);
      return [
        figure(
          'changes sent',
          sent,
          'changes',
          'every request answered (0 errors)',
          errors.length === 0,
          `${accepted} accepted (201), ${tallies.reduce((s, t) => s + t.undos, 0)} undos, ${tallies.reduce((s, t) => s + t.reads, 0)} index reads (${tallies.reduce((s, t) => s + t.notModified, 0)} answered 304); ${errors.length} backend errors${errors[0] ? ` (first: ${errors[0]})` : ''}; the sandbox answered ${faultStats.serverErrors} × 500 and ${faultStats.tooManyRequests} × 429 of ${faultStats.requests} Data API requests`,
        ),
        figure('changes applied', applied, 'changes', 'every accepted change applied or undone before it reached Webflow', lost === 0, `journal drained ${round(drainMs / 1000)} s after the faults stopped; ${appliedWithoutPatch} applied without a PATCH of their own (Webflow already had the value)`),
        figure('changes lost', lost + wrongValues, 'changes', '0', lost === 0 && wrongValues === 0, `${lost} accepted changes not applied${lostExamples.length ? ` (${lostExamples.join('; ')})` : ''}; ${wrongValues} of ${expected.size} images whose alt text in the sandbox differs from the clients' edits and undos`),
        figure('changes duplicated', duplicated, 'changes', '0', duplicated === 0, `PATCHes per image in the sandbox's record of writes beyond one per applied change; ${[...patches.values()].reduce((s, n) => s + n, 0)} PATCHes in all`),
        figure(
          'backend RSS at the end',
          mb(rssEnd),
          'MB',
          `≤ ${RSS_GROWTH_LIMIT} × the start`,
          rssEnd <= RSS_GROWTH_LIMIT * rssStart,
          `${mb(rssStart)} MB when the clients started, ${mb(rssEnd)} MB once the journal drained, ${mb(rssPeak)} MB at most (sampled every 5 s); PGlite folder, one backend process`,
          mb(rssStart),
        ),
      ];
    } finally {
      for (const close of closers.reverse()) await close().catch(() => undefined);
    }
  },
};

async function putFaults(sandboxUrl: string, faults: object): Promise<void> {
  const response = await fetch(new URL('/_sandbox/faults', sandboxUrl), { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(faults) });
  if (!response.ok) throw new Error(`The sandbox refused the faults: ${response.status} ${await response.text()}`);
}

/** A small deterministic generator per client (the soak's draws are reproducible). */
function randomOf(seed: number): () => number {
  let state = seed + 0x9e3779b9;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function runClient(client: SiteClient, owned: string[], expected: Map<string, string | null>, deadline: number, k: number): Promise<ClientTally> {
  const random = randomOf(k);
  const tally: ClientTally = { sent: 0, accepted: [], undos: 0, undone: new Set(), reads: 0, notModified: 0, errors: [] };
  let latest: Batch | undefined;
  let etag: string | undefined;
  let n = 0;
  const attempt = async (what: string, action: () => Promise<void>) => {
    try {
      await action();
    } catch (error) {
      tally.errors.push(`${what}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 500 + random() * 1_000));
    const draw = random();
    if (draw < 0.7) {
      const count = 1 + Math.floor(random() * 3);
      const picked = [...new Set(Array.from({ length: count }, () => owned[Math.floor(random() * owned.length)] as string))];
      const changes = picked.map((assetId) => ({ assetId, field: 'altText' as const, before: expected.get(assetId) ?? null, after: `Soak client ${k}, edit ${(n += 1)}` }));
      tally.sent += changes.length;
      await attempt('record', async () => {
        const { batch } = await client.api<{ batch: Batch }>('/changes', { method: 'POST', body: JSON.stringify({ label: `Soak ${k}`, changes }) });
        tally.accepted.push(...batch.changes);
        for (const change of changes) expected.set(change.assetId, change.after);
        latest = batch;
      });
    } else if (draw < 0.8 && latest) {
      const undoing = latest;
      latest = undefined;
      tally.sent += undoing.changes.length;
      await attempt('undo', async () => {
        const { batch } = await client.api<{ batch: Batch }>(`/batches/${undoing.id}/undo`, { method: 'POST' });
        tally.undos += 1;
        tally.undone.add(undoing.id);
        // Its inverse changes: pending for changes that reached Webflow, discarded for those that had not.
        tally.accepted.push(...batch.changes.filter((change) => change.status !== 'discarded'));
        for (const change of undoing.changes) expected.set(change.assetId, change.before);
      });
    } else {
      await attempt('index', async () => {
        const response = await fetch(new URL(`/api/sites/${client.siteId}/index?format=compact`, client.backendUrl), {
          headers: { authorization: `Bearer ${client.token}`, 'accept-encoding': 'gzip', ...(etag ? { 'if-none-match': etag } : {}) },
        });
        await response.arrayBuffer();
        if (response.status === 304) tally.notModified += 1;
        else if (response.ok) etag = response.headers.get('etag') ?? undefined;
        else throw new Error(`GET /index answered ${response.status}`);
        tally.reads += 1;
      });
    }
  }
  return tally;
}
