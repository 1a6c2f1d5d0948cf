/**
 * CORS for the extension's origins, as `hono/cors` answers it (the allowed origin echoed, `Vary:
 * Origin`, preflights answered 204 with the methods, headers and max age) but with every header
 * set before the route answers. `hono/cors` touches the response before and after the route,
 * and either makes Hono copy the finished response through a whole `Response`: @hono/node-server
 * then streams even a fixed buffer (the index) instead of writing it at once, which cost the
 * index route most of its throughput under load (docs/decisions/index-under-load.md).
 */
import type { MiddlewareHandler } from 'hono';

export interface CorsOptions {
  allowed(origin: string): boolean;
  methods: readonly string[];
  headers: readonly string[];
  maxAgeSeconds: number;
}

export function cors(options: CorsOptions): MiddlewareHandler {
  const methods = options.methods.join(',');
  const headers = options.headers.join(',');
  const maxAge = String(options.maxAgeSeconds);
  return async (c, next) => {
    const origin = c.req.header('origin');
    if (origin && options.allowed(origin)) c.header('Access-Control-Allow-Origin', origin);
    c.header('Vary', 'Origin', { append: true });
    if (c.req.method === 'OPTIONS') {
      c.header('Access-Control-Max-Age', maxAge);
      c.header('Access-Control-Allow-Methods', methods);
      c.header('Access-Control-Allow-Headers', headers);
      c.header('Vary', 'Access-Control-Request-Headers', { append: true });
      return c.body(null, 204);
    }
    await next();
  };
}
