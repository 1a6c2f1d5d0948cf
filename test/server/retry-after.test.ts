/**
 * Retry-After is waited out: after a 429, nothing is sent with the token until Webflow's
 * Retry-After has passed, by the client (every request of the token) and by the index refresh
 * through it. Proven by what the sandbox counts during a 429 storm that lasts exactly as long as
 * the first Retry-After it answers: a request sent before that time is answered 429 and
 * counted; no clock of the test's is read. (The server applier's own wait, when a 429 reaches
 * it, is proven with a controllable clock in services/server-applier.test.ts.)
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../../src/sandbox/server.ts';
import { createAssetIndex } from '../../src/server/services/asset-index.ts';
import type { Store } from '../../src/server/store/db.ts';
import { createWebflowClient, type QuotaAwareClient } from '../../src/server/webflow/client.ts';
import { newSiteToken, resetStats, setFaults, statsOf, waitFor } from './sandbox-control.ts';
import { useTestStore } from './store-test-helpers.ts';

const WINDOW_MS = 1000;
/** A whole number of seconds: the first 429 says Retry-After 2, and the storm ends no later. */
const STORM_MS = 2000;

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await createSandbox({ port: 0, demo: { assets: 40 }, rateLimit: { perWindow: 60, windowMs: WINDOW_MS } });
});
afterAll(async () => {
  await sandbox.close();
});
beforeEach(async () => {
  await setFaults(sandbox, {});
});

describe('waiting out Retry-After against the sandbox', () => {
  const stores = useTestStore('pglite');

  async function readyClient(store: Store, token: string): Promise<QuotaAwareClient> {
    const client = createWebflowClient({ apiBaseUrl: sandbox.info.apiBaseUrl, betaBaseUrl: sandbox.info.betaBaseUrl, store, rateWindowMs: WINDOW_MS });
    await client.introspect(token);
    return client;
  }

  it('sends nothing with the token until Retry-After has passed, this request or another', async () => {
    const token = await newSiteToken(sandbox);
    const store = stores.current();
    const client = await readyClient(store, token);
    await resetStats(sandbox);
    await setFaults(sandbox, { stormMs: STORM_MS });

    const first = client.getSite(token, sandbox.info.siteId, { priority: 'interactive' });
    // Another request asked once the client knows it must wait: it waits too.
    await waitFor('the token blocked after the 429', async () => {
      const [row] = await store.query<{ blocked_until: string | number }>('SELECT blocked_until FROM webflow_quota');
      return row && Number(row.blocked_until) > 0 ? true : undefined;
    });
    const second = client.getSite(token, sandbox.info.siteId, { priority: 'interactive' });
    await Promise.all([first, second]);

    // One 429, then one request each once the storm was over: a request sent again during
    // Retry-After would have met the storm and been counted.
    expect(await statsOf(sandbox)).toMatchObject({ requests: 3, tooManyRequests: 1 });
  });

  it('lets an index refresh wait out Retry-After and read every asset', async () => {
    const store = stores.current();
    const token = await newSiteToken(sandbox);
    const webflow = await readyClient(store, token);
    const index = createAssetIndex({ store, webflow, getSiteToken: async () => token });
    await resetStats(sandbox);
    await setFaults(sandbox, { stormMs: STORM_MS });

    await index.refresh(sandbox.info.siteId);

    const whole = await index.index(sandbox.info.siteId);
    expect(whole.refresh).toMatchObject({ state: 'idle', error: null });
    expect(whole.assets).toHaveLength(40);
    // A refresh opens with the site and its folders at once: only those two meet the storm.
    const served = await statsOf(sandbox);
    expect(served.tooManyRequests).toBeGreaterThan(0);
    expect(served.tooManyRequests).toBeLessThanOrEqual(2);
  });
});
