/**
 * The backend through its real HTTP stack (the sandbox, the backend installed through OAuth):
 * the install, sessions, CORS, body limits and the one error shape.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiError, INSTALLED_MESSAGE, notInstalledDetails } from '../../src/core/api.ts';
import { decryptSecret, signSession } from '../../src/server/crypto.ts';
import { startBackend } from '../../src/server/backend.ts';
import { openStore } from '../../src/server/store/db.ts';
import { startStack, type Stack } from '../../src/stack/stack.ts';
import { clientOf, openSession, sessionClient } from './backend-support.ts';
import { idTokenOf, wire } from './sandbox-control.ts';

const PANEL_ORIGIN = 'http://127.0.0.1:4300';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ withoutPanel: true, rateLimit: { perWindow: 60, windowMs: 1000 }, demo: { assets: 20 } });
});
afterAll(async () => {
  await stack.close();
});

function cookieOf(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0])
    .join('; ');
}

/** /oauth/install, then the sandbox approves: the browser's cookie and the callback URL Webflow sends it to. */
async function approvedInstall(): Promise<{ cookie: string; callback: URL }> {
  const install = await fetch(`${stack.backendUrl}/oauth/install`, { redirect: 'manual' });
  expect(install.status).toBe(302);
  const authorize = new URL(install.headers.get('location') ?? '');
  authorize.searchParams.set('auto', '1');
  const approved = await fetch(authorize, { redirect: 'manual' });
  return { cookie: cookieOf(install), callback: new URL(approved.headers.get('location') ?? '') };
}

async function expectError(response: Response, status: number, code: string): Promise<{ message: string; details?: unknown }> {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  const text = await response.text();
  expect(text).not.toMatch(/\n\s+at |\.ts:\d+|stack/);
  const body = apiError.strict().parse(JSON.parse(text));
  expect(Object.keys(body.error).sort()).toEqual(body.error.details === undefined ? ['code', 'message'] : ['code', 'details', 'message']);
  expect(body.error.code).toBe(code);
  return body.error;
}

describe('installing through OAuth', () => {
  it('refuses a callback whose state is not the one this browser was given', async () => {
    const { cookie, callback } = await approvedInstall();
    callback.searchParams.set('state', 'forged-state-of-another-install');

    const response = await fetch(callback, { headers: { cookie } });

    expect(response.status).toBe(400);
    expect(await response.text()).toContain('This install link is not valid');
  });

  it('refuses a callback from a browser without the install cookie', async () => {
    const { callback } = await approvedInstall();

    const response = await fetch(callback);

    expect(response.status).toBe(400);
    expect(await response.text()).toContain('This install link is not valid');
  });

  it('ends with a page that posts the installed site to the panel origin, and to no other', async () => {
    const { cookie, callback } = await approvedInstall();

    const response = await fetch(callback, { headers: { cookie } });

    expect(response.status).toBe(200);
    const html = await response.text();
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1];
    if (!script) throw new Error('The callback page has no script');
    const posted: Array<{ message: unknown; origin: string }> = [];
    runInNewContext(script, {
      window: { opener: { postMessage: (message: unknown, origin: string) => posted.push({ message, origin }) }, close() {} },
      setTimeout: () => 0,
    });
    expect(posted.length).toBeGreaterThan(0);
    expect(posted.map((p) => p.origin).every((origin) => origin === PANEL_ORIGIN || origin === PANEL_ORIGIN.replace('127.0.0.1', 'localhost'))).toBe(true);
    expect(posted[0]?.message).toEqual({ type: INSTALLED_MESSAGE, siteId: stack.siteId });
  });

  it('keeps the access token sealed in the store', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'asset-desk-sealed-'));
    try {
      const sealedStack = await startStack({ withoutPanel: true, dataDir, rateLimit: { perWindow: 60, windowMs: 1000 }, demo: { assets: 5 } });
      const key = sealedStack.backend.config.encryptionKey;
      await sealedStack.backend.close();
      const store = await openStore(join(dataDir, 'pglite'));
      try {
        const rows = await store.query<Record<string, unknown>>('SELECT * FROM installations');
        expect(rows).toHaveLength(1);
        const token = decryptSecret(key, String(rows[0]?.sealed_token), `site:${sealedStack.siteId}`);
        // What the row unseals to is the token Webflow gave: it reads the site.
        expect((await wire(sealedStack.sandbox, token, `/sites/${sealedStack.siteId}`)).status).toBe(200);
        expect(JSON.stringify(rows[0])).not.toContain(token);
        expect(token).not.toBe(sealedStack.sandbox.info.siteToken);
      } finally {
        await store.close();
        await sealedStack.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
    // A hang guard only: it starts a stack of its own, which took over 30 s with both cores busy.
  }, 180_000);
});

