/**
 * The sandbox's OAuth, as Webflow's: an authorize page where the demo user approves the app
 * for their sites (one click, or at once with `auto=1` for scripts and tests), redirecting back
 * with `code` and `state`; and `POST /oauth/access_token`, which exchanges a code once.
 */
import { Hono, type Context } from 'hono';
import { ALL_SCOPES, type Scope, type World } from '../world/world.ts';

export function oauthRoutes(world: World): Hono {
  const app = new Hono();

  app.get('/oauth/authorize', (c) => {
    const request = readAuthorize(c, world, new URL(c.req.url).searchParams);
    if ('error' in request) return page(c, 400, "This authorization request cannot be approved", `<p>${esc(request.error)}</p>`);
    if (c.req.query('auto') === '1') return approve(c, world, request);
    const sites = world.sites().filter((s) => s.userId === request.userId);
    const hidden = [...new URL(c.req.url).searchParams].map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`).join('');
    return page(
      c,
      200,
      `Authorize ${esc(world.state.oauthApp.displayName)}`,
      `<p>${esc(world.state.oauthApp.displayName)} is asking for: ${request.scopes.map((s) => `<code>${esc(s)}</code>`).join(', ')}.</p>
       <p>It will have access to ${sites.map((s) => `<strong>${esc(s.displayName)}</strong>`).join(', ')}.</p>
       <form method="post" action="/oauth/authorize">${hidden}
         <button type="submit" name="decision" value="approve">Authorize app</button>
         <button type="submit" name="decision" value="deny">Cancel</button>
       </form>`,
    );
  });

  app.post('/oauth/authorize', async (c) => {
    const form = await c.req.parseBody();
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(form)) if (typeof v === 'string') params.set(k, v);
    const request = readAuthorize(c, world, params);
    if ('error' in request) return page(c, 400, "This authorization request cannot be approved", `<p>${esc(request.error)}</p>`);
    if (params.get('decision') !== 'approve') {
      const back = new URL(request.redirectUri);
      back.searchParams.set('error', 'access_denied');
      back.searchParams.set('error_description', 'The user cancelled the authorization.');
      if (request.state) back.searchParams.set('state', request.state);
      return c.redirect(back.toString(), 302);
    }
    return approve(c, world, request);
  });

  app.post('/oauth/access_token', async (c) => {
    const contentType = c.req.header('content-type') ?? '';
    let fields: Record<string, unknown>;
    try {
      fields = contentType.includes('application/json') ? ((await c.req.json()) as Record<string, unknown>) : await c.req.parseBody();
    } catch {
      return c.json({ error: 'invalid_request', error_description: 'The body must be JSON or form-encoded.' }, 400);
    }
    const { oauthApp } = world.state;
    if (fields.client_id !== oauthApp.clientId || fields.client_secret !== oauthApp.clientSecret) {
      return c.json({ error: 'invalid_client', error_description: 'Unknown client_id or wrong client_secret.' }, 401);
    }
    if (fields.grant_type !== 'authorization_code') {
      return c.json({ error: 'unsupported_grant_type', error_description: 'grant_type must be authorization_code.' }, 400);
    }
    const grant = typeof fields.code === 'string' ? world.takeCode(fields.code) : undefined;
    if (!grant || grant.clientId !== oauthApp.clientId) {
      return c.json({ error: 'invalid_grant', error_description: 'The code is invalid, expired or already used.' }, 400);
    }
    // As in OAuth 2.0 (RFC 6749 4.1.3): a redirect_uri given at the exchange must be the one the code was sent to.
    if (fields.redirect_uri !== undefined && grant.redirectUri !== undefined && fields.redirect_uri !== grant.redirectUri) {
      return c.json({ error: 'invalid_grant', error_description: 'redirect_uri does not match the one the code was issued for.' }, 400);
    }
    const token = world.issueToken({ siteIds: grant.siteIds, scopes: grant.scopes, userId: grant.userId, grantType: 'authorization_code' });
    return c.json({ access_token: token.token, token_type: 'bearer', scope: token.scopes.join(' ') });
  });

  return app;
}

interface AuthorizeRequest {
  redirectUri: string;
  state: string | null;
  scopes: Scope[];
  userId: string;
}

function readAuthorize(_c: Context, world: World, params: URLSearchParams): AuthorizeRequest | { error: string } {
  if (params.get('response_type') !== 'code') return { error: 'response_type must be "code".' };
  if (params.get('client_id') !== world.state.oauthApp.clientId) return { error: 'Unknown client_id: no app is registered with it in the sandbox.' };
  const redirectUri = params.get('redirect_uri') ?? '';
  let parsed: URL;
  try {
    parsed = new URL(redirectUri);
  } catch {
    return { error: 'redirect_uri must be the absolute URL of your app’s callback.' };
  }
  if (parsed.protocol !== 'https:' && !['127.0.0.1', 'localhost'].includes(parsed.hostname)) {
    return { error: 'redirect_uri must use https (or be on this machine).' };
  }
  const scopes = (params.get('scope') ?? '').split(/[\s,+]+/).filter(Boolean);
  const unknown = scopes.filter((s) => !(ALL_SCOPES as readonly string[]).includes(s));
  if (scopes.length === 0 || unknown.length > 0) return { error: `scope must list known scopes (${ALL_SCOPES.join(' ')}); unknown: ${unknown.join(' ') || 'none given'}.` };
  const owner = world.sites()[0]?.userId;
  if (!owner) return { error: 'The sandbox has no sites.' };
  return { redirectUri, state: params.get('state'), scopes: scopes as Scope[], userId: owner };
}

function approve(c: Context, world: World, request: AuthorizeRequest): Response {
  const siteIds = world.sites().filter((s) => s.userId === request.userId).map((s) => s.id);
  const code = world.issueCode({ siteIds, userId: request.userId, clientId: world.state.oauthApp.clientId, scopes: request.scopes, redirectUri: request.redirectUri });
  const back = new URL(request.redirectUri);
  back.searchParams.set('code', code);
  if (request.state) back.searchParams.set('state', request.state);
  return c.redirect(back.toString(), 302);
}

function page(c: Context, status: 200 | 400, title: string, body: string): Response {
  return c.html(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#1e1e1e}button{font:inherit;padding:.5rem 1rem;margin-right:.5rem}</style></head>
<body><h1>${esc(title)}</h1>${body}</body></html>`,
    status,
  );
}

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
