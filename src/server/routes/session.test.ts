import fc from 'fast-check';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { apiError } from '../../core/api.ts';
import { FakeWebflow } from '../../../test/server/fake-webflow.ts';
import { junkIdToken } from '../../../test/server/id-tokens.ts';
import { testStoreKinds, useTestStore } from '../../../test/server/store-test-helpers.ts';
import { createApp } from '../app.ts';
import { createSessions } from '../services/sessions.ts';
import { WebflowError } from '../webflow/types.ts';

const SITE = 'site1';

describe.each(testStoreKinds)('POST /api/session on %s', (kind) => {
  const stores = useTestStore(kind);

  function setup() {
    const webflow = new FakeWebflow();
    webflow.addSite(SITE);
    const sessions = createSessions({
      installations: { tokenOf: async (siteId: string) => webflow.tokens.get(siteId), save: async () => {} },
      webflow,
      store: stores.current(),
      secret: Buffer.alloc(32, 5),
      installUrl: 'https://backend.example/oauth/install',
    });
    const app = createApp({ panelOrigins: [], sessions, oauth: new Hono(), siteRoutes: [], log: () => {} });
    /** As @hono/node-server passes the connection: the client's address is the socket's peer. */
    const post = (body: unknown, address = '203.0.113.7') =>
      app.request('/api/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }, { incoming: { socket: { remoteAddress: address } } });
    return { webflow, post };
  }

  it('answers any ID token that is not a JWT with 401 or 400, never 5xx, and never asks Webflow', async () => {
    const { webflow, post } = setup();
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 400 }), async (idToken) => {
        fc.pre(idToken.split('.').length !== 3);
        const response = await post({ idToken, siteId: SITE });

        expect([400, 401]).toContain(response.status);
        apiError.parse(await response.json());
      }),
      { numRuns: 120 },
    );
    expect(webflow.count('resolveIdToken')).toBe(0);
  });

  it('limits junk JWTs by the connection’s address, with Retry-After, and lets another address in', async () => {
    const { webflow, post } = setup();
    for (let n = 0; n < 30; n += 1) webflow.failNext('resolveIdToken', new WebflowError(401, 'not_authorized', 'Request not authorized'));

    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let n = 0; n < 12; n += 1) {
      const response = await post({ idToken: junkIdToken(SITE), siteId: SITE });
      statuses.push(response.status);
      if (response.status === 429) retryAfter = response.headers.get('retry-after');
    }

    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(7);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    expect((await post({ idToken: junkIdToken(SITE), siteId: SITE }, '198.51.100.9')).status).toBe(401);
    expect(webflow.count('resolveIdToken')).toBe(6);
  });
});
