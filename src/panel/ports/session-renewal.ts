/**
 * A backend port that survives an expired session: when a call is refused as unauthorized (the
 * laptop slept through the renewal, the server restarted), it renews the session once and tries
 * the call again, so the designer never sees "unauthorized" for something a renewal fixes.
 */
import { isBackendError, type BackendPort } from './backend.ts';
import { wrapCalls } from './wrap-calls.ts';

/**
 * Calls that must not be retried this way: the session itself, the upload to storage (no session
 * there), and the thumbnail's URL (made here, not asked: it must stay a string, not a promise).
 */
const UNTOUCHED = new Set<PropertyKey>(['createSession', 'setSessionToken', 'sendFile', 'thumbnailUrl']);

export function withSessionRenewal(backend: BackendPort, renew: () => Promise<boolean>): BackendPort {
  return wrapCalls(backend, UNTOUCHED, async (call, args) => {
    try {
      return await call(...args);
    } catch (error) {
      if (isBackendError(error) && error.code === 'unauthorized' && (await renew())) return call(...args);
      throw error;
    }
  });
}
