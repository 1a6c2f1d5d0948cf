/**
 * The install flow: `/oauth/install` sends the user to Webflow's authorize page with a state
 * bound to this browser (a cookie), `/oauth/callback` checks both, exchanges the code, reads
 * which sites were authorized and stores the token for each, then tells the panel (the opener
 * of the popup) with a postMessage to its exact origin.
 *
 * The pages run on the origin that holds sessions, so they show nothing unescaped, allow no
 * script or style but their own (hashed in a strict Content-Security-Policy), cannot be framed,
 * and never leak the code in a Referer. `state` and `code` are checked before they reach the
 * store: a NUL, a control character or a lone surrogate is a broken link, not a database error.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { INSTALLED_MESSAGE } from '../../core/api.ts';
import type { Config } from '../config.ts';
import type { Installations } from '../services/installations.ts';
import type { Store } from '../store/db.ts';
import { saveOAuthState, takeOAuthState } from '../store/installations.ts';
import type { QuotaAwareClient } from '../webflow/client.ts';
import { INSTALL_SCOPES } from '../webflow/scopes.ts';

/** What the install asks for unless the configuration says otherwise (webflow/scopes.ts). */
export const OAUTH_SCOPES = INSTALL_SCOPES.join(' ');
const COOKIE = 'asset_desk_oauth';
const STATE_TTL_MS = 10 * 60_000;

export interface OAuthDeps {
  config: Pick<Config, 'mode' | 'publicUrl' | 'webflow' | 'panelOrigins'>;
  store: Store;
  webflow: QuotaAwareClient;
  installations: Installations;
  log?: (message: string) => void;
}

const hashKey = (value: string): string => createHash('sha256').update(value).digest('hex');

