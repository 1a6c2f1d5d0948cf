/**
 * The one way the backend talks to Webflow: the official SDK `webflow-api` behind the shared
 * per-token quota. Every request waits its turn (interactive before background), 429s are
 * honoured (Retry-After blocks the token for every process, then the request is sent again),
 * 5xx and network failures are retried a few times with backoff, except for creates and
 * deletes, which are never sent twice blindly (retry.ts), and what comes back is
 * returned in the Data API's wire shape (the SDK turns dates into Date objects and camel-cases
 * upload fields; services and the panel speak the wire).
 *
 * Plain `fetch` only where the SDK cannot: the beta token resolve and the OAuth code exchange.
 * No token is ever logged or put in an error message.
 */
import { WebflowClient as Sdk, WebflowError as SdkError, WebflowTimeoutError } from 'webflow-api';
import type { Store } from '../store/db.ts';
import type { CmsWriter, WireItemUpdate, WirePublished } from './cms.ts';
import { createQuota, type Quota, type RateLimitNote } from './quota.ts';
import { plainJson } from './plain-json.ts';
import { sendWithRetries } from './retry.ts';
import type {
  SiteContentReader,
  WireCollection,
  WireCollectionSummary,
  WireComponentDom,
  WireComponentList,
  WireItem,
  WireItemList,
  WireNode,
  WirePageDom,
  WirePageList,
  WirePagination,
} from './site-content.ts';
import {
  WebflowError,
  type Introspection,
  type Priority,
  type ResolvedUser,
  type WebflowClient,
  type WireAsset,
  type WireAssetPage,
  type WireCreatedAsset,
  type WireFolder,
  type WireLocale,
  type WireSite,
} from './types.ts';

