/**
 * The sandbox's state: sites with their locales, assets (alt text per locale, files), asset
 * folders, the OAuth app, access tokens and Designer ID tokens. The Data API, the S3 target,
 * the CDN and the Designer routes all read and change this one world, so a change made through
 * one shows through the others, as in Webflow.
 *
 * Methods take the site first and treat another site's object as missing. They throw
 * {@link WorldError}; each surface turns it into its own wire error.
 */
import { createHash, randomBytes } from 'node:crypto';
import { textProblem } from '../../core/api.ts';
import { checkFile, contentTypeOf, kindOf, MAX_BYTES, MAX_FILE_NAME_LENGTH } from '../../core/limits.ts';
import type { DemoSite, SeedLocale, SeedSite, SeedUser } from '../seed/types.ts';
import { WorldError } from './errors.ts';
import { mintIdToken } from './id-token.ts';
import { addSiteContent, createSiteContent, emptySiteContent, type SiteContentState } from './site-content.ts';

/**
 * Every scope the sandbox grants. Webflow's v2.yml names the pages scope `pages:read` in its
 * OAuth scheme and `page:read` in the operations' security; both are accepted (see
 * docs/decisions/sandbox-fidelity.md).
 */
export const ALL_SCOPES = ['assets:read', 'assets:write', 'sites:read', 'authorized_user:read', 'pages:read', 'page:read', 'components:read', 'cms:read', 'cms:write'] as const;
export type Scope = (typeof ALL_SCOPES)[number];

export const ID_TOKEN_TTL_MS = 15 * 60_000;
/** How long a presigned upload policy is valid, as Webflow's are. */
export const UPLOAD_POLICY_TTL_MS = 10 * 60_000;

export interface WorldAsset {
  id: string;
  siteId: string;
  folderId: string | null;
  originalFileName: string;
  displayName: string;
  contentType: string;
  createdOn: string;
  lastUpdated: string;
  /** Keyed by locale id; the primary's entry is always present ('' = none, null = decorative). */
  altText: Record<string, string | null>;
  /** MD5 of the file, given when the asset was created. */
  fileHash: string;
  /** The file, once it arrived (seeded assets have theirs from the start). */
  file: { bytes: Uint8Array; width?: number; height?: number } | null;
  /** How many times the file was replaced (`setFile`): its hosted URL names the version. */
  fileVersion?: number;
}

export interface WorldFolder {
  id: string;
  siteId: string;
  displayName: string;
  parentFolder: string | null;
  createdOn: string;
  lastUpdated: string;
}

export interface WorldSite extends SeedSite {
  /** The user who owns the site (the one the Designer is signed in as). */
  userId: string;
}

export interface AccessToken {
  token: string;
  siteIds: string[];
  scopes: Scope[];
  userId: string;
  grantType: 'authorization_code' | 'site_token';
  createdOn: string;
}

export interface IdToken {
  siteId: string;
  userId: string;
  expiresAt: number;
}

export interface PendingUpload {
  assetId: string;
  siteId: string;
  key: string;
  expiresAt: number;
  maxBytes: number;
  contentType: string;
}

export interface OAuthApp {
  clientId: string;
  clientSecret: string;
  displayName: string;
}

export { WorldError, type WorldErrorKind } from './errors.ts';

/** Everything the world keeps; what persistence writes and reads back. */
export interface WorldState {
  users: SeedUser[];
  sites: WorldSite[];
  folders: WorldFolder[];
  assets: WorldAsset[];
  tokens: AccessToken[];
  idTokens: Record<string, IdToken>;
  uploads: PendingUpload[];
  /** Every site's pages, components and CMS. */
  content: SiteContentState;
  oauthApp: OAuthApp;
  /** Signs upload policies, like an AWS secret key. */
  signingKey: string;
  /** OAuth codes waiting for their exchange. */
  codes: Record<string, { siteIds: string[]; userId: string; clientId: string; scopes: Scope[]; expiresAt: number; redirectUri?: string }>;
}

export const newObjectId = (): string => randomBytes(12).toString('hex');
export const md5Hex = (bytes: Uint8Array): string => createHash('md5').update(bytes).digest('hex');

