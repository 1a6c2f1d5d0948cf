/**
 * The sandbox's Designer ID tokens, shaped as Webflow's: a JWT (`webflow.getIdToken()` returns
 * one, valid 15 minutes), so the backend's local checks of its form meet what they meet in
 * Webflow. Signed with the world's signing key; only the sandbox's resolve reads the signature's
 * meaning (it looks the token up), as only Webflow's resolve can verify Webflow's.
 */
import { createHmac, randomBytes } from 'node:crypto';

const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

export function mintIdToken(signingKey: string, claims: { userId: string; siteId: string; expiresAt: number }): string {
  const iat = Math.floor(Date.now() / 1000);
  const header = part({ alg: 'HS256', typ: 'JWT' });
  const payload = part({ sub: claims.userId, siteId: claims.siteId, iat, exp: Math.floor(claims.expiresAt / 1000), jti: randomBytes(12).toString('hex') });
  const signature = createHmac('sha256', signingKey).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}
