/**
 * Generated requests to every backend route, as a careless or hostile client sends them: each a
 * well-formed request of the route with one part replaced by something else (any UTF-16 text,
 * NUL, half characters, huge strings, numbers, objects) in a body field, a path id or a query
 * parameter; or a body that is not JSON, or is JSON with another Content-Type. Used by the
 * property tests (test/server/hostile-input.test.ts) and the "hostile inputs" benchmark.
 */
import fc from 'fast-check';

export type SessionKind = 'valid' | 'none' | 'forged';

export interface HostileRequest {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array<ArrayBuffer>;
  session: SessionKind;
}

/** Any UTF-16 code unit, lone surrogates and NUL included. */
const anyUnit = fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit));

export const hostileText: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: anyUnit, maxLength: 60 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 60 }) },
  // The values known to have broken something, often enough to reach every field.
  { weight: 3, arbitrary: fc.constantFrom('', ' ', '\u0000', 'a\u0000b', '\uD800', '\uDFFF', 'x\uDBFFy', '\uFEFF', '💥', '../..', '%00', "'; DROP TABLE journal_changes; --", '<script>alert(1)</script>', '\\u0000', 'null', '1e309') },
  { weight: 1, arbitrary: fc.integer({ min: 60, max: 70_000 }).chain((length) => fc.constantFrom('x', '\u0000', 'é', '💥').map((unit) => unit.repeat(length))) },
);

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: hostileText },
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(hostileText, { maxLength: 3 }),
  fc.dictionary(hostileText, hostileText, { maxKeys: 3 }),
);

/** A path segment: generated text, percent-encoded as a client would, or raw bytes of a broken encoding. */
const hostileSegment: fc.Arbitrary<string> = fc.oneof(
  hostileText.map((text) => encodeURIComponent(text.replace(/[\uD800-\uDFFF]/g, '\uFFFD'))),
  fc.constantFrom('%00', '%', '%E0%A4', '%ED%A0%80', '%FF', '..', '%2F', 'a%00b', '1'.repeat(40), '-1', '0'),
);

interface RouteTemplate {
  method: 'GET' | 'POST' | 'PUT';
  /** With `:id` for the path id. */
  path: string;
  query?: Record<string, string>;
  body?: Record<string, unknown>;
}

const HASH = 'a'.repeat(32);

/** The install flow's pages, for a running backend (the app.request tests build the app without them). */
const OAUTH_ROUTES: RouteTemplate[] = [
  { method: 'GET', path: '/oauth/install', query: { auto: '1' } },
  { method: 'GET', path: '/oauth/callback', query: { state: 'x'.repeat(32), code: 'y'.repeat(16) } },
  { method: 'GET', path: '/oauth/callback', query: { error: 'access_denied', error_description: 'The user said no' } },
];

function routes(siteId: string): RouteTemplate[] {
  const site = `/api/sites/${siteId}`;
  const change = { assetId: 'a1', field: 'altText', before: '', after: 'Door' };
  return [
    { method: 'POST', path: '/api/session', body: { idToken: 'x'.repeat(40), siteId } },
    { method: 'GET', path: '/healthz' },
    { method: 'GET', path: `${site}/index`, query: { format: 'compact' } },
    { method: 'GET', path: `${site}/index/changes`, query: { since: '0' } },
    { method: 'POST', path: `${site}/index/refresh` },
    { method: 'POST', path: `${site}/changes`, body: { changes: [change], label: 'Batch' } },
    { method: 'GET', path: `${site}/changes`, query: { status: 'pending,failed', limit: '10', after: '1' } },
    { method: 'POST', path: `${site}/changes/lease`, body: { applierId: 'applier-0001', limit: 10, seconds: 30, waitSeconds: 0 } },
    { method: 'POST', path: `${site}/changes/ack`, body: { applierId: 'applier-0001', results: [{ changeId: '1', outcome: 'failed', error: 'Oops' }] } },
    { method: 'POST', path: `${site}/changes/release`, body: { applierId: 'applier-0001' } },
    { method: 'POST', path: `${site}/changes/:id/retry`, body: {} },
    { method: 'POST', path: `${site}/changes/:id/resolve`, body: { keep: 'mine' } },
    { method: 'POST', path: `${site}/batches/:id/undo`, body: {} },
    { method: 'GET', path: `${site}/assets/:id/history` },
    { method: 'GET', path: `${site}/usage` },
    { method: 'GET', path: `${site}/usage/assets/:id` },
    { method: 'POST', path: `${site}/usage/crawl` },
    { method: 'GET', path: `${site}/usage/sources` },
    { method: 'PUT', path: `${site}/usage/styles`, body: { uses: [{ assetId: 'a1', styleName: 'Hero', breakpoint: 'small', pseudo: 'hover' }, { url: 'https://cdn.example.com/s/a_b.jpg', styleName: 'Card' }] } },
    { method: 'POST', path: `${site}/uploads`, body: { fileName: 'photo.png', fileHash: HASH, size: 10, contentType: 'image/png', folderId: null } },
    { method: 'POST', path: `${site}/uploads/:id/complete`, body: { altText: 'A cup' } },
    { method: 'POST', path: `${site}/uploads/:id/fail`, body: { reason: 'The network failed' } },
    { method: 'POST', path: `${site}/deletions/check`, body: { assetIds: ['a1', 'a2'] } },
    { method: 'POST', path: `${site}/deletions`, body: { assetIds: ['a1'], label: 'Delete 1 unused asset' } },
    { method: 'GET', path: `${site}/folders` },
    { method: 'GET', path: `${site}/csv/export` },
    { method: 'GET', path: `${site}/report` },
    { method: 'GET', path: `${site}/thumbnails/key` },
    { method: 'GET', path: `/api/thumbnails/${siteId}/:id`, query: { v: 'k3x9', k: 'zzzzzz.AAAAAAAAAAAAAAAAAAAAAA' } },
    { method: 'POST', path: `${site}/csv/import`, query: { dryRun: '1' }, body: { csv: 'id,alt' } },
    { method: 'POST', path: `${site}/folders`, body: { name: 'Logos', parentId: null } },
  ];
}

