import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FakeWebflow } from '../../../test/server/fake-webflow.ts';
import { junkIdToken, jwtShaped } from '../../../test/server/id-tokens.ts';
import { testStoreKinds, useTestStore } from '../../../test/server/store-test-helpers.ts';
import type { Store } from '../store/db.ts';
import { WebflowError } from '../webflow/types.ts';
import type { Peer } from './client-address.ts';
import { createSessions, type SignInLimits } from './sessions.ts';

const SITE = 'site1';
const LIMITS: SignInLimits = { windowMs: 60_000, perAddress: 5, perSite: 12 };
const from = (address: string): Peer => ({ socketAddress: address, forwardedFor: undefined });
const refused = () => new WebflowError(401, 'not_authorized', 'Request not authorized: the ID token is invalid or expired');

describe.each(testStoreKinds)('opening sessions on %s', (kind) => {
  const stores = useTestStore(kind);

  function sessionsOn(store: Store, webflow: FakeWebflow, limits = LIMITS) {
    return createSessions({
      installations: { tokenOf: async (siteId: string) => webflow.tokens.get(siteId), save: async () => {} },
      webflow,
      store,
      secret: Buffer.alloc(32, 3),
      installUrl: 'https://backend.example/oauth/install',
      limits,
    });
  }

  function setup() {
    const webflow = new FakeWebflow();
    webflow.addSite(SITE);
    return { webflow, sessions: sessionsOn(stores.current(), webflow) };
  }

  /** What opening a session answered: 200, or the HttpError's status and code. */
  async function attempt(sessions: ReturnType<typeof sessionsOn>, idToken: string, peer: Peer, siteId = SITE): Promise<{ status: number; code?: string; retryAfterMs?: number }> {
    try {
      await sessions.open({ idToken, siteId }, peer);
      return { status: 200 };
    } catch (error) {
      const http = error as { status: number; code: string; details?: { retryAfterMs?: number } };
      return { status: http.status, code: http.code, ...(http.details?.retryAfterMs ? { retryAfterMs: http.details.retryAfterMs } : {}) };
    }
  }

  it('refuses anything that is not an unexpired JWT without asking Webflow', async () => {
    const { webflow, sessions } = setup();
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ maxLength: 200 }), fc.constant(jwtShaped({ exp: Math.floor(Date.now() / 1000) - 3600 }))), async (idToken) => {
        fc.pre(idToken.split('.').length !== 3 || idToken.startsWith('ey'));
        expect(await attempt(sessions, idToken, from('203.0.113.7'))).toMatchObject({ status: 401, code: 'unauthorized' });
      }),
      { numRuns: 60 },
    );
    expect(webflow.count('resolveIdToken')).toBe(0);
  });

  it('answers not_installed for a site without an installation, without asking Webflow', async () => {
    const { webflow, sessions } = setup();

    expect(await attempt(sessions, junkIdToken(), from('203.0.113.7'), 'another-site')).toMatchObject({ status: 409, code: 'not_installed' });
    expect(webflow.count('resolveIdToken')).toBe(0);
  });

  it("resolves a token once for its lifetime, Webflow's refusal included", async () => {
    const { webflow, sessions } = setup();
    const good = junkIdToken(SITE);
    const bad = junkIdToken(SITE);

    for (let n = 0; n < 3; n += 1) expect(await attempt(sessions, good, from('198.51.100.9'))).toEqual({ status: 200 });
    webflow.failNext('resolveIdToken', refused());
    for (let n = 0; n < 3; n += 1) expect(await attempt(sessions, bad, from('198.51.100.9'))).toMatchObject({ status: 401 });

    expect(webflow.count('resolveIdToken')).toBe(2);
  });

  it('spends at most a few resolves on junk from one address, and still opens a session from another', async () => {
    const { webflow, sessions } = setup();
    for (let n = 0; n < 80; n += 1) webflow.failNext('resolveIdToken', refused());

    const flood = await Promise.all(Array.from({ length: 80 }, () => attempt(sessions, junkIdToken(SITE), from('203.0.113.7'))));

    expect(webflow.count('resolveIdToken')).toBeLessThanOrEqual(LIMITS.perAddress);
    expect(flood.filter((a) => a.status === 429)).toHaveLength(80 - webflow.count('resolveIdToken'));
    expect(flood.every((a) => a.status === 401 || (a.status === 429 && (a.retryAfterMs ?? 0) > 0))).toBe(true);
    // The queued refusals are for junk only: the designer's token resolves.
    const unused = 80 - webflow.count('resolveIdToken');
    const designer = createSessions({
      installations: { tokenOf: async () => webflow.tokens.get(SITE), save: async () => {} },
      webflow: { ...webflow, resolveIdToken: async () => ({ id: 'dana', email: 'd@example.com', firstName: 'Dana', lastName: 'D', siteId: SITE }) } as unknown as FakeWebflow,
      store: stores.current(),
      secret: Buffer.alloc(32, 3),
      installUrl: '',
      limits: LIMITS,
    });
    expect(unused).toBeGreaterThan(0);
    expect(await attempt(designer, junkIdToken(SITE), from('198.51.100.9'))).toEqual({ status: 200 });
  });

  it('gives back the resolves that opened a session: a team behind one address is not limited', async () => {
    const { webflow, sessions } = setup();

    // One after another, as designers open their panels (at once, only `perAddress` resolve together).
    const opened = [];
    for (let n = 0; n < LIMITS.perAddress * 3; n += 1) opened.push(await attempt(sessions, junkIdToken(SITE), from('192.0.2.1')));

    expect(opened.every((a) => a.status === 200)).toBe(true);
    expect(webflow.count('resolveIdToken')).toBe(LIMITS.perAddress * 3);
  });

  it('limits unproven resolves per site whatever the address, and counts IPv6 clients by their /64', async () => {
    const { webflow, sessions } = setup();
    for (let n = 0; n < 60; n += 1) webflow.failNext('resolveIdToken', refused());

    for (let n = 0; n < 30; n += 1) await attempt(sessions, junkIdToken(SITE), from(`203.0.113.${n + 1}`));
    expect(webflow.count('resolveIdToken')).toBe(LIMITS.perSite);

    const other = new FakeWebflow();
    other.addSite(SITE);
    for (let n = 0; n < 60; n += 1) other.failNext('resolveIdToken', refused());
    const v6 = sessionsOn(stores.current(), other, { ...LIMITS, perSite: 100 });
    for (let n = 0; n < 20; n += 1) await attempt(v6, junkIdToken(SITE), from(`2001:db8:1:2:${n.toString(16)}::1`));
    expect(other.count('resolveIdToken')).toBe(LIMITS.perAddress);
  });

  it('shares the limits between backend instances on one store', async () => {
    const webflow = new FakeWebflow();
    webflow.addSite(SITE);
    for (let n = 0; n < 40; n += 1) webflow.failNext('resolveIdToken', refused());
    const [one, two] = [sessionsOn(stores.current(), webflow), sessionsOn(stores.current(), webflow)];

    await Promise.all(Array.from({ length: 20 }, (_, n) => attempt(n % 2 ? one : two, junkIdToken(SITE), from('203.0.113.7'))));

    expect(webflow.count('resolveIdToken')).toBeLessThanOrEqual(LIMITS.perAddress);
  });
});
