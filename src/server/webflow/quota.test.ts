import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../store/db.ts';
import { capsOf, createQuota, QuotaClosed } from './quota.ts';

describe('the quota when the backend stops', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openStore('memory://');
  }, 60_000);
  afterAll(async () => {
    await store?.close();
  });

  // A minute's window: a request waiting for the next one would wait most of a minute, far
  // beyond this test's own time limit, unless close() lets it go.
  it('lets a request that waits for the next window go at once, and grants nothing after', async () => {
    const quota = createQuota({ store, windowMs: 60_000 });
    const token = 'token-of-a-site';
    for (let n = 0; n < capsOf(60).interactive; n += 1) await quota.acquire(token, 'interactive');
    let settled = false;
    const waiting = quota.acquire(token, 'interactive').finally(() => (settled = true));
    waiting.catch(() => undefined);
    // It waits, the window being spent: a request of another token, asked after it, is granted first.
    await quota.acquire('a-token-asked-later', 'interactive');
    expect(settled).toBe(false);

    quota.close();

    await expect(waiting).rejects.toBeInstanceOf(QuotaClosed);
    await expect(quota.acquire('another-token', 'interactive')).rejects.toThrow(/The backend is stopping/);
  }, 10_000);
});
