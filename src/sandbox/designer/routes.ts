/**
 * The sandbox's Designer API over HTTP: what the browser script's `webflow` global calls, one
 * request per Designer call. Mounted by the sandbox server; shares the world with the Data
 * API, so an alt text set here shows in `GET /v2/assets/{id}` and the other way round.
 */
import { Hono, type Context } from 'hono';
import { cors } from 'hono/cors';
import { z } from 'zod';
import { checkFile, contentTypeOf } from '../../core/limits.ts';
import { APP_MODES, isAppMode } from './app-modes.ts';
import { createDesignerStates } from './designer-state.ts';
import { body } from './arguments.ts';
import { canvasPageRoutes } from './canvas-page.ts';
import type { CanvasWorld } from './canvas-port.ts';
import { canvasApi } from './canvas-routes.ts';
import { createCanvasStates, type CanvasStates } from './canvas-state.ts';
import { DesignerFailure, type DesignerAsset, type DesignerWorld, type NewFile } from './port.ts';
import { buildDesignerScript } from './script.ts';
import type { StylesWorld } from './styles-port.ts';
import { stylesApi } from './styles-routes.ts';
import { DESIGNER_PATH, DESIGNER_SCRIPT_PATH, STATUS_OF_TAG, type DesignerErrorBody } from './wire.ts';

export interface DesignerRoutesOptions {
  /** Delay per round trip, like the Designer's own messaging (0 by default). */
  latencyMs?: number;
  /** The site's pages for the canvas part (canvas-routes.ts); without it the canvas calls are not answered. */
  canvas?: CanvasWorld;
  /** The site's styles (styles-routes.ts); without it the styles calls are not answered. */
  styles?: StylesWorld;
}

type Env = { Variables: { siteId: string } };

const LOOPBACK_ORIGIN = /^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?$/;

const SIZE_PRESETS = ['default', 'compact', 'comfortable', 'large'] as const;
const extensionSize = z.union([
  z.enum(SIZE_PRESETS),
  z.object({ width: z.number().int().min(240).max(1200), height: z.number().int().min(360).max(800) }),
]);
const notice = z.object({
  type: z.enum(['Error', 'Info', 'Success', 'Warning']),
  message: z.string().min(1),
  dismissAfter: z.number().int().positive().optional(),
});
const altTextChange = z.object({ altText: z.string().nullable(), localeId: z.string().min(1).optional() });
const nameChange = z.object({ name: z.string().trim().min(1, 'A name cannot be empty.') });
const parentChange = z.object({ folderId: z.string().min(1) });
const newFolder = z.object({ name: z.string().trim().min(1, 'A folder needs a name.'), parentFolderId: z.string().min(1).optional() });
const abilities = z.object({ appModes: z.array(z.string()) });
const batchCalls = z
  .array(
    z.object({
      method: z.enum(['GET', 'POST', 'PUT']),
      path: z.string().startsWith('/'),
      query: z.record(z.string(), z.string()).optional(),
      body: z.unknown().optional(),
    }),
  )
  .min(1)
  .max(500);
const settings = z.object({
  capabilities: z.record(z.string(), z.boolean()).optional(),
  latencyMs: z.number().int().min(0).max(60_000).optional(),
});

/**
 * The Designer routes and the script, in one app to mount at the server's root:
 * `app.route('/', designerRoutes(world, { latencyMs }))`.
 */
