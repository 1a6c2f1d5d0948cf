/**
 * A flood of unauthenticated session requests on a site with Webflow's real quota (60 requests
 * a minute): 80 junk ID tokens from one address, shaped as Webflow's (unexpired JWTs, so only
 * Webflow could tell), sent by eight clients as fast as they are answered; a designer elsewhere
 * opens the panel once ten have been answered. Figures: the Webflow requests the junk spent (the
 * sandbox counts the token resolves), and how long the designer's session took.
 * Baseline: one resolve per request, as before the session guard (issue 22 measured 81 of 60).
 */
import { randomBytes } from 'node:crypto';
import { createSandbox } from '../../src/sandbox/server.ts';
import { startBackend } from '../../src/server/backend.ts';
import { installOnSandboxSite } from '../../src/stack/install.ts';
import type { Benchmark } from '../lib/figure.ts';
import { round } from '../lib/figure.ts';

const RESOLVE = 'POST /beta/token/resolve';

function junkIdToken(siteId: string): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ sub: randomBytes(12).toString('hex'), siteId, iat: now, exp: now + 900 })}.${randomBytes(32).toString('base64url')}`;
}

export const sessionFlood: Benchmark = {
  id: 'session-flood',
  async run(context) {
    const junk = context.size(80, 40);
    const sandbox = await createSandbox({ port: 0, demo: { assets: 10 }, rateLimit: { perWindow: 60, windowMs: 60_000 } });
    const backend = await startBackend({ port: 0, sandboxUrl: sandbox.url, databaseUrl: 'memory://', dataDir: null, panelOrigins: ['http://127.0.0.1:4300'], rateWindowMs: 60_000, trustedProxies: 1 });
    try {
      await installOnSandboxSite(backend.url, sandbox.info.siteId);
      const siteId = sandbox.info.siteId;
      const open = (idToken: string, address: string) =>
        fetch(`${backend.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': address }, body: JSON.stringify({ idToken, siteId }) });
      const resolves = async () => ((await (await fetch(`${sandbox.url}/_sandbox/stats`)).json()) as { byRoute: Record<string, number> }).byRoute[RESOLVE] ?? 0;
      await fetch(`${sandbox.url}/_sandbox/stats/reset`, { method: 'POST' });

      let sent = 0;
      let answered = 0;
      const statuses = new Map<number, number>();
      const attacker = async () => {
        while (sent < junk) {
          sent += 1;
          const response = await open(junkIdToken(siteId), '203.0.113.7');
          await response.arrayBuffer();
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          answered += 1;
        }
      };
      const flood = Promise.all(Array.from({ length: 8 }, attacker));
      while (answered < 10) await new Promise((resolve) => setImmediate(resolve));
      const idToken = ((await (await fetch(`${sandbox.url}/_sandbox/designer/id-token?siteId=${siteId}`, { method: 'POST' })).json()) as { idToken: string }).idToken;
      const asked = performance.now();
      const designer = await open(idToken, '198.51.100.9');
      const sessionMs = performance.now() - asked;
      const answeredBy = answered;
      await designer.arrayBuffer();
      await flood;
      const spent = (await resolves()) - (designer.status === 200 ? 1 : 0);
      const seen = [...statuses].map(([status, count]) => `${count}× ${status}`).join(', ');
      return [
        {
          name: `junk session flood: Webflow requests spent by ${junk} junk session requests`,
          value: spent,
          unit: 'requests',
          baseline: junk,
          ratio: spent > 0 ? round(junk / spent, 1) : null,
          target: '≤ 5 (a handful)',
          pass: spent <= 5,
          command: 'npm run bench -- --only session-flood',
          notes: `junk answered ${seen}; baseline: one resolve per request, as before the guard`,
        },
        {
          name: 'junk session flood: a real session opened during it',
          value: round(sessionMs),
          unit: 'ms',
          baseline: null,
          ratio: null,
          target: '200, ≤ 1000 ms',
          pass: designer.status === 200 && sessionMs <= 1000,
          command: 'npm run bench -- --only session-flood',
          notes: `answered ${designer.status} after ${answeredBy} of ${junk} junk requests had been answered`,
        },
      ];
    } finally {
      await backend.close();
      await sandbox.close();
    }
  },
};
