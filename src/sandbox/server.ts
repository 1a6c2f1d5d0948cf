/**
 * The sandbox: one HTTP server on 127.0.0.1 that is a local Webflow — the Data API v2, the
 * beta token resolve, OAuth, the S3 upload target, the CDN, the Designer API for browsers —
 * over one world seeded with the demo site. `npm start`, the tests and the benchmarks start it
 * with {@link createSandbox}; `npm run sandbox` runs it alone (`main.ts`).
 */
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { z } from 'zod';
import { dataApiRoutes } from './api/data-api.ts';
import { createGate, type Faults, type RateLimit } from './api/gate.ts';
import { oauthRoutes } from './api/oauth.ts';
import { storageRoutes } from './api/storage.ts';
import { designerRoutes } from './designer/routes.ts';
import { DESIGNER_SCRIPT_PATH } from './designer/wire.ts';
import { designerWorldOf } from './designer/world-adapter.ts';
import { canvasWorldOf } from './designer/canvas-world.ts';
import { stylesWorldOf } from './designer/styles-world.ts';
import { CANVAS_PATH } from './designer/canvas-wire.ts';
import { DEFAULT_SEED, generateDemoSite } from './seed/index.ts';
import { generateSiteContent } from './seed/site-content.ts';
import type { DemoSite, SeedOptions } from './seed/types.ts';
import { createWorldSaver, loadWorldState } from './world/persist.ts';
import { addSiteContent, emptySiteContent, type SiteContentState } from './world/site-content.ts';
import { ALL_SCOPES, createWorld, newObjectId, stateFromDemo, type Scope, type World, type WorldState } from './world/world.ts';

export type { Faults, RateLimit } from './api/gate.ts';

export interface SandboxOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Keep the world in this folder between runs; in memory when absent. */
  dataDir?: string;
  /** The demo site's size and seed (used when the folder holds no world yet). */
  demo?: SeedOptions;
  /** Per token; Webflow's default is 60 a minute. */
  rateLimit?: RateLimit;
  faults?: Faults;
  /** Added to every Designer API round trip. */
  designerLatencyMs?: number;
  /** How long upload policies last (10 minutes, as Webflow's). */
  uploadTtlMs?: number;
}

/** What `GET /_sandbox/info` answers and `npm run sandbox` prints. */
export interface SandboxInfo {
  baseUrl: string;
  apiBaseUrl: string;
  betaBaseUrl: string;
  oauthAuthorizeUrl: string;
  oauthTokenUrl: string;
  clientId: string;
  clientSecret: string;
  siteId: string;
  siteName: string;
  /** A site API token of the demo site with every scope. */
  siteToken: string;
  designerScriptUrl: string;
  /** The Designer's canvas of the demo site (docs/decisions/sandbox-canvas.md). */
  canvasUrl: string;
  rateLimit: RateLimit;
}

export interface Sandbox {
  url: string;
  info: SandboxInfo;
  world: World;
  setFaults(faults: Faults): void;
  close(): Promise<void>;
}

const faultsBody = z.object({
  latencyMs: z.number().int().min(0).max(60_000).optional(),
  errorRate: z.number().min(0).max(1).optional(),
  stormMs: z.number().int().min(0).max(3_600_000).optional(),
  storms: z
    .object({ everyMs: z.number().int().min(100).max(3_600_000), lastMs: z.number().int().min(1).max(3_600_000) })
    .refine((storms) => storms.lastMs < storms.everyMs, 'lastMs must be shorter than everyMs (a storm that never ends is stormMs)')
    .optional(),
  failAfterApplying: z
    .object({ count: z.number().int().min(0).max(1000), answer: z.enum(['error', 'drop']), route: z.string().max(200).optional() })
    .optional(),
});
const rateLimitBody = z.object({ perWindow: z.number().int().min(1).max(100_000), windowMs: z.number().int().min(100).max(3_600_000) });
const tokenBody = z.object({ siteIds: z.array(z.string()).min(1), scopes: z.array(z.enum(ALL_SCOPES)) });

