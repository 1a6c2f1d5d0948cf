import { Hono } from 'hono';
import { cors as honoCors } from 'hono/cors';
import { describe, expect, it } from 'vitest';
import { cors } from './cors.ts';

const PANEL = 'https://panel.example';
const METHODS = ['GET', 'POST', 'PUT', 'OPTIONS'];
const HEADERS = ['Authorization', 'Content-Type'];

function appWith(middleware: ReturnType<typeof cors>): Hono {
  const app = new Hono();
  app.use('*', middleware);
  app.get('/thing', (c) => {
    c.header('Vary', 'Accept-Encoding', { append: true });
    return c.body(new Uint8Array([1, 2, 3]));
  });
  app.post('/thing', () => {
    throw new Error('refused');
  });
  app.onError((_error, c) => c.json({ error: 'refused' }, 400));
  return app;
}

const ours = appWith(cors({ allowed: (origin) => origin === PANEL, methods: METHODS, headers: HEADERS, maxAgeSeconds: 600 }));
const theirs = appWith(honoCors({ origin: (origin) => (origin === PANEL ? origin : null), allowMethods: METHODS, allowHeaders: HEADERS, maxAge: 600 }));

const CORS_HEADERS = ['access-control-allow-origin', 'access-control-allow-methods', 'access-control-allow-headers', 'access-control-max-age'];

async function seen(app: Hono, request: { method: string; origin?: string }) {
  const headers: Record<string, string> = request.origin ? { origin: request.origin } : {};
  if (request.method === 'OPTIONS') Object.assign(headers, { 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' });
  const response = await app.request('/thing', { method: request.method, headers });
  const vary = (response.headers.get('vary') ?? '').split(',').map((v) => v.trim().toLowerCase()).filter(Boolean).sort();
  return { status: response.status, vary, ...Object.fromEntries(CORS_HEADERS.map((name) => [name, response.headers.get(name)])) };
}

describe('CORS for the extension', () => {
  it('answers every request as hono/cors does: allowed origin echoed, others not, preflights 204', async () => {
    for (const method of ['GET', 'POST', 'OPTIONS']) {
      for (const origin of [PANEL, 'https://evil.example', undefined]) {
        const request = { method, ...(origin ? { origin } : {}) };
        expect(await seen(ours, request), `${method} from ${origin ?? 'no origin'}`).toEqual(await seen(theirs, request));
      }
    }
    expect(await seen(ours, { method: 'OPTIONS', origin: PANEL })).toMatchObject({
      status: 204,
      'access-control-allow-origin': PANEL,
      'access-control-allow-methods': 'GET,POST,PUT,OPTIONS',
      'access-control-allow-headers': 'Authorization,Content-Type',
      'access-control-max-age': '600',
    });
  });

  it('keeps the route’s own Vary and body', async () => {
    const response = await ours.request('/thing', { headers: { origin: PANEL } });
    expect(response.headers.get('vary')).toBe('Origin, Accept-Encoding');
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(new Uint8Array([1, 2, 3]));
  });
});
