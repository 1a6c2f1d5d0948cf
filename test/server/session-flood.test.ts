/**
 * A flood of unauthenticated session requests against the backend and the sandbox (Webflow's
 * 60 requests a minute): junk ID tokens from one address spend at most a handful of the site's
 * Webflow requests, and a designer who opens the panel meanwhile gets a session while the flood
 * is still going. The backend sits behind one proxy of ours, which names the client's address.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../../src/sandbox/server.ts';
import { startBackend, type Backend } from '../../src/server/backend.ts';
import { DEFAULT_SIGN_IN_LIMITS } from '../../src/server/services/sessions.ts';
import { installOnSandboxSite } from '../../src/stack/install.ts';
import { junkIdToken } from './id-tokens.ts';
import { idTokenOf, resetStats, statsOf } from './sandbox-control.ts';

const RESOLVE = 'POST /beta/token/resolve';

let sandbox: Sandbox;
let backend: Backend;

beforeAll(async () => {
  sandbox = await createSandbox({ port: 0, demo: { assets: 10 }, rateLimit: { perWindow: 60, windowMs: 60_000 } });
  backend = await startBackend({ port: 0, sandboxUrl: sandbox.url, databaseUrl: 'memory://', dataDir: null, panelOrigins: ['http://127.0.0.1:4300'], rateWindowMs: 60_000, trustedProxies: 1 });
  await installOnSandboxSite(backend.url, sandbox.info.siteId);
});
afterAll(async () => {
  await backend?.close();
  await sandbox?.close();
});

function openSession(idToken: string, address: string): Promise<Response> {
  return fetch(`${backend.url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
    body: JSON.stringify({ idToken, siteId: sandbox.info.siteId }),
  });
}

describe('a flood of junk session requests', () => {
  it('spends a handful of Webflow requests, while a designer elsewhere opens a session during it', async () => {
    await resetStats(sandbox);
    const statuses: number[] = [];
    let sent = 0;
    let inFlight = 0;
    let designerAnswered = false;
    // Eight clients of the attacker, each sending junk as fast as it is answered, until 80 are
    // sent and the designer has an answer: the flood is going on the whole time.
    const attacker = async (worker: number) => {
      while (sent < 80 || !designerAnswered) {
        sent += 1;
        inFlight += 1;
        // Mostly well-formed JWTs (only Webflow could tell them junk), some plain garbage.
        const idToken = sent % 5 === worker % 5 ? `not-a-jwt-at-all-${sent}` : junkIdToken(sandbox.info.siteId);
        const response = await openSession(idToken, '203.0.113.7');
        inFlight -= 1;
        statuses.push(response.status);
        await response.arrayBuffer();
      }
    };
    const flood = Promise.all(Array.from({ length: 8 }, (_, worker) => attacker(worker)));
    while (statuses.length < 10) await new Promise((resolve) => setImmediate(resolve));

    const designer = await openSession(await idTokenOf(sandbox), '198.51.100.9');
    const floodGoingOn = inFlight > 0 && sent >= 10;
    designerAnswered = true;
    await flood;

    expect(designer.status).toBe(200);
    expect(floodGoingOn).toBe(true);
    expect(statuses.length).toBeGreaterThanOrEqual(80);
    // Refused as junk (401) or as too many (429); never a failure of ours.
    expect(statuses.filter((status) => status !== 401 && status !== 429)).toEqual([]);
    const resolves = (await statsOf(sandbox)).byRoute[RESOLVE] ?? 0;
    // The designer's one, and at most the address's unproven budget for the junk.
    expect(resolves).toBeLessThanOrEqual(1 + DEFAULT_SIGN_IN_LIMITS.perAddress);
  });

  it('tells a limited client when to come back', async () => {
    let limited: Response | undefined;
    for (let n = 0; n < 20 && !limited; n += 1) {
      const response = await openSession(junkIdToken(sandbox.info.siteId), '203.0.113.99');
      if (response.status === 429) limited = response;
      else await response.arrayBuffer();
    }

    if (!limited) throw new Error('The address was never limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    const { error } = (await limited.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('rate_limited');
    expect(error.message).toMatch(/try again in \d+ s/);
  });
});
