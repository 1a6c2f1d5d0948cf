/**
 * An in-memory Webflow behind the `WebflowClient` interface, for service and route tests.
 * Faithful where the backend relies on it: listing pages (limit ≤ 100, offset, total), a
 * locale's alt text falling back to the primary's, `folderId` only in listings, `uploadDetails`
 * under their wire names in wire order with a base64 policy carrying its expiration,
 * `parentFolder` on folders, 404s as `WebflowError`s. Every call is recorded with its priority.
 */
import { createHash } from 'node:crypto';
import { wellFormed } from '../../src/core/api.ts';
import type { Priority } from '../../src/server/webflow/types.ts';
import {
  WebflowError,
  type Introspection,
  type ResolvedUser,
  type WebflowClient,
  type WireAsset,
  type WireCreatedAsset,
  type WireFolder,
  type WireLocale,
  type WireSite,
  type WireVariant,
} from '../../src/server/webflow/types.ts';

export interface FakeAsset {
  id: string;
  siteId: string;
  fileName: string;
  displayName: string;
  contentType: string;
  size: number;
  folderId: string | null;
  /** By locale id; a locale without its own value shows the primary's ('' when none). */
  altText: Record<string, string | null>;
  variants: WireVariant[];
  createdOn: string;
  lastUpdated: string;
  /** The file's bytes once sent to storage (created assets have none until then). */
  bytes: Uint8Array | null;
}

export interface FakeSite {
  id: string;
  displayName: string;
  locales: { primary: WireLocale; secondary: WireLocale[] } | null;
}

export interface FakeCall {
  method: keyof WebflowClient;
  priority: Priority | undefined;
  localeId?: string | undefined;
  offset?: number;
}

type Method = keyof WebflowClient;

const ROOT_TIME = Date.parse('2026-01-01T00:00:00Z');

export function wireLocale(id: string, tag: string, enabled = true): WireLocale {
  return { id, cmsLocaleId: `cms-${id}`, enabled, displayName: tag.toUpperCase(), subdirectory: tag === 'en' ? '' : tag, tag };
}

export class FakeWebflow implements WebflowClient {
  readonly sites = new Map<string, FakeSite>();
  readonly assets: FakeAsset[] = [];
  readonly folders: WireFolder[] = [];
  readonly calls: FakeCall[] = [];
  /** Tokens the fake accepts, by site. */
  readonly tokens = new Map<string, string>();
  private readonly failures = new Map<Method, WebflowError[]>();
  private sequence = 0;
  /** Where hosted files are served; answers built after a change carry the new origin. */
  cdnOrigin = 'https://cdn.example.test';
  /** Runs before each listAssets answer (to change the world mid-refresh). */
  onList: ((offset: number) => void) | undefined;

  addSite(id: string, options: { displayName?: string; secondary?: WireLocale[]; localized?: boolean; token?: string } = {}): FakeSite {
    const site: FakeSite = {
      id,
      displayName: options.displayName ?? `Site ${id}`,
      locales: options.localized === false ? null : { primary: wireLocale(`${id}-en`, 'en'), secondary: options.secondary ?? [] },
    };
    this.sites.set(id, site);
    this.tokens.set(id, options.token ?? `token-${id}`);
    return site;
  }

  primaryLocaleOf(siteId: string): string {
    return this.sites.get(siteId)?.locales?.primary.id ?? '';
  }

  addAsset(siteId: string, fields: Partial<Omit<FakeAsset, 'id' | 'siteId' | 'altText'>> & { altText?: Record<string, string | null> | string | null } = {}): FakeAsset {
    const n = this.nextId();
    const fileName = fields.fileName ?? `photo-${n}.jpg`;
    const at = new Date(ROOT_TIME + n * 1000).toISOString();
    const primary = this.primaryLocaleOf(siteId);
    const altText = typeof fields.altText === 'object' && fields.altText !== null ? fields.altText : { [primary]: fields.altText ?? '' };
    const asset: FakeAsset = {
      id: objectId(n),
      siteId,
      fileName,
      displayName: fields.displayName ?? fileName,
      contentType: fields.contentType ?? 'image/jpeg',
      size: fields.size ?? 1000 + n,
      folderId: fields.folderId ?? null,
      variants: fields.variants ?? [],
      createdOn: fields.createdOn ?? at,
      lastUpdated: fields.lastUpdated ?? at,
      bytes: fields.bytes ?? null,
      altText,
    };
    this.assets.push(asset);
    return asset;
  }

  addFolder(siteId: string, displayName: string, parentFolder: string | null = null): WireFolder {
    const at = new Date(ROOT_TIME).toISOString();
    const folder: WireFolder = { id: objectId(this.nextId()), displayName, parentFolder, assets: [], siteId, createdOn: at, lastUpdated: at };
    this.folders.push(folder);
    return folder;
  }

