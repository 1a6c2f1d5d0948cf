import { randomBytes } from 'node:crypto';
import { Hono } from 'hono';
import { describe, expect, it, vi } from 'vitest';
import { apiError, batchResponse, changesResponse, leaseResponse, type ChangeInput } from '../../core/api.ts';
import type { AppEnv } from '../env.ts';
import { HttpError } from '../errors.ts';
import { createJournal } from '../services/journal.ts';
import { createWorkWaiters, type WorkWaiters } from '../services/work-waiters.ts';
import { changesRoutes } from './changes.ts';
import { broadcastChannel, openStore } from '../store/db.ts';
import { postgresConfigured, testStoreKinds, useTestStore } from '../../../test/server/store-test-helpers.ts';

const SITE = 'site1';
const APPLIER = 'designer-applier-1';

describe.each(testStoreKinds)('journal routes on %s', (kind) => {
  const stores = useTestStore(kind);

  /** The routes as app.ts mounts them, with a session already checked and errors mapped as app.ts does. */
  function testApp(standBack?: (siteId: string) => Promise<boolean>, waiters?: WorkWaiters) {
    const real = createJournal({ store: stores.current() });
    /** Every lease the routes asked the journal for: who asked, and how many changes it got. */
    const leases: Array<{ applierId: string; changes: number }> = [];
    const journal: typeof real = {
      ...real,
      async lease(siteId, options) {
        const lease = await real.lease(siteId, options);
        leases.push({ applierId: options.applierId, changes: lease.changes.length });
        return lease;
      },
    };
    const recorded: string[] = [];
    const app = new Hono<AppEnv>();
    app.use('/api/sites/:siteId/*', async (c, next) => {
      c.set('session', { userId: 'user1', siteId: c.req.param('siteId') ?? '' });
      await next();
    });
    app.route('/api/sites/:siteId', changesRoutes({ journal, onRecorded: (siteId) => recorded.push(siteId), ...(standBack ? { standBack } : {}), ...(waiters ? { waiters } : {}) }));
    app.onError((error, c) => {
      if (error instanceof HttpError) {
        return c.json({ error: { code: error.code, message: error.message, details: error.details } }, error.status);
      }
      return c.json({ error: { code: 'internal_error', message: 'Something went wrong' } }, 500);
    });
    const post = (path: string, body: unknown) =>
      app.request(`/api/sites/${SITE}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const get = (path: string) => app.request(`/api/sites/${SITE}${path}`);
    return { app, post, get, recorded, leases, journal: real };
  }

  const alt = (assetId: string, after: string | null): ChangeInput => ({ assetId, field: 'altText', before: '', after });

  it('records a batch and answers 201 with its ids', async () => {
    const { post, recorded } = testApp();
    const response = await post('/changes', { label: 'Two photos', changes: [alt('a1', 'Door'), alt('a2', null)] });
    expect(response.status).toBe(201);
    const { batch } = batchResponse.parse(await response.json());
    expect(batch.changes.map((c) => [c.assetId, c.after, c.status])).toEqual([
      ['a1', 'Door', 'pending'],
      ['a2', null, 'pending'],
    ]);
    expect(recorded).toEqual([SITE]);
  });

  it('answers 400 with the shared error shape for a bad batch', async () => {
    const { post, app } = testApp();
    const empty = await post('/changes', { changes: [] });
    expect(empty.status).toBe(400);
    expect(apiError.parse(await empty.json()).error.code).toBe('validation_error');
    const notJson = await app.request(`/api/sites/${SITE}/changes`, { method: 'POST', body: '{oops' });
    expect(notJson.status).toBe(400);
    expect(apiError.parse(await notJson.json()).error).toMatchObject({ code: 'bad_request' });
    const blankName = await post('/changes', { changes: [{ assetId: 'a1', field: 'displayName', before: 'a', after: '' }] });
    expect(blankName.status).toBe(400);
  });

  it('lists open work with counts, filtered by status', async () => {
    const { post, get } = testApp();
    await post('/changes', { changes: [alt('a1', 'Door')] });
    const response = await get('/changes?status=pending&limit=10');
    expect(response.status).toBe(200);
    const body = changesResponse.parse(await response.json());
    expect(body.changes).toHaveLength(1);
    expect(body.counts.pending).toBe(1);
    expect((await get('/changes?status=nonsense')).status).toBe(400);
    expect((await get('/changes?limit=0')).status).toBe(400);
  });

  it('lists page after page: each starts after the last change of the page before', async () => {
    const { post, get } = testApp();
    await post('/changes', { changes: ['a1', 'a2', 'a3', 'a4', 'a5'].map((id) => alt(id, `Alt ${id}`)) });
    const seen: string[] = [];
    let after: string | undefined;
    for (let page = 0; page < 4; page += 1) {
      const body = changesResponse.parse(await (await get(`/changes?status=pending&limit=2${after ? `&after=${after}` : ''}`)).json());
      seen.push(...body.changes.map((change) => change.assetId));
      if (body.changes.length < 2) break;
      after = body.changes.at(-1)?.id;
    }
    expect(seen).toEqual(['a1', 'a2', 'a3', 'a4', 'a5']);
    for (const bad of ['', '0', 'x', '-1', '1.5', '1e3', '9'.repeat(19), '01', '1%00']) {
      const response = await get(`/changes?status=pending&after=${bad}`);
      expect(response.status, bad).toBe(400);
      expect(apiError.parse(await response.json()).error.message).toMatch(/^after: /);
    }
    expect((await get(`/changes?status=pending&after=${'9'.repeat(18)}`)).status).toBe(200);
  });

  it('leases work to the Designer applier and takes its outcomes', async () => {
    const { post, get } = testApp();
    await post('/changes', { changes: [alt('a1', 'Door'), alt('a2', 'Lake')] });
    const lease = leaseResponse.parse(await (await post('/changes/lease', { applierId: APPLIER, limit: 10 })).json());
    expect(lease.changes).toHaveLength(2);
    expect(lease.leaseExpiresAt).not.toBeNull();
    const [door, lake] = lease.changes;
    const ack = await post('/changes/ack', {
      applierId: APPLIER,
      results: [
        { changeId: door!.id, outcome: 'applied' },
        { changeId: lake!.id, outcome: 'conflict', current: 'A lake at dawn' },
      ],
    });
    expect(ack.status).toBe(200);
    const { changes } = (await ack.json()) as { changes: { status: string; appliedBy: string | null }[] };
    expect(changes.map((c) => c.status)).toEqual(['applied', 'conflict']);
    expect(changes[0]?.appliedBy).toBe('designer');
    const history = (await (await get('/assets/a2/history')).json()) as { changes: { current?: string | null }[] };
    expect(history.changes[0]?.current).toBe('A lake at dawn');
  });

  it('takes back what a closing applier holds, wakes another waiting for work, and leaves the rest alone', async () => {
    const { post, get, recorded } = testApp();
    await post('/changes', { changes: [alt('a1', 'Door'), alt('a2', 'Lake'), alt('a3', 'Hill')] });
    const mine = leaseResponse.parse(await (await post('/changes/lease', { applierId: APPLIER, limit: 2 })).json());
    const theirs = leaseResponse.parse(await (await post('/changes/lease', { applierId: 'designer-applier-2', limit: 10 })).json());
    expect([mine.changes.length, theirs.changes.length]).toEqual([2, 1]);
    await post('/changes/ack', { applierId: APPLIER, results: [{ changeId: mine.changes[0]!.id, outcome: 'applied' }] });
    recorded.length = 0;

    // Another applier waits for work; the closing one gives back the change it still holds.
    const waiting = post('/changes/lease', { applierId: 'designer-applier-3', waitSeconds: 10 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const release = await post('/changes/release', { applierId: APPLIER });
    expect(release.status).toBe(200);
    expect(await release.json()).toEqual({ released: 1 });
    expect(recorded).toEqual([SITE]);
    const taken = leaseResponse.parse(await (await waiting).json());
    expect(taken.changes.map((c) => c.after)).toEqual(['Lake']);

    // Nothing more to give back; the other applier's lease and the applied change are untouched.
    expect(await (await post('/changes/release', { applierId: APPLIER })).json()).toEqual({ released: 0 });
    expect(await (await post('/changes/release', { applierId: 'designer-applier-9' })).json()).toEqual({ released: 0 });
    const open = changesResponse.parse(await (await get('/changes?status=leased,applied')).json());
    expect(open.changes.map((c) => [c.after, c.status])).toEqual([
      ['Door', 'applied'],
      ['Lake', 'leased'],
      ['Hill', 'leased'],
    ]);
    expect((await post('/changes/release', { applierId: 'short' })).status).toBe(400);
    expect((await post('/changes/release', {})).status).toBe(400);
  });

  it('has the server applier give back a batch it holds when a panel finds no work, and leases it to the panel at once', async () => {
    const askedFor: string[] = [];
    const server: { journal?: ReturnType<typeof testApp>['journal'] } = {};
    const { post, leases, journal: real } = testApp(async (siteId) => {
      askedFor.push(siteId);
      // The server applier's batch, waiting for quota: given back untouched.
      const held = await server.journal!.list(siteId, ['leased'], 10);
      await server.journal!.release(siteId, 'server-applier', held.changes.map((change) => change.id), true);
      return held.changes.length > 0;
    });
    server.journal = real;
    await post('/changes', { changes: [alt('a1', 'Door'), alt('a2', 'Window')] });
    await real.lease(SITE, { applierId: 'server-applier', kind: 'server', limit: 10, seconds: 60 });

    const lease = leaseResponse.parse(await (await post('/changes/lease', { applierId: APPLIER, waitSeconds: 10 })).json());
    expect(lease.changes.map((change) => change.after)).toEqual(['Door', 'Window']);
    expect(askedFor).toEqual([SITE]);
    expect(leases).toEqual([
      { applierId: APPLIER, changes: 0 },
      { applierId: APPLIER, changes: 2 },
    ]);
    // With work to lease, the server applier is not asked.
    await post('/changes', { changes: [alt('a3', 'Roof')] });
    await post('/changes/lease', { applierId: 'designer-applier-2' });
    expect(askedFor).toEqual([SITE]);
  });

  it('wakes a lease request waiting for work when the server applier gives changes back, long before its wait ends', async () => {
    const waiters = createWorkWaiters();
    // The server applier's batch took longer to stop than the route waits for it (a request under way).
    const { post, leases, journal: real } = testApp(async () => false, waiters);
    await post('/changes', { changes: [alt('a1', 'Door')] });
    await real.lease(SITE, { applierId: 'server-applier', kind: 'server', limit: 10, seconds: 60 });
    const asked = Date.now();
    const waiting = post('/changes/lease', { applierId: APPLIER, waitSeconds: 20 });
    await vi.waitFor(() => expect(leases).toEqual([{ applierId: APPLIER, changes: 0 }]), { timeout: 10_000 });
    // The batch is over: what it held goes back, and the server applier says so.
    const held = await real.list(SITE, ['leased'], 10);
    await real.release(SITE, 'server-applier', held.changes.map((change) => change.id), true);
    waiters.wake(SITE);
    const lease = leaseResponse.parse(await (await waiting).json());
    expect(lease.changes.map((change) => change.after)).toEqual(['Door']);
    // Answered when woken, not at the end of its 20-second wait.
    expect(Date.now() - asked).toBeLessThan(10_000);
  });

  it('grants nothing to a closed panel\'s lease request that reaches the backend after its release', async () => {
    const { post } = testApp();
    await post('/changes', { changes: [alt('a1', 'Door')] });
    expect(leaseResponse.parse(await (await post('/changes/lease', { applierId: APPLIER })).json()).changes).toHaveLength(1);
    // The panel closes: its release, then a request the closing page had sent (cut off, or late).
    expect((await post('/changes/release', { applierId: APPLIER })).status).toBe(200);
    const late = leaseResponse.parse(await (await post('/changes/lease', { applierId: APPLIER, waitSeconds: 1 })).json());
    expect(late.changes).toEqual([]);
    // Not kept from the panel opened again.
    const next = leaseResponse.parse(await (await post('/changes/lease', { applierId: 'designer-applier-reopened' })).json());
    expect(next.changes.map((change) => change.after)).toEqual(['Door']);
  });

  it('holds an idle lease request open until work is recorded, and answers empty when none comes', async () => {
    const { post, leases } = testApp();
    const waiting = post('/changes/lease', { applierId: APPLIER, waitSeconds: 10 });
    // The journal had nothing for it: the request now waits for work.
    await vi.waitFor(() => expect(leases).toEqual([{ applierId: APPLIER, changes: 0 }]), { timeout: 10_000 });
    await post('/changes', { changes: [alt('a1', 'Door')] });
    // Woken by the recording (a timeout after 10 s would answer empty, failing this).
    const lease = leaseResponse.parse(await (await waiting).json());
    expect(lease.changes.map((c) => c.after)).toEqual(['Door']);

    const empty = leaseResponse.parse(await (await post('/changes/lease', { applierId: 'another-applier-1', waitSeconds: 1 })).json());
    expect(empty.changes).toEqual([]);
    // Asked before the wait and again after it, nothing either time.
    expect(leases.filter((each) => each.applierId === 'another-applier-1')).toEqual([
      { applierId: 'another-applier-1', changes: 0 },
      { applierId: 'another-applier-1', changes: 0 },
    ]);
    expect((await post('/changes/lease', { applierId: APPLIER, waitSeconds: 26 })).status).toBe(400);
  });

  it('grants nothing to a lease request whose caller went away while it waited', async () => {
    const { app, leases, get } = testApp();
    const gone = new AbortController();
    const waiting = Promise.resolve(
      app.request(`/api/sites/${SITE}/changes/lease`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ applierId: 'closed-panel-1', waitSeconds: 10 }),
        signal: gone.signal,
      }),
    ).catch(() => undefined);
    await vi.waitFor(() => expect(leases).toEqual([{ applierId: 'closed-panel-1', changes: 0 }]), { timeout: 10_000 });
    // Work journaled by another process sharing the store wakes no one here; then the panel closes.
    await createJournal({ store: stores.current() }).record(SITE, 'user1', { changes: [alt('a1', 'Door')] });
    gone.abort();
    await waiting;
    const open = changesResponse.parse(await (await get('/changes?status=pending,leased')).json());
    expect(open.changes.map((c) => [c.after, c.status])).toEqual([['Door', 'pending']]);
  });

  it('resolves a conflict, retries a failure, and refuses either on the wrong change', async () => {
    const { post } = testApp();
    await post('/changes', { changes: [alt('a1', 'Door'), alt('a2', 'Lake')] });
    const lease = leaseResponse.parse(await (await post('/changes/lease', { applierId: APPLIER })).json());
    const [door, lake] = lease.changes;
    await post('/changes/ack', {
      applierId: APPLIER,
      results: [
        { changeId: door!.id, outcome: 'conflict', current: 'Theirs' },
        { changeId: lake!.id, outcome: 'failed', error: 'Webflow said 500' },
      ],
    });
    const resolved = await post(`/changes/${door!.id}/resolve`, { keep: 'mine' });
    expect(resolved.status).toBe(200);
    expect(((await resolved.json()) as { change: unknown }).change).toMatchObject({ before: 'Theirs', after: 'Door', status: 'pending' });
    expect((await post(`/changes/${door!.id}/resolve`, { keep: 'maybe' })).status).toBe(400);
    const retried = await post(`/changes/${lake!.id}/retry`, {});
    expect(((await retried.json()) as { change: unknown }).change).toMatchObject({ status: 'pending', error: null });
    const again = await post(`/changes/${lake!.id}/retry`, {});
    expect(again.status).toBe(409);
    expect(apiError.parse(await again.json()).error.message).toMatch(/only a failed change can be retried/);
    expect((await post('/changes/not-a-change/retry', {})).status).toBe(404);
  });

  it('undoes a batch with 201 and its inverse, once', async () => {
    const { post } = testApp();
    const { batch } = batchResponse.parse(await (await post('/changes', { changes: [alt('a1', 'Door')] })).json());
    const undo = await post(`/batches/${batch.id}/undo`, {});
    expect(undo.status).toBe(201);
    expect(batchResponse.parse(await undo.json()).batch.undoOf).toBe(batch.id);
    expect((await post(`/batches/${batch.id}/undo`, {})).status).toBe(409);
    expect((await post('/batches/999999/undo', {})).status).toBe(404);
  });
});

describe.runIf(postgresConfigured)('journal routes of two backend processes on one PostgreSQL', () => {
  it('answers a panel’s long poll on one backend as soon as a batch is recorded through the other', async () => {
    const databaseUrl = process.env.TEST_DATABASE_URL ?? '';
    const schema = `test_${randomBytes(6).toString('hex')}`;
    const stores = await Promise.all([openStore(databaseUrl, { schema }), openStore(databaseUrl, { schema })]);
    const waiters = stores.map((store) => createWorkWaiters({ broadcast: store.broadcast! }));
    const apps = stores.map((store, i) => {
      const app = new Hono<AppEnv>();
      app.use('/api/sites/:siteId/*', async (c, next) => {
        c.set('session', { userId: 'user1', siteId: c.req.param('siteId') ?? '' });
        await next();
      });
      app.route('/api/sites/:siteId', changesRoutes({ journal: createJournal({ store }), waiters: waiters[i]! }));
      return (path: string, body: unknown) =>
        app.request(`/api/sites/${SITE}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    });
    try {
      const channel = broadcastChannel(schema, 'work');
      await vi.waitFor(async () => expect(await stores[0]!.query('SELECT pid FROM pg_stat_activity WHERE query = $1', [`LISTEN "${channel}"`])).toHaveLength(2));
      const asked = Date.now();
      const waiting = apps[1]!('/changes/lease', { applierId: APPLIER, waitSeconds: 20 });
      // The long poll is waiting (it found nothing) before the other backend records.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect((await apps[0]!('/changes', { changes: [{ assetId: 'a1', field: 'altText', before: '', after: 'Door' }] })).status).toBe(201);
      const lease = leaseResponse.parse(await (await waiting).json());
      expect(lease.changes.map((change) => change.after)).toEqual(['Door']);
      expect(Date.now() - asked).toBeLessThan(10_000);
    } finally {
      for (const each of waiters) each.close();
      await stores[0]!.query(`DROP SCHEMA ${schema} CASCADE`);
      await Promise.all(stores.map((store) => store.close()));
    }
  });
});
