/**
 * Sessions of the panel: the Designer's ID token, resolved by Webflow with the site's token,
 * becomes a session token of our own, bound to (user, site) and valid for an hour.
 */
import type { SessionResponse } from '../../core/api.ts';
import { signSession, verifySession, type SessionCheck } from '../crypto.ts';
import { HttpError } from '../errors.ts';
import type { WebflowClient } from '../webflow/types.ts';
import { WebflowError } from '../webflow/types.ts';
import type { Installations } from './installations.ts';

export const SESSION_TTL_MS = 60 * 60_000;

export type Sessions = ReturnType<typeof createSessions>;

export function createSessions(options: { installations: Installations; webflow: WebflowClient; secret: Buffer; installUrl: string; ttlMs?: number; now?: () => number }) {
  const { installations, webflow, secret, installUrl } = options;
  const ttlMs = options.ttlMs ?? SESSION_TTL_MS;
  const now = options.now ?? Date.now;

  return {
    async open(request: { idToken: string; siteId: string }): Promise<SessionResponse> {
      const token = await installations.tokenOf(request.siteId);
      if (!token) {
        throw new HttpError(409, 'not_installed', 'Asset Desk is not installed on this site yet. Install it to continue.', { details: { installUrl } });
      }
      let user;
      try {
        user = await webflow.resolveIdToken(token, request.idToken);
      } catch (error) {
        if (error instanceof WebflowError && (error.status === 401 || error.status === 403)) {
          throw new HttpError(401, 'unauthorized', 'Webflow did not accept the Designer’s ID token. Reopen the panel to sign in again.', { cause: error });
        }
        if (error instanceof WebflowError && error.status === 429) {
          throw new HttpError(429, 'rate_limited', 'Webflow is busy; try again in a moment.', { cause: error });
        }
        throw new HttpError(502, 'webflow_error', 'Webflow could not check who you are right now. Try again in a moment.', { cause: error });
      }
      if (user.siteId !== request.siteId) {
        throw new HttpError(403, 'forbidden', 'The ID token belongs to another site than the one the panel asked for.');
      }
      const expiresAt = now() + ttlMs;
      return {
        sessionToken: signSession(secret, { userId: user.id, siteId: request.siteId, expiresAt }),
        expiresAt: new Date(expiresAt).toISOString(),
        siteId: request.siteId,
        user: { id: user.id, email: user.email, firstName: user.firstName, lastName: user.lastName },
      };
    },

    verify(token: string): SessionCheck {
      return verifySession(secret, token, now());
    },
  };
}