export function oauthRoutes(deps: OAuthDeps): Hono {
  const { config, store, webflow, installations } = deps;
  const app = new Hono();
  const redirectUri = `${config.publicUrl}/oauth/callback`;

  app.get('/oauth/install', async (c) => {
    const state = randomBytes(24).toString('base64url');
    const browserKey = randomBytes(24).toString('base64url');
    await saveOAuthState(store, state, hashKey(browserKey), new Date(Date.now() + STATE_TTL_MS));
    setCookie(c, COOKIE, browserKey, {
      httpOnly: true,
      sameSite: 'Lax',
      path: '/oauth',
      maxAge: STATE_TTL_MS / 1000,
      secure: config.publicUrl.startsWith('https:'),
    });
    const authorize = new URL(config.webflow.authorizeUrl);
    authorize.searchParams.set('response_type', 'code');
    authorize.searchParams.set('client_id', config.webflow.clientId);
    authorize.searchParams.set('scope', config.webflow.scopes?.join(' ') ?? OAUTH_SCOPES);
    authorize.searchParams.set('state', state);
    authorize.searchParams.set('redirect_uri', redirectUri);
    // The sandbox can approve at once (tests, and the panel's one-click demo install).
    if (config.mode === 'sandbox' && c.req.query('auto') === '1') authorize.searchParams.set('auto', '1');
    return c.redirect(authorize.toString(), 302);
  });

  app.get('/oauth/callback', async (c) => {
    const error = c.req.query('error');
    if (error !== undefined) {
      const said = shown(c.req.query('error_description') ?? error);
      return page(c, 400, 'Asset Desk was not installed', [
        error === 'access_denied' ? 'The authorization was cancelled. You can close this window and try again from the panel.' : `Webflow answered: ${said}.`,
      ]);
    }
    const state = c.req.query('state') ?? '';
    const code = c.req.query('code') ?? '';
    if (!isLinkValue(state) || !isLinkValue(code)) {
      return page(c, 400, 'This install link is not valid', ['The link is damaged (it holds characters Webflow never sends). Start the install again from the panel.']);
    }
    const browserKey = getCookie(c, COOKIE) ?? '';
    const stored = state ? await takeOAuthState(store, state) : undefined;
    const sameBrowser = stored !== undefined && browserKey !== '' && safeEqual(stored.browser_key, hashKey(browserKey));
    if (!stored || !sameBrowser || stored.expired) {
      return page(c, 400, 'This install link is not valid', ['The install was started in another browser, took longer than 10 minutes, or was already used. Start it again from the panel.']);
    }
    if (!code) return page(c, 400, 'Asset Desk was not installed', ['Webflow did not send an authorization code. Start the install again from the panel.']);
    let siteIds: string[];
    try {
      const token = await webflow.exchangeCode({ tokenUrl: config.webflow.tokenUrl, clientId: config.webflow.clientId, clientSecret: config.webflow.clientSecret, code, redirectUri });
      const introspection = await webflow.introspect(token);
      siteIds = introspection.authorization.authorizedTo.siteIds;
      await installations.save({ siteIds, token, rateLimit: introspection.authorization.rateLimit, userId: introspection.authorization.authorizedTo.userIds[0] ?? null, scopes: introspection.authorization.scope });
    } catch (caught) {
      deps.log?.(`oauth: the install failed: ${caught instanceof Error ? caught.message : String(caught)}`);
      return page(c, 400, 'Asset Desk was not installed', ['Webflow did not complete the authorization. Start the install again from the panel.']);
    }
    if (siteIds.length === 0) return page(c, 400, 'Asset Desk was not installed', ['No site was authorized. Start again and choose the site you are working on.']);
    const messages = siteIds.map((siteId) => ({ type: INSTALLED_MESSAGE, siteId }));
    const script = `
      (function () {
        var origins = ${scriptJson(config.panelOrigins)};
        var messages = ${scriptJson(messages)};
        if (window.opener) {
          origins.forEach(function (origin) { messages.forEach(function (m) { try { window.opener.postMessage(m, origin); } catch (e) {} }); });
          setTimeout(function () { window.close(); }, 400);
        }
      })();
    `;
    return page(c, 200, 'Asset Desk is installed', [`It can now work on ${siteIds.length === 1 ? 'your site' : `${siteIds.length} sites`}. You can close this window and go back to the panel.`], script);
  });

  return app;
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Longer than any state or code Webflow sends; a value past it is not Webflow's. */
const MAX_LINK_VALUE = 512;

/** A `state` or `code` as Webflow sends them: printable text, well formed, bounded. */
export function isLinkValue(value: string): boolean {
  // eslint-disable-next-line no-control-regex
  return value.length <= MAX_LINK_VALUE && !LONE_SURROGATE.test(value) && !/[\u0000-\u001f\u007f]/.test(value);
}

/** Text from the query, made fit to show: no control characters, no lone surrogates, bounded; escaped by `page`. */
function shown(value: string): string {
  // eslint-disable-next-line no-control-regex
  const text = value.replace(new RegExp(LONE_SURROGATE, 'g'), '\uFFFD').replace(/[\u0000-\u001f\u007f]/g, ' ').trim();
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

/** JSON inside a script element: `<` escaped, so no value can close the element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const STYLE = 'body{font:14px/1.5 system-ui,sans-serif;background:#1e1e1e;color:#e6e6e6;max-width:28rem;margin:3rem auto;padding:0 1rem}';

const sha256 = (text: string): string => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** A page of plain paragraphs (escaped here), with at most the one inline script given, allowed by its hash. */
function page(c: Context, status: 200 | 400, title: string, paragraphs: string[], script?: string): Response {
  const policy = [
    "default-src 'none'",
    `style-src ${sha256(STYLE)}`,
    ...(script ? [`script-src ${sha256(script)}`] : []),
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  c.header('Content-Security-Policy', policy);
  c.header('X-Frame-Options', 'DENY');
  c.header('Referrer-Policy', 'no-referrer');
  c.header('Cache-Control', 'no-store');
  const body = paragraphs.map((text) => `<p>${escapeHtml(text)}</p>`).join('');
  return c.html(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>${STYLE}</style></head>
<body><h1>${escapeHtml(title)}</h1>${body}${script ? `<script>${script}</script>` : ''}</body></html>`,
    status,
  );
}
