/**
 * The sandbox's Data API v2 (sites, assets, asset folders, token introspection) and the beta
 * token resolve, with Webflow's paths, status codes and error bodies. Mount at the root:
 * `app.route('/', dataApiRoutes(...))`; every route is behind the {@link Gate}.
 */
import { createHash, createHmac } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { wellFormed } from '../../core/api.ts';
import { WorldError, type World, type WorldAsset } from '../world/world.ts';
import { cmsRoutes } from './cms.ts';
import { componentRoutes } from './components.ts';
import { missingScope, outsideSite, webflowError, type Gate, type GateEnv } from './gate.ts';
import { pageRoutes } from './pages.ts';
import { BadBody, body, intParam, objectId } from './params.ts';
import { wireAsset, wireFolder, wireSite } from './wire.ts';

export const MAX_PAGE = 100;
export const UPLOAD_BUCKET = 'webflow-sandbox-assets';

export interface DataApiOptions {
  world: World;
  gate: Gate;
  /** The sandbox's own base URL, known once it listens. */
  baseUrl(): string;
  /** How long upload policies last (tests shorten it to see one expire). */
  uploadTtlMs?: number;
}

const createAssetBody = z.object({
  fileName: z.string(),
  fileHash: z.string(),
  parentFolder: z.string().nullable().optional(),
});
const updateAssetBody = z.object({
  displayName: z.string().optional(),
  altText: z.string().max(2000).nullable().optional(),
  localeId: z.string().optional(),
});
const createFolderBody = z.object({
  displayName: z.string(),
  parentFolder: z.string().nullable().optional(),
});
const resolveBody = z.object({ idToken: z.string().min(1) });

