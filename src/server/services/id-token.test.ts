import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mintIdToken } from '../../sandbox/world/id-token.ts';
import { jwtShaped } from '../../../test/server/id-tokens.ts';
import { ID_TOKEN_LIFETIME_MS, readIdToken } from './id-token.ts';

const NOW = Date.parse('2026-12-04T08:00:00Z');
const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('the form of a Designer ID token', () => {
  it('takes an ID token as the sandbox issues it (as Webflow does: a JWT valid 15 minutes)', () => {
    // The sandbox stamps iat with the real clock.
    const now = Date.now();
    const token = mintIdToken('key', { userId: 'u1', siteId: 's1', expiresAt: now + 15 * 60_000 });

    const form = readIdToken(token, now);

    expect(form).toEqual({ ok: true, expiresAt: Math.floor((now + 15 * 60_000) / 1000) * 1000 });
  });

  it('refuses any value that is not three base64url parts of a signed JWT', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (value) => {
        const parts = value.split('.');
        fc.pre(parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]+$/.test(p)));
        expect(readIdToken(value, NOW)).toEqual({ ok: false, reason: 'malformed' });
      }),
    );
    expect(readIdToken(jwtShaped({ exp: NOW / 1000 + 60 }, { alg: 'none' }), NOW)).toEqual({ ok: false, reason: 'malformed' });
    expect(readIdToken(jwtShaped({ exp: 'tomorrow' }), NOW)).toEqual({ ok: false, reason: 'malformed' });
    expect(readIdToken(`${part([1, 2])}.${part({})}.sig`, NOW)).toEqual({ ok: false, reason: 'malformed' });
    expect(readIdToken(jwtShaped({ iat: NOW / 1000 + 3600 }), NOW)).toEqual({ ok: false, reason: 'malformed' });
    expect(readIdToken(`${jwtShaped({})}${'a'.repeat(5000)}`, NOW)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('refuses an expired token, and trusts a good one no longer than its exp or 15 minutes', () => {
    fc.assert(
      fc.property(fc.integer({ min: -86_400, max: 86_400 }), (offsetSeconds) => {
        const exp = Math.floor(NOW / 1000) + offsetSeconds;
        const form = readIdToken(jwtShaped({ sub: 'u', exp }), NOW);
        if (exp * 1000 + 60_000 <= NOW) expect(form).toEqual({ ok: false, reason: 'expired' });
        else {
          expect(form.ok).toBe(true);
          if (form.ok) expect(form.expiresAt).toBe(Math.min(exp * 1000, NOW + ID_TOKEN_LIFETIME_MS));
        }
      }),
    );
    expect(readIdToken(jwtShaped({ sub: 'u' }), NOW)).toEqual({ ok: true, expiresAt: NOW + ID_TOKEN_LIFETIME_MS });
  });
});