export function designerRoutes(world: DesignerWorld, options: DesignerRoutesOptions = {}): Hono {
  const app = new Hono();
  app.use(`${DESIGNER_PATH}/*`, cors({ origin: (origin) => (LOOPBACK_ORIGIN.test(origin) ? origin : null) }));
  app.get(DESIGNER_SCRIPT_PATH, async (c) => {
    const siteId = c.req.query('siteId');
    if (!siteId) throw new DesignerFailure('InvalidRequest', `Load the script as ${DESIGNER_SCRIPT_PATH}?siteId=<your site id>.`);
    world.siteInfo(siteId);
    return c.body(await buildDesignerScript(), 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' });
  });
  const canvas = options.canvas ? { canvas: options.canvas, states: createCanvasStates(options.canvas) } : undefined;
  if (canvas) app.route('/', canvasPageRoutes({ world, ...canvas }));
  app.route(DESIGNER_PATH, designerApi(world, options, canvas));
  app.onError((error, c) => failure(c, error));
  return app;
}

function designerApi(world: DesignerWorld, options: DesignerRoutesOptions, canvas: { canvas: CanvasWorld; states: CanvasStates } | undefined): Hono<Env> {
  const states = createDesignerStates();
  let latencyMs = options.latencyMs ?? 0;
  const api = new Hono<Env>();
  api.onError((error, c) => failure(c, error));

  api.use('*', async (c, next) => {
    const siteId = c.req.query('siteId');
    if (!siteId) throw new DesignerFailure('InvalidRequest', 'Every Designer call names its site: add ?siteId=<site id>.');
    world.siteInfo(siteId); // throws ResourceMissing for an unknown site
    c.set('siteId', siteId);
    // A batch is transport, not a Designer call: each call in it waits its own round trip.
    if (latencyMs > 0 && c.req.path !== '/batch') await new Promise((resolve) => setTimeout(resolve, latencyMs));
    await next();
  });

  /**
   * Calls made at the same moment, in one request. The real Designer answers over postMessage,
   * where any number of calls can be in flight; over HTTP a browser keeps six connections to
   * the sandbox, which would cap a panel's concurrency below what it has in Webflow. Each call
   * runs as if alone (its own latency, answer and error), all of them at once.
   */
  api.post('/batch', async (c) => {
    const calls = await body(c, batchCalls);
    const answers = await Promise.all(
      calls.map(async (call) => {
        const url = new URL(call.path, 'http://designer.invalid');
        if (url.pathname === '/batch') return { status: 400, payload: { error: { tag: 'InvalidRequest', message: 'A batch cannot hold a batch.' } } };
        if (url.pathname === '/events') return { status: 400, payload: { error: { tag: 'InvalidRequest', message: 'The event stream is not a call; open it on its own (GET /events).' } } };
        for (const [name, value] of Object.entries(call.query ?? {})) url.searchParams.set(name, value);
        url.searchParams.set('siteId', c.var.siteId);
        const response = await api.request(`${url.pathname}${url.search}`, {
          method: call.method,
          ...(call.body === undefined ? {} : { body: JSON.stringify(call.body), headers: { 'content-type': 'application/json' } }),
        });
        return { status: response.status, payload: (await response.json().catch(() => null)) as unknown };
      }),
    );
    return c.json(answers);
  });

  const requireAbility = (siteId: string, mode: 'canAccessAssets' | 'canManageAssets'): void => {
    if (!states.of(siteId).capabilities[mode]) {
      const what = mode === 'canManageAssets' ? 'change assets' : 'see assets';
      throw new DesignerFailure('Forbidden', `This user's role cannot ${what} on this site (${mode} is off). Ask a site admin for access.`);
    }
  };
  const asset = (siteId: string, assetId: string): DesignerAsset => {
    requireAbility(siteId, 'canAccessAssets');
    const found = world.findAsset(siteId, assetId);
    if (!found) throw new DesignerFailure('ResourceMissing', `The asset ${assetId} is not on this site; it may have been deleted.`);
    return found;
  };
  const locale = (siteId: string, localeId: string | undefined): string => {
    const ids = world.localeIds(siteId);
    if (localeId === undefined) return ids[0] as string;
    if (!ids.includes(localeId)) throw new DesignerFailure('ResourceMissing', `The locale ${localeId} is not one of this site's locales (${ids.join(', ')}).`);
    return localeId;
  };

  // Site, session and the Designer's own chrome.
  api.get('/site', (c) => c.json(world.siteInfo(c.var.siteId)));
  api.post('/id-token', (c) => c.json({ idToken: world.issueIdToken(c.var.siteId) }));
  api.post('/notify', async (c) => {
    states.notify(c.var.siteId, await body(c, notice));
    return c.json(null);
  });
  api.post('/extension-size', async (c) => {
    states.resize(c.var.siteId, (await body(c, z.object({ size: extensionSize }))).size);
    return c.json(null);
  });
  api.post('/app-modes', async (c) => {
    const { appModes } = await body(c, abilities);
    const unknown = appModes.filter((mode) => !isAppMode(mode));
    if (unknown.length > 0) throw new DesignerFailure('InvalidRequest', `Unknown app mode ${unknown.join(', ')}; use webflow.appModes.<name>.`);
    return c.json(states.of(c.var.siteId).capabilities);
  });
  api.get('/state', (c) => c.json(states.of(c.var.siteId)));
  api.put('/settings', async (c) => {
    const change = await body(c, settings);
    const modes = Object.entries(change.capabilities ?? {});
    const unknown = modes.filter(([mode]) => !isAppMode(mode)).map(([mode]) => mode);
    if (unknown.length > 0) throw new DesignerFailure('InvalidRequest', `Unknown app mode ${unknown.join(', ')}; known: ${APP_MODES.join(', ')}.`);
    states.setCapabilities(c.var.siteId, Object.fromEntries(modes));
    if (change.latencyMs !== undefined) latencyMs = change.latencyMs;
    return c.json({ ...states.of(c.var.siteId), latencyMs });
  });

  // Assets.
  api.get('/assets', (c) => {
    requireAbility(c.var.siteId, 'canAccessAssets');
    return c.json({ ids: world.listAssetIds(c.var.siteId) });
  });
  api.post('/assets', async (c) => {
    requireAbility(c.var.siteId, 'canManageAssets');
    const created = world.createAsset(c.var.siteId, await uploadedFile(c));
    return c.json({ id: created.id });
  });
  api.get('/assets/:id', (c) => {
    requireAbility(c.var.siteId, 'canAccessAssets');
    return c.json({ exists: world.findAsset(c.var.siteId, c.req.param('id')) !== undefined });
  });
  api.get('/assets/:id/name', (c) => c.json({ name: asset(c.var.siteId, c.req.param('id')).displayName }));
  api.on(['PUT', 'POST'], '/assets/:id/name', async (c) => {
    const { name } = await body(c, nameChange);
    const { id } = asset(c.var.siteId, c.req.param('id'));
    requireAbility(c.var.siteId, 'canManageAssets');
    world.updateAsset(c.var.siteId, id, { displayName: name });
    return c.json(null);
  });
  api.get('/assets/:id/alt-text', (c) => {
    const { id } = asset(c.var.siteId, c.req.param('id'));
    return c.json({ altText: world.altText(c.var.siteId, id, locale(c.var.siteId, c.req.query('localeId'))) });
  });
  api.on(['PUT', 'POST'], '/assets/:id/alt-text', async (c) => {
    const change = await body(c, altTextChange);
    const { id } = asset(c.var.siteId, c.req.param('id'));
    requireAbility(c.var.siteId, 'canManageAssets');
    world.updateAsset(c.var.siteId, id, { altText: change.altText, localeId: locale(c.var.siteId, change.localeId) });
    return c.json(null);
  });
  api.get('/assets/:id/url', (c) => c.json({ url: asset(c.var.siteId, c.req.param('id')).hostedUrl }));
  api.get('/assets/:id/mime-type', (c) => c.json({ mimeType: asset(c.var.siteId, c.req.param('id')).contentType }));
  api.get('/assets/:id/parent', (c) => c.json({ folderId: asset(c.var.siteId, c.req.param('id')).folderId }));
  api.on(['PUT', 'POST'], '/assets/:id/parent', async (c) => {
    const { folderId } = await body(c, parentChange);
    const { id } = asset(c.var.siteId, c.req.param('id'));
    requireAbility(c.var.siteId, 'canManageAssets');
    if (!world.listFolders(c.var.siteId).some((folder) => folder.id === folderId)) {
      throw new DesignerFailure('ResourceMissing', `The folder ${folderId} is not on this site; list the folders again and pick one.`);
    }
    world.updateAsset(c.var.siteId, id, { folderId });
    return c.json(null);
  });
  api.on(['PUT', 'POST'], '/assets/:id/file', async (c) => {
    const { id } = asset(c.var.siteId, c.req.param('id'));
    requireAbility(c.var.siteId, 'canManageAssets');
    world.replaceFile(c.var.siteId, id, await uploadedFile(c));
    return c.json(null);
  });

  // Folders.
  api.get('/folders', (c) => {
    requireAbility(c.var.siteId, 'canAccessAssets');
    return c.json({ ids: world.listFolders(c.var.siteId).map((folder) => folder.id) });
  });
  api.get('/folders/:id/name', (c) => {
    requireAbility(c.var.siteId, 'canAccessAssets');
    const folder = world.listFolders(c.var.siteId).find((each) => each.id === c.req.param('id'));
    if (!folder) throw new DesignerFailure('ResourceMissing', `The folder ${c.req.param('id')} is not on this site; it may have been deleted.`);
    return c.json({ name: folder.displayName });
  });
  api.post('/folders', async (c) => {
    const { name, parentFolderId } = await body(c, newFolder);
    requireAbility(c.var.siteId, 'canManageAssets');
    const folders = world.listFolders(c.var.siteId);
    if (parentFolderId !== undefined && !folders.some((folder) => folder.id === parentFolderId)) {
      throw new DesignerFailure('ResourceMissing', `The parent folder ${parentFolderId} is not on this site; list the folders again and pick one.`);
    }
    const parentFolder = parentFolderId ?? null;
    if (folders.some((folder) => folder.parentFolder === parentFolder && folder.displayName === name)) {
      throw new DesignerFailure('DuplicateValue', `There is already a folder named “${name}” here; pick another name.`);
    }
    return c.json({ id: world.createFolder(c.var.siteId, { displayName: name, parentFolder }).id });
  });

  if (options.styles) api.route('/', stylesApi({ styles: options.styles, can: (siteId, mode) => states.of(siteId).capabilities[mode] }));
  if (canvas) api.route('/', canvasApi({ world, ...canvas, can: (siteId, mode) => states.of(siteId).capabilities[mode] }));

  // A catch-all route rather than notFound: a mounted app's notFound is not consulted.
  api.all('*', (c) => failure(c, new DesignerFailure('InvalidRequest', `The sandbox Designer has no ${c.req.method} ${c.req.path}.`)));
  return api;
}

/** The `file` of a multipart body, checked against Webflow's limits like an upload. */
async function uploadedFile(c: Context): Promise<NewFile> {
  const form = await c.req.parseBody().catch(() => {
    throw new DesignerFailure('InvalidRequest', 'Send the file as multipart form data with a "file" field.');
  });
  const file = form['file'];
  if (!(file instanceof File)) throw new DesignerFailure('InvalidRequest', 'Pass a File to upload (the "file" field is missing).');
  const problem = checkFile({ name: file.name, size: file.size });
  if (problem) throw new DesignerFailure('InvalidRequest', problem.message);
  return { fileName: file.name, contentType: contentTypeOf(file.name), bytes: new Uint8Array(await file.arrayBuffer()) };
}

function failure(c: Context, error: unknown): Response {
  const known = error instanceof DesignerFailure ? error : undefined;
  const tag = known?.tag ?? 'InternalError';
  const message = known?.message ?? `The sandbox Designer failed: ${error instanceof Error ? error.message : String(error)}`;
  const payload: DesignerErrorBody = { error: { tag, message } };
  return c.json(payload, STATUS_OF_TAG[tag]);
}
