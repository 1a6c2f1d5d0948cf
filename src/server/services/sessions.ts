/**
 * Sessions of the panel: the Designer's ID token, resolved by Webflow with the site's token,
 * becomes a session token of our own, bound to (user, site) and valid for an hour.
 *
 * The route is open to anyone and site ids are not secret, so a resolve (one request of the
 * site's Webflow quota) is spent only on a request that is plausibly real: the token has an ID
 * token's form and has not expired (id-token.ts), the site installed Asset Desk, Webflow's answer
 * for that very token is not already known (kept by a hash of the token until it expires), and
 * the caller's address and the site still have unproven resolves left in this window (kept in
 * the store, so every instance shares them; a resolve that opens a session is given back).
 * docs/decisions/hostile-clients.md says what a hostile client can still cost a site.
 */
import type { SessionResponse } from '../../core/api.ts';
import { signSession, verifySession, type SessionCheck } from '../crypto.ts';
import { HttpError } from '../errors.ts';
import type { Store } from '../store/db.ts';
import { findResolution, pruneSessionGuard, refundBudget, saveResolution, takeBudget, type BudgetGrant, type BudgetScope, type Resolution } from '../store/session-guard.ts';
import type { ResolvedUser, WebflowClient } from '../webflow/types.ts';
import { WebflowError } from '../webflow/types.ts';
import { clientAddress, type Peer } from './client-address.ts';
import { idTokenKey, readIdToken } from './id-token.ts';
import type { Installations } from './installations.ts';

export const SESSION_TTL_MS = 60 * 60_000;

export interface SignInLimits {
  /** The window unproven resolves are counted in (a minute). */
  windowMs: number;
  /** Unproven resolves per client address per window. */
  perAddress: number;
  /** Unproven resolves per site per window, whatever the address. */
  perSite: number;
}

export const DEFAULT_SIGN_IN_LIMITS: SignInLimits = { windowMs: 60_000, perAddress: 5, perSite: 20 };

export interface SessionsOptions {
  installations: Pick<Installations, 'tokenOf' | 'save'>;
  webflow: WebflowClient;
  store: Store;
  secret: Buffer;
  installUrl: string;
  ttlMs?: number;
  now?: () => number;
  limits?: SignInLimits;
  /** Proxies of ours in front of the backend (0: the socket's peer is the client). */
  trustedProxies?: number;
}

export type Sessions = ReturnType<typeof createSessions>;

const UNAUTHORIZED = 'Webflow did not accept the Designer’s ID token. Reopen the panel to sign in again.';

export function createSessions(options: SessionsOptions) {
  const { installations, webflow, store, secret, installUrl } = options;
  const ttlMs = options.ttlMs ?? SESSION_TTL_MS;
  const now = options.now ?? Date.now;
  const limits = options.limits ?? DEFAULT_SIGN_IN_LIMITS;
  let prunedAt = 0;

  function sessionOf(user: Pick<ResolvedUser, 'id' | 'email' | 'firstName' | 'lastName'>, siteId: string): SessionResponse {
    const expiresAt = now() + ttlMs;
    return {
      sessionToken: signSession(secret, { userId: user.id, siteId, expiresAt }),
      expiresAt: new Date(expiresAt).toISOString(),
      siteId,
      user: { id: user.id, email: user.email, firstName: user.firstName, lastName: user.lastName },
    };
  }

  /** Answers what Webflow said of the token, for this site. */
  function judged(resolution: Resolution, siteId: string): SessionResponse {
    if (resolution.refused || !resolution.user) throw new HttpError(401, 'unauthorized', UNAUTHORIZED);
    if (resolution.user.siteId !== siteId) throw new HttpError(403, 'forbidden', 'The ID token belongs to another site than the one the panel asked for.');
    return sessionOf(resolution.user, siteId);
  }

  async function take(scope: BudgetScope, key: string, limit: number): Promise<BudgetGrant & { scope: BudgetScope; key: string }> {
    const grant = await takeBudget(store, { scope, key, windowMs: limits.windowMs, limit });
    return { ...grant, scope, key };
  }

  function tooMany(retryAfterMs: number, who: string): HttpError {
    const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
    return new HttpError(429, 'rate_limited', `Too many sign-in attempts ${who} that Webflow could not confirm; try again in ${seconds} s.`, { details: { retryAfterMs } });
  }

  async function remember(key: string, resolution: Resolution, expiresAt: number): Promise<void> {
    // A cache: a value the store cannot keep (a NUL in a name) is simply not remembered.
    await saveResolution(store, key, resolution, expiresAt).catch(() => undefined);
    if (now() - prunedAt > limits.windowMs) {
      prunedAt = now();
      await pruneSessionGuard(store, limits.windowMs).catch(() => undefined);
    }
  }

  return {
    async open(request: { idToken: string; siteId: string }, peer: Peer = { socketAddress: undefined, forwardedFor: undefined }): Promise<SessionResponse> {
      const { siteId } = request;
      const form = readIdToken(request.idToken, now());
      if (!form.ok) {
        throw new HttpError(
          401,
          'unauthorized',
          form.reason === 'expired' ? 'The Designer’s ID token has expired. Reopen the panel to sign in again.' : 'This is not a Designer ID token (webflow.getIdToken() gives one). Reopen the panel to sign in again.',
        );
      }
      const token = await installations.tokenOf(siteId);
      if (!token) {
        throw new HttpError(409, 'not_installed', 'Asset Desk is not installed on this site yet. Install it to continue.', { details: { installUrl } });
      }
      // Webflow's answer depends on the site whose token asked, so it is kept per site.
      const cacheKey = idTokenKey(`${siteId}\n${request.idToken}`);
      const known = await findResolution(store, cacheKey);
      if (known) return judged(known, siteId);

      const address = await take('address', clientAddress(peer, options.trustedProxies ?? 0), limits.perAddress);
      if (!address.granted) throw tooMany(address.retryAfterMs, 'from your network');
      const site = await take('site', siteId, limits.perSite);
      if (!site.granted) {
        await refundBudget(store, address);
        throw tooMany(site.retryAfterMs, 'on this site');
      }
      const giveBack = async () => {
        await refundBudget(store, address);
        await refundBudget(store, site);
      };

      let user: ResolvedUser;
      try {
        user = await webflow.resolveIdToken(token, request.idToken);
      } catch (error) {
        if (error instanceof WebflowError && (error.status === 401 || error.status === 403)) {
          await remember(cacheKey, { refused: true, user: null }, form.expiresAt);
          throw new HttpError(401, 'unauthorized', UNAUTHORIZED, { cause: error });
        }
        // Webflow did not judge the token: the attempt proved nothing either way.
        await giveBack();
        if (error instanceof WebflowError && error.status === 429) {
          throw new HttpError(429, 'rate_limited', 'Webflow is busy; try again in a moment.', { cause: error, details: { retryAfterMs: error.retryAfterMs ?? null } });
        }
        throw new HttpError(502, 'webflow_error', 'Webflow could not check who you are right now. Try again in a moment.', { cause: error });
      }
      const resolution: Resolution = { refused: false, user };
      await remember(cacheKey, resolution, form.expiresAt);
      if (user.siteId === siteId) await giveBack();
      return judged(resolution, siteId);
    },

    verify(token: string): SessionCheck {
      return verifySession(secret, token, now());
    },
  };
}
