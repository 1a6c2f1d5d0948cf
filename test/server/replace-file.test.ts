/**
 * Replacing an asset's file through the backend (`app.request` on the whole app: edge, sessions,
 * routes) against the sandbox (docs/decisions/replace-file.md): the backend keeps the new file and
 * the old one read from the CDN, journals a change of field `file` leased to a Designer applier
 * only, answers whether the asset still has the old file, serves the bytes to set, takes the new
 * file into its index once applied, and an undo sets the old bytes back. Bad input is refused
 * with a clear error and journals nothing.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Batch, Change, IndexResponse } from '../../src/core/api.ts';
import type { ReplacementCheck } from '../../src/core/replace.ts';
import { createSandbox, type Sandbox } from '../../src/sandbox/server.ts';
import type { WorldAsset } from '../../src/sandbox/world/world.ts';
import { createApp } from '../../src/server/app.ts';
import { signSession } from '../../src/server/crypto.ts';
import { replacementRoutes } from '../../src/server/replace/routes.ts';
import { createReplacements } from '../../src/server/replace/service.ts';
import { indexRoutes } from '../../src/server/routes/asset-index.ts';
import { changesRoutes } from '../../src/server/routes/changes.ts';
import { createAssetIndex } from '../../src/server/services/asset-index.ts';
import type { Installations } from '../../src/server/services/installations.ts';
import { createJournal } from '../../src/server/services/journal.ts';
import { createSessions } from '../../src/server/services/sessions.ts';
import { createWebflowClient } from '../../src/server/webflow/client.ts';
import { waitFor } from './sandbox-control.ts';
import { useTestStore } from './store-test-helpers.ts';

const SECRET = Buffer.alloc(32, 9);
const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('hex');

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await createSandbox({ port: 0, demo: { assets: 40 }, rateLimit: { perWindow: 1000, windowMs: 1000 } });
});
afterAll(async () => {
  await sandbox?.close();
});

describe('replacing a file through the backend, against the sandbox', () => {
  const stores = useTestStore('pglite');

  async function setup() {
    const store = stores.current();
    const siteId = sandbox.info.siteId;
    const webflow = createWebflowClient({ apiBaseUrl: sandbox.info.apiBaseUrl, betaBaseUrl: sandbox.info.betaBaseUrl, store, rateWindowMs: 1000 });
    const getSiteToken = async (id: string) => (id === siteId ? sandbox.info.siteToken : undefined);
    const installations: Installations = { save: async () => undefined, tokenOf: getSiteToken, scopesOf: async () => undefined };
    const journal = createJournal({ store });
    const index = createAssetIndex({ store, webflow, getSiteToken });
    await index.refresh(siteId);
    const errors: unknown[] = [];
    const replacements = createReplacements({ store, webflow, index, journal, getSiteToken, fetch: (url, init) => fetch(url, init), allowLoopback: true, onError: (error) => errors.push(error) });
    const sessions = createSessions({ installations, webflow, store, secret: SECRET, installUrl: 'http://backend.test/oauth/install' });
    const app = createApp({ panelOrigins: ['http://panel.test'], sessions, oauth: new Hono(), siteRoutes: [changesRoutes({ journal }), indexRoutes({ index }), replacementRoutes({ replacements })], log: () => undefined });
    const authorization = `Bearer ${signSession(SECRET, { userId: 'u1', siteId, expiresAt: Date.now() + 3_600_000 })}`;
    const request = (path: string, init: RequestInit = {}) =>
      app.request(`/api/sites/${siteId}${path}`, { ...init, headers: { authorization, ...(init.headers as Record<string, string> | undefined) } });
    const json = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
      const response = await request(path, init);
      if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
      return (await response.json()) as T;
    };
    const post = <T>(path: string, body: unknown) => json<T>(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { siteId, request, json, post, errors, index };
  }

  /** Two PNGs of the demo site: the asset whose file is replaced, and the bytes of another as its new file. */
  function pngs(offset: number): { target: WorldAsset; newBytes: Uint8Array } {
    const all = sandbox.world.listAssets(sandbox.info.siteId).filter((a) => a.contentType === 'image/png' && a.file);
    const target = all[offset];
    const other = all[offset + 1];
    if (!target || !other?.file) throw new Error('The demo site has too few PNGs');
    return { target, newBytes: other.file.bytes };
  }

  const send = (s: Awaited<ReturnType<typeof setup>>, query: Record<string, string>, body: BodyInit, type = 'image/png') =>
    s.request(`/replacements?${new URLSearchParams(query)}`, { method: 'POST', headers: { 'content-type': type }, body });

  /** What the panel's Designer applier does with a leased change: ask, fetch the bytes, set the file, acknowledge. */
  async function applyAsDesigner(s: Awaited<ReturnType<typeof setup>>, applierId: string): Promise<Change[]> {
    const lease = await s.post<{ changes: Change[] }>('/changes/lease', { applierId, limit: 10 });
    const results = [];
    for (const change of lease.changes.filter((c) => c.field === 'file')) {
      const check = await s.json<ReplacementCheck>(`/replacements/${change.id}`);
      if (check.state === 'conflict') {
        results.push({ changeId: change.id, outcome: 'conflict', current: check.current });
        continue;
      }
      if (check.state === 'ready') {
        const response = await s.request(`/replacements/${change.id}/file`);
        expect(response.headers.get('content-type')).toBe(check.contentType);
        const bytes = new Uint8Array(await response.arrayBuffer());
        sandbox.world.replaceFile(s.siteId, change.assetId, { fileName: check.fileName, contentType: check.contentType, bytes });
      }
      results.push({ changeId: change.id, outcome: 'applied' });
    }
    return (await s.post<{ changes: Change[] }>('/changes/ack', { applierId, results })).changes;
  }

  it('journals a replacement, leases it to a Designer applier only, and an undo sets the old bytes back', async () => {
    const s = await setup();
    const { target, newBytes } = pngs(0);
    const oldBytes = target.file?.bytes ?? new Uint8Array();
    const oldMd5 = md5(oldBytes);
    const created = await send(s, { assetId: target.id, fileName: 'menu-board-2027.png', md5: md5(newBytes) }, newBytes as Uint8Array<ArrayBuffer>);
    expect(created.status).toBe(201);
    const { batch } = (await created.json()) as { batch: Batch };
    expect(batch.changes).toEqual([expect.objectContaining({ assetId: target.id, field: 'file', before: oldMd5, after: md5(newBytes), status: 'pending' })]);

    // The Data API cannot replace a file: a server applier is never leased the change.
    const journal = createJournal({ store: stores.current() });
    const serverLease = await journal.lease(s.siteId, { applierId: 'server-test-applier', kind: 'server', fields: ['altText', 'displayName', 'file'], limit: 10, seconds: 30 });
    expect(serverLease.changes).toEqual([]);

    const [applied] = await applyAsDesigner(s, 'panel-designer-one');
    expect(applied).toMatchObject({ status: 'applied', appliedBy: 'designer' });
    const replaced = sandbox.world.asset(s.siteId, target.id);
    expect(md5(replaced.file?.bytes ?? new Uint8Array())).toBe(md5(newBytes));
    // The hosted file of the same asset id is the new one, and the index says so.
    const hosted = (await s.json<IndexResponse>('/index')).assets.find((a) => a.id === target.id);
    const cdn = new Uint8Array(await (await fetch(hosted?.url ?? '')).arrayBuffer());
    expect(md5(cdn)).toBe(md5(newBytes));
    const indexed = await waitFor('the index has the new file', async () => {
      const asset = (await s.json<IndexResponse>('/index')).assets.find((a) => a.id === target.id);
      return asset?.md5 === md5(newBytes) ? asset : undefined;
    });
    expect(indexed).toMatchObject({ fileName: 'menu-board-2027.png', size: newBytes.byteLength, contentType: 'image/png' });

    const undo = await s.post<{ batch: Batch }>(`/batches/${batch.id}/undo`, {});
    expect(undo.batch.changes).toEqual([expect.objectContaining({ field: 'file', before: md5(newBytes), after: oldMd5, status: 'pending' })]);
    const [undone] = await applyAsDesigner(s, 'panel-designer-two');
    expect(undone?.status).toBe('applied');
    const restored = sandbox.world.asset(s.siteId, target.id);
    expect(md5(restored.file?.bytes ?? new Uint8Array())).toBe(oldMd5);
    expect(restored.originalFileName).toBe(target.originalFileName);
    expect(s.errors).toEqual([]);
  });

  it('reports a conflict when the asset’s file changed meanwhile, and never sets it', async () => {
    const s = await setup();
    const { target, newBytes } = pngs(2);
    const created = await send(s, { assetId: target.id, fileName: target.originalFileName, md5: md5(newBytes) }, newBytes as Uint8Array<ArrayBuffer>);
    expect(created.status).toBe(201);
    // Someone replaces the file in the Designer before the applier gets to it.
    const theirs = new TextEncoder().encode('someone else’s file');
    sandbox.world.replaceFile(s.siteId, target.id, { fileName: target.originalFileName, contentType: 'image/png', bytes: theirs });
    const [settled] = await applyAsDesigner(s, 'panel-designer-three');
    expect(settled).toMatchObject({ status: 'conflict', current: md5(theirs) });
    expect(md5(sandbox.world.asset(s.siteId, target.id).file?.bytes ?? new Uint8Array())).toBe(md5(theirs));
    const resolved = await s.request(`/changes/${settled?.id}/resolve`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ keep: 'mine' }) });
    expect(resolved.status).toBe(409);
  });

  it('refuses the same file, another kind of file, a file over Webflow’s limit and a wrong MD5, journaling nothing', async () => {
    const s = await setup();
    const { target, newBytes } = pngs(4);
    const same = target.file?.bytes ?? new Uint8Array();
    const refusals: Array<[Record<string, string>, Uint8Array, number, string]> = [
      [{ assetId: target.id, fileName: 'same.png', md5: md5(same) }, same, 409, 'same MD5'],
      [{ assetId: target.id, fileName: 'menu.pdf', md5: md5(newBytes) }, newBytes, 400, 'same kind'],
      [{ assetId: target.id, fileName: 'photo.heic', md5: md5(newBytes) }, newBytes, 400, 'not a type Webflow accepts'],
      [{ assetId: target.id, fileName: 'new.png', md5: md5(new Uint8Array([1])) }, newBytes, 400, 'arrived with MD5'],
      [{ assetId: 'ffffffffffffffffffffffff', fileName: 'new.png', md5: md5(newBytes) }, newBytes, 404, 'No asset'],
    ];
    for (const [query, bytes, status, words] of refusals) {
      const response = await send(s, query, bytes as Uint8Array<ArrayBuffer>);
      expect(response.status, words).toBe(status);
      expect(((await response.json()) as { error: { message: string } }).error.message).toContain(words);
    }
    const big = new Uint8Array(4 * 1024 * 1024 + 1);
    const tooBig = await send(s, { assetId: target.id, fileName: 'big.png', md5: md5(big) }, big);
    expect(tooBig.status).toBe(413);
    const huge = await send(s, { assetId: target.id, fileName: 'big.pdf', md5: md5(big) }, new Uint8Array(10 * 1024 * 1024 + 1));
    expect(huge.status).toBe(413);
    const asJson = await send(s, { assetId: target.id, fileName: 'new.png', md5: md5(newBytes) }, '{}', 'application/json');
    expect(asJson.status).toBe(415);
    const open = await s.json<{ counts: Record<string, number> }>('/changes?status=pending');
    expect(open.counts['pending']).toBe(0);
    // Field 'file' is not for POST …/changes: it takes no file.
    const viaChanges = await s.request('/changes', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ changes: [{ assetId: target.id, field: 'file', before: md5(same), after: md5(newBytes) }] }) });
    expect(viaChanges.status).toBe(400);
  });

  it('journals one of two replacements of one asset sent at the same moment and refuses the other', async () => {
    const s = await setup();
    const { target, newBytes } = pngs(8);
    const other = pngs(10).newBytes;
    const answers = await Promise.all([
      send(s, { assetId: target.id, fileName: 'first.png', md5: md5(newBytes) }, newBytes as Uint8Array<ArrayBuffer>),
      send(s, { assetId: target.id, fileName: 'second.png', md5: md5(other) }, other as Uint8Array<ArrayBuffer>),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
    const refused = answers.find((a) => a.status === 409);
    expect(((await refused?.json()) as { error: { message: string } }).error.message).toContain('still waiting to be applied');
    const open = await s.json<{ changes: Change[] }>('/changes?status=pending');
    expect(open.changes.filter((c) => c.assetId === target.id && c.field === 'file')).toHaveLength(1);
  });

  it('refuses generated bad queries and change ids with a 4xx, never a 500', async () => {
    const s = await setup();
    const { target } = pngs(6);
    const bytes = new TextEncoder().encode('tiny');
    const badQuery = fc.record({
      assetId: fc.oneof(fc.constant(target.id), fc.string({ maxLength: 80 }), fc.constant('a/b'), fc.constant('x\u0000y')),
      fileName: fc.oneof(fc.string({ maxLength: 300 }), fc.constant('a\u0000.png'), fc.constant('\uD800.png'), fc.constant('')),
      md5: fc.oneof(fc.string({ maxLength: 40 }), fc.constant(md5(bytes).toUpperCase())),
    });
    await fc.assert(
      fc.asyncProperty(badQuery, async (query) => {
        const response = await send(s, query, bytes as Uint8Array<ArrayBuffer>);
        expect(response.status).toBeGreaterThanOrEqual(400);
        expect(response.status).toBeLessThan(500);
      }),
      { numRuns: 60 },
    );
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ minLength: 1, maxLength: 80 }), fc.constant('99999999'), fc.constant('0')), async (changeId) => {
        for (const path of [`/replacements/${encodeURIComponent(changeId)}`, `/replacements/${encodeURIComponent(changeId)}/file`]) {
          const response = await s.request(path);
          expect([400, 404]).toContain(response.status);
        }
      }),
      { numRuns: 40 },
    );
    const open = await s.json<{ counts: Record<string, number> }>('/changes?status=pending');
    expect(open.counts['pending']).toBe(0);
  });
});
