/**
 * The browser side of the sandbox's Designer API: an object shaped like Webflow's `webflow`
 * global (the subset Asset Desk uses) that sends one HTTP request per call to the sandbox.
 * Like the real Designer, every getter is a round trip; nothing is cached here, so the panel
 * feels the same costs it will feel inside Webflow.
 */
import { APP_MODES } from './app-modes.ts';
import { canvasMethods, type SandboxCanvasApi } from './canvas-client.ts';
import { stylesMethods, type SandboxStylesApi } from './styles-client.ts';
import type { DesignerErrorBody, DesignerErrorTag, ExtensionSize, IdsBody, Notice, SiteInfo } from './wire.ts';

/** The part of `WebflowApi` the sandbox implements (the canvas part: canvas-client.ts; styles: styles-client.ts). */
export type SandboxWebflowApi = SandboxCanvasApi &
  SandboxStylesApi &
  Pick<
  WebflowApi,
  | 'getSiteInfo'
  | 'getIdToken'
  | 'notify'
  | 'setExtensionSize'
  | 'canForAppMode'
  | 'appModes'
  | 'getAllAssets'
  | 'getAssetById'
  | 'createAsset'
  | 'getAllAssetFolders'
  | 'createAssetFolder'
>;

export interface SandboxConnection {
  /** The Designer routes, e.g. http://127.0.0.1:4100/_sandbox/designer */
  baseUrl: string;
  siteId: string;
  fetch?: typeof fetch;
}

/** An error as the Designer API raises it: read `cause.tag`, show `message`. */
export interface DesignerApiError extends Error {
  cause: { tag: DesignerErrorTag };
}

export function designerError(tag: DesignerErrorTag, message: string): DesignerApiError {
  return new Error(message, { cause: { tag } }) as DesignerApiError;
}

type Method = 'GET' | 'POST' | 'PUT';

/** Calls per batch request (the routes take up to 500). */
const BATCH_MAX = 500;

