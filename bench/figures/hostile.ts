/**
 * Hostile inputs: a few thousand generated requests (test/server/hostile-requests.ts) over every
 * route of a running backend, the install pages included, with a valid, a forged or no session,
 * sent over HTTP a few at a time. Counts answers of 500 or more (target 0), requests that got no
 * answer within 10 s (hangs, target 0) and connections the backend dropped.
 */
import fc from 'fast-check';
import { hostileRequest, routeCount, type HostileRequest, type SessionKind } from '../../test/server/hostile-requests.ts';
import type { Benchmark } from '../lib/figure.ts';
import { openSession } from '../lib/session.ts';
import { FAST_WINDOW_MS, withStack } from '../lib/stacks.ts';

const IN_FLIGHT = 8;
const HANG_MS = 10_000;

type Outcome = { kind: 'answer'; status: number } | { kind: 'hang' } | { kind: 'dropped'; why: string };

export const hostile: Benchmark = {
  id: 'hostile',
  async run(context) {
    const cases = context.size(3_000, 300);
    return withStack({ demo: { assets: context.size(200, 50) }, rateLimit: { perWindow: 60, windowMs: FAST_WINDOW_MS }, withoutPanel: true }, async (stack) => {
      const token = await openSession(stack);
      const sessions = fc.constantFrom<SessionKind>('valid', 'valid', 'none', 'forged');
      // A fixed seed: every run sends the same requests, so runs compare.
      const requests = fc.sample(sessions.chain((session) => hostileRequest(stack.siteId, session, { oauth: true })), { numRuns: cases, seed: 22 });

      const send = async (request: HostileRequest): Promise<Outcome> => {
        const headers: Record<string, string> = { ...request.headers };
        if (request.session === 'valid') headers.authorization = `Bearer ${token}`;
        if (request.session === 'forged') headers.authorization = `Bearer ${token.slice(0, -3)}abc`;
        try {
          const response = await fetch(`${stack.backendUrl}${request.path}`, {
            method: request.method,
            headers,
            redirect: 'manual',
            signal: AbortSignal.timeout(HANG_MS),
            ...(request.body !== undefined ? { body: request.body } : {}),
          });
          await response.arrayBuffer();
          return { kind: 'answer', status: response.status };
        } catch (error) {
          if (error instanceof DOMException && error.name === 'TimeoutError') return { kind: 'hang' };
          const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
          return { kind: 'dropped', why: `${error instanceof Error ? error.message : String(error)}${cause}` };
        }
      };

      const outcomes: Outcome[] = [];
      const failures: string[] = [];
      let next = 0;
      await Promise.all(
        Array.from({ length: IN_FLIGHT }, async () => {
          while (next < requests.length) {
            const request = requests[next++] as HostileRequest;
            const outcome = await send(request);
            outcomes.push(outcome);
            if (outcome.kind !== 'answer' || outcome.status >= 500) {
              const what = outcome.kind === 'answer' ? outcome.status : outcome.kind === 'dropped' ? `dropped (${outcome.why})` : 'hang';
              failures.push(`${what} ${request.method} ${request.path.slice(0, 60)}… (URL of ${request.path.length} characters)`);
            }
          }
        }),
      );
      const serverErrors = outcomes.filter((o) => o.kind === 'answer' && o.status >= 500).length;
      const hangs = outcomes.filter((o) => o.kind === 'hang').length;
      const dropped = outcomes.filter((o) => o.kind === 'dropped').length;
      const refused = outcomes.filter((o) => o.kind === 'answer' && o.status >= 400 && o.status < 500).length;
      // Where they happened, by route (the query left out), and one example of each.
      const byRoute = new Map<string, { count: number; example: string }>();
      for (const failure of failures) {
        const route = failure.replace(/\?.*$/, '').replace(/… \(URL.*$/, '');
        const seen = byRoute.get(route);
        byRoute.set(route, { count: (seen?.count ?? 0) + 1, example: seen?.example ?? failure });
      }
      const examples = [...byRoute.entries()].map(([route, { count, example }]) => `${count} × ${route} (e.g. ${example})`).join(' | ');
      const base = { baseline: null, ratio: null, command: `npm run bench -- --only hostile${context.small ? ' --small' : ''}` };
      return [
        { ...base, name: `hostile inputs: cases tried over ${routeCount({ oauth: true })} routes`, value: outcomes.length, unit: 'requests', target: 'report', pass: outcomes.length === cases, notes: `${refused} refused with 4xx; ${dropped} connections dropped` },
        { ...base, name: 'hostile inputs: answers ≥ 500', value: serverErrors, unit: 'answers', target: '0', pass: serverErrors === 0, notes: examples },
        // A dropped connection is no answer either: it counts against this figure.
        { ...base, name: `hostile inputs: hangs (no answer in ${HANG_MS / 1000} s)`, value: hangs, unit: 'requests', target: '0', pass: hangs === 0 && dropped === 0, notes: dropped > 0 ? `and ${dropped} connections dropped` : '' },
      ];
    });
  },
};