export interface WebflowClientOptions {
  /** `https://api.webflow.com/v2`, or the sandbox's `/v2`. */
  apiBaseUrl: string;
  /** `https://api.webflow.com/beta`. */
  betaBaseUrl: string;
  store: Store;
  /** Webflow's rate-limit window (a minute; the sandbox's fast mode is shorter). */
  rateWindowMs?: number;
  timeoutMs?: number;
  /** Tries of a request that met a 5xx or a network failure (interactive work waits less). */
  unavailableTries?: { interactive: number; background: number };
  /** Times a request is sent again after a 429 before the error reaches the caller. */
  rateLimitedTries?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** The order and names of the presigned POST fields on the wire; the SDK camel-cases them. */
const NOT_IDEMPOTENT: SendKind = { idempotent: false };

const UPLOAD_FIELDS: ReadonlyArray<[wire: string, sdk: string]> = [
  ['acl', 'acl'],
  ['bucket', 'bucket'],
  ['X-Amz-Algorithm', 'xAmzAlgorithm'],
  ['X-Amz-Credential', 'xAmzCredential'],
  ['X-Amz-Date', 'xAmzDate'],
  ['key', 'key'],
  ['Policy', 'policy'],
  ['X-Amz-Signature', 'xAmzSignature'],
  ['success_action_status', 'successActionStatus'],
  ['content-type', 'contentType'],
  ['Cache-Control', 'cacheControl'],
];

/** Not idempotent: never sent again after an ambiguous failure. Session: a token resolve, which may use the sessions' reserve of the quota. */
interface SendKind {
  idempotent?: boolean;
  session?: boolean;
}

interface Raw<T> {
  data: T;
  rawResponse: { headers: Headers; status: number };
}
type Call<T> = { withRawResponse(): Promise<Raw<T>> };

export type QuotaAwareClient = WebflowClient & SiteContentReader & CmsWriter & { quota: Quota; exchangeCode(request: CodeExchange): Promise<string> };

export interface CodeExchange {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  code: string;
  redirectUri: string;
}

export function createWebflowClient(options: WebflowClientOptions): QuotaAwareClient {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const quota = createQuota({ store: options.store, windowMs: options.rateWindowMs ?? 60_000, sleep, requestTimeoutMs: timeoutMs });
  // Nobody waits on background work, and one lost page fails a whole refresh: at a 30% error
  // rate four tries lost about one request in 120 (a 77-page refresh failed half the time).
  const unavailableTries = options.unavailableTries ?? { interactive: 3, background: 8 };
  const rateLimitedTries = options.rateLimitedTries ?? 6;
  const sdks = new Map<string, Sdk>();

  function sdk(token: string): Sdk {
    let client = sdks.get(token);
    if (!client) {
      // Retries are ours (they must go through the quota), so the SDK makes none.
      client = new Sdk({ accessToken: token, baseUrl: options.apiBaseUrl, maxRetries: 0, timeoutInSeconds: timeoutMs / 1000 });
      if (sdks.size > 1000) sdks.clear();
      sdks.set(token, client);
    }
    return client;
  }

  /**
   * Sends one request within the quota, with the retries of `retry.ts`: a request that is not
   * idempotent is never sent again after an ambiguous failure.
   */
  async function send<T>(token: string, priority: Priority, what: string, call: (client: Sdk) => Call<T>, kind: SendKind = {}, signal?: AbortSignal): Promise<T> {
    const policy = {
      idempotent: kind.idempotent ?? true,
      unavailableTries: priority === 'interactive' ? unavailableTries.interactive : unavailableTries.background,
      rateLimitedTries,
    };
    return sendWithRetries({
      policy,
      attempt: async () => {
        const ticket = await quota.acquire(token, kind.session ? 'session' : priority, signal);
        let answer: Raw<T>;
        try {
          answer = await Promise.resolve().then(() => call(sdk(token)).withRawResponse());
        } catch (caught) {
          // Answered (or failed, even before it left): from now on it counts in no later window.
          // Not waited for: until the store has it, the request counts as on its way (the safe side).
          void quota.answered(token, ticket, rateLimitOf(caught instanceof SdkError ? (caught.rawResponse?.headers as Headers | undefined) : undefined));
          throw toWebflowError(caught, what);
        }
        void quota.answered(token, ticket, rateLimitOf(answer.rawResponse.headers));
        return answer.data;
      },
      rateLimited: (ms) => quota.blockFor(token, ms),
      sleep,
    });
  }

  /** Webflow's X-RateLimit-Remaining (and -Limit, when sent) of an answer, for the quota. */
  function rateLimitOf(headers: Headers | undefined): RateLimitNote | undefined {
    const header = (name: string) => {
      const value = headers?.get?.(name);
      return value === null || value === undefined || value === '' || !Number.isFinite(Number(value)) ? undefined : Number(value);
    };
    const remaining = header('x-ratelimit-remaining');
    const limit = header('x-ratelimit-limit');
    return remaining === undefined ? undefined : { remaining, ...(limit !== undefined ? { limit } : {}) };
  }

  /** Plain fetch for what the SDK lacks, within the same quota and error shape. */
  async function fetchJson<T>(token: string, priority: Priority, what: string, url: string, init: RequestInit, kind: SendKind = {}): Promise<T> {
    return send(token, priority, what, () => ({
      async withRawResponse() {
        let response: Response;
        try {
          response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs), headers: { ...init.headers, authorization: `Bearer ${token}`, accept: 'application/json' } });
        } catch (error) {
          throw toWebflowError(error, what);
        }
        const body: unknown = await response.json().catch(() => undefined);
        if (!response.ok) throw errorFromResponse(response.status, body, response.headers, what);
        return { data: body as T, rawResponse: { headers: response.headers, status: response.status } };
      },
    }), kind);
  }

  const client: QuotaAwareClient = {
    quota,

    async introspect(token) {
      const data = await send(token, 'interactive', 'Reading the token', (c) => c.token.introspect());
      const introspection = json<Introspection>(data);
      quota.setLimit(token, introspection.authorization.rateLimit);
      return introspection;
    },

    async getSite(token, siteId, { priority }) {
      return siteOf(json<WireSite>(await send(token, priority, 'Reading the site', (c) => c.sites.get(siteId))));
    },

    async listAssets(token, siteId, { priority, offset, limit, localeId, folderId }) {
      const queryParams: Record<string, string> = {};
      if (localeId) queryParams.localeId = localeId;
      // The folder and every folder below it (the SDK 3.3.4 lacks the parameter; it passes it through).
      if (folderId) queryParams.folderId = folderId;
      const data = await send(token, priority, 'Listing assets', (c) => c.assets.list(siteId, { offset, limit }, { queryParams }));
      const page = json<WireAssetPage>(data);
      // Lists tell each asset's folder; the root is null on the wire.
      return { ...page, assets: page.assets.map((asset) => ({ ...assetOf(asset), folderId: asset.folderId ?? null })) };
    },

    async getAsset(token, assetId, { priority, localeId, signal }) {
      const data = await send(token, priority, 'Reading an asset', (c) => c.assets.get(assetId, localeId ? { queryParams: { localeId } } : {}), {}, signal);
      return assetOf(json<WireAsset>(data));
    },

    async updateAsset(token, assetId, update, { priority, signal }) {
      const { localeId, ...fields } = update;
      // altText is part of Webflow's PATCH body; the SDK's 3.3.4 types lack it but pass it through.
      const body = { ...fields } as { displayName?: string };
      // A stop met while waiting to try again may follow an attempt that landed: the caller
      // treats QuotaWaitStopped from here as "may have landed".
      const data = await send(token, priority, 'Updating an asset', (c) => c.assets.update(assetId, body, localeId ? { queryParams: { localeId } } : {}), {}, signal);
      return assetOf(json<WireAsset>(data));
    },

    async createAsset(token, siteId, request, { priority }) {
      const data = await send(token, priority, 'Creating an asset', (c) => c.assets.create(siteId, request), NOT_IDEMPOTENT);
      const created = json<Omit<WireCreatedAsset, 'uploadDetails'> & { uploadDetails?: Record<string, string> }>(data);
      const sdkDetails = (data as { uploadDetails?: Record<string, string | undefined> }).uploadDetails ?? {};
      const uploadDetails: Record<string, string> = {};
      for (const [wire, camel] of UPLOAD_FIELDS) {
        const value = sdkDetails[camel] ?? sdkDetails[wire];
        if (value !== undefined) uploadDetails[wire] = value;
      }
      return { ...created, parentFolder: created.parentFolder ?? null, uploadDetails };
    },

    async deleteAsset(token, assetId, { priority }) {
      await send(token, priority, 'Deleting an asset', (c) => c.assets.delete(assetId), NOT_IDEMPOTENT);
    },

    async listFolders(token, siteId, { priority }) {
      const data = await send(token, priority, 'Listing asset folders', (c) => c.assets.listFolders(siteId));
      return json<{ assetFolders?: WireFolder[] }>(data).assetFolders?.map(folderOf) ?? [];
    },

    async createFolder(token, siteId, request, { priority }) {
      const data = await send(token, priority, 'Creating a folder', (c) => c.assets.createFolder(siteId, request), NOT_IDEMPOTENT);
      return folderOf(json<WireFolder>(data));
    },

    // The usage index's reads (site-content.ts), through the same quota.

    async listPages(token, siteId, { priority, offset, limit, localeId }) {
      const data = await send(token, priority, 'Listing pages', (c) => c.pages.list(siteId, { offset, limit, ...(localeId ? { localeId } : {}) }));
      const page = json<Partial<WirePageList>>(data);
      return { pages: page.pages ?? [], pagination: paginationOf(page.pagination, offset, limit, page.pages?.length ?? 0) };
    },

    async getPageDom(token, pageId, { priority, offset, limit, localeId }) {
      const data = await send(token, priority, 'Reading a page’s content', (c) => c.pages.getContent(pageId, { offset, limit, ...(localeId ? { localeId } : {}) }));
      const dom = json<Partial<WirePageDom>>(data);
      const nodes = (dom.nodes ?? []).map(nodeOf);
      return { ...dom, pageId: dom.pageId ?? pageId, nodes, pagination: paginationOf(dom.pagination, offset, limit, nodes.length) };
    },

    async listComponents(token, siteId, { priority, offset, limit }) {
      const data = await send(token, priority, 'Listing components', (c) => c.components.list(siteId, { offset, limit }));
      const list = json<Partial<WireComponentList>>(data);
      return { components: list.components ?? [], pagination: paginationOf(list.pagination, offset, limit, list.components?.length ?? 0) };
    },

    async getComponentDom(token, siteId, componentId, { priority, offset, limit, localeId }) {
      const data = await send(token, priority, 'Reading a component’s content', (c) =>
        c.components.getContent(siteId, componentId, { offset, limit, ...(localeId ? { localeId } : {}) }),
      );
      const dom = json<Partial<WireComponentDom>>(data);
      const nodes = (dom.nodes ?? []).map(nodeOf);
      return { componentId: dom.componentId ?? componentId, nodes, pagination: paginationOf(dom.pagination, offset, limit, nodes.length) };
    },

    async listCollections(token, siteId, { priority }) {
      const data = await send(token, priority, 'Listing collections', (c) => c.collections.list(siteId));
      return json<{ collections?: WireCollectionSummary[] }>(data).collections ?? [];
    },

    async getCollection(token, collectionId, { priority }) {
      const data = await send(token, priority, 'Reading a collection', (c) => c.collections.get(collectionId));
      const collection = json<WireCollection>(data);
      return { ...collection, fields: collection.fields ?? [] };
    },

    async listItems(token, collectionId, { priority, offset, limit, cmsLocaleId }) {
      const data = await send(token, priority, 'Listing collection items', (c) =>
        c.collections.items.listItems(collectionId, { offset, limit, ...(cmsLocaleId ? { cmsLocaleId } : {}) }),
      );
      const list = json<Partial<WireItemList>>(data);
      return { items: list.items ?? [], pagination: paginationOf(list.pagination, offset, limit, list.items?.length ?? 0) };
    },

    // The CMS changes' reads and writes (cms.ts), through the same quota.

    async getItem(token, collectionId, itemId, { priority, cmsLocaleId }) {
      const data = await send(token, priority, 'Reading a collection item', (c) =>
        c.collections.items.getItem(collectionId, itemId, cmsLocaleId ? { cmsLocaleId } : {}),
      );
      return json<WireItem>(data);
    },

    async updateItems(token, collectionId, items, { priority }) {
      // Idempotent: each item's fields are sent whole, so a second PATCH writes the same values.
      const body = { items: items.map((item: WireItemUpdate) => ({ ...item })) };
      const data = await send(token, priority, 'Updating collection items', (c) =>
        c.collections.items.updateItems(collectionId, body as Parameters<Sdk['collections']['items']['updateItems']>[1]),
      );
      return json<{ items?: WireItem[] }>(data).items ?? [];
    },

    async publishItems(token, collectionId, items, { priority }) {
      const body = items.some((item) => item.cmsLocaleIds?.length)
        ? { items: items.map((item) => ({ id: item.id, cmsLocaleIds: item.cmsLocaleIds ?? [] })) }
        : { itemIds: items.map((item) => item.id) };
      const data = await send(
        token,
        priority,
        'Publishing collection items',
        (c) => c.collections.items.publishItem(collectionId, body as Parameters<Sdk['collections']['items']['publishItem']>[1]),
        NOT_IDEMPOTENT,
      );
      const published = json<Partial<WirePublished>>(data);
      return { publishedItemIds: published.publishedItemIds ?? [], errors: published.errors ?? [] };
    },

    async resolveIdToken(token, idToken) {
      return fetchJson<ResolvedUser>(token, 'interactive', 'Resolving the Designer ID token', `${options.betaBaseUrl}/token/resolve`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ idToken }),
      }, { session: true });
    },

    /** `POST /oauth/access_token`: the SDK's helper hard-codes Webflow's URL, so this is fetch. */
    async exchangeCode(request) {
      let response: Response;
      try {
        response = await fetch(request.tokenUrl, {
          method: 'POST',
          signal: AbortSignal.timeout(timeoutMs),
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify({
            client_id: request.clientId,
            client_secret: request.clientSecret,
            code: request.code,
            grant_type: 'authorization_code',
            redirect_uri: request.redirectUri,
          }),
        });
      } catch (error) {
        throw toWebflowError(error, 'Exchanging the authorization code');
      }
      const body = (await response.json().catch(() => ({}))) as { access_token?: string; error?: string; error_description?: string };
      if (!response.ok || !body.access_token) {
        throw new WebflowError(response.status || 502, body.error ?? 'oauth_error', `Webflow refused the authorization code: ${body.error_description ?? body.error ?? response.status}`);
      }
      return body.access_token;
    },
  };
  return client;
}