export function dataApiRoutes(options: DataApiOptions): Hono<GateEnv> {
  const { world, gate, baseUrl } = options;
  const app = new Hono<GateEnv>();
  app.use('/v2/*', gate.middleware);
  app.use('/beta/*', gate.middleware);

  app.onError((error, c) => {
    if (error instanceof WorldError) {
      if (error.kind === 'not_found') return webflowError(c, 404, 'resource_not_found', `Requested resource not found: ${error.message}`);
      if (error.kind === 'conflict') return webflowError(c, 409, 'conflict', error.message, error.details);
      return webflowError(c, 400, 'validation_error', `Validation Error: ${error.message}`, error.details);
    }
    if (error instanceof BadBody) return webflowError(c, 400, 'bad_request', error.message, error.details);
    console.error('sandbox: unexpected error', error instanceof Error ? error.message : error);
    return webflowError(c, 500, 'internal_error', 'An Internal Error occurred');
  });

  // ------------------------------------------------------------------------------ token

  app.get('/v2/token/introspect', (c) => {
    const token = c.get('token');
    const sites = token.siteIds.map((id) => world.site(id));
    return c.json({
      authorization: {
        id: token.token.slice(0, 24),
        createdOn: token.createdOn,
        lastUsed: new Date().toISOString(),
        grantType: token.grantType === 'site_token' ? 'site_token' : 'authorization_code',
        rateLimit: gate.rateLimit().perWindow,
        scope: token.scopes.join(','),
        authorizedTo: {
          siteIds: token.siteIds,
          workspaceIds: [...new Set(sites.map((s) => s.workspaceId))],
          userIds: [token.userId],
        },
      },
      application: { id: appObjectId(world.state.oauthApp.clientId), description: 'Asset Desk in the sandbox', homepage: baseUrl(), displayName: world.state.oauthApp.displayName },
    });
  });

  app.get('/v2/token/authorized_by', (c) => {
    const refused = missingScope(c, 'authorized_user:read');
    if (refused) return refused;
    const user = world.user(c.get('token').userId);
    return c.json({ id: user.id, email: user.email, firstName: user.firstName, lastName: user.lastName });
  });

  app.post('/beta/token/resolve', async (c) => {
    const refused = missingScope(c, 'authorized_user:read');
    if (refused) return refused;
    const { idToken } = await body(c, resolveBody);
    const resolved = world.idToken(idToken);
    if (!resolved || !c.get('token').siteIds.includes(resolved.siteId)) {
      return webflowError(c, 401, 'not_authorized', 'Request not authorized: the ID token is invalid or expired');
    }
    const user = world.user(resolved.userId);
    return c.json({ id: user.id, email: user.email, firstName: user.firstName, lastName: user.lastName, siteId: resolved.siteId });
  });

  // ------------------------------------------------------------------------------ sites

  app.get('/v2/sites', (c) => {
    const refused = missingScope(c, 'sites:read');
    if (refused) return refused;
    return c.json({ sites: c.get('token').siteIds.map((id) => wireSite(world.site(id))) });
  });

  app.get('/v2/sites/:siteId', (c) => {
    const siteId = c.req.param('siteId');
    const refused = missingScope(c, 'sites:read') ?? outsideSite(c, siteId);
    if (refused) return refused;
    return c.json(wireSite(world.site(siteId)));
  });

  // ------------------------------------------------------------------------------ assets

  app.get('/v2/sites/:siteId/assets', (c) => {
    const siteId = c.req.param('siteId');
    const refused = missingScope(c, 'assets:read') ?? outsideSite(c, siteId);
    if (refused) return refused;
    const offset = intParam(c.req.query('offset'), 'offset', 0, 0, Number.MAX_SAFE_INTEGER);
    const limit = intParam(c.req.query('limit'), 'limit', MAX_PAGE, 1, MAX_PAGE);
    const localeId = world.locale(siteId, c.req.query('localeId')).id;
    const folderId = c.req.query('folderId') || undefined;
    if (folderId && !/^[a-f0-9]{24}$/.test(folderId)) {
      throw new BadBody('folderId must be a 24-character hex ObjectId', [{ param: 'folderId', description: 'Invalid ObjectId' }]);
    }
    const all = world.listAssets(siteId, folderId);
    const page = all.slice(offset, offset + limit);
    return c.json({
      assets: page.map((a) => wireAsset(world, a, baseUrl(), localeId, true)),
      pagination: { limit, offset, total: all.length },
    });
  });

  app.post('/v2/sites/:siteId/assets', async (c) => {
    const siteId = c.req.param('siteId');
    const refused = missingScope(c, 'assets:write') ?? outsideSite(c, siteId);
    if (refused) return refused;
    const request = await body(c, createAssetBody);
    const { asset, upload } = world.createAsset(siteId, { fileName: request.fileName, fileHash: request.fileHash, parentFolder: request.parentFolder ?? undefined }, options.uploadTtlMs);
    const base = baseUrl();
    return c.json({
      uploadDetails: uploadDetails(world, upload.key, upload.contentType, upload.maxBytes, upload.expiresAt),
      contentType: asset.contentType,
      id: asset.id,
      parentFolder: asset.folderId,
      uploadUrl: `${base}/_sandbox/s3/${UPLOAD_BUCKET}`,
      assetUrl: `${base}/_sandbox/s3/${UPLOAD_BUCKET}/${encodeURI(wellFormed(upload.key))}`,
      hostedUrl: wireAsset(world, asset, base, world.site(siteId).locales.primary.id, false).hostedUrl,
      originalFileName: asset.originalFileName,
      createdOn: asset.createdOn,
      lastUpdated: asset.lastUpdated,
    });
  });

  const assetOfToken = (c: Context<GateEnv>, assetId: string): WorldAsset => {
    const asset = world.asset(undefined, assetId);
    if (!c.get('token').siteIds.includes(asset.siteId)) throw new WorldError('not_found', `Asset ${assetId} was not found.`);
    return asset;
  };

  app.get('/v2/assets/:assetId', (c) => {
    const refused = missingScope(c, 'assets:read');
    if (refused) return refused;
    const asset = assetOfToken(c, c.req.param('assetId'));
    const localeId = world.locale(asset.siteId, c.req.query('localeId')).id;
    return c.json(wireAsset(world, asset, baseUrl(), localeId, false));
  });

  app.patch('/v2/assets/:assetId', async (c) => {
    const refused = missingScope(c, 'assets:write');
    if (refused) return refused;
    const asset = assetOfToken(c, c.req.param('assetId'));
    const update = await body(c, updateAssetBody);
    const localeId = world.locale(asset.siteId, c.req.query('localeId') || update.localeId).id;
    const updated = world.updateAsset(asset.siteId, asset.id, {
      ...(update.displayName !== undefined ? { displayName: update.displayName } : {}),
      ...(update.altText !== undefined ? { altText: update.altText, localeId } : {}),
    });
    return c.json(wireAsset(world, updated, baseUrl(), localeId, false));
  });

  // v2.yml: `asset_id` is an objectid (anything else is a 400), and the answer is 204 with no body.
  app.delete('/v2/assets/:assetId', (c) => {
    const refused = missingScope(c, 'assets:write');
    if (refused) return refused;
    const asset = assetOfToken(c, objectId(c.req.param('assetId'), 'asset_id'));
    world.deleteAsset(asset.siteId, asset.id);
    return c.body(null, 204);
  });

  // ------------------------------------------------------------------------------ folders

  app.get('/v2/sites/:siteId/asset_folders', (c) => {
    const siteId = c.req.param('siteId');
    const refused = missingScope(c, 'assets:read') ?? outsideSite(c, siteId);
    if (refused) return refused;
    const folders = world.listFolders(siteId);
    // Each folder's members pushed in place: copying the list for every asset took 34 s at 100,000 assets.
    const members = new Map<string, string[]>();
    for (const asset of world.listAssets(siteId)) {
      if (!asset.folderId) continue;
      const ids = members.get(asset.folderId);
      if (ids) ids.push(asset.id);
      else members.set(asset.folderId, [asset.id]);
    }
    return c.json({
      assetFolders: folders.map((f) => wireFolder(f, members.get(f.id) ?? [])),
      pagination: { limit: folders.length, offset: 0, total: folders.length },
    });
  });

  app.post('/v2/sites/:siteId/asset_folders', async (c) => {
    const siteId = c.req.param('siteId');
    const refused = missingScope(c, 'assets:write') ?? outsideSite(c, siteId);
    if (refused) return refused;
    const request = await body(c, createFolderBody);
    const folder = world.createFolder(siteId, { displayName: request.displayName, parentFolder: request.parentFolder ?? null });
    return c.json(wireFolder(folder, []));
  });

  app.get('/v2/asset_folders/:folderId', (c) => {
    const refused = missingScope(c, 'assets:read');
    if (refused) return refused;
    const folder = world.folder(undefined, c.req.param('folderId'));
    const outside = outsideSite(c, folder.siteId);
    if (outside) return webflowError(c, 404, 'resource_not_found', `Requested resource not found: asset folder ${folder.id}`);
    return c.json(wireFolder(folder, world.assetIdsIn(folder.id)));
  });

  app.route('/', pageRoutes(world));
  app.route('/', componentRoutes(world));
  app.route('/', cmsRoutes(world, baseUrl));

  app.all('/v2/*', (c) => webflowError(c, 404, 'resource_not_found', `Route not found: ${c.req.method} ${new URL(c.req.url).pathname}`));
  return app;
}