  /** The next call of `method` fails with `error` (queue several for several calls). */
  failNext(method: Method, error: WebflowError): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), error]);
  }

  /** The browser's POST to storage: the asset now has its file. */
  receiveFile(assetId: string, bytes: Uint8Array): void {
    const asset = this.mustFindAsset(assetId);
    asset.bytes = bytes;
    asset.size = bytes.byteLength;
  }

  count(method: Method): number {
    return this.calls.filter((call) => call.method === method).length;
  }

  // ------------------------------------------------------------------------------ the client

  async introspect(token: string): Promise<Introspection> {
    this.record('introspect', undefined);
    const siteIds = [...this.tokens].filter(([, t]) => t === token).map(([siteId]) => siteId);
    if (siteIds.length === 0) throw new WebflowError(401, 'not_authorized', 'Request not authorized');
    return { authorization: { id: 'auth', rateLimit: 60, scope: 'assets:read assets:write sites:read authorized_user:read', authorizedTo: { siteIds, workspaceIds: [], userIds: [] } } };
  }

  async getSite(token: string, siteId: string, options: { priority: Priority }): Promise<WireSite> {
    this.record('getSite', options.priority);
    const site = this.mustFindSite(token, siteId);
    return { id: site.id, displayName: site.displayName, shortName: site.id, ...(site.locales ? { locales: site.locales } : {}) };
  }

  async listAssets(token: string, siteId: string, options: { priority: Priority; offset: number; limit: number; localeId?: string }): Promise<{ assets: WireAsset[]; pagination: { limit: number; offset: number; total: number } }> {
    this.calls.push({ method: 'listAssets', priority: options.priority, localeId: options.localeId, offset: options.offset });
    this.maybeFail('listAssets');
    const site = this.mustFindSite(token, siteId);
    if (options.limit < 1 || options.limit > 100) throw new WebflowError(400, 'validation_error', 'limit must be between 1 and 100');
    this.onList?.(options.offset);
    const localeId = this.localeOf(site, options.localeId);
    const all = this.assets.filter((a) => a.siteId === siteId);
    const page = all.slice(options.offset, options.offset + options.limit);
    return {
      assets: page.map((a) => ({ ...this.wire(a, localeId), folderId: a.folderId })),
      pagination: { limit: options.limit, offset: options.offset, total: all.length },
    };
  }

  async getAsset(token: string, assetId: string, options: { priority: Priority; localeId?: string }): Promise<WireAsset> {
    this.record('getAsset', options.priority);
    const asset = this.assetOfToken(token, assetId);
    return this.wire(asset, this.localeOf(this.sites.get(asset.siteId), options.localeId));
  }

  async updateAsset(token: string, assetId: string, update: { localeId?: string; altText?: string | null; displayName?: string }, options: { priority: Priority }): Promise<WireAsset> {
    this.record('updateAsset', options.priority);
    const asset = this.assetOfToken(token, assetId);
    const localeId = this.localeOf(this.sites.get(asset.siteId), update.localeId);
    if (update.altText !== undefined) asset.altText[localeId] = update.altText;
    if (update.displayName !== undefined) asset.displayName = update.displayName;
    asset.lastUpdated = new Date().toISOString();
    return this.wire(asset, localeId);
  }

  async createAsset(token: string, siteId: string, request: { fileName: string; fileHash: string; parentFolder?: string }, options: { priority: Priority }): Promise<WireCreatedAsset> {
    this.record('createAsset', options.priority);
    this.mustFindSite(token, siteId);
    if (request.parentFolder && !this.folders.some((f) => f.id === request.parentFolder && f.siteId === siteId)) {
      throw new WebflowError(404, 'resource_not_found', `Requested resource not found: asset folder ${request.parentFolder}`);
    }
    const asset = this.addAsset(siteId, { fileName: request.fileName, contentType: contentTypeOf(request.fileName), size: 0, folderId: request.parentFolder ?? null });
    const expiration = new Date(Date.now() + 10 * 60_000).toISOString();
    const key = `${siteId}/${asset.id}_${request.fileName}`;
    const policy = Buffer.from(JSON.stringify({ expiration, conditions: [{ bucket: 'webflow-prod-assets' }, { key }, ['content-length-range', 0, 10485760]] })).toString('base64');
    return {
      id: asset.id,
      uploadUrl: 'https://webflow-prod-assets.s3.amazonaws.com/',
      // The wire names, in the order Webflow sends them (the browser posts them in this order).
      uploadDetails: {
        acl: 'public-read',
        bucket: 'webflow-prod-assets',
        'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
        'X-Amz-Credential': 'AKIA/20260101/us-east-1/s3/aws4_request',
        'X-Amz-Date': '20260101T000000Z',
        key,
        Policy: policy,
        'X-Amz-Signature': createHash('sha256').update(policy).digest('hex'),
        success_action_status: '201',
        'content-type': asset.contentType,
        'Cache-Control': 'max-age=31536000, must-revalidate',
      },
      hostedUrl: hostedUrlOf(asset, this.cdnOrigin),
      assetUrl: `https://webflow-prod-assets.s3.amazonaws.com/${key}`,
      contentType: asset.contentType,
      parentFolder: asset.folderId,
      originalFileName: asset.fileName,
      createdOn: asset.createdOn,
      lastUpdated: asset.lastUpdated,
    };
  }

  async deleteAsset(token: string, assetId: string, options: { priority: Priority }): Promise<void> {
    this.record('deleteAsset', options.priority);
    const asset = this.assetOfToken(token, assetId);
    this.assets.splice(this.assets.indexOf(asset), 1);
  }

  async listFolders(token: string, siteId: string, options: { priority: Priority }): Promise<WireFolder[]> {
    this.record('listFolders', options.priority);
    this.mustFindSite(token, siteId);
    return this.folders
      .filter((f) => f.siteId === siteId)
      .map((f) => ({ ...f, assets: this.assets.filter((a) => a.folderId === f.id).map((a) => a.id) }));
  }

  async createFolder(token: string, siteId: string, request: { displayName: string; parentFolder?: string }, options: { priority: Priority }): Promise<WireFolder> {
    this.record('createFolder', options.priority);
    this.mustFindSite(token, siteId);
    if (request.parentFolder && !this.folders.some((f) => f.id === request.parentFolder && f.siteId === siteId)) {
      throw new WebflowError(404, 'resource_not_found', `Requested resource not found: asset folder ${request.parentFolder}`);
    }
    return { ...this.addFolder(siteId, request.displayName, request.parentFolder ?? null) };
  }

  async resolveIdToken(token: string, idToken: string): Promise<ResolvedUser> {
    this.record('resolveIdToken', undefined);
    const siteId = [...this.tokens].find(([, t]) => t === token)?.[0];
    if (!siteId) throw new WebflowError(401, 'not_authorized', 'Request not authorized');
    return { id: `user-${idToken.slice(0, 8)}`, email: 'designer@example.com', firstName: 'Dana', lastName: 'Designer', siteId };
  }

  // ------------------------------------------------------------------------------ helpers

  private record(method: Method, priority: Priority | undefined): void {
    this.calls.push({ method, priority });
    this.maybeFail(method);
  }

  private maybeFail(method: Method): void {
    const queued = this.failures.get(method);
    const error = queued?.shift();
    if (error) throw error;
  }

  private nextId(): number {
    this.sequence += 1;
    return this.sequence;
  }

  private mustFindSite(token: string, siteId: string): FakeSite {
    if (this.tokens.get(siteId) !== token) throw new WebflowError(401, 'not_authorized', 'Request not authorized');
    const site = this.sites.get(siteId);
    if (!site) throw new WebflowError(404, 'resource_not_found', `Requested resource not found: site ${siteId}`);
    return site;
  }

  private mustFindAsset(assetId: string): FakeAsset {
    const asset = this.assets.find((a) => a.id === assetId);
    if (!asset) throw new WebflowError(404, 'resource_not_found', `Requested resource not found: asset ${assetId}`);
    return asset;
  }

  private assetOfToken(token: string, assetId: string): FakeAsset {
    const asset = this.mustFindAsset(assetId);
    if (this.tokens.get(asset.siteId) !== token) throw new WebflowError(404, 'resource_not_found', `Requested resource not found: asset ${assetId}`);
    return asset;
  }

  private localeOf(site: FakeSite | undefined, localeId: string | undefined): string {
    const primary = site?.locales?.primary.id ?? '';
    if (!localeId) return primary;
    const known = [site?.locales?.primary, ...(site?.locales?.secondary ?? [])].some((l) => l?.id === localeId);
    if (!known) throw new WebflowError(400, 'validation_error', `localeId ${localeId} is not a locale of this site`);
    return localeId;
  }

  private wire(asset: FakeAsset, localeId: string): WireAsset {
    const primary = this.primaryLocaleOf(asset.siteId);
    const own = asset.altText[localeId];
    return {
      id: asset.id,
      contentType: asset.contentType,
      size: asset.size,
      siteId: asset.siteId,
      hostedUrl: hostedUrlOf(asset, this.cdnOrigin),
      originalFileName: asset.fileName,
      displayName: asset.displayName,
      lastUpdated: asset.lastUpdated,
      createdOn: asset.createdOn,
      variants: asset.variants,
      altText: own === undefined ? (asset.altText[primary] ?? '') : own,
    };
  }
}

export function variant(width: number, hostedUrl: string, error: string | null = null): WireVariant {
  return { hostedUrl, originalFileName: `v-${width}.webp`, displayName: `v-${width}.webp`, format: 'webp', width, height: Math.round(width / 2), quality: 100, error };
}

function objectId(n: number): string {
  return n.toString(16).padStart(24, '0');
}

function hostedUrlOf(asset: FakeAsset, cdnOrigin: string): string {
  // A name holding half a character is served under its well-formed form, as a UTF-8 web server would.
  return `${cdnOrigin}/${asset.siteId}/${asset.id}_${encodeURIComponent(wellFormed(asset.fileName))}`;
}

function contentTypeOf(fileName: string): string {
  const ext = fileName.slice(fileName.lastIndexOf('.') + 1).toLowerCase();
  const types: Record<string, string> = { png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', svg: 'image/svg+xml', webp: 'image/webp', pdf: 'application/pdf', txt: 'text/plain' };
  return types[ext] ?? 'application/octet-stream';
}
