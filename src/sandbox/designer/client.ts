/**
 * The browser side of the sandbox's Designer API: an object shaped like Webflow's `webflow`
 * global (the subset Asset Desk uses) that sends one HTTP request per call to the sandbox.
 * Like the real Designer, every getter is a round trip; nothing is cached here, so the panel
 * feels the same costs it will feel inside Webflow.
 */
import { APP_MODES } from './app-modes.ts';
import type { DesignerErrorBody, DesignerErrorTag, ExtensionSize, IdsBody, Notice, SiteInfo } from './wire.ts';

/** The part of `WebflowApi` the sandbox implements. */
export type SandboxWebflowApi = Pick<
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

export function createSandboxWebflow(connection: SandboxConnection): SandboxWebflowApi {
  const send = connection.fetch ?? ((input, init) => fetch(input, init));

  async function call<T>(method: Method, path: string, body?: unknown, query: Record<string, string> = {}): Promise<T> {
    const url = new URL(`${connection.baseUrl}${path}`);
    url.searchParams.set('siteId', connection.siteId);
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    const init: RequestInit = { method };
    if (body instanceof FormData) init.body = body;
    else if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers = { 'content-type': 'application/json' };
    }
    let response: Response;
    try {
      response = await send(url, init);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw designerError('InternalError', `The sandbox Designer at ${connection.baseUrl} did not answer (${reason}). Is the sandbox running?`);
    }
    const payload: unknown = await response.json().catch(() => undefined);
    if (!response.ok) {
      const failure = isErrorBody(payload) ? payload.error : undefined;
      throw designerError(failure?.tag ?? 'InternalError', failure?.message ?? `The sandbox Designer answered ${response.status} to ${method} ${path}.`);
    }
    return payload as T;
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
