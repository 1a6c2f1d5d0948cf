/**
 * The backend port over HTTP: `fetch` with the session bearer for the companion backend, and
 * XMLHttpRequest for the one call that needs upload progress (the file's POST to Webflow's storage).
 * Answers are checked for the shape the panel relies on (see wire.ts), so a server that drifts
 * from the contract fails here with a clear message instead of deep inside a component.
 */
import type { AltText, ChangeStatus } from '../../core/api.ts';
import { BackendError, type BackendPort, type SendFileOptions } from './backend.ts';
import { wire, type Schema } from './wire.ts';
import { readIndexBody } from './index-body.ts';

export interface HttpBackendOptions {
  fetch?: typeof fetch;
  /** Builds the XMLHttpRequest used for uploads (tests pass a small fake). */
  createRequest?: () => XMLHttpRequest;
}

type Method = 'GET' | 'POST' | 'PUT';

interface SendOptions {
  signal?: AbortSignal;
  /**
   * The request should outlive the panel: a designer may close it right after a save, and an
   * acknowledgement lost then leaves the journal saying "pending" until the lease lapses.
   */
  keepalive?: boolean;
}

/**
 * Chromium refuses a keepalive request once the bodies of those in flight pass 64 KiB; past
 * this much, a request goes without keepalive rather than fail.
 */
export const KEEPALIVE_BUDGET_BYTES = 48 * 1024;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}


