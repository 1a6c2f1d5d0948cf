/**
 * A failed Data API request, told to the panel in the API's error shape with what to do next:
 * Webflow's 404 is ours, its 429 is ours (with when to try again), anything else is Webflow's
 * failure (502), with Webflow's own words where they help.
 */
import { HttpError } from '../errors.ts';
import { WebflowError } from '../webflow/types.ts';

export function httpErrorOf(error: unknown, what: string): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof WebflowError) {
    if (error.status === 404) return new HttpError(404, 'not_found', `${what}: Webflow does not have it (it may have been deleted). Refresh and try again.`, { cause: error });
    if (error.status === 429) {
      const seconds = error.retryAfterMs ? Math.ceil(error.retryAfterMs / 1000) : undefined;
      return new HttpError(429, 'rate_limited', `${what}: Webflow's request limit for this site is reached; try again ${seconds ? `in ${seconds} s` : 'in a moment'}.`, {
        cause: error,
        details: { retryAfterMs: error.retryAfterMs ?? null },
      });
    }
    if (error.status === 401 || error.status === 403) {
      return new HttpError(502, 'webflow_error', `${what}: Webflow refused Asset Desk's access to this site; reinstall the app, then try again.`, { cause: error });
    }
    if (error.status === 0) return new HttpError(502, 'webflow_error', `${what}: Webflow cannot be reached; try again in a moment.`, { cause: error });
    return new HttpError(502, 'webflow_error', `${what}: Webflow answered ${error.status} (${error.message}).`, { cause: error, details: { status: error.status, code: error.code } });
  }
  return new HttpError(502, 'webflow_error', `${what}: Webflow did not answer as expected; try again in a moment.`, { cause: error });
}
