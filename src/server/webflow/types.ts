/**
 * What the backend's services need of Webflow, in the Data API's wire words. The one
 * implementation is `client.ts` (the official SDK `webflow-api` behind a per-token quota);
 * services and their tests depend on this interface only.
 */
/** Interactive work (a user waits) goes ahead of background work (refreshes, the appliers). */
export type Priority = 'interactive' | 'background';

export interface RequestOptions {
  /** Interactive work (a user waits) goes ahead of background work (refreshes, the server applier). */
  priority: Priority;
  /**
   * Stops the wait for quota: the request is then not sent and the call throws QuotaWaitStopped.
   * A request already sent is not cut off (its answer may still change Webflow's state).
   */
  signal?: AbortSignal;
}

export interface WireVariant {
  hostedUrl: string;
  originalFileName: string;
  displayName: string;
  format: string;
  width: number;
  height: number | null;
  quality: number;
  error: string | null;
}

/** An asset as `GET /v2/sites/{id}/assets` lists it (`folderId` only in lists). */
export interface WireAsset {
  id: string;
  contentType: string;
  size: number;
  siteId: string;
  hostedUrl: string;
  originalFileName: string;
  displayName: string;
  lastUpdated: string;
  createdOn: string;
  variants: WireVariant[];
  altText: string | null;
  folderId?: string | null;
}

export interface WireFolder {
  id: string;
  displayName: string;
  parentFolder: string | null;
  assets: string[];
  siteId: string;
  createdOn: string;
  lastUpdated: string;
}

export interface WireLocale {
  id: string;
  cmsLocaleId: string;
  enabled: boolean;
  displayName: string;
  subdirectory: string;
  tag: string;
}

export interface WireSite {
  id: string;
  displayName: string;
  shortName: string;
  locales?: { primary: WireLocale; secondary: WireLocale[] } | null;
}

/** `POST /v2/sites/{id}/assets`, with `uploadDetails` under their wire names (`X-Amz-Date`, `content-type`…), in wire order. */
export interface WireCreatedAsset {
  id: string;
  uploadUrl: string;
  uploadDetails: Record<string, string>;
  hostedUrl: string;
  assetUrl: string;
  contentType: string;
  parentFolder: string | null;
  originalFileName: string;
  createdOn: string;
  lastUpdated: string;
}

export interface WireAssetPage {
  assets: WireAsset[];
  pagination: { limit: number; offset: number; total: number };
}

export interface Introspection {
  authorization: {
    id: string;
    rateLimit: number;
    scope: string;
    authorizedTo: { siteIds: string[]; workspaceIds: string[]; userIds: string[] };
  };
  application?: { id: string; displayName: string } | null;
}

export interface ResolvedUser {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  siteId: string;
}

export interface WebflowClient {
  introspect(token: string): Promise<Introspection>;
  getSite(token: string, siteId: string, options: RequestOptions): Promise<WireSite>;
  listAssets(
    token: string,
    siteId: string,
    options: RequestOptions & { offset: number; limit: number; localeId?: string; folderId?: string },
  ): Promise<WireAssetPage>;
  getAsset(token: string, assetId: string, options: RequestOptions & { localeId?: string }): Promise<WireAsset>;
  updateAsset(
    token: string,
    assetId: string,
    update: { localeId?: string; altText?: string | null; displayName?: string },
    options: RequestOptions,
  ): Promise<WireAsset>;
  createAsset(
    token: string,
    siteId: string,
    request: { fileName: string; fileHash: string; parentFolder?: string },
    options: RequestOptions,
  ): Promise<WireCreatedAsset>;
  deleteAsset(token: string, assetId: string, options: RequestOptions): Promise<void>;
  listFolders(token: string, siteId: string, options: RequestOptions): Promise<WireFolder[]>;
  createFolder(
    token: string,
    siteId: string,
    request: { displayName: string; parentFolder?: string },
    options: RequestOptions,
  ): Promise<WireFolder>;
  /** `POST {beta}/token/resolve` with the site's token: who the Designer's ID token belongs to. */
  resolveIdToken(token: string, idToken: string): Promise<ResolvedUser>;
}

/** A failed request to Webflow: the status (0 for network), Webflow's error code, and when to try again. */
export class WebflowError extends Error {
  override name: 'WebflowError' | 'NetworkError' | 'TimeoutError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    // Named as the server applier's classifier expects: Webflow unreachable is not a refusal.
    this.name = code === 'timeout' ? 'TimeoutError' : status === 0 ? 'NetworkError' : 'WebflowError';
  }
}
