/**
 * What can be known of a Designer ID token without asking Webflow. `webflow.getIdToken()`
 * returns a JWT valid for 15 minutes; Webflow publishes no key to verify its signature, so only
 * the resolve endpoint can say it is genuine. Its form can be checked here: three base64url
 * parts, a header naming a signing algorithm, a JSON payload, and an `exp` (when present) not in
 * the past. Anything else is refused before it costs the site a request.
 */
import { createHash } from 'node:crypto';

/** Webflow's ID tokens live 15 minutes: no resolution is trusted longer. */
export const ID_TOKEN_LIFETIME_MS = 15 * 60_000;
/** Longer than any JWT Webflow issues; past it the value is not one. */
export const MAX_ID_TOKEN_LENGTH = 4096;
/** Clocks disagree a little: an `exp` this recent still counts as valid, an `iat` this far ahead too. */
const CLOCK_SKEW_MS = 60_000;

export type IdTokenForm =
  | { ok: true; expiresAt: number }
  | { ok: false; reason: 'malformed' | 'expired' };

/** The key a token (with what it is asked for) is known by in the store: a SHA-256, never the token. */
export function idTokenKey(idToken: string): string {
  return createHash('sha256').update(idToken).digest('hex');
}

export function readIdToken(idToken: string, now: number): IdTokenForm {
  if (idToken.length > MAX_ID_TOKEN_LENGTH) return { ok: false, reason: 'malformed' };
  const parts = idToken.split('.');
  if (parts.length !== 3 || !parts.every((p) => /^[A-Za-z0-9_-]+$/.test(p))) return { ok: false, reason: 'malformed' };
  const header = jsonPart(parts[0] as string);
  const payload = jsonPart(parts[1] as string);
  if (!header || !payload) return { ok: false, reason: 'malformed' };
  if (typeof header.alg !== 'string' || header.alg.toLowerCase() === 'none' || (header.typ !== undefined && typeof header.typ !== 'string')) return { ok: false, reason: 'malformed' };
  for (const claim of ['exp', 'iat', 'nbf'] as const) {
    if (payload[claim] !== undefined && (typeof payload[claim] !== 'number' || !Number.isFinite(payload[claim]))) return { ok: false, reason: 'malformed' };
  }
  const exp = payload.exp as number | undefined;
  const iat = payload.iat as number | undefined;
  if (iat !== undefined && iat * 1000 > now + CLOCK_SKEW_MS) return { ok: false, reason: 'malformed' };
  if (exp !== undefined && exp * 1000 + CLOCK_SKEW_MS <= now) return { ok: false, reason: 'expired' };
  const lifetimeEnd = now + ID_TOKEN_LIFETIME_MS;
  return { ok: true, expiresAt: exp !== undefined ? Math.min(exp * 1000, lifetimeEnd) : lifetimeEnd };
}

function jsonPart(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