/** Names of the fields of a body, nested ones as paths (`changes.0.after`). */
function fieldPaths(value: unknown, prefix: string[] = []): string[][] {
  if (Array.isArray(value)) return value.flatMap((item, i) => fieldPaths(item, [...prefix, String(i)]));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => [[...prefix, key], ...fieldPaths(item, [...prefix, key])]);
  return [];
}

function replaced(body: Record<string, unknown>, path: string[], value: unknown): Record<string, unknown> {
  const copy = structuredClone(body);
  let at: Record<string, unknown> = copy;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string, unknown>;
  at[path[path.length - 1] as string] = value;
  return copy;
}

/**
 * A lease may wait for work up to 25 s (a long poll); generated input keeps it from waiting, so
 * a run tries thousands of cases rather than sleeping.
 */
function noLongPoll(template: RouteTemplate, body: Record<string, unknown>): Record<string, unknown> {
  if (!template.path.endsWith('/lease')) return body;
  const wait = body.waitSeconds;
  return typeof wait === 'number' && wait > 0 && wait <= 25 ? { ...body, waitSeconds: 0 } : body;
}

type Mutation =
  | { kind: 'field'; path: string[]; value: unknown }
  | { kind: 'extra'; key: string; value: unknown }
  | { kind: 'id'; segment: string }
  | { kind: 'site'; segment: string }
  | { kind: 'query'; name: string; value: string }
  | { kind: 'raw-body'; text: string; contentType: string | null }
  | { kind: 'bom' }
  | { kind: 'none' };

function mutationOf(template: RouteTemplate): fc.Arbitrary<Mutation> {
  const paths = template.body ? fieldPaths(template.body) : [];
  const options: fc.Arbitrary<Mutation>[] = [
    fc.constant<Mutation>({ kind: 'none' }),
  ];
  if (template.method !== 'GET') {
    options.push(
      fc.record({ key: hostileText, value: hostileValue }).map((m): Mutation => ({ kind: 'extra', ...m })),
      fc.record({
      text: fc.oneof(hostileText, fc.json()),
      contentType: fc.constantFrom<string | null>(null, 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json', 'application/json; charset=latin1', 'application/json; charset=utf-8'),
      }).map((m): Mutation => ({ kind: 'raw-body', ...m })),
    );
  }
  if (paths.length > 0) {
    options.push(fc.record({ path: fc.constantFrom(...paths), value: hostileValue }).map((m): Mutation => ({ kind: 'field', ...m })));
    options.push(fc.constant<Mutation>({ kind: 'bom' }));
  }
  if (template.path.includes(':id')) options.push(hostileSegment.map((segment): Mutation => ({ kind: 'id', segment })));
  if (template.path.startsWith('/api/sites/')) options.push(hostileSegment.map((segment): Mutation => ({ kind: 'site', segment })));
  const queryNames = Object.keys(template.query ?? {});
  options.push(
    fc.record({
      name: queryNames.length > 0 ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...queryNames) }, { weight: 1, arbitrary: hostileText }) : hostileText,
      value: fc.oneof(hostileText, fc.constantFrom('\u0000', 'a\u0000b', '\uD800')),
    }).map((m): Mutation => ({ kind: 'query', ...m })),
  );
  return fc.oneof(...options);
}

function requestOf(template: RouteTemplate, mutation: Mutation, session: SessionKind): HostileRequest {
  let path = template.path.replace(':id', mutation.kind === 'id' ? mutation.segment : '1');
  if (mutation.kind === 'site') path = path.replace(/^\/api\/sites\/[^/]+/, `/api/sites/${mutation.segment}`);
  const query = new URLSearchParams(template.query ?? {});
  if (mutation.kind === 'query') query.set(mutation.name.replace(/[\uD800-\uDFFF]/g, '\uFFFD'), mutation.value.replace(/[\uD800-\uDFFF]/g, '\uFFFD'));
  const search = query.toString();
  const request: HostileRequest = { method: template.method, path: search ? `${path}?${search}` : path, headers: {}, session };
  if (mutation.kind === 'raw-body') {
    if (mutation.contentType) request.headers['content-type'] = mutation.contentType;
    request.body = mutation.text;
    return request;
  }
  if (!template.body) return request;
  let body = template.body;
  if (mutation.kind === 'field') body = replaced(body, mutation.path, mutation.value);
  if (mutation.kind === 'extra') body = { ...body, [mutation.key]: mutation.value };
  body = noLongPoll(template, body);
  request.headers['content-type'] = 'application/json';
  const json = JSON.stringify(body);
  request.body = mutation.kind === 'bom' ? new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(json)]) : json;
  return request;
}

/** One generated request to one of the backend's routes. */
export function hostileRequest(siteId: string, session: SessionKind, options: { oauth?: boolean } = {}): fc.Arbitrary<HostileRequest> {
  return fc
    .constantFrom(...routes(siteId), ...(options.oauth ? OAUTH_ROUTES : []))
    .chain((template) => mutationOf(template).map((mutation) => requestOf(template, mutation, session)));
}

/** How many routes the generator covers (for the benchmark's report). */
export function routeCount(options: { oauth?: boolean } = {}): number {
  return routes('s').length + (options.oauth ? 2 : 0);
}
