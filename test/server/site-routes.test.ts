/**
 * Every site route, as the app has them (read from the app, so a new route cannot be left out),
 * refuses a session of another site before doing anything; and CORS lets in the extension's
 * default origin from the production configuration, and no other.
 */
import { describe, expect, it } from 'vitest';
import { apiError } from '../../src/core/api.ts';
import { loadConfig } from '../../src/server/config.ts';
import { fullApp } from './full-app.ts';
import { useTestStore } from './store-test-helpers.ts';

const OTHER_SITE = 'a1b2c3d4e5f6a1b2c3d4e5f6';
const SITE_ROUTES = '/api/sites/:siteId/';

describe('the site routes', () => {
  const stores = useTestStore('pglite');

  it('refuse a session of another site on every route, before touching the journal or Webflow', async () => {
    const { app, authorization, webflow } = fullApp(stores.current());
    const routes = [
      ...new Map(
        app.routes
          .filter((route) => route.path.startsWith(SITE_ROUTES) && route.method !== 'ALL')
          .map((route) => [`${route.method} ${route.path}`, route]),
      ).values(),
    ];
    // The index, changes, uploads, folders and usage routes: a floor, so an empty list cannot pass.
    expect(routes.length).toBeGreaterThanOrEqual(16);
    const webflowCalls = webflow.calls.length;

    const answers: string[] = [];
    for (const route of routes) {
      const path = route.path.replace(':siteId', OTHER_SITE).replace(/:[A-Za-z]+/g, '123');
      const response = await app.request(path, {
        method: route.method,
        headers: { authorization, 'content-type': 'application/json' },
        ...(route.method === 'GET' ? {} : { body: '{}' }),
      });
      const body = apiError.safeParse(await response.json().catch(() => undefined));
      answers.push(`${route.method} ${route.path}: ${response.status} ${body.success ? body.data.error.code : 'no error body'}`);
    }

    expect(answers).toEqual(routes.map((route) => `${route.method} ${route.path}: 403 forbidden`));
    expect(webflow.calls.length).toBe(webflowCalls);
  });
});

describe('CORS with the production configuration', () => {
  const stores = useTestStore('pglite');

  it('allows the extension’s default origin (https://<client id>.webflow-ext.com) and no other', async () => {
    const config = await loadConfig({
      WEBFLOW_CLIENT_ID: 'abc123client',
      WEBFLOW_CLIENT_SECRET: 'secret',
      ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
      SESSION_SECRET: 's'.repeat(32),
    });
    const { app } = fullApp(stores.current(), { panelOrigins: config.panelOrigins });
    const preflight = (origin: string) =>
      app.request('/api/session', {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });

    const allowed = await preflight('https://abc123client.webflow-ext.com');
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://abc123client.webflow-ext.com');
    for (const origin of ['https://other.webflow-ext.com', 'https://abc123client.webflow-ext.com.evil.example', 'http://abc123client.webflow-ext.com']) {
      expect((await preflight(origin)).headers.get('access-control-allow-origin'), origin).toBeNull();
    }
  });
});