describe('sessions', () => {
  it('opens a session of the site and its user with the Designer ID token', async () => {
    const session = await openSession(stack.backendUrl, stack.sandbox);

    expect(session.siteId).toBe(stack.siteId);
    expect(session.user).toMatchObject({ id: expect.stringMatching(/^[a-f0-9]{24}$/), email: expect.stringContaining('@') });
    expect(Date.parse(session.expiresAt) - Date.now()).toBeGreaterThan(55 * 60_000);
    const folders = await clientOf(stack.backendUrl, session.sessionToken).request(`/api/sites/${stack.siteId}/folders`);
    expect(folders.status).toBe(200);
  });

  it('refuses an ID token Webflow does not know', async () => {
    const response = await fetch(`${stack.backendUrl}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ idToken: 'not-an-id-token-webflow-issued', siteId: stack.siteId }),
    });
    await expectError(response, 401, 'unauthorized');
  });

  it('refuses an expired session', async () => {
    const session = await openSession(stack.backendUrl, stack.sandbox);
    const expired = signSession(stack.backend.config.sessionSecret, { userId: session.user.id, siteId: stack.siteId, expiresAt: Date.now() - 1000 });

    const error = await expectError(await clientOf(stack.backendUrl, expired).request(`/api/sites/${stack.siteId}/folders`), 401, 'unauthorized');

    expect(error.message).toMatch(/expired/);
  });

  it('refuses a forged session: claims changed under the signature, or signed with another secret', async () => {
    const session = await openSession(stack.backendUrl, stack.sandbox);
    const [, signature] = session.sessionToken.split('.');
    const claims = Buffer.from(JSON.stringify({ u: session.user.id, s: stack.siteId, e: Date.now() + 86_400_000 })).toString('base64url');
    const otherSecret = signSession(Buffer.alloc(32, 7), { userId: session.user.id, siteId: stack.siteId, expiresAt: Date.now() + 60_000 });

    for (const forged of [`${claims}.${signature}`, otherSecret, 'garbage']) {
      const error = await expectError(await clientOf(stack.backendUrl, forged).request(`/api/sites/${stack.siteId}/folders`), 401, 'unauthorized');
      expect(error.message).toMatch(/not valid/);
    }
    await expectError(await fetch(`${stack.backendUrl}/api/sites/${stack.siteId}/folders`), 401, 'unauthorized');
  });

  it("refuses a session on another site's routes", async () => {
    const client = await sessionClient(stack.backendUrl, stack.sandbox);
    const otherSite = 'a1b2c3d4e5f6a1b2c3d4e5f6';

    await expectError(await client.request(`/api/sites/${otherSite}/index`), 403, 'forbidden');
    await expectError(await client.request(`/api/sites/${otherSite}/changes`, { method: 'POST', body: { changes: [] } }), 403, 'forbidden');
  });

  it('answers 409 not_installed with the install URL on a site without an installation', async () => {
    const bare = await startBackend({
      port: 0,
      sandboxUrl: stack.sandbox.url,
      databaseUrl: 'memory://',
      dataDir: null,
      panelOrigins: [PANEL_ORIGIN],
      rateWindowMs: 1000,
    });
    try {
      const response = await fetch(`${bare.url}/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ idToken: await idTokenOf(stack.sandbox), siteId: stack.siteId }),
      });
      const error = await expectError(response, 409, 'not_installed');
      expect(notInstalledDetails.parse(error.details).installUrl).toBe(`${bare.url}/oauth/install`);
      expect((await fetch(notInstalledDetails.parse(error.details).installUrl, { redirect: 'manual' })).status).toBe(302);
    } finally {
      await bare.close();
    }
  });
});