export async function createSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const loaded = options.dataDir ? loadWorldState(options.dataDir) : undefined;
  const state = loaded ?? stateFromDemo(demoSites(options.demo));
  if (loaded && !loaded.content) loaded.content = contentForAssetsOnly(loaded);
  const saver = options.dataDir ? createWorldSaver(options.dataDir, () => state, loaded !== undefined) : undefined;
  const world = createWorld(state, () => saver?.schedule());
  const mainSite = state.sites[0];
  if (!mainSite) throw new Error('The sandbox world has no site.');
  const kept = state.tokens.find((t) => t.grantType === 'site_token' && t.siteIds.includes(mainSite.id));
  // The site token has every scope, those added since it was saved included (pages, components, CMS).
  if (kept) kept.scopes = [...new Set([...kept.scopes, ...ALL_SCOPES])];
  const siteToken = kept?.token ?? world.issueToken({ siteIds: [mainSite.id], scopes: ALL_SCOPES, userId: mainSite.userId, grantType: 'site_token' }).token;
  saver?.flush();

  let baseUrl = '';
  const base = (): string => baseUrl;
  const gate = createGate(world, { rateLimit: options.rateLimit ?? { perWindow: 60, windowMs: 60_000 }, ...(options.faults ? { faults: options.faults } : {}) });
  const info = (): SandboxInfo => ({
    baseUrl,
    apiBaseUrl: `${baseUrl}/v2`,
    betaBaseUrl: `${baseUrl}/beta`,
    oauthAuthorizeUrl: `${baseUrl}/oauth/authorize`,
    oauthTokenUrl: `${baseUrl}/oauth/access_token`,
    clientId: state.oauthApp.clientId,
    clientSecret: state.oauthApp.clientSecret,
    siteId: mainSite.id,
    siteName: mainSite.displayName,
    siteToken,
    designerScriptUrl: `${baseUrl}${DESIGNER_SCRIPT_PATH}?siteId=${mainSite.id}`,
    canvasUrl: `${baseUrl}${CANVAS_PATH}?siteId=${mainSite.id}`,
    rateLimit: gate.rateLimit(),
  });

  const app = new Hono();
  app.get('/', (c) => c.redirect('/_sandbox/info'));
  app.get('/_sandbox/info', (c) => c.json(info()));
  app.get('/_sandbox/stats', (c) => c.json(gate.stats()));
  app.post('/_sandbox/stats/reset', (c) => {
    gate.resetStats();
    return c.body(null, 204);
  });
  app.get('/_sandbox/faults', (c) => c.json(gate.faults()));
  app.put('/_sandbox/faults', async (c) => {
    const parsed = faultsBody.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return c.json({ message: parsed.error.message }, 400);
    gate.setFaults(parsed.data);
    return c.json(gate.faults());
  });
  app.put('/_sandbox/rate-limit', async (c) => {
    const parsed = rateLimitBody.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return c.json({ message: parsed.error.message }, 400);
    gate.setRateLimit(parsed.data);
    return c.json(gate.rateLimit());
  });
  /** A token with chosen sites and scopes, to test refusals (missing scope, another site). */
  app.post('/_sandbox/tokens', async (c) => {
    const parsed = tokenBody.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return c.json({ message: parsed.error.message }, 400);
    for (const id of parsed.data.siteIds) world.site(id);
    const token = world.issueToken({ siteIds: parsed.data.siteIds, scopes: parsed.data.scopes as Scope[], userId: mainSite.userId, grantType: 'authorization_code' });
    return c.json({ token: token.token }, 201);
  });
  app.route('/', oauthRoutes(world));
  app.route('/', storageRoutes(world, base));
  const designerWorld = designerWorldOf(world, base);
  app.route('/', designerRoutes(designerWorld, { canvas: canvasWorldOf(world), styles: stylesWorldOf(world, designerWorld), ...(options.designerLatencyMs !== undefined ? { latencyMs: options.designerLatencyMs } : {}) }));
  app.route('/', dataApiRoutes({ world, gate, baseUrl: base, ...(options.uploadTtlMs !== undefined ? { uploadTtlMs: options.uploadTtlMs } : {}) }));

  const server: ServerType = serve({ fetch: app.fetch, port: options.port ?? 0, hostname: '127.0.0.1' });
  keepConnectionsLonger(server);
  await new Promise<void>((resolve, reject) => {
    if (server.listening) resolve();
    server.once('listening', () => resolve());
    server.once('error', reject);
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: baseUrl,
    info: info(),
    world,
    setFaults: (faults) => gate.setFaults(faults),
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
      saver?.flush();
    },
  };
}

/**
 * A world saved before the sandbox had pages and a CMS gets them now, made from its assets as the
 * demo's are (with the default seed), so an existing `.data/` shows the whole site too.
 */
function contentForAssetsOnly(state: WorldState): SiteContentState {
  const content = emptySiteContent();
  for (const site of state.sites) {
    const generated = generateSiteContent({
      seed: DEFAULT_SEED,
      locales: site.locales,
      assets: state.assets.filter((a) => a.siteId === site.id),
      folders: state.folders.filter((f) => f.siteId === site.id),
      created: Date.parse(site.createdOn),
      updated: Date.parse(site.lastUpdated),
    });
    addSiteContent(content, site.id, generated);
  }
  return content;
}

/** The demo user's site, and a small site of another user (whose objects the demo's tokens never see). */
function demoSites(options: SeedOptions = {}): DemoSite[] {
  const main = generateDemoSite(options);
  const other = generateDemoSite({ assets: 8, seed: (options.seed ?? 1) + 7919 });
  return [
    main,
    {
      ...other,
      user: { id: newObjectId(), email: 'sam@harbour-studio.example', firstName: 'Sam', lastName: 'Okafor' },
      site: { ...other.site, id: newObjectId(), displayName: 'Harbour Studio', shortName: 'harbour-studio' },
    },
  ];
}

/**
 * Node closes an idle keep-alive connection after 5 s, and a client that reuses it at that
 * moment gets ECONNRESET; that happens whenever a client in the same process held the event loop
 * (an embedded database opening) across the timeout. Clients keep idle connections a little
 * shorter than the server says it will (undici: a second less), so a long server timeout is what
 * makes that race go away; load balancers in front of Webflow keep them about a minute too.
 */
function keepConnectionsLonger(server: ServerType): void {
  if (!('keepAliveTimeout' in server)) return;
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
}
