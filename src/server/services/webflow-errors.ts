/** A failed Data API request, told to the panel in the API's error shape with what to do next. */
import { HttpError } from '../errors.ts';
import { WebflowError } from '../webflow/types.ts';

export function httpErrorOf(error: unknown, what: string): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof WebflowError) {
    if (error.status === 404) return new HttpError(404, 'not_found', `${what}: Webflow does not have it (it may have been deleted).`, { cause: error });
    if (error.status === 429) return new HttpError(429, 'rate_limited', `${what}: Webflow's rate limit is reached; try again in a moment.`, { cause: error, details: { retryAfterMs: error.retryAfterMs ?? null } });
    if (error.status === 400) return new HttpError(400, 'validation_error', `${what}: Webflow refused it (${error.message}).`, { cause: error });
    if (error.status === 401 || error.status === 403) return new HttpError(502, 'webflow_error', `${what}: Webflow refused Asset Desk's access; reinstall the app on this site.`, { cause: error });
  }
  return new HttpError(502, 'webflow_error', `${what}: Webflow did not answer as expected; try again in a moment.`, { cause: error });
}
