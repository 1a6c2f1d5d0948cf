/**
 * Every backend route, through the whole app (edge checks, sessions, real services on a test
 * store), given generated input in every body field, path id and query parameter, with and
 * without a session: never an answer of 500 or more, every refusal in the one error shape.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apiError } from '../../src/core/api.ts';
import { hostileRequest, type HostileRequest } from './hostile-requests.ts';
import { fullApp, SITE, type FullApp } from './full-app.ts';
import { testStoreKinds, useTestStore } from './store-test-helpers.ts';

async function check(full: FullApp, request: HostileRequest): Promise<void> {
  const headers: Record<string, string> = { ...request.headers };
  if (request.session === 'valid') headers.authorization = full.authorization;
  if (request.session === 'forged') headers.authorization = `${full.authorization.slice(0, -3)}abc`;
  const response = await full.app.request(request.path, { method: request.method, headers, ...(request.body !== undefined ? { body: request.body } : {}) });
  const what = `${request.method} ${JSON.stringify(request.path)} (${request.session} session) ${JSON.stringify(request.body)?.slice(0, 300)}`;
  expect(response.status, what).toBeLessThan(500);
  if (response.status < 400) return;
  expect(response.headers.get('content-type'), what).toMatch(/^application\/json/);
  const body = apiError.strict().safeParse(await response.json());
  expect(body.success, what).toBe(true);
}

describe.each(testStoreKinds)('generated input to every route on %s', (kind) => {
  const stores = useTestStore(kind);

  it('never answers 500 or more, and refuses in the one error shape, with a session', async () => {
    const full = fullApp(stores.current());
    await fc.assert(
      fc.asyncProperty(hostileRequest(SITE, 'valid'), (request) => check(full, request)),
      { numRuns: 400 },
    );
    await full.idle();
    expect(full.logged).toEqual([]);
  }, 240_000);

  it('never answers 500 or more without a session, or with a forged one', async () => {
    const full = fullApp(stores.current());
    await fc.assert(
      fc.asyncProperty(fc.constantFrom<'none' | 'forged'>('none', 'forged').chain((session) => hostileRequest(SITE, session)), async (request) => {
        await check(full, request);
      }),
      { numRuns: 200 },
    );
    expect(full.logged).toEqual([]);
  }, 240_000);
});
