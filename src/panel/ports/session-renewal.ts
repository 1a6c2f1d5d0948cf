/**
 * A backend port that survives an expired session: when a call is refused as unauthorized (the
 * laptop slept through the renewal, the server restarted), it renews the session once and tries
 * the call again, so the designer never sees "unauthorized" for something a renewal fixes.
 */
import { isBackendError, type BackendPort } from './backend.ts';

/**
 * Calls that must not be retried this way: the session itself, the upload to storage (no session
 * there), and the thumbnail's URL (made here, not asked: it must stay a string, not a promise).
 */
const UNTOUCHED = new Set<PropertyKey>(['createSession', 'setSessionToken', 'sendFile', 'thumbnailUrl']);

export function withSessionRenewal(backend: BackendPort, renew: () => Promise<boolean>): BackendPort {
  return new Proxy(backend, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      const method = value as (...args: unknown[]) => Promise<unknown>;
      if (UNTOUCHED.has(key)) return method.bind(target);
      return async (...args: unknown[]) => {
        try {
          return await method.apply(target, args);
        } catch (error) {
          if (isBackendError(error) && error.code === 'unauthorized' && (await renew())) return method.apply(target, args);
          throw error;
        }
      };
    },
  });
}
