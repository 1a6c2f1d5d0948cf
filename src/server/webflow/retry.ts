/**
 * When a request to Webflow is sent again. A 429 says Webflow did nothing: any request may go
 * again once Retry-After has passed. A 5xx, a timeout or a dropped connection after the request
 * left is ambiguous: Webflow may have acted. A read or a write of the same value (GET, PATCH,
 * the token resolve) is sent again after a backoff; a create, a delete or a publish is not: a
 * second create makes a second asset. Its caller looks first (the site's assets, its folders)
 * and adopts or cleans up what the first attempt made.
 */
import { WebflowError } from './types.ts';

export interface RetryPolicy {
  /** True when sending the request twice has the effect of sending it once. */
  idempotent: boolean;
  /** Sends of an idempotent request in all, after ambiguous failures (at least 1). */
  unavailableTries: number;
  /** Sends again after a 429, before the 429 reaches the caller. */
  rateLimitedTries: number;
}

export type FailureKind = 'rate_limited' | 'ambiguous' | 'refused';

/** What a failure says about whether Webflow acted. */
export function failureKind(error: WebflowError): FailureKind {
  if (error.status === 429) return 'rate_limited';
  if (error.status === 0 || error.status >= 500) return 'ambiguous';
  return 'refused';
}

export interface Attempts {
  /** Ambiguous failures so far. */
  unavailable: number;
  /** 429s so far. */
  limited: number;
}

/** Whether the request may be sent again after `error`, given the failures before it. */
export function mayRetry(policy: RetryPolicy, attempts: Attempts, error: WebflowError): boolean {
  switch (failureKind(error)) {
    case 'rate_limited':
      return attempts.limited + 1 < policy.rateLimitedTries;
    case 'ambiguous':
      return policy.idempotent && attempts.unavailable + 1 < policy.unavailableTries;
    case 'refused':
      return false;
  }
}

/** The wait before sending again after the n-th ambiguous failure (n from 1), jittered. */
export function backoffMs(n: number, random: () => number = Math.random): number {
  return Math.min(8000, 250 * 2 ** (n - 1)) * (0.75 + random() * 0.5);
}

export interface SendLoop<T> {
  policy: RetryPolicy;
  /** One send; throws a WebflowError on failure. */
  attempt(): Promise<T>;
  /** Webflow said 429: no process sends with the token for `ms` (the next send waits for it). */
  rateLimited(ms: number): Promise<void>;
  sleep(ms: number): Promise<void>;
}

/** Sends until an answer, or until the policy says the failure goes to the caller. */
export async function sendWithRetries<T>(loop: SendLoop<T>): Promise<T> {
  const attempts: Attempts = { unavailable: 0, limited: 0 };
  for (;;) {
    try {
      return await loop.attempt();
    } catch (caught) {
      if (!(caught instanceof WebflowError)) throw caught;
      const kind = failureKind(caught);
      // Every process waits out a 429, whether or not this request goes again.
      if (kind === 'rate_limited') await loop.rateLimited(caught.retryAfterMs ?? 1000);
      if (!mayRetry(loop.policy, attempts, caught)) throw caught;
      if (kind === 'rate_limited') {
        attempts.limited += 1;
      } else {
        attempts.unavailable += 1;
        await loop.sleep(backoffMs(attempts.unavailable));
      }
    }
  }
}
