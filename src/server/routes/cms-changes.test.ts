/**
 * CMS changes at the journal's edge: recorded with their use, refused when their values make no
 * sense for the field, never leased to the panel's Designer applier (whatever page it has open),
 * counted as the server applier's work, and undone to their before-values.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apiError, batchResponse, leaseResponse, type ChangeInput } from '../../core/api.ts';
import { createJournal } from '../services/journal.ts';
import { changesRoutes } from './changes.ts';
import { jsonPost, siteApp } from '../../../test/server/site-app.ts';
import { useTestStore } from '../../../test/server/store-test-helpers.ts';

const SITE = 'site1';
const ASSET = '65a1b2c3d4e5f60718293a4b';
const gallery = (position: number | null, before: string | null, after: string | null): ChangeInput => ({
  assetId: ASSET,
  field: 'altText',
  localeId: null,
  target: { kind: 'cms', collectionId: 'c1', itemId: 'i1', fieldSlug: 'gallery', fieldType: 'MultiImage', position },
  before,
  after,
});

describe('CMS changes in the journal', () => {
  const stores = useTestStore('pglite');
  const appOf = () => {
    const journal = createJournal({ store: stores.current() });
    return { journal, app: siteApp({ userId: 'u1', siteId: SITE }, changesRoutes({ journal })) };
  };

  it('records a change with its use, answered in cmsTarget, and undoes it to its before-value', async () => {
    const { app } = appOf();
    const recorded = await app.request(`/api/sites/${SITE}/changes`, jsonPost({ changes: [{ ...gallery(2, null, 'Side view'), localeId: 'fr-locale' }] }));
    expect(recorded.status).toBe(201);
    const batch = batchResponse.parse(await recorded.json()).batch;
    expect(batch.changes[0]?.target).toBeUndefined();
    expect(batch.changes[0]).toMatchObject({ cmsTarget: { kind: 'cms', collectionId: 'c1', itemId: 'i1', fieldSlug: 'gallery', fieldType: 'MultiImage', position: 2 }, localeId: 'fr-locale', before: null, after: 'Side view' });
    const undone = await app.request(`/api/sites/${SITE}/batches/${batch.id}/undo`, { method: 'POST' });
    const inverse = batchResponse.parse(await undone.json()).batch.changes[0];
    // Never applied: its inverse is kept, discarded, with the same use.
    expect(inverse).toMatchObject({ cmsTarget: { position: 2 }, before: 'Side view', after: null, status: 'discarded' });
  });

  it('never leases a CMS change to a Designer applier, and counts it as the server applier’s work', async () => {
    const { app, journal } = appOf();
    await app.request(`/api/sites/${SITE}/changes`, jsonPost({ changes: [gallery(0, 'Old', 'New')] }));
    for (const pageId of [undefined, null, 'home']) {
      const response = await app.request(`/api/sites/${SITE}/changes/lease`, jsonPost({ applierId: 'designer-applier-1', limit: 50, ...(pageId !== undefined ? { pageId } : {}) }));
      expect(leaseResponse.parse(await response.json()).changes).toEqual([]);
    }
    expect(await journal.sitesWithOpenChanges(['altText', 'displayName'])).toEqual([SITE]);
    const assetsOnly = await journal.lease(SITE, { applierId: 'server-1', kind: 'server', limit: 10, seconds: 30, serverTargets: ['asset'] });
    expect(assetsOnly.changes).toEqual([]);
    const server = await journal.lease(SITE, { applierId: 'server-1', kind: 'server', limit: 10, seconds: 30 });
    expect(server.changes.map((c) => c.cmsTarget?.position)).toEqual([0]);
  });

  it('leases one use’s changes in order: the second waits for the first', async () => {
    const { app, journal } = appOf();
    await app.request(`/api/sites/${SITE}/changes`, jsonPost({ changes: [gallery(1, 'A', 'B'), gallery(1, 'B', 'C'), gallery(3, null, 'D')] }));
    const leased = await journal.lease(SITE, { applierId: 'server-1', kind: 'server', limit: 10, seconds: 30 });
    expect(leased.changes.map((c) => [c.cmsTarget?.position, c.after])).toEqual([
      [1, 'B'],
      [3, 'D'],
    ]);
  });

  it('refuses values that make no sense for the field, with what to send instead', async () => {
    const { app } = appOf();
    const image = (change: Partial<ChangeInput>): ChangeInput => ({ ...gallery(null, 'Old', 'New'), target: { kind: 'cms', collectionId: 'c1', itemId: 'i1', fieldSlug: 'photo', fieldType: 'Image', position: null }, ...change });
    const cases: Array<[ChangeInput, RegExp]> = [
      [gallery(null, 'a', 'b'), /say which with position/],
      [image({ target: { kind: 'cms', collectionId: 'c1', itemId: 'i1', fieldSlug: 'photo', fieldType: 'Image', position: 0 } }), /send position null/],
      [gallery(0, 'a', ''), /no decorative setting/],
      [image({ after: '' }), /no decorative setting/],
      [image({ field: 'displayName' }), /send field "altText"/],
    ];
    for (const [change, message] of cases) {
      const response = await app.request(`/api/sites/${SITE}/changes`, jsonPost({ changes: [change] }));
      expect(response.status).toBe(400);
      expect(apiError.parse(await response.json()).error.message).toMatch(message);
    }
    // '' in Rich Text is alt="": HTML's decorative image.
    const richText: ChangeInput = { ...gallery(0, null, ''), target: { kind: 'cms', collectionId: 'c1', itemId: 'i1', fieldSlug: 'body', fieldType: 'RichText', position: 0 } };
    expect((await app.request(`/api/sites/${SITE}/changes`, jsonPost({ changes: [richText] }))).status).toBe(201);
  });

  it('answers 400, never 500, for any malformed CMS target', async () => {
    const { app } = appOf();
    const junk = fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.constant(-1), fc.constant(1.5), fc.constant('a/b'), fc.constant('x'.repeat(65)), fc.constant('a\u0000'));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('collectionId', 'itemId', 'fieldSlug', 'fieldType', 'position'), junk, async (key, value) => {
        const target = { kind: 'cms', collectionId: 'c1', itemId: 'i1', fieldSlug: 'gallery', fieldType: 'MultiImage', position: 0, [key]: value };
        // A gallery's position is a whole number; ids are letters, digits, _ and -; a fieldType is one of three.
        const valid =
          key === 'position'
            ? typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 10_000
            : key === 'fieldType'
              ? value === 'MultiImage' || value === 'RichText'
              : typeof value === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(value);
        const response = await app.request(`/api/sites/${SITE}/changes`, jsonPost({ changes: [{ ...gallery(0, 'a', 'b'), target }] }));
        expect(response.status).toBe(valid ? 201 : 400);
      }),
      { numRuns: 60 },
    );
  });
});