export function createHttpBackend(baseUrl: string, options: HttpBackendOptions = {}): BackendPort {
  const base = baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const createRequest = options.createRequest ?? (() => new XMLHttpRequest());
  let sessionToken: string | null = null;
  /** Body bytes of the keepalive requests in flight. */
  let keepaliveBytes = 0;

  /** A request whose body or answer is a file, not JSON; errors as {@link call} reads them. */
  async function fileCall(method: Method, path: string, body?: Blob): Promise<Response> {
    const headers: Record<string, string> = {};
    if (sessionToken) headers.Authorization = `Bearer ${sessionToken}`;
    if (body) headers['Content-Type'] = body.type || 'application/octet-stream';
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, { method, headers, ...(body ? { body } : {}) });
    } catch (error) {
      throw new BackendError(0, 'network', `Asset Desk's server can't be reached (${base}). Check your connection and try again.`, undefined, { cause: error });
    }
    if (response.ok) return response;
    const parsed = wire.apiError.safeParse(await response.json().catch(() => undefined));
    if (parsed.success) throw new BackendError(response.status, parsed.data.error.code, parsed.data.error.message, parsed.data.error.details);
    throw new BackendError(response.status, response.status >= 500 ? 'internal_error' : 'bad_request', `The server answered ${response.status} to ${method} ${path}.`);
  }

  /** Sends a JSON request and answers the body's text; a failure as a {@link BackendError} with the server's code. */
  async function send(method: Method, path: string, body?: unknown, options: SendOptions = {}): Promise<{ status: number; text: string }> {
    const { signal } = options;
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (sessionToken) headers.Authorization = `Bearer ${sessionToken}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const json = body === undefined ? undefined : JSON.stringify(body);
    const bytes = options.keepalive && json !== undefined ? new TextEncoder().encode(json).length : 0;
    const keepalive = options.keepalive === true && keepaliveBytes + bytes <= KEEPALIVE_BUDGET_BYTES;
    if (keepalive) keepaliveBytes += bytes;
    let response: Response;
    let text: string;
    try {
      try {
        response = await doFetch(`${base}${path}`, {
          method,
          headers,
          body: json,
          ...(signal ? { signal } : {}),
          ...(keepalive ? { keepalive } : {}),
        });
      } catch (error) {
        if (signal?.aborted) throw new BackendError(0, 'aborted', `${method} ${path} was cancelled.`, undefined, { cause: error });
        throw new BackendError(0, 'network', `Asset Desk's server can't be reached (${base}). Check your connection and try again.`, undefined, {
          cause: error,
        });
      }
      text = await response.text();
    } finally {
      // Chromium counts a keepalive request's body until its answer has been read.
      if (keepalive) keepaliveBytes -= bytes;
    }
    if (!response.ok) {
      const parsed = wire.apiError.safeParse(parseJson(text));
      if (parsed.success) {
        const { code, message, details } = parsed.data.error;
        throw new BackendError(response.status, code, message, details);
      }
      throw new BackendError(response.status, response.status >= 500 ? 'internal_error' : 'bad_request', `The server answered ${response.status} to ${method} ${path}.`);
    }
    return { status: response.status, text };
  }

  async function call<T>(method: Method, path: string, schema: Schema<T> | null, body?: unknown, options?: SendOptions): Promise<T> {
    const { status, text } = await send(method, path, body, options);
    let json: unknown = undefined;
    if (text) {
      try {
        json = JSON.parse(text);
      } catch (error) {
        throw new BackendError(status, 'internal_error', `The server's answer to ${method} ${path} is not JSON.`, undefined, { cause: error });
      }
    }
    if (!schema) return undefined as T;
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw new BackendError(status, 'internal_error', `The server's answer to ${method} ${path} does not match the API: ${parsed.error.message}`);
    }
    return parsed.data;
  }

  const site = (siteId: string) => `/api/sites/${encodeURIComponent(siteId)}`;
  return {
    setSessionToken(token) {
      sessionToken = token;
    },
    createSession: (request) => call('POST', '/api/session', wire.session, request),

    getIndex: async (siteId) => {
      const path = `${site(siteId)}/index?format=compact`;
      const { text } = await send('GET', path);
      return { index: readIndexBody(text, `The server's answer to GET ${path}`), body: text };
    },
    getIndexBody: async (siteId) => (await send('GET', `${site(siteId)}/index?format=compact`)).text,
    getIndexChanges: (siteId, since) => call('GET', `${site(siteId)}/index/changes?since=${since}`, wire.indexChanges),
    refreshIndex: (siteId) => call('POST', `${site(siteId)}/index/refresh`, null, {}),

    recordBatch: async (siteId, request) => (await call('POST', `${site(siteId)}/changes`, wire.batch, request, { keepalive: true })).batch,
    listChanges: (siteId, statuses: ChangeStatus[], limit?: number, afterId?: string) =>
      call(
        'GET',
        `${site(siteId)}/changes?status=${statuses.join(',')}${limit === undefined ? '' : `&limit=${limit}`}${afterId === undefined ? '' : `&after=${encodeURIComponent(afterId)}`}`,
        wire.changes,
      ),
    leaseChanges: (siteId, applierId, limit, seconds, waitSeconds, lease) =>
      call(
        'POST',
        `${site(siteId)}/changes/lease`,
        wire.lease,
        { applierId, limit, seconds, ...(waitSeconds ? { waitSeconds } : {}), ...(lease?.pageId ? { pageId: lease.pageId } : {}) },
        { signal: lease?.signal },
      ),
    ackChanges: async (siteId, applierId, results) =>
      (await call('POST', `${site(siteId)}/changes/ack`, wire.changeList, { applierId, results }, { keepalive: true })).changes,
    releaseChanges: async (siteId, applierId) =>
      (await call('POST', `${site(siteId)}/changes/release`, wire.released, { applierId }, { keepalive: true })).released,
    retryChange: async (siteId, changeId) =>
      (await call('POST', `${site(siteId)}/changes/${encodeURIComponent(changeId)}/retry`, wire.change, {})).change,
    resolveConflict: async (siteId, changeId, keep) =>
      (await call('POST', `${site(siteId)}/changes/${encodeURIComponent(changeId)}/resolve`, wire.change, { keep })).change,
    undoBatch: async (siteId, batchId) =>
      (await call('POST', `${site(siteId)}/batches/${encodeURIComponent(batchId)}/undo`, wire.batch, {})).batch,
    assetHistory: async (siteId, assetId) =>
      (await call('GET', `${site(siteId)}/assets/${encodeURIComponent(assetId)}/history`, wire.changeList)).changes,

    createUpload: (siteId, request) => call('POST', `${site(siteId)}/uploads`, wire.upload, request),
    sendFile: (ticket, file, fileName, sendOptions) => sendFile(createRequest, ticket.uploadUrl, ticket.uploadDetails, file, fileName, sendOptions),
    completeUpload: async (siteId, uploadId, altText?: AltText) =>
      (
        await call('POST', `${site(siteId)}/uploads/${encodeURIComponent(uploadId)}/complete`, wire.asset, altText === undefined ? {} : { altText })
      ).asset,
    failUpload: (siteId, uploadId, reason) => call('POST', `${site(siteId)}/uploads/${encodeURIComponent(uploadId)}/fail`, null, { reason }),

    usage: (siteId) => call('GET', `${site(siteId)}/usage`, wire.usageSummary),
    cmsImages: (siteId) => call('GET', `${site(siteId)}/usage/cms-images`, wire.cmsImages),
    cmsUnpublished: async (siteId) => (await call('GET', `${site(siteId)}/cms/unpublished`, wire.cmsUnpublished)).items,
    publishCmsItems: (siteId, itemIds) => call('POST', `${site(siteId)}/cms/publish`, wire.cmsPublish, { itemIds }),
    putStyleUses: (siteId, request) => call('PUT', `${site(siteId)}/usage/styles`, wire.styleUses, request),
    assetSuggestions: (siteId, assetId, localeId) =>
      call('GET', `${site(siteId)}/suggestions/assets/${encodeURIComponent(assetId)}${localeId ? `?localeId=${encodeURIComponent(localeId)}` : ''}`, wire.assetSuggestions),
    suggestionSources: (siteId) => call('GET', `${site(siteId)}/suggestions/sources`, wire.suggestionSources),
    assetUsage: (siteId, assetId) => call('GET', `${site(siteId)}/usage/assets/${encodeURIComponent(assetId)}`, wire.assetUsage),
    report: (siteId) => call('GET', `${site(siteId)}/report`, wire.report),

    listFolders: async (siteId) => (await call('GET', `${site(siteId)}/folders`, wire.folders)).folders,
    createFolder: async (siteId, name, parentId) => (await call('POST', `${site(siteId)}/folders`, wire.folder, { name, parentId })).folder,

    crawlUsage: (siteId) => call('POST', `${site(siteId)}/usage/crawl`, null, {}),
    checkDeletions: (siteId, assetIds) => call('POST', `${site(siteId)}/deletions/check`, wire.deletionCheck, { assetIds }),
    recordDeletions: async (siteId, assetIds, label) => (await call('POST', `${site(siteId)}/deletions`, wire.batch, { assetIds, label })).batch,

    async recordReplacement(siteId, { assetId, file, fileName, md5 }) {
      const query = new URLSearchParams({ assetId, fileName, md5 });
      const response = await fileCall('POST', `${site(siteId)}/replacements?${query}`, file);
      const parsed = wire.batch.safeParse(await response.json().catch(() => undefined));
      if (!parsed.success) throw new BackendError(response.status, 'internal_error', `The server's answer to POST …/replacements does not match the API: ${parsed.error.message}`);
      return parsed.data.batch;
    },
    replacementCheck: (siteId, changeId) => call('GET', `${site(siteId)}/replacements/${encodeURIComponent(changeId)}`, wire.replacementCheck),
    thumbnailKey: (siteId) => call('GET', `${site(siteId)}/thumbnails/key`, wire.thumbnailKey),
    thumbnailUrl: (siteId, assetId, mark, key) =>
      `${base}/api/thumbnails/${encodeURIComponent(siteId)}/${encodeURIComponent(assetId)}?${new URLSearchParams({ v: mark, k: key })}`,
    replacementFile: async (siteId, changeId) => (await fileCall('GET', `${site(siteId)}/replacements/${encodeURIComponent(changeId)}/file`)).blob(),
  };
}