/** The SDK's objects back in wire shape: Date → ISO string, nothing else touched. */
const json = plainJson;

/*
 * The SDK reads a null as a missing field: a decorative image's `altText: null` arrives without
 * altText. The wire's nulls are put back on the fields the services read, so that null stays
 * "decorative" and never becomes "unknown".
 */
function assetOf(asset: WireAsset): WireAsset {
  return {
    ...asset,
    altText: asset.altText ?? null,
    variants: (asset.variants ?? []).map((variant) => ({ ...variant, height: variant.height ?? null, error: variant.error ?? null })),
  };
}

function siteOf(site: WireSite): WireSite {
  const locale = (l: WireLocale) => ({ ...l, displayImageId: (l as { displayImageId?: string | null }).displayImageId ?? null });
  const nulls = { lastPublished: null, parentFolderId: null };
  return {
    ...nulls,
    ...site,
    locales: site.locales ? { primary: locale(site.locales.primary), secondary: site.locales.secondary.map(locale) } : null,
  };
}

/** The SDK drops an Image node's `alt: null` (the element uses the asset's alt text): put it back. */
function nodeOf(node: WireNode): WireNode {
  if (node.type !== 'image') return node;
  const image = (node as { image?: { alt?: string | null; assetId?: string } }).image ?? {};
  return { ...node, image: { ...image, alt: image.alt ?? null } } as WireNode;
}

