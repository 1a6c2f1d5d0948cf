/**
 * Changes of a page element's alt text through the journal's routes: recorded beside asset
 * changes, leased only to a Designer with their page open (never to the server applier),
 * conflicts, undo back to "uses the asset's alt text", and durable across a restart.
 */
import fc from 'fast-check';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { apiError, batchResponse, changesResponse, leaseResponse, type ChangeInput } from '../../core/api.ts';
import type { AppEnv } from '../env.ts';
import { HttpError } from '../errors.ts';
import { createJournal, type Journal } from '../services/journal.ts';
import { createServerApplier, type AssetWriter } from '../services/server-applier.ts';
import { migrate, openStore, type Store } from '../store/db.ts';
import { allMigrations } from '../store/migrations.ts';
import { changesRoutes } from './changes.ts';
import { testStoreKinds, useTestStore } from '../../../test/server/store-test-helpers.ts';

const SITE = 'site1';
const APPLIER = 'designer-applier-1';

const element = (elementId: string, before: string | null, after: string | null, pageId = 'home'): ChangeInput => ({
  assetId: 'a1',
  field: 'altText',
  target: { kind: 'element', pageId, elementId },
  before,
  after,
});

function testApp(store: Store) {
  const journal = createJournal({ store });
  const app = new Hono<AppEnv>();
  app.use('/api/sites/:siteId/*', async (c, next) => {
    c.set('session', { userId: 'user1', siteId: c.req.param('siteId') ?? '' });
    await next();
  });
  app.route('/api/sites/:siteId', changesRoutes({ journal }));
  app.onError((error, c) => {
    if (error instanceof HttpError) return c.json({ error: { code: error.code, message: error.message, details: error.details } }, error.status);
    return c.json({ error: { code: 'internal_error', message: 'Something went wrong' } }, 500);
  });
  const post = (path: string, body: unknown) =>
    app.request(`/api/sites/${SITE}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const get = (path: string) => app.request(`/api/sites/${SITE}${path}`);
  const lease = async (pageId?: string | null) => {
    const response = await post('/changes/lease', { applierId: APPLIER, limit: 50, ...(pageId !== undefined ? { pageId } : {}) });
    expect(response.status).toBe(200);
    return leaseResponse.parse(await response.json()).changes;
  };
  const record = async (changes: ChangeInput[], label?: string) => {
    const response = await post('/changes', { changes, ...(label ? { label } : {}) });
    expect(response.status).toBe(201);
    return batchResponse.parse(await response.json()).batch;
  };
  return { app, journal, post, get, lease, record };
}

/** A server applier over a Webflow that fails the test if anything is read or written. */
function serverApplier(journal: Journal) {
  const touched: string[] = [];
  const webflow: AssetWriter = {
    async getAsset(_token, assetId) {
      touched.push(`GET ${assetId}`);
      return { displayName: 'x', altText: '' };
    },
    async updateAsset(_token, assetId) {
      touched.push(`PATCH ${assetId}`);
      return { displayName: 'x', altText: '' };
    },
  };
  const applier = createServerApplier({ journal, webflow, getSiteToken: async () => 'token', batchSize: 10 });
  return { applier, touched };
}

describe.each(testStoreKinds)('element changes on %s', (kind) => {
  const stores = useTestStore(kind);

  it('records an element change beside an asset change and answers its target', async () => {
    const { record, get } = testApp(stores.current());
    const batch = await record([element('img-1', null, 'A red door'), { assetId: 'a1', field: 'altText', before: '', after: 'Door' }], 'Two');
    expect(batch.changes[0]?.target).toEqual({ kind: 'element', pageId: 'home', elementId: 'img-1', componentId: null });
    expect(batch.changes[1]?.target).toBeUndefined();
    const open = changesResponse.parse(await (await get('/changes?status=pending')).json());
    expect(open.changes.map((c) => [c.target?.elementId ?? null, c.before, c.after])).toEqual([
      ['img-1', null, 'A red door'],
      [null, '', 'Door'],
    ]);
    // An explicit asset target is today's change.
    const explicit = await record([{ assetId: 'a2', field: 'altText', target: { kind: 'asset' }, before: '', after: 'Lake' }]);
    expect(explicit.changes[0]?.target).toBeUndefined();
  });

  it('leases element changes only to a Designer whose open page is theirs', async () => {
    const { record, lease } = testApp(stores.current());
    await record([element('img-1', null, 'Door'), element('img-9', 'Old', 'New', 'about')]);
    // A panel that does not say its page (an older panel) gets no element change.
    expect(await lease()).toEqual([]);
    expect(await lease(null)).toEqual([]);
    const onAbout = await lease('about');
    expect(onAbout.map((c) => c.target?.elementId)).toEqual(['img-9']);
    // After a page switch, the old page's change is not renewed (the Designer cannot apply it).
    const onHome = await lease('home');
    expect(onHome.map((c) => c.target?.elementId)).toEqual(['img-1']);
  });

  it('never leases an element change to the server applier, which leaves Webflow alone', async () => {
    const { record, journal } = testApp(stores.current());
    await record([element('img-1', null, 'Door')]);
    const leased = await journal.lease(SITE, { applierId: 'server-1', kind: 'server', fields: ['altText', 'displayName'], limit: 10, seconds: 30, pageId: 'home' });
    expect(leased.changes).toEqual([]);
    expect(await journal.sitesWithOpenChanges(['altText', 'displayName'])).toEqual([]);
    const { applier, touched } = serverApplier(journal);
    await applier.drain(SITE);
    expect(touched).toEqual([]);
    expect((await journal.list(SITE, ['pending'], 10)).changes).toHaveLength(1);
  });

  it('applies changes of one element in order, and an element apart from its asset', async () => {
    const { record, lease, post } = testApp(stores.current());
    await record([element('img-1', null, 'First'), { assetId: 'a1', field: 'altText', before: '', after: 'Asset alt' }]);
    await record([element('img-1', 'First', 'Second')]);
    const first = await lease('home');
    // The element's second change waits behind its first; the asset's own change does not.
    expect(first.map((c) => c.after)).toEqual(['First', 'Asset alt']);
    const ack = await post('/changes/ack', { applierId: APPLIER, results: first.map((c) => ({ changeId: c.id, outcome: 'applied' })) });
    expect(ack.status).toBe(200);
    expect((await lease('home')).map((c) => c.after)).toEqual(['Second']);
  });

  it('keeps a conflict with the element’s current setting, and resolving keeps the target', async () => {
    const { record, lease, post } = testApp(stores.current());
    await record([element('img-1', null, 'Door')]);
    const [leased] = await lease('home');
    const acked = await post('/changes/ack', { applierId: APPLIER, results: [{ changeId: leased!.id, outcome: 'conflict', current: '' }] });
    const [conflict] = (await acked.json()).changes;
    expect(conflict).toMatchObject({ status: 'conflict', current: '', target: { elementId: 'img-1' } });
    const resolved = await post(`/changes/${leased!.id}/resolve`, { keep: 'mine' });
    const { change } = (await resolved.json()) as { change: { before: unknown; after: unknown; target: unknown } };
    expect(change).toMatchObject({ before: '', after: 'Door', target: { kind: 'element', pageId: 'home', elementId: 'img-1' } });
  });

  it('undoes an applied element change back to “uses the asset’s alt text”, and an empty override back to empty', async () => {
    const { record, lease, post } = testApp(stores.current());
    const batch = await record([element('img-1', null, 'Door'), element('img-2', '', 'Lake')], 'Fix two');
    const leased = await lease('home');
    await post('/changes/ack', { applierId: APPLIER, results: leased.map((c) => ({ changeId: c.id, outcome: 'applied' })) });
    const undone = await post(`/batches/${batch.id}/undo`, {});
    expect(undone.status).toBe(201);
    const inverse = batchResponse.parse(await undone.json()).batch;
    expect(inverse.changes.map((c) => [c.target?.elementId, c.before, c.after, c.status])).toEqual([
      ['img-2', 'Lake', '', 'pending'],
      ['img-1', 'Door', null, 'pending'],
    ]);
    expect((await lease('home')).map((c) => c.after)).toEqual(['', null]);
  });

  it('tells nobody applied an element change to the asset (the index keeps the asset’s alt)', async () => {
    const { record, lease, journal } = testApp(stores.current());
    const told: string[] = [];
    journal.onApplied((_site, changes) => told.push(...changes.map((c) => c.id)));
    await record([element('img-1', null, 'Door'), { assetId: 'a1', field: 'altText', before: '', after: 'Asset' }]);
    const leased = await lease('home');
    await journal.ack(SITE, APPLIER, leased.map((c) => ({ changeId: c.id, outcome: 'applied' })));
    expect(told).toEqual([leased.find((c) => !c.target)!.id]);
  });

  it('refuses element changes that are not the primary alt text, or with bad ids, with a 400 and records nothing', async () => {
    const { post, get } = testApp(stores.current());
    const bad = [
      { ...element('img-1', null, 'x'), field: 'displayName' },
      { ...element('img-1', null, 'x'), localeId: 'fr' },
      { ...element('img-1', null, 'x'), target: { kind: 'element', pageId: 'home' } },
      { ...element('img-1', null, 'x'), target: { kind: 'element', pageId: '', elementId: 'e' } },
      { ...element('img-1', null, 'x'), target: { kind: 'element', pageId: 'home', elementId: 'a b' } },
      { ...element('img-1', null, 'x'), target: { kind: 'page' } },
    ];
    for (const change of bad) {
      const response = await post('/changes', { changes: [change] });
      expect(response.status, JSON.stringify(change)).toBe(400);
      expect(apiError.parse(await response.json()).error.code).toBe('validation_error');
    }
    await fc.assert(
      fc.asyncProperty(
        fc.record({ pageId: fc.string({ maxLength: 80 }), elementId: fc.string({ maxLength: 80 }), after: fc.string({ maxLength: 40 }) }),
        async ({ pageId, elementId, after }) => {
          const valid = (id: string) => /^[A-Za-z0-9_-]{1,64}$/.test(id);
          fc.pre(!valid(pageId) || !valid(elementId) || after.includes('\u0000'));
          const response = await post('/changes', { changes: [{ ...element('x', null, after), target: { kind: 'element', pageId, elementId } }] });
          expect(response.status).toBe(400);
        },
      ),
      { numRuns: 60 },
    );
    const open = changesResponse.parse(await (await get('/changes?status=pending')).json());
    expect(open.changes).toEqual([]);
  });

  it('answers 400 for a lease that names a page with a bad id', async () => {
    const { post } = testApp(stores.current());
    const response = await post('/changes/lease', { applierId: APPLIER, pageId: 'no such/page' });
    expect(response.status).toBe(400);
  });
});

describe('element changes across a restart (PGlite on disk)', () => {
  it('keeps an element change’s target and values, and leases it after reopening', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'asset-desk-elements-'));
    try {
      const first = await openStore(dir);
      const batch = await testApp(first).record([element('img-1', null, 'Door', 'about')]);
      await first.close();
      const again = await openStore(dir);
      try {
        const leased = await testApp(again).lease('about');
        expect(leased.map((c) => [c.id, c.target, c.before, c.after])).toEqual([
          [batch.changes[0]?.id, { kind: 'element', pageId: 'about', elementId: 'img-1', componentId: null }, null, 'Door'],
        ]);
      } finally {
        await again.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reads changes journaled before targets existed as changes of their asset', async () => {
    const store = await openStore('memory://', { migrations: allMigrations.filter((m) => !(m.name.startsWith('journal_') && m.name >= 'journal_005')) });
    try {
      // Journaled by the code before targets (journal_005 and every journal migration after it): no target columns yet.
      await store.query(`INSERT INTO journal_batches (site_id, user_id) VALUES ($1, 'u1')`, [SITE]);
      await store.query(
        `INSERT INTO journal_changes (batch_id, site_id, user_id, asset_id, field, before_value, after_value)
         SELECT max(id), $1, 'u1', 'old-asset', 'altText', '', 'Old' FROM journal_batches`,
        [SITE],
      );
      await migrate(store, allMigrations);
      const leased = await testApp(store).lease(null);
      expect(leased.map((c) => [c.assetId, c.target, c.after])).toEqual([['old-asset', undefined, 'Old']]);
    } finally {
      await store.close();
    }
  });
});
