/**
 * Bad input to the deletion routes, through the whole app (app.request, real services on a test
 * store): ids with NUL or lone surrogates, empty, repeated or huge lists, unknown keys, and a
 * deletion smuggled through `POST …/changes`. Each is a 400 in the one error shape, and nothing
 * reaches the journal.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apiError } from '../../src/core/api.ts';
import { MAX_DELETIONS } from '../../src/core/deletion.ts';
import { fullApp, SITE, type FullApp } from './full-app.ts';
import { testStoreKinds, useTestStore } from './store-test-helpers.ts';

const site = (path: string) => `/api/sites/${SITE}${path}`;

async function post(full: FullApp, path: string, body: unknown): Promise<{ status: number; body: unknown }> {
  const response = await full.app.request(site(path), { method: 'POST', headers: { authorization: full.authorization, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: await response.json() };
}

/** An id with a NUL, a lone surrogate or another character ids never hold, somewhere in it. */
const badId = fc
  .tuple(fc.string({ maxLength: 10 }), fc.constantFrom('\u0000', '\ud800', '\udfff', ' ', '/', '\u00e9', '..'), fc.string({ maxLength: 10 }))
  .map(([head, bad, tail]) => `${head}${bad}${tail}`);

describe.each(testStoreKinds)('bad input to the deletion routes on %s', (kind) => {
  const stores = useTestStore(kind);

  it('refuses ids with NUL, lone surrogates or other characters: 400, nothing journaled', async () => {
    const full = fullApp(stores.current());
    await fc.assert(
      fc.asyncProperty(fc.array(fc.string({ minLength: 1, maxLength: 24 }).filter((s) => /^[A-Za-z0-9_-]+$/.test(s)), { maxLength: 5 }), badId, fc.nat(5), fc.constantFrom('/deletions', '/deletions/check'), async (good, bad, at, path) => {
        const assetIds = [...good.slice(0, at), bad, ...good.slice(at)];
        const answer = await post(full, path, { assetIds });
        expect(answer.status, JSON.stringify(assetIds)).toBe(400);
        expect(apiError.strict().safeParse(answer.body).success).toBe(true);
      }),
      { numRuns: 150 },
    );
    const changes = await full.app.request(site('/changes?status=pending'), { headers: { authorization: full.authorization } });
    expect(((await changes.json()) as { changes: unknown[] }).changes).toEqual([]);
    expect(full.logged).toEqual([]);
  });

  it('refuses an empty, repeated or huge list, unknown keys and a label with a lone surrogate… only where labels are text', async () => {
    const full = fullApp(stores.current());
    const huge = Array.from({ length: MAX_DELETIONS + 1 }, (_, i) => `a${i}`);
    for (const body of [{ assetIds: [] }, { assetIds: ['a1', 'a1'] }, { assetIds: huge }, { assetIds: ['a1'], force: true }, { assetIds: 'a1' }, {}]) {
      const answer = await post(full, '/deletions', body);
      expect(answer.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect((answer.body as { error: { code: string } }).error.code).toBe('validation_error');
    }
    const tooMany = await post(full, '/deletions/check', { assetIds: huge });
    expect((tooMany.body as { error: { message: string } }).error.message).toMatch(/at most 1000 assets/);
    expect(full.logged).toEqual([]);
  });

  it('refuses a deletion sent as an ordinary change: only POST …/deletions checks the uses first', async () => {
    const full = fullApp(stores.current());
    const { assets } = (await (await full.app.request(site('/index'), { headers: { authorization: full.authorization } })).json()) as { assets: Array<{ id: string }> };
    const answer = await post(full, '/changes', { changes: [{ assetId: assets[0]?.id ?? 'a1', field: 'deletion', before: 'kept', after: 'deleted' }] });
    expect(answer.status).toBe(400);
    expect((answer.body as { error: { message: string } }).error.message).toMatch(/POST …\/deletions/);
  });

  it('refuses to record any deletion while the uses were never read: 409, nothing journaled', async () => {
    const full = fullApp(stores.current());
    const answer = await post(full, '/deletions', { assetIds: ['a1'] });
    expect(answer.status).toBe(409);
    expect((answer.body as { error: { message: string } }).error.message).toMatch(/^Nothing was deleted: .*not been read/);
  });
});