/**
 * Presigned POST fields in Webflow's wire names and order. The policy names the key, the
 * content type and the size range, and expires; the signature is an HMAC of the policy with
 * the sandbox's signing key, which the S3 target checks.
 */
export function uploadDetails(world: World, key: string, contentType: string, maxBytes: number, expiresAt: number): Record<string, string> {
  const date = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const credential = `SANDBOXACCESSKEY/${date.slice(0, 8)}/us-east-1/s3/aws4_request`;
  const cacheControl = 'max-age=31536000, must-revalidate';
  const policy = Buffer.from(
    JSON.stringify({
      expiration: new Date(expiresAt).toISOString(),
      conditions: [
        { acl: 'public-read' },
        { bucket: UPLOAD_BUCKET },
        { key },
        { 'content-type': contentType },
        { 'Cache-Control': cacheControl },
        { success_action_status: '201' },
        ['content-length-range', 0, maxBytes],
        { 'x-amz-algorithm': 'AWS4-HMAC-SHA256' },
        { 'x-amz-credential': credential },
        { 'x-amz-date': date },
      ],
    }),
  ).toString('base64');
  return {
    acl: 'public-read',
    bucket: UPLOAD_BUCKET,
    'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
    'X-Amz-Credential': credential,
    'X-Amz-Date': date,
    key,
    Policy: policy,
    'X-Amz-Signature': signPolicy(world, policy),
    success_action_status: '201',
    'content-type': contentType,
    'Cache-Control': cacheControl,
  };
}

/** Webflow's application ids are ObjectIds; the sandbox's client id is not one, so one is derived from it. */
function appObjectId(clientId: string): string {
  return createHash('sha256').update(clientId).digest('hex').slice(0, 24);
}

export function signPolicy(world: World, policy: string): string {
  return createHmac('sha256', world.state.signingKey).update(policy).digest('hex');
}
