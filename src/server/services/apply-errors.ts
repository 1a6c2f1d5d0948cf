/**
 * What an applier makes of an error of the Webflow client (shared by the server applier, its
 * CMS part and the deletion applier): wait and try again later, or fail the change. A rate
 * limit or a refused token is the site's state, never the change's fault; Webflow being
 * unavailable (5xx, network) fails a change after {@link UNAVAILABLE_TRIES} tries in a row.
 */
export type ErrorVerdict =
  | { retryInMs: number; reason: 'rate_limited' | 'not_authorized' | 'unavailable'; message: string }
  | { failed: string };

export const UNAVAILABLE_TRIES = 5;

interface ErrorFacts {
  status?: unknown;
  statusCode?: unknown;
  retryAfterMs?: unknown;
  retryAfterSeconds?: unknown;
  name?: unknown;
  code?: unknown;
}

/**
 * Rate limits, a refused token, server errors and network trouble are not failures of the
 * change: wait and try again (nothing is lost). Anything else (the asset is gone, the token
 * lacks a scope) fails the change with Webflow's message, for the user to see and retry.
 */
export function defaultClassifyError(error: unknown): ErrorVerdict {
  const facts: ErrorFacts = typeof error === 'object' && error !== null ? error : {};
  const status =
    typeof facts.status === 'number' ? facts.status : typeof facts.statusCode === 'number' ? facts.statusCode : undefined;
  const retryAfterMs =
    typeof facts.retryAfterMs === 'number'
      ? facts.retryAfterMs
      : typeof facts.retryAfterSeconds === 'number'
        ? facts.retryAfterSeconds * 1000
        : undefined;
  // Shown to users with the change: Webflow's own answer when it gave one, never a library's or
  // a database's message (those reach the log through onError).
  const message =
    status !== undefined && status > 0 && error instanceof Error
      ? error.message
      : facts.name === 'TimeoutError'
        ? 'Webflow did not answer in time'
        : facts.name === 'NetworkError'
          ? 'Webflow could not be reached'
          : 'an unexpected error on our side; the backend’s log says which';
  const rateLimited =
    status === 429 ||
    facts.code === 'too_many_requests' ||
    facts.code === 'rate_limited' ||
    facts.name === 'RateLimitError' ||
    facts.name === 'QuotaError';
  if (rateLimited) return { retryInMs: retryAfterMs ?? 5_000, reason: 'rate_limited', message };
  // The site's token was revoked or expired: the changes are fine, the installation is not.
  if (status === 401) return { retryInMs: retryAfterMs ?? 60_000, reason: 'not_authorized', message };
  if ((status !== undefined && status >= 500) || facts.name === 'NetworkError' || facts.name === 'TimeoutError') {
    return { retryInMs: retryAfterMs ?? 5_000, reason: 'unavailable', message };
  }
  if (status === 404) return { failed: `The asset is no longer on Webflow (${message})` };
  if (status === undefined || status <= 0) return { failed: `The change could not be sent to Webflow: ${message}; retry it.` };
  return { failed: `Webflow refused the change: ${message}` };
}
