/**
 * Secrets at rest and in flight: access tokens are encrypted with AES-256-GCM before they reach
 * the store (a fresh IV each time; the site id is authenticated with them, so a row copied to
 * another site does not decrypt), and session tokens are HMAC-SHA256-signed claims.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const VERSION = 'v1';

export function encryptSecret(key: Buffer, plaintext: string, context: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
}

export function decryptSecret(key: Buffer, sealed: string, context: string): string {
  const [version, iv, tag, body] = sealed.split('.');
  if (version !== VERSION || !iv || !tag || body === undefined) throw new Error('The stored secret is not in a format this version can read.');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(context));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
}

export interface SessionClaims {
  userId: string;
  siteId: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

export function signSession(secret: Buffer, claims: SessionClaims): string {
  const payload = Buffer.from(JSON.stringify({ u: claims.userId, s: claims.siteId, e: claims.expiresAt })).toString('base64url');
  return `${payload}.${createHmac('sha256', secret).update(payload).digest('base64url')}`;
}

export type SessionCheck = { ok: true; claims: SessionClaims } | { ok: false; reason: 'forged' | 'expired' };

export function verifySession(secret: Buffer, token: string, now = Date.now()): SessionCheck {
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined) return { ok: false, reason: 'forged' };
  const expected = Buffer.from(createHmac('sha256', secret).update(payload).digest('base64url'));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'forged' };
  let parsed: { u?: unknown; s?: unknown; e?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as typeof parsed;
  } catch {
    return { ok: false, reason: 'forged' };
  }
  if (typeof parsed.u !== 'string' || typeof parsed.s !== 'string' || typeof parsed.e !== 'number') return { ok: false, reason: 'forged' };
  if (parsed.e <= now) return { ok: false, reason: 'expired' };
  return { ok: true, claims: { userId: parsed.u, siteId: parsed.s, expiresAt: parsed.e } };
}

/**
 * A key to one site's thumbnails (src/server/thumbnails/), for `<img src>`, which cannot send the
 * session's bearer: `expires.signature`, expiry in seconds since the epoch (base 36), signature an
 * HMAC of the site and the expiry. It opens nothing but that site's 80 × 80 thumbnails of files
 * Webflow's CDN serves to anyone; it is not the session.
 */
export function signThumbnailKey(secret: Buffer, siteId: string, expiresAt: number): string {
  const expires = Math.floor(expiresAt / 1000).toString(36);
  return `${expires}.${thumbnailSignature(secret, siteId, expires)}`;
}

export type ThumbnailKeyCheck = { ok: true } | { ok: false; reason: 'forged' | 'expired' };

export function verifyThumbnailKey(secret: Buffer, siteId: string, key: string, now = Date.now()): ThumbnailKeyCheck {
  const match = /^([0-9a-z]{1,10})\.([A-Za-z0-9_-]{22})$/.exec(key);
  if (!match) return { ok: false, reason: 'forged' };
  const [, expires = '', signature = ''] = match;
  const expected = Buffer.from(thumbnailSignature(secret, siteId, expires));
  if (!timingSafeEqual(expected, Buffer.from(signature))) return { ok: false, reason: 'forged' };
  return parseInt(expires, 36) * 1000 <= now ? { ok: false, reason: 'expired' } : { ok: true };
}

function thumbnailSignature(secret: Buffer, siteId: string, expires: string): string {
  // The purpose first: no session token's signature is ever a thumbnail key's, nor the reverse.
  return createHmac('sha256', secret).update(`thumbnails\n${siteId}\n${expires}`).digest('base64url').slice(0, 22);
}
