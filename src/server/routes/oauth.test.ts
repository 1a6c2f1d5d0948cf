import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { testStoreKinds, useTestStore } from '../../../test/server/store-test-helpers.ts';
import { createApp } from '../app.ts';
import { createInstallations } from '../services/installations.ts';
import { createSessions } from '../services/sessions.ts';
import type { Store } from '../store/db.ts';
import type { QuotaAwareClient } from '../webflow/client.ts';
import { createQuota } from '../webflow/quota.ts';
import type { Introspection } from '../webflow/types.ts';
import { isLinkValue, oauthRoutes } from './oauth.ts';

const PANEL = 'https://panel.example';
const BACKEND = 'https://backend.example';

/** Webflow's side of the install: the code exchange and the introspection, nothing else. */
function fakeWebflow(siteIds: string[]): QuotaAwareClient {
  const introspection: Introspection = { authorization: { id: 'a', rateLimit: 60, scope: 'assets:read', authorizedTo: { siteIds, workspaceIds: [], userIds: ['u1'] } } };
  return { exchangeCode: async () => 'access-token', introspect: async () => introspection } as unknown as QuotaAwareClient;
}

function backendOf(store: Store, siteIds = ['site-1'], scopes?: readonly string[]) {
  const webflow = fakeWebflow(siteIds);
  const quota = createQuota({ store, windowMs: 60_000 });
  const installations = createInstallations({ store, encryptionKey: Buffer.alloc(32, 1), quota });
  const config = {
    mode: 'sandbox' as const,
    publicUrl: BACKEND,
    panelOrigins: [PANEL],
    webflow: { apiBaseUrl: '', betaBaseUrl: '', authorizeUrl: 'https://webflow.example/oauth/authorize', tokenUrl: '', clientId: 'client', clientSecret: 'secret', ...(scopes ? { scopes } : {}) },
  };
  const sessions = createSessions({ installations, webflow, store, secret: Buffer.alloc(32, 2), installUrl: `${BACKEND}/oauth/install` });
  return createApp({ panelOrigins: [PANEL], sessions, oauth: oauthRoutes({ config, store, webflow, installations }), siteRoutes: [], log: () => {} });
}

/** Every header the pages must carry, and a policy that allows no script or style but the page's own. */
function expectLockedDown(response: Response): string {
  expect(response.headers.get('x-frame-options')).toBe('DENY');
  expect(response.headers.get('referrer-policy')).toBe('no-referrer');
  const policy = response.headers.get('content-security-policy') ?? '';
  expect(policy).toContain("default-src 'none'");
  expect(policy).toContain("frame-ancestors 'none'");
  expect(policy).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
  return policy;
}

const hostile = fc.oneof(
  fc.constantFrom(
    '<script>alert(1)</script>',
    '"><script src=//evil.example></script>',
    "'><img src=x onerror=alert(1)>",
    '</p><SCRIPT>alert(document.cookie)</SCRIPT>',
    '<svg/onload=alert(1)>',
    '\u0000<script>',
    '\ud800<script>x</script>',
  ),
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.tuple(fc.string({ maxLength: 20 }), fc.constantFrom('<script>', '<ScRiPt>', '<iframe>', '"', "'", '&', '\u0000', '\udfff'), fc.string({ maxLength: 20 })).map((parts) => parts.join('')),
);

/** A query string as a browser would send it: every value percent-encoded (lone surrogates as Node encodes them). */
function query(params: Record<string, string>): string {
  return Object.entries(params)
    .map(([name, value]) => `${name}=${encodeURIComponent(value.replace(/[\ud800-\udfff]/g, (unit) => (unit.length === 1 ? '\ufffd' : unit)))}`)
    .join('&');
}