/** The world's initial state from generated demo sites: the first is the demo user's main site. */
export function stateFromDemo(demos: DemoSite[]): WorldState {
  const users = new Map<string, SeedUser>();
  const state: WorldState = {
    users: [],
    sites: [],
    folders: [],
    assets: [],
    tokens: [],
    idTokens: {},
    uploads: [],
    content: emptySiteContent(),
    oauthApp: { clientId: `sandbox-${randomBytes(8).toString('hex')}`, clientSecret: randomBytes(24).toString('base64url'), displayName: 'Asset Desk (sandbox)' },
    signingKey: randomBytes(32).toString('hex'),
    codes: {},
  };
  for (const demo of demos) {
    users.set(demo.user.id, demo.user);
    state.sites.push({ ...demo.site, userId: demo.user.id });
    for (const folder of demo.folders) state.folders.push({ ...folder, siteId: demo.site.id });
    addSiteContent(state.content, demo.site.id, demo.content);
    for (const asset of demo.assets) {
      state.assets.push({
        id: asset.id,
        siteId: demo.site.id,
        folderId: asset.folderId,
        originalFileName: asset.originalFileName,
        displayName: asset.displayName,
        contentType: asset.file.contentType,
        createdOn: asset.createdOn,
        lastUpdated: asset.lastUpdated,
        altText: { ...asset.altText },
        fileHash: md5Hex(asset.file.bytes),
        file: { bytes: asset.file.bytes, ...(asset.file.width ? { width: asset.file.width } : {}), ...(asset.file.height ? { height: asset.file.height } : {}) },
      });
    }
  }
  state.users = [...users.values()];
  return state;
}

export type World = ReturnType<typeof createWorld>;

/**
 * The world over a state. `onChange` is told after every mutation (persistence saves then).
 * Lookups are by maps kept beside the arrays, so a 20,000-asset site answers in constant time.
 */
