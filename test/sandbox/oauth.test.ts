/**
 * The sandbox's OAuth as an app meets Webflow's: the authorize page, the redirect back with
 * `code` and `state` (or `error=access_denied`), and the one-time code exchange.
 */
import { describe, expect, it } from 'vitest';
import { sdkFor, useSandbox } from './support.ts';

const under = useSandbox({ demo: { assets: 30 } });
const CALLBACK = 'http://127.0.0.1:9/oauth/callback';

function authorizeParams(extra: Record<string, string> = {}): URLSearchParams {
  return new URLSearchParams({
    response_type: 'code',
    client_id: under.sandbox.info.clientId,
    redirect_uri: CALLBACK,
    scope: 'assets:read assets:write sites:read',
    state: 'st-8c1f',
    ...extra,
  });
}

/** Follows nothing: the redirect back to the app is what the test reads. */
async function redirectOf(response: Response): Promise<URL> {
  expect(response.status).toBe(302);
  return new URL(response.headers.get('location') ?? '');
}

async function approvedCode(): Promise<string> {
  const back = await redirectOf(await fetch(`${under.sandbox.info.oauthAuthorizeUrl}?${authorizeParams({ auto: '1' })}`, { redirect: 'manual' }));
  return back.searchParams.get('code') ?? '';
}

function exchange(fields: Record<string, string>, as: 'json' | 'form' = 'json'): Promise<Response> {
  return fetch(under.sandbox.info.oauthTokenUrl, {
    method: 'POST',
    headers: { 'content-type': as === 'json' ? 'application/json' : 'application/x-www-form-urlencoded' },
    body: as === 'json' ? JSON.stringify(fields) : new URLSearchParams(fields).toString(),
  });
}

function grant(code: string, secret = under.sandbox.info.clientSecret): Record<string, string> {
  return { client_id: under.sandbox.info.clientId, client_secret: secret, code, grant_type: 'authorization_code', redirect_uri: CALLBACK };
}

describe('the authorize page', () => {
  it('shows the app, its scopes and the user’s site, with an Authorize button', async () => {
    const response = await fetch(`${under.sandbox.info.oauthAuthorizeUrl}?${authorizeParams()}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toMatch(/<button[^>]*value="approve"[^>]*>Authorize app<\/button>/);
    expect(html).toContain(`<strong>${under.sandbox.info.siteName}</strong>`);
    expect(html).not.toContain('Harbour Studio');
  });

  it('redirects back with a code and the state when the button is pressed', async () => {
    const form = authorizeParams();
    form.set('decision', 'approve');
    const back = await redirectOf(await fetch(under.sandbox.info.oauthAuthorizeUrl, { method: 'POST', body: form, redirect: 'manual' }));
    expect(`${back.origin}${back.pathname}`).toBe(CALLBACK);
    expect(back.searchParams.get('code')).toMatch(/^[a-f0-9]{40}$/);
    expect(back.searchParams.get('state')).toBe('st-8c1f');
  });

  it('redirects back at once with auto=1', async () => {
    const back = await redirectOf(await fetch(`${under.sandbox.info.oauthAuthorizeUrl}?${authorizeParams({ auto: '1' })}`, { redirect: 'manual' }));
    expect(back.searchParams.get('code')).toBeTruthy();
    expect(back.searchParams.get('state')).toBe('st-8c1f');
  });

  it('redirects back with error=access_denied when the user cancels', async () => {
    const form = authorizeParams();
    form.set('decision', 'deny');
    const back = await redirectOf(await fetch(under.sandbox.info.oauthAuthorizeUrl, { method: 'POST', body: form, redirect: 'manual' }));
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.get('state')).toBe('st-8c1f');
    expect(back.searchParams.has('code')).toBe(false);
  });

  it('refuses an unknown client with a page that says so', async () => {
    const response = await fetch(`${under.sandbox.info.oauthAuthorizeUrl}?${authorizeParams({ client_id: 'someone-else' })}`);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('Unknown client_id');
  });
});

describe('the code exchange', () => {
  it('gives an access token for the approved sites and scopes (JSON body)', async () => {
    const response = await exchange(grant(await approvedCode()));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { access_token: string; token_type: string; scope: string };
    expect(body).toMatchObject({ token_type: 'bearer', scope: 'assets:read assets:write sites:read' });
    const webflow = sdkFor(under.sandbox, body.access_token);
    expect((await webflow.sites.list()).sites?.map((s) => s.id)).toEqual([under.sandbox.info.siteId]);
    expect((await webflow.token.introspect()).authorization?.grantType).toBe('authorization_code');
  });

  it('takes a form-encoded body too', async () => {
    const response = await exchange(grant(await approvedCode()), 'form');
    expect(response.status).toBe(200);
    expect(((await response.json()) as { access_token: string }).access_token).toMatch(/^[a-f0-9]{64}$/);
  });

  it('refuses a code used twice', async () => {
    const code = await approvedCode();
    expect((await exchange(grant(code))).status).toBe(200);
    const again = await exchange(grant(code));
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('refuses a redirect_uri other than the one the code was sent to', async () => {
    const response = await exchange({ ...grant(await approvedCode()), redirect_uri: 'https://elsewhere.example/callback' });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_grant', error_description: expect.stringContaining('redirect_uri') });
  });

  it('refuses a wrong client secret, and the code stays unused', async () => {
    const code = await approvedCode();
    const wrong = await exchange(grant(code, 'not-the-secret'));
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: 'invalid_client' });
    expect((await exchange(grant(code))).status).toBe(200);
  });
});
