/**
 * What the sandbox's conformance tests share: the official SDK pointed at a sandbox, a recorder
 * of the Data API exchanges (so every response, SDK or raw fetch, is held to the OpenAPI
 * contract), and the S3 presigned POST as a client of Webflow makes it.
 */
import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { WebflowClient, type Webflow } from 'webflow-api';
import { CONTRACT_PATHS } from '../../src/sandbox/contract/extract.ts';
import { createSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/server.ts';
import { loadWebflowContract, type HttpMethod, type SpecName } from './openapi.ts';

/**
 * The SDK joins its paths (`sites/{id}/assets`, no `/v2`) to `baseUrl`, so the base is the
 * sandbox's `apiBaseUrl` (`…/v2`), as `https://api.webflow.com/v2` is Webflow's.
 * No retries: the tests see each answer, 429s and 500s included.
 */
export function sdkFor(sandbox: Sandbox, accessToken: string = sandbox.info.siteToken): WebflowClient {
  return new WebflowClient({ accessToken, baseUrl: sandbox.info.apiBaseUrl, maxRetries: 0 });
}

export interface Exchange {
  method: string;
  url: URL;
  status: number;
  headers: Headers;
  /** Parsed JSON, or the text when it is not JSON, or undefined when empty. */
  body: unknown;
}

/** The contract's paths, literal ones first (`/items/publish` before `/items/{item_id}`). */
const SPEC_PATHS = [...CONTRACT_PATHS.v2, ...CONTRACT_PATHS.beta].sort((a, b) => a.split('{').length - b.split('{').length);

/** The OpenAPI operation an exchange is an instance of: `/v2/assets/abc` → (v2, /assets/{asset_id}). */
export function operationOf(url: URL): { spec: SpecName; path: string } {
  const match = /^\/(v2|beta)(\/.*)$/.exec(url.pathname);
  if (!match) throw new Error(`${url.pathname} is not a Data API path.`);
  const rest = match[2] as string;
  const path = SPEC_PATHS.find((template) => new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(rest));
  if (!path) throw new Error(`No OpenAPI operation is known for ${url.pathname}; add its path to CONTRACT_PATHS (src/sandbox/contract/extract.ts) and run npm run contract.`);
  return { spec: match[1] === 'beta' ? 'beta' : 'v2', path };
}

/**
 * Records every exchange with the sandbox's Data API (`/v2`, `/beta`) made through the global
 * `fetch`, which the SDK uses on Node 18+. `stop()` puts the original back.
 */
export function recordExchanges(sandbox: Sandbox): { exchanges: Exchange[]; stop(): void } {
  const original = globalThis.fetch;
  const exchanges: Exchange[] = [];
  globalThis.fetch = async (input, init) => {
    const response = await original(input, init);
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    if (url.origin === sandbox.url && /^\/(v2|beta)\//.test(url.pathname)) {
      const text = await response.clone().text();
      let body: unknown = text === '' ? undefined : text;
      try {
        body = text === '' ? undefined : JSON.parse(text);
      } catch {
        // Not JSON: kept as text, and the contract check will say so.
      }
      exchanges.push({ method, url, status: response.status, headers: response.headers, body });
    }
    return response;
  };
  return {
    exchanges,
    stop() {
      globalThis.fetch = original;
    },
  };
}

const contract = loadWebflowContract();

/** Holds each exchange to the schema of its operation and status; returns how many were checked. */
export function checkAgainstContract(exchanges: readonly Exchange[]): number {
  for (const exchange of exchanges) {
    const { spec, path } = operationOf(exchange.url);
    contract.check(spec, exchange.method.toLowerCase() as HttpMethod, path, exchange.status, exchange.body);
  }
  return exchanges.length;
}

export interface SandboxUnderTest {
  sandbox: Sandbox;
  /** The SDK with the demo site's token. */
  webflow: WebflowClient;
  /** This test's Data API exchanges so far (checked against the contract after each test). */
  exchanges: Exchange[];
}

/**
 * A sandbox for one test file, started in `beforeAll` and closed in `afterAll`; after each test,
 * every Data API response the test received is held to the OpenAPI contract.
 */
export function useSandbox(options: SandboxOptions): SandboxUnderTest {
  const context = {} as SandboxUnderTest;
  let recorder: ReturnType<typeof recordExchanges> | undefined;
  beforeAll(async () => {
    context.sandbox = await createSandbox(options);
    context.webflow = sdkFor(context.sandbox);
    recorder = recordExchanges(context.sandbox);
    context.exchanges = recorder.exchanges;
  });
  afterEach(() => {
    checkAgainstContract(context.exchanges.splice(0));
  });
  afterAll(async () => {
    recorder?.stop();
    await context.sandbox?.close();
  });
  return context;
}

export const md5Hex = (bytes: Uint8Array): string => createHash('md5').update(bytes).digest('hex');

/** The SDK camel-cases `uploadDetails`; S3 wants the names Webflow sent. */
const WIRE_NAMES: Record<keyof Webflow.AssetUploadUploadDetails, string> = {
  acl: 'acl',
  bucket: 'bucket',
  xAmzAlgorithm: 'X-Amz-Algorithm',
  xAmzCredential: 'X-Amz-Credential',
  xAmzDate: 'X-Amz-Date',
  key: 'key',
  policy: 'Policy',
  xAmzSignature: 'X-Amz-Signature',
  successActionStatus: 'success_action_status',
  contentType: 'content-type',
  cacheControl: 'Cache-Control',
};

export interface PostOptions {
  /** Where the file goes in the form: last (as S3 requires) or first. */
  filePosition?: 'last' | 'first';
}

/** The presigned POST: every `uploadDetails` field in Webflow's order and names, then `file`. */
export async function postToS3(upload: Webflow.AssetUpload, file: { bytes: Uint8Array; name: string; type: string }, options: PostOptions = {}): Promise<Response> {
  if (!upload.uploadUrl || !upload.uploadDetails) throw new Error('The create answer has no uploadUrl or uploadDetails.');
  const form = new FormData();
  const blob = new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type: file.type });
  if (options.filePosition === 'first') form.append('file', blob, file.name);
  for (const [name, value] of Object.entries(upload.uploadDetails) as [keyof Webflow.AssetUploadUploadDetails, string | undefined][]) {
    if (value !== undefined) form.append(WIRE_NAMES[name], value);
  }
  if (options.filePosition !== 'first') form.append('file', blob, file.name);
  return fetch(upload.uploadUrl, { method: 'POST', body: form });
}