export function createWorld(state: WorldState, onChange: () => void = () => undefined) {
  const assets = new Map(state.assets.map((a) => [a.id, a]));
  const folders = new Map(state.folders.map((f) => [f.id, f]));
  const sites = new Map(state.sites.map((s) => [s.id, s]));
  const tokens = new Map(state.tokens.map((t) => [t.token, t]));
  /** Assets per site in creation order, the order Webflow lists them in. */
  const siteAssets = new Map<string, WorldAsset[]>();
  for (const site of state.sites) siteAssets.set(site.id, []);
  for (const asset of state.assets) siteAssets.get(asset.siteId)?.push(asset);

  const now = (): string => new Date().toISOString();
  const changed = (): void => onChange();

  function site(siteId: string): WorldSite {
    const found = sites.get(siteId);
    if (!found) throw new WorldError('not_found', `Site ${siteId} was not found.`);
    return found;
  }
  function localeIds(siteId: string): string[] {
    const { locales } = site(siteId);
    return [locales.primary.id, ...locales.secondary.map((l) => l.id)];
  }
  function locale(siteId: string, localeId: string | undefined): SeedLocale {
    const { locales } = site(siteId);
    if (localeId === undefined || localeId === '') return locales.primary;
    const found = [locales.primary, ...locales.secondary].find((l) => l.id === localeId);
    if (!found) throw new WorldError('invalid', `Locale ${localeId} is not a locale of site ${siteId}.`, [{ param: 'localeId', description: 'Unknown locale' }]);
    return found;
  }
  function asset(siteId: string | undefined, assetId: string): WorldAsset {
    const found = assets.get(assetId);
    if (!found || (siteId !== undefined && found.siteId !== siteId)) throw new WorldError('not_found', `Asset ${assetId} was not found.`);
    return found;
  }
  function folder(siteId: string | undefined, folderId: string): WorldFolder {
    const found = folders.get(folderId);
    if (!found || (siteId !== undefined && found.siteId !== siteId)) throw new WorldError('not_found', `Asset folder ${folderId} was not found.`);
    return found;
  }
  /** The folder and every folder below it. */
  function folderAndDescendants(siteId: string, folderId: string): Set<string> {
    folder(siteId, folderId);
    const found = new Set([folderId]);
    let grew = true;
    while (grew) {
      grew = false;
      for (const f of folders.values()) {
        if (f.siteId === siteId && f.parentFolder && found.has(f.parentFolder) && !found.has(f.id)) {
          found.add(f.id);
          grew = true;
        }
      }
    }
    return found;
  }
  /** A locale's own alt text, or the primary's when it has none. */
  function altTextIn(a: WorldAsset, localeId: string): string | null {
    const primary = site(a.siteId).locales.primary.id;
    const own = a.altText[localeId];
    return own === undefined ? (a.altText[primary] ?? '') : own;
  }
  function insertAsset(created: WorldAsset): WorldAsset {
    state.assets.push(created);
    assets.set(created.id, created);
    siteAssets.get(created.siteId)?.push(created);
    return created;
  }

  return {
    state,
    /** Pages, components and the CMS (site-content.ts). */
    content: createSiteContent(state.content, { site, locale, asset: (siteId: string, assetId: string) => asset(siteId, assetId), changed }),
    user(userId: string): SeedUser {
      const found = state.users.find((u) => u.id === userId);
      if (!found) throw new WorldError('not_found', `User ${userId} was not found.`);
      return found;
    },
    sites: () => state.sites,
    site,
    localeIds,
    locale,
    asset,
    folder,
    altTextIn,

    /** A site's assets in listing order, optionally inside a folder and its descendants. */
    listAssets(siteId: string, folderId?: string): WorldAsset[] {
      site(siteId);
      const all = siteAssets.get(siteId) ?? [];
      if (!folderId) return all;
      const inside = folderAndDescendants(siteId, folderId);
      return all.filter((a) => a.folderId !== null && inside.has(a.folderId));
    },
    listFolders(siteId: string): WorldFolder[] {
      site(siteId);
      return state.folders.filter((f) => f.siteId === siteId);
    },
    assetIdsIn(folderId: string): string[] {
      return state.assets.filter((a) => a.folderId === folderId).map((a) => a.id);
    },

    updateAsset(siteId: string | undefined, assetId: string, change: { displayName?: string; altText?: string | null; localeId?: string; folderId?: string | null }): WorldAsset {
      const found = asset(siteId, assetId);
      if (change.displayName !== undefined) {
        const name = change.displayName.trim();
        if (!name) throw new WorldError('invalid', 'displayName cannot be empty.', [{ param: 'displayName', description: 'Must not be empty' }]);
        found.displayName = name;
      }
      if (change.altText !== undefined) {
        const target = locale(found.siteId, change.localeId);
        found.altText[target.id] = change.altText;
      }
      if (change.folderId !== undefined) {
        if (change.folderId !== null) folder(found.siteId, change.folderId);
        found.folderId = change.folderId;
      }
      found.lastUpdated = now();
      changed();
      return found;
    },

    /** Creates the asset's metadata; the file arrives later through the S3 target. */
    createAsset(siteId: string, request: { fileName: string; fileHash: string; parentFolder?: string | undefined }, uploadTtlMs = UPLOAD_POLICY_TTL_MS): { asset: WorldAsset; upload: PendingUpload } {
      site(siteId);
      const fileName = request.fileName.trim();
      if (!fileName) throw new WorldError('invalid', 'fileName is required.', [{ param: 'fileName', description: 'Required' }]);
      if (fileName.length > MAX_FILE_NAME_LENGTH) {
        throw new WorldError('invalid', 'File names must be less than 100 characters.', [{ param: 'fileName', description: 'Too long' }]);
      }
      if (textProblem(fileName)) {
        // The file name becomes the S3 key and the CDN path, which are UTF-8 (docs/decisions/sandbox-fidelity.md).
        throw new WorldError('invalid', 'fileName must not contain NUL or half of a character.', [{ param: 'fileName', description: 'Invalid characters' }]);
      }
      const kind = kindOf(fileName);
      if (!kind) throw new WorldError('invalid', `Webflow does not accept files of this type: ${fileName}.`, [{ param: 'fileName', description: 'Unsupported file type' }]);
      if (!/^[a-f0-9]{32}$/i.test(request.fileHash)) {
        throw new WorldError('invalid', 'fileHash must be the MD5 of the file, as 32 hex digits.', [{ param: 'fileHash', description: 'Invalid MD5' }]);
      }
      if (request.parentFolder) folder(siteId, request.parentFolder);
      const id = newObjectId();
      const createdOn = now();
      const created = insertAsset({
        id,
        siteId,
        folderId: request.parentFolder ?? null,
        originalFileName: fileName,
        displayName: fileName,
        contentType: contentTypeOf(fileName),
        createdOn,
        lastUpdated: createdOn,
        altText: { [site(siteId).locales.primary.id]: '' },
        fileHash: request.fileHash.toLowerCase(),
        file: null,
      });
      const upload: PendingUpload = {
        assetId: id,
        siteId,
        key: `${siteId}/${id}_${fileName}`,
        expiresAt: Date.now() + uploadTtlMs,
        maxBytes: MAX_BYTES[kind],
        contentType: created.contentType,
      };
      state.uploads.push(upload);
      changed();
      return { asset: created, upload };
    },

    pendingUpload(key: string): PendingUpload | undefined {
      return state.uploads.find((u) => u.key === key);
    },

    /** The file of a pending upload arrived: checked by the S3 target before it calls this. */
    receiveFile(key: string, bytes: Uint8Array): WorldAsset {
      const upload = state.uploads.find((u) => u.key === key);
      if (!upload) throw new WorldError('not_found', `No upload is waiting for ${key}.`);
      const found = asset(upload.siteId, upload.assetId);
      found.file = { bytes };
      found.lastUpdated = now();
      state.uploads = state.uploads.filter((u) => u !== upload);
      changed();
      return found;
    },

    /** An upload through the Designer: the file is there at once. */
    createAssetWithFile(siteId: string, file: { fileName: string; contentType: string; bytes: Uint8Array }, folderId: string | null = null): WorldAsset {
      site(siteId);
      const problem = checkFile({ name: file.fileName, size: file.bytes.byteLength });
      if (problem) throw new WorldError('invalid', problem.message);
      if (folderId) folder(siteId, folderId);
      const createdOn = now();
      const created = insertAsset({
        id: newObjectId(),
        siteId,
        folderId,
        originalFileName: file.fileName,
        displayName: file.fileName,
        contentType: file.contentType || contentTypeOf(file.fileName),
        createdOn,
        lastUpdated: createdOn,
        altText: { [site(siteId).locales.primary.id]: '' },
        fileHash: md5Hex(file.bytes),
        file: { bytes: file.bytes },
      });
      changed();
      return created;
    },

    /** `setFile`: the same asset (id, names, alt text, folder, every use) with another file at a new hosted URL. */
    replaceFile(siteId: string, assetId: string, file: { fileName: string; contentType: string; bytes: Uint8Array }): WorldAsset {
      const found = asset(siteId, assetId);
      const problem = checkFile({ name: file.fileName, size: file.bytes.byteLength });
      if (problem) throw new WorldError('invalid', problem.message);
      found.file = { bytes: file.bytes };
      found.fileVersion = (found.fileVersion ?? 0) + 1;
      found.fileHash = md5Hex(file.bytes);
      found.contentType = file.contentType || contentTypeOf(file.fileName);
      found.originalFileName = file.fileName;
      found.lastUpdated = now();
      changed();
      return found;
    },

    deleteAsset(siteId: string | undefined, assetId: string): void {
      const found = asset(siteId, assetId);
      assets.delete(assetId);
      state.assets = state.assets.filter((a) => a !== found);
      const list = siteAssets.get(found.siteId);
      if (list) siteAssets.set(found.siteId, list.filter((a) => a !== found));
      state.uploads = state.uploads.filter((u) => u.assetId !== assetId);
      changed();
    },

    createFolder(siteId: string, request: { displayName: string; parentFolder?: string | null | undefined }): WorldFolder {
      site(siteId);
      const displayName = request.displayName.trim();
      if (!displayName) throw new WorldError('invalid', 'displayName is required.', [{ param: 'displayName', description: 'Required' }]);
      if (request.parentFolder) folder(siteId, request.parentFolder);
      const createdOn = now();
      const created: WorldFolder = { id: newObjectId(), siteId, displayName, parentFolder: request.parentFolder ?? null, createdOn, lastUpdated: createdOn };
      state.folders.push(created);
      folders.set(created.id, created);
      changed();
      return created;
    },

    // -------------------------------------------------------------------------- tokens

    issueToken(grant: { siteIds: string[]; scopes: readonly Scope[]; userId: string; grantType: AccessToken['grantType'] }): AccessToken {
      const token: AccessToken = {
        token: randomBytes(32).toString('hex'),
        siteIds: [...grant.siteIds],
        scopes: [...grant.scopes],
        userId: grant.userId,
        grantType: grant.grantType,
        createdOn: now(),
      };
      state.tokens.push(token);
      tokens.set(token.token, token);
      changed();
      return token;
    },
    token: (value: string): AccessToken | undefined => tokens.get(value),

    issueIdToken(siteId: string): string {
      const owner = site(siteId).userId;
      const expiresAt = Date.now() + ID_TOKEN_TTL_MS;
      const value = mintIdToken(state.signingKey, { userId: owner, siteId, expiresAt });
      const cutoff = Date.now();
      for (const [key, entry] of Object.entries(state.idTokens)) if (entry.expiresAt < cutoff) delete state.idTokens[key];
      state.idTokens[value] = { siteId, userId: owner, expiresAt };
      changed();
      return value;
    },
    idToken(value: string): IdToken | undefined {
      const found = state.idTokens[value];
      return found && found.expiresAt > Date.now() ? found : undefined;
    },

    issueCode(grant: { siteIds: string[]; userId: string; clientId: string; scopes: Scope[]; redirectUri?: string }): string {
      const code = randomBytes(20).toString('hex');
      state.codes[code] = { ...grant, expiresAt: Date.now() + 10 * 60_000 };
      changed();
      return code;
    },
    /** A code is good for one exchange. */
    takeCode(code: string): WorldState['codes'][string] | undefined {
      const found = state.codes[code];
      delete state.codes[code];
      if (found) changed();
      return found && found.expiresAt > Date.now() ? found : undefined;
    },
  };
}