export function createSandboxWebflow(connection: SandboxConnection): SandboxWebflowApi {
  const send = connection.fetch ?? ((input, init) => fetch(input, init));

  async function request(url: URL, init: RequestInit, what: string): Promise<{ status: number; payload: unknown }> {
    let response: Response;
    try {
      response = await send(url, init);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw designerError('InternalError', `The sandbox Designer at ${connection.baseUrl} did not answer ${what} (${reason}). Is the sandbox running?`);
    }
    return { status: response.status, payload: (await response.json().catch(() => undefined)) as unknown };
  }

  function answer<T>(status: number, payload: unknown, what: string): T {
    if (status >= 200 && status < 300) return payload as T;
    const failure = isErrorBody(payload) ? payload.error : undefined;
    throw designerError(failure?.tag ?? 'InternalError', failure?.message ?? `The sandbox Designer answered ${status} to ${what}.`);
  }

  function urlOf(path: string, query: Record<string, string> = {}): URL {
    const url = new URL(`${connection.baseUrl}${path}`);
    url.searchParams.set('siteId', connection.siteId);
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    return url;
  }

  // The real Designer answers over postMessage, with any number of calls in flight. Here a call
  // is an HTTP request to another origin: calls made at the same moment go together in one
  // request (each still answered on its own), and a lone call goes as a CORS "simple" request
  // (GET, or POST with a text/plain JSON body; the routes take PUT or POST), never a preflight.
  interface Pending {
    method: Method;
    path: string;
    query: Record<string, string>;
    body: unknown;
    resolve(payload: unknown): void;
    reject(error: unknown): void;
  }
  let pending: Pending[] = [];

  async function flush(): Promise<void> {
    const calls = pending;
    pending = [];
    if (calls.length === 1) {
      const only = calls[0] as Pending;
      const init: RequestInit = { method: only.method === 'PUT' && only.path.startsWith('/assets/') ? 'POST' : only.method };
      if (only.body !== undefined) {
        init.body = JSON.stringify(only.body);
        init.headers = { 'content-type': 'text/plain;charset=UTF-8' };
      }
      const what = `${only.method} ${only.path}`;
      await request(urlOf(only.path, only.query), init, what).then(
        ({ status, payload }) => {
          try {
            only.resolve(answer(status, payload, what));
          } catch (error) {
            only.reject(error);
          }
        },
        only.reject,
      );
      return;
    }
    await Promise.all(Array.from({ length: Math.ceil(calls.length / BATCH_MAX) }, (_, i) => sendBatch(calls.slice(i * BATCH_MAX, (i + 1) * BATCH_MAX))));
  }

  async function sendBatch(calls: Pending[]): Promise<void> {
    const wire = calls.map(({ method, path, query, body }) => ({ method, path, query, ...(body === undefined ? {} : { body }) }));
    const init: RequestInit = { method: 'POST', body: JSON.stringify(wire), headers: { 'content-type': 'text/plain;charset=UTF-8' } };
    try {
      const { status, payload } = await request(urlOf('/batch'), init, `${calls.length} calls`);
      const answers = answer<Array<{ status: number; payload: unknown }>>(status, payload, 'a batch of calls');
      calls.forEach((call, i) => {
        const one = answers[i];
        try {
          call.resolve(answer(one?.status ?? 500, one?.payload, `${call.method} ${call.path}`));
        } catch (error) {
          call.reject(error);
        }
      });
    } catch (error) {
      for (const call of calls) call.reject(error);
    }
  }

  async function call<T>(method: Method, path: string, body?: unknown, query: Record<string, string> = {}): Promise<T> {
    if (body instanceof FormData) {
      const what = `${method} ${path}`;
      const { status, payload } = await request(urlOf(path, query), { method: method === 'PUT' ? 'POST' : method, body }, what);
      return answer<T>(status, payload, what);
    }
    return new Promise<T>((resolve, reject) => {
      pending.push({ method, path, query, body, resolve: resolve as (payload: unknown) => void, reject });
      // Calls made in this turn (and its microtasks) go together.
      if (pending.length === 1) queueMicrotask(() => void flush());
    });
  }

  const folderHandle = (id: string): AssetFolder => ({
    id,
    getName: async () => (await call<{ name: string }>('GET', `/folders/${encodeURIComponent(id)}/name`)).name,
  });

  const assetHandle = (id: string): Asset => {
    const path = `/assets/${encodeURIComponent(id)}`;
    return {
      id,
      getUrl: async () => (await call<{ url: string }>('GET', `${path}/url`)).url,
      getMimeType: async () => (await call<{ mimeType: string }>('GET', `${path}/mime-type`)).mimeType,
      getName: async () => (await call<{ name: string }>('GET', `${path}/name`)).name,
      setName: (name) => call<null>('PUT', `${path}/name`, { name }),
      getAltText: async (localeId) =>
        (await call<{ altText: string | null }>('GET', `${path}/alt-text`, undefined, localeId === undefined ? {} : { localeId })).altText,
      setAltText: (altText, localeId) => call<null>('PUT', `${path}/alt-text`, { altText, ...(localeId === undefined ? {} : { localeId }) }),
      getParent: async () => {
        const { folderId } = await call<{ folderId: string | null }>('GET', `${path}/parent`);
        return folderId === null ? null : folderHandle(folderId);
      },
      setParent: (folder) => call<null>('PUT', `${path}/parent`, { folderId: folder.id }),
      setFile: (file) => call<null>('PUT', `${path}/file`, fileForm(file)),
    };
  };

  const appModes = Object.fromEntries(APP_MODES.map((mode) => [mode, mode])) as { [key in AppMode]: AppMode };

  return {
    appModes,
    getSiteInfo: () => call<SiteInfo>('GET', '/site'),
    getIdToken: async () => (await call<{ idToken: string }>('POST', '/id-token')).idToken,
    notify: async (notice: Notice) => {
      await call<null>('POST', '/notify', notice);
    },
    setExtensionSize: (size: ExtensionSize) => call<null>('POST', '/extension-size', { size }),
    canForAppMode: (modes) => call<{ [key in AppMode]: boolean }>('POST', '/app-modes', { appModes: modes }),
    getAllAssets: async () => (await call<IdsBody>('GET', '/assets')).ids.map(assetHandle),
    getAssetById: async (id) => {
      const { exists } = await call<{ exists: boolean }>('GET', `/assets/${encodeURIComponent(id)}`);
      return exists ? assetHandle(id) : null;
    },
    createAsset: async (file) => assetHandle((await call<{ id: string }>('POST', '/assets', fileForm(file))).id),
    getAllAssetFolders: async () => (await call<IdsBody>('GET', '/folders')).ids.map(folderHandle),
    createAssetFolder: async (name, parentFolderId) =>
      folderHandle((await call<{ id: string }>('POST', '/folders', { name, ...(parentFolderId === undefined ? {} : { parentFolderId }) })).id),
    ...stylesMethods({ call: (method, path, body, query) => call(method, path, body, query) }),
    ...canvasMethods({ call: (method, path, body) => call(method, path, body), assetHandle, openEvents: (signal) => send(urlOf('/events'), { signal }) }),
  };
}

function fileForm(file: File): FormData {
  if (!(file instanceof Blob)) throw designerError('InvalidRequest', 'Pass a File (for example from an <input type="file">) to upload.');
  const form = new FormData();
  form.append('file', file, file.name);
  return form;
}

function isErrorBody(payload: unknown): payload is DesignerErrorBody {
  if (typeof payload !== 'object' || payload === null || !('error' in payload)) return false;
  const { error } = payload;
  return typeof error === 'object' && error !== null && 'tag' in error && 'message' in error;
}