describe.each(testStoreKinds)('the OAuth pages on %s', (kind) => {
  const stores = useTestStore(kind);

  it('asks Webflow for the asset scopes and the usage index read scopes, the CMS write scope, or what the configuration says', async () => {
    const install = await backendOf(stores.current()).request('/oauth/install');
    expect(install.status).toBe(302);
    const scope = new URL(install.headers.get('location') ?? '').searchParams.get('scope')?.split(' ');
    expect(scope).toEqual(['assets:read', 'assets:write', 'sites:read', 'authorized_user:read', 'pages:read', 'components:read', 'cms:read', 'cms:write']);
    const limited = await backendOf(stores.current(), ['site-1'], ['assets:read', 'sites:read']).request('/oauth/install');
    expect(new URL(limited.headers.get('location') ?? '').searchParams.get('scope')).toBe('assets:read sites:read');
  });

  it('shows what Webflow sent back escaped, never as markup, with a strict policy and no framing', async () => {
    const app = backendOf(stores.current());
    await fc.assert(
      fc.asyncProperty(hostile, hostile, async (error, description) => {
        const response = await app.request(`/oauth/callback?${query({ error: error || 'x', error_description: description })}`);

        expect(response.status).toBe(400);
        expectLockedDown(response);
        const html = await response.text();
        expect(html.toLowerCase()).not.toContain('<script');
        expect(html).not.toMatch(/<(img|svg|iframe)/i);
        expect(html).not.toContain('\u0000');
      }),
      { numRuns: 150 },
    );
  });

  it('answers 400 with a page, not a database error, for any state or code, NUL and lone surrogates included', async () => {
    const app = backendOf(stores.current());
    const value = fc.oneof(hostile, fc.constantFrom('\u0000', 'abc\u0000def', '\ud800', 'x'.repeat(5000)));
    await fc.assert(
      fc.asyncProperty(value, value, async (state, code) => {
        const response = await app.request(`/oauth/callback?state=${encodeURIComponent(state.replace(/[\ud800-\udfff]/g, '\ufffd'))}&code=${encodeURIComponent(code.replace(/[\ud800-\udfff]/g, '\ufffd'))}`);

        expect(response.status).toBe(400);
        expectLockedDown(response);
        expect((await response.text()).toLowerCase()).not.toContain('<script');
      }),
      { numRuns: 100 },
    );
    // Raw NUL bytes, percent-encoded as a browser sends them.
    const raw = await app.request('/oauth/callback?state=%00&code=%00abc');
    expect(raw.status).toBe(400);
    expect(await raw.text()).toContain('damaged');
  });

  it('ends an install with its one script allowed by its hash, and that script only', async () => {
    const app = backendOf(stores.current(), ['site-1', 'site-<2>']);
    const install = await app.request('/oauth/install');
    expect(install.status).toBe(302);
    const state = new URL(install.headers.get('location') ?? '').searchParams.get('state') ?? '';
    const cookie = (install.headers.get('set-cookie') ?? '').split(';')[0] ?? '';

    const done = await app.request(`/oauth/callback?${query({ state, code: 'the-code' })}`, { headers: { cookie } });

    expect(done.status).toBe(200);
    const policy = expectLockedDown(done);
    const html = await done.text();
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((match) => match[1] ?? '');
    expect(scripts).toHaveLength(1);
    const hash = createHash('sha256').update(scripts[0] ?? '', 'utf8').digest('base64');
    expect(policy).toContain(`script-src 'sha256-${hash}'`);
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
    expect(policy).toContain(`style-src 'sha256-${createHash('sha256').update(style, 'utf8').digest('base64')}'`);
    // A site id cannot close the script element.
    expect(scripts[0]).not.toContain('<2>');
    expect(scripts[0]).toContain('site-\\u003c2>');
  });
});

describe('link values', () => {
  it('accepts printable, well-formed values of a sane length and nothing else', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 100 }), (value) => {
        // eslint-disable-next-line no-control-regex
        expect(isLinkValue(value)).toBe(!/[\u0000-\u001f\u007f]/.test(value));
      }),
    );
    expect(isLinkValue('abc\ud800')).toBe(false);
    expect(isLinkValue('\udc00abc')).toBe(false);
    expect(isLinkValue('😀')).toBe(true);
    expect(isLinkValue('a'.repeat(513))).toBe(false);
  });
});