describe('the HTTP edge', () => {
  it("answers CORS for the panel's origin and not for another", async () => {
    const preflight = (origin: string) =>
      fetch(`${stack.backendUrl}/api/sites/${stack.siteId}/changes`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
      });

    const allowed = await preflight(PANEL_ORIGIN);
    expect(allowed.status).toBeLessThan(300);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(PANEL_ORIGIN);
    expect(allowed.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
    // The panel sends the styles' background images with a PUT.
    expect(allowed.headers.get('access-control-allow-methods')?.split(',')).toContain('PUT');

    const refused = await preflight('https://evil.example');
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    const client = await sessionClient(stack.backendUrl, stack.sandbox);
    const simple = await client.request(`/api/sites/${stack.siteId}/folders`, { headers: { origin: 'https://evil.example' } });
    expect(simple.headers.get('access-control-allow-origin')).toBeNull();
    const own = await client.request(`/api/sites/${stack.siteId}/folders`, { headers: { origin: PANEL_ORIGIN } });
    expect(own.headers.get('access-control-allow-origin')).toBe(PANEL_ORIGIN);
  });

  it('refuses a body over the limit with 413 payload_too_large', async () => {
    const client = await sessionClient(stack.backendUrl, stack.sandbox);
    const change = { assetId: 'a'.repeat(24), field: 'altText', before: '', after: 'x'.repeat(1900) };
    const body = JSON.stringify({ changes: Array.from({ length: 1500 }, () => change) });

    // On a connection of its own: the server answers before reading the body, then closes it.
    const response = await new Promise<Response>((resolve, reject) => {
      const sent = httpRequest(`${stack.backendUrl}/api/sites/${stack.siteId}/changes`, {
        method: 'POST',
        agent: false,
        headers: { authorization: `Bearer ${client.sessionToken}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      });
      sent.on('response', (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => resolve(new Response(Buffer.concat(chunks), { status: answer.statusCode ?? 0, headers: { 'content-type': String(answer.headers['content-type']) } })));
      });
      sent.on('error', reject);
      sent.end(body);
    });

    const error = await expectError(response, 413, 'payload_too_large');
    expect(error.message).toMatch(/smaller batches/);
  });

  it('answers every error in one shape, without a stack or a token', async () => {
    const client = await sessionClient(stack.backendUrl, stack.sandbox);

    await expectError(await client.request('/api/nothing-here'), 404, 'not_found');
    const invalid = await expectError(await client.request(`/api/sites/${stack.siteId}/changes`, { method: 'POST', body: { changes: [{ field: 'colour' }] } }), 400, 'validation_error');
    expect(Array.isArray(invalid.details)).toBe(true);
    await expectError(await client.request(`/api/sites/${stack.siteId}/changes`, { method: 'POST', body: 'not json', headers: { 'content-type': 'application/json' } }), 400, 'validation_error');
    const notJson = await fetch(`${stack.backendUrl}/api/sites/${stack.siteId}/changes`, { method: 'POST', headers: { authorization: `Bearer ${client.sessionToken}`, 'content-type': 'application/json' }, body: '{"changes":' });
    const broken = await expectError(notJson, 400, 'bad_request');
    expect(broken.message).not.toContain(client.sessionToken);
    await expectError(await client.request(`/api/sites/${stack.siteId}/index/changes?since=-1`), 400, 'validation_error');
  });
});
