import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { capsOf } from './quota.ts';
import { backoffMs, failureKind, sendWithRetries, type RetryPolicy } from './retry.ts';
import { WebflowError } from './types.ts';

/** One answer Webflow (or the network) may give a send. */
type Outcome = { ok: true } | { ok: false; status: number; code: string; retryAfterMs?: number };

const outcome: fc.Arbitrary<Outcome> = fc.oneof(
  fc.constant<Outcome>({ ok: true }),
  fc.record({ ok: fc.constant(false as const), status: fc.constantFrom(500, 502, 503, 504), code: fc.constant('internal_error') }),
  fc.record({ ok: fc.constant(false as const), status: fc.constant(0), code: fc.constantFrom('timeout', 'network') }),
  fc.record({ ok: fc.constant(false as const), status: fc.constant(429), code: fc.constant('too_many_requests'), retryAfterMs: fc.option(fc.integer({ min: 0, max: 60_000 }), { nil: undefined }) }),
  fc.record({ ok: fc.constant(false as const), status: fc.constantFrom(400, 401, 403, 404, 409), code: fc.constant('validation_error') }),
);

const policy: fc.Arbitrary<RetryPolicy> = fc.record({
  idempotent: fc.boolean(),
  unavailableTries: fc.integer({ min: 1, max: 10 }),
  rateLimitedTries: fc.integer({ min: 1, max: 10 }),
});

/** Runs the loop over scripted outcomes (success once they run out): what was sent, and how it ended. */
async function run(rules: RetryPolicy, script: Outcome[]) {
  const sent: Outcome[] = [];
  const blocked: number[] = [];
  let slept = 0;
  const result = await sendWithRetries({
    policy: rules,
    async attempt() {
      const next = script[sent.length] ?? { ok: true };
      sent.push(next);
      if (next.ok) return 'answer';
      throw new WebflowError(next.status, next.code, `Webflow answered ${next.status}`, next.retryAfterMs);
    },
    async rateLimited(ms) {
      blocked.push(ms);
    },
    async sleep() {
      slept += 1;
    },
  }).then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  return { sent, blocked, slept, result };
}

const ambiguous = (o: Outcome) => !o.ok && (o.status === 0 || o.status >= 500);

describe('the retry rules of the Webflow client', () => {
  it('never sends a request that is not idempotent again after an ambiguous failure', async () => {
    await fc.assert(
      fc.asyncProperty(policy, fc.array(outcome, { maxLength: 30 }), async (rules, script) => {
        const { sent, result } = await run({ ...rules, idempotent: false }, script);

        const firstAmbiguous = sent.findIndex(ambiguous);
        if (firstAmbiguous >= 0) {
          expect(sent).toHaveLength(firstAmbiguous + 1);
          expect(result.ok).toBe(false);
        }
      }),
    );
  });

  it('sends an idempotent request within its bounds: at most the tries for failures, plus the 429s allowed', async () => {
    await fc.assert(
      fc.asyncProperty(policy, fc.array(outcome, { maxLength: 30 }), async (rules, script) => {
        const { sent, result, slept } = await run({ ...rules, idempotent: true }, script);

        expect(sent.filter(ambiguous).length).toBeLessThanOrEqual(rules.unavailableTries);
        expect(sent.filter((o) => !o.ok && o.status === 429).length).toBeLessThanOrEqual(rules.rateLimitedTries);
        expect(sent.length).toBeLessThanOrEqual(rules.unavailableTries + rules.rateLimitedTries - 1);
        // A backoff before every send that follows an ambiguous failure, and only then.
        expect(slept).toBe(sent.slice(0, -1).filter(ambiguous).length);
        const last = sent.at(-1);
        expect(result.ok).toBe(last?.ok === true);
      }),
    );
  });

  it('stops at the first refusal (4xx other than 429), whatever the request', async () => {
    await fc.assert(
      fc.asyncProperty(policy, fc.array(outcome, { maxLength: 30 }), async (rules, script) => {
        const { sent } = await run(rules, script);

        const refusal = sent.findIndex((o) => !o.ok && o.status >= 400 && o.status < 500 && o.status !== 429);
        if (refusal >= 0) expect(sent).toHaveLength(refusal + 1);
      }),
    );
  });

  it('waits out every 429 (Webflow did not act), creates included, and sends again while tries remain', async () => {
    await fc.assert(
      fc.asyncProperty(policy, fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 30_000 }), async (rules, storms, retryAfterMs) => {
        const script: Outcome[] = Array.from({ length: storms }, () => ({ ok: false, status: 429, code: 'too_many_requests', retryAfterMs }));
        const { sent, blocked, result } = await run(rules, script);

        expect(blocked.every((ms) => ms === retryAfterMs)).toBe(true);
        expect(blocked).toHaveLength(Math.min(storms, rules.rateLimitedTries));
        expect(result.ok).toBe(storms < rules.rateLimitedTries);
        expect(sent).toHaveLength(Math.min(storms + 1, rules.rateLimitedTries));
      }),
    );
  });

  it('names a 5xx, a timeout and a dropped connection ambiguous, and a 429 not', () => {
    expect(failureKind(new WebflowError(500, 'internal_error', 'x'))).toBe('ambiguous');
    expect(failureKind(new WebflowError(0, 'timeout', 'x'))).toBe('ambiguous');
    expect(failureKind(new WebflowError(0, 'network', 'x'))).toBe('ambiguous');
    expect(failureKind(new WebflowError(429, 'too_many_requests', 'x'))).toBe('rate_limited');
    expect(failureKind(new WebflowError(409, 'conflict', 'x'))).toBe('refused');
  });

  it('backs off between 0.75× and 1.25× of a doubling wait, never past 10 s', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (n, r) => {
        const wait = backoffMs(n, () => r);
        const base = Math.min(8000, 250 * 2 ** (n - 1));
        expect(wait).toBeGreaterThanOrEqual(base * 0.75);
        expect(wait).toBeLessThanOrEqual(base * 1.25);
      }),
    );
  });
});

describe('the quota classes', () => {
  it('keeps part of every window for sessions: interactive and background work never reach the whole limit', () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 10_000 }), (limit) => {
        const caps = capsOf(limit);
        expect(caps.session).toBe(limit);
        expect(caps.interactive).toBeLessThanOrEqual(limit - 2);
        expect(caps.background).toBeLessThanOrEqual(caps.interactive);
        expect(caps.background).toBeGreaterThanOrEqual(1);
      }),
    );
  });
});