/**
 * A PATCH body with `altText`: Webflow's API takes it, the SDK 3.3.4 types lack it, and the SDK
 * passes unknown fields through to the wire.
 */
export function withAltText(request: Webflow.AssetsUpdateRequest, altText: string | null): Webflow.AssetsUpdateRequest {
  return Object.assign({ altText }, request);
}

/** An SDK call's failure: its status and Webflow's error body. */
export async function failureOf(call: Promise<unknown>): Promise<{ statusCode: number | undefined; body: { code?: string; message?: string }; headers: Headers | undefined }> {
  const error = await call.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!error || typeof error !== 'object' || !('statusCode' in error)) throw new Error(`expected the SDK call to fail with a status, got ${String(error)}`);
  const failure = error as { statusCode?: number; body?: unknown; rawResponse?: { headers?: Headers } };
  return { statusCode: failure.statusCode, body: (failure.body ?? {}) as { code?: string; message?: string }, headers: failure.rawResponse?.headers };
}

/** A token with chosen sites and scopes, from the sandbox's control route. */
export async function issueToken(sandbox: Sandbox, siteIds: string[], scopes: string[]): Promise<string> {
  const response = await fetch(`${sandbox.url}/_sandbox/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ siteIds, scopes }),
  });
  if (response.status !== 201) throw new Error(`POST /_sandbox/tokens answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { token: string }).token;
}

/** The other user's site (Harbour Studio), which the demo's tokens must never see. */
export function otherSite(sandbox: Sandbox) {
  const site = sandbox.world.sites()[1];
  if (!site) throw new Error('The sandbox has no second site.');
  return site;
}