/** The SDK types pagination as optional; the spec always sends it. */
function paginationOf(pagination: Partial<WirePagination> | undefined, offset: number, limit: number, count: number): WirePagination {
  return { limit: pagination?.limit ?? limit, offset: pagination?.offset ?? offset, total: pagination?.total ?? offset + count };
}

function folderOf(folder: WireFolder): WireFolder {
  return { ...folder, parentFolder: folder.parentFolder ?? null, assets: folder.assets ?? [] };
}

function retryAfterMs(headers: Headers | undefined): number | undefined {
  const value = headers?.get?.('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

function errorFromResponse(status: number, body: unknown, headers: Headers | undefined, what: string): WebflowError {
  const facts = (typeof body === 'object' && body !== null ? body : {}) as { code?: string; message?: string };
  const code = facts.code ?? (status === 429 ? 'too_many_requests' : 'unknown');
  return new WebflowError(status, code, `${what}: Webflow answered ${status} ${code}${facts.message ? ` (${facts.message})` : ''}`, retryAfterMs(headers));
}

function toWebflowError(error: unknown, what: string): WebflowError {
  if (error instanceof WebflowError) return error;
  if (error instanceof WebflowTimeoutError) return new WebflowError(0, 'timeout', `${what}: Webflow did not answer in time`, undefined, { cause: error });
  if (error instanceof SdkError) {
    if (error.statusCode === undefined) return new WebflowError(0, 'network', `${what}: Webflow could not be reached (${error.message})`, undefined, { cause: error });
    return errorFromResponse(error.statusCode, error.body, error.rawResponse?.headers as Headers | undefined, what);
  }
  const name = error instanceof Error ? error.name : '';
  if (name === 'TimeoutError' || name === 'AbortError') return new WebflowError(0, 'timeout', `${what}: Webflow did not answer in time`, undefined, { cause: error });
  return new WebflowError(0, 'network', `${what}: Webflow could not be reached (${error instanceof Error ? error.message : String(error)})`, undefined, { cause: error });
}
