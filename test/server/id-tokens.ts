/**
 * ID tokens as a stranger would forge them: shaped as Webflow's (a JWT that has not expired), so
 * only Webflow's resolve could tell they are junk. The worst case for the session guard.
 */
import { randomBytes } from 'node:crypto';

const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

export function jwtShaped(payload: Record<string, unknown>, header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' }): string {
  return `${part(header)}.${part(payload)}.${randomBytes(32).toString('base64url')}`;
}

/** A well-formed, unexpired JWT no Webflow issued. */
export function junkIdToken(siteId = 'any-site'): string {
  const now = Math.floor(Date.now() / 1000);
  return jwtShaped({ sub: randomBytes(12).toString('hex'), siteId, iat: now, exp: now + 900, jti: randomBytes(8).toString('hex') });
}
