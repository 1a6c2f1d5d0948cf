/**
 * The whole backend app (src/server/app.ts: edge checks, sessions, every route) over the real
 * services, a test store and the in-memory Webflow, for `app.request` tests of the edge: what
 * any client, signed in or not, can send to any route.
 */
import { Hono } from 'hono';
import { createApp } from '../../src/server/app.ts';
import { deletionRoutes } from '../../src/server/deletion/routes.ts';
import { createDeletions } from '../../src/server/deletion/service.ts';
import { createCsvExchange } from '../../src/server/csv/exchange.ts';
import { csvRoutes } from '../../src/server/csv/routes.ts';
import { createReport } from '../../src/server/report/service.ts';
import { reportRoutes } from '../../src/server/report/routes.ts';
import { thumbnailKeyRoutes, thumbnailsRoutes } from '../../src/server/thumbnails/routes.ts';
import { createThumbnails } from '../../src/server/thumbnails/service.ts';
import { signSession } from '../../src/server/crypto.ts';
import type { AppEnv } from '../../src/server/env.ts';
import { indexRoutes } from '../../src/server/routes/asset-index.ts';
import { changesRoutes } from '../../src/server/routes/changes.ts';
import { foldersRoutes } from '../../src/server/routes/folders.ts';
import { uploadsRoutes } from '../../src/server/routes/uploads.ts';
import { createAssetIndex } from '../../src/server/services/asset-index.ts';
import { createFolders } from '../../src/server/services/folders.ts';
import type { Installations } from '../../src/server/services/installations.ts';
import { createJournal } from '../../src/server/services/journal.ts';
import { createSessions } from '../../src/server/services/sessions.ts';
import { createUploads } from '../../src/server/services/uploads.ts';
import type { Store } from '../../src/server/store/db.ts';
import { usageRoutes } from '../../src/server/usage/routes.ts';
import { createUsageIndex } from '../../src/server/usage/usage-index.ts';
import { FakeSiteContent } from './fake-site-content.ts';
import { FakeWebflow } from './fake-webflow.ts';

export const SITE = 'site1';
const SECRET = Buffer.alloc(32, 7);

export interface FullApp {
  app: Hono<AppEnv>;
  webflow: FakeWebflow;
  /** Pages, components and CMS of the same sites (the usage index's reads). */
  content: FakeSiteContent;
  /** `Authorization` of a valid session of {@link SITE}. */
  authorization: string;
  /** Server errors the app logged (a 500 logs one). */
  logged: string[];
  /** Waits for background work the requests started (refreshes). */
  idle(): Promise<void>;
}

export function fullApp(store: Store, options: { panelOrigins?: string[] } = {}): FullApp {
  const webflow = new FakeWebflow();
  webflow.addSite(SITE);
  webflow.addAsset(SITE, { altText: 'A lake' });
  const getSiteToken = async (siteId: string) => webflow.tokens.get(siteId);
  const installations: Installations = { save: async () => undefined, tokenOf: getSiteToken, scopesOf: async () => undefined };
  const journal = createJournal({ store });
  const index = createAssetIndex({ store, webflow, getSiteToken });
  const content = new FakeSiteContent(webflow);
  const usage = createUsageIndex({ store, reader: content, getSiteToken });
  const uploads = createUploads({ store, webflow, index, getSiteToken, fetch: async () => new Response('Not Found', { status: 404 }) });
  const folders = createFolders({ webflow, index, getSiteToken });
  const deletions = createDeletions({ store, journal, usage, graceDays: 7 });
  const sessions = createSessions({ installations, webflow, store, secret: SECRET, installUrl: 'http://backend.test/oauth/install' });
  // Hosted files are not on loopback here: a thumbnail's file is never read.
  const thumbnails = createThumbnails({ store, secret: SECRET, allowLoopback: false });
  const logged: string[] = [];
  const app = createApp({
    panelOrigins: options.panelOrigins ?? ['http://panel.test'],
    sessions,
    oauth: new Hono(),
    siteRoutes: [
      changesRoutes({ journal }),
      indexRoutes({ index }),
      uploadsRoutes({ uploads }),
      foldersRoutes({ folders }),
      usageRoutes({ usage }),
      deletionRoutes({ deletions }),
      csvRoutes({ csv: createCsvExchange({ index, usage, journal }) }),
      reportRoutes({ report: createReport({ store, usage }) }),
      thumbnailKeyRoutes({ thumbnails }),
    ],
    keyedRoutes: [thumbnailsRoutes({ thumbnails })],
    log: (message) => logged.push(message),
  });
  const token = signSession(SECRET, { userId: 'u1', siteId: SITE, expiresAt: Date.now() + 3_600_000 });
  return { app, webflow, content, authorization: `Bearer ${token}`, logged, idle: async () => void (await Promise.all([index.idle(), usage.idle()])) };
}