/** The multipart POST to Webflow's storage: every detail field first, in order, `file` last; 201 is success. */
function sendFile(
  createRequest: () => XMLHttpRequest,
  url: string,
  details: Record<string, string>,
  file: Blob,
  fileName: string,
  options: SendFileOptions = {},
): Promise<void> {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    for (const [name, value] of Object.entries(details)) form.append(name, value);
    form.append('file', file, fileName);
    const request = createRequest();
    const abort = () => request.abort();
    const done = () => options.signal?.removeEventListener('abort', abort);
    if (options.signal?.aborted) {
      reject(new BackendError(0, 'aborted', `The upload of ${fileName} was cancelled.`));
      return;
    }
    options.signal?.addEventListener('abort', abort);
    request.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) options.onProgress?.(event.loaded / event.total);
    };
    request.onload = () => {
      done();
      // The form asks for success_action_status 201; anything else means the file is not stored.
      if (request.status === 201) {
        options.onProgress?.(1);
        resolve();
        return;
      }
      const reason = storageMessage(request.responseText) ?? `the storage answered ${request.status}`;
      reject(new BackendError(request.status, 'webflow_error', `Webflow's storage refused ${fileName}: ${reason}. Try again.`));
    };
    request.onerror = () => {
      done();
      reject(new BackendError(0, 'network', `The upload of ${fileName} was interrupted. Check your connection and try again.`));
    };
    request.onabort = () => {
      done();
      reject(new BackendError(0, 'aborted', `The upload of ${fileName} was cancelled.`));
    };
    request.open('POST', url);
    request.send(form);
  });
}

/** S3 answers errors as XML: `<Error><Code>…</Code><Message>…</Message></Error>`. */
export function storageMessage(body: string): string | null {
  const message = /<Message>([\s\S]*?)<\/Message>/.exec(body)?.[1]?.trim();
  if (message) return message;
  const code = /<Code>([\s\S]*?)<\/Code>/.exec(body)?.[1]?.trim();
  return code || null;
}
