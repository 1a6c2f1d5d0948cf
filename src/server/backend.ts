/**
 * The companion backend: the store, the Webflow client, the journal with the server applier,
 * the index, uploads and folders, and the HTTP app on 127.0.0.1 (behind a proxy in production).
 * `npm run server` starts it from the environment (main.ts); `npm start`, the tests and the
 * benchmarks call {@link startBackend} with the sandbox's URL. Importing this module starts
 * nothing: a bundle that includes it (the memory benchmark's child) starts one backend, its own.
 */
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { createApp } from './app.ts';
import { createCmsApplier } from './cms/applier.ts';
import { createCmsPublishing } from './cms/publishing.ts';
import { cmsRoutes } from './cms/routes.ts';
import { createDeletionApplier } from './deletion/applier.ts';
import { deletionRoutes } from './deletion/routes.ts';
import { createDeletions } from './deletion/service.ts';
import { replacementRoutes } from './replace/routes.ts';
import { createReplacements } from './replace/service.ts';
import { sandboxConfig, type Config, type SuggestionsConfig } from './config.ts';
import { indexRoutes } from './routes/asset-index.ts';
import { changesRoutes } from './routes/changes.ts';
import { foldersRoutes } from './routes/folders.ts';
import { oauthRoutes } from './routes/oauth.ts';
import { uploadsRoutes } from './routes/uploads.ts';
import { createAssetIndex } from './services/asset-index.ts';
import { createFolders } from './services/folders.ts';
import { createInstallations } from './services/installations.ts';
import { createJournal } from './services/journal.ts';
import { createWorkWaiters } from './services/work-waiters.ts';
import { createServerApplier } from './services/server-applier.ts';
import { createSessions } from './services/sessions.ts';
import { createUploads } from './services/uploads.ts';
import { openStore } from './store/db.ts';
import { createStoreUpkeep } from './store/upkeep.ts';
import { suggestionsRoutes } from './suggestions/routes.ts';
import { thumbnailKeyRoutes, thumbnailsRoutes } from './thumbnails/routes.ts';
import { createThumbnails } from './thumbnails/service.ts';
import { createSuggestions } from './suggestions/service.ts';
import { createTextReader } from './suggestions/text-in-image.ts';
import { createVisionModel } from './suggestions/vision.ts';
import { createCsvExchange } from './csv/exchange.ts';
import { csvRoutes } from './csv/routes.ts';
import { createReport } from './report/service.ts';
import { reportRoutes } from './report/routes.ts';
import { usageRoutes } from './usage/routes.ts';
import { createUsageIndex } from './usage/usage-index.ts';
import { createWebflowClient } from './webflow/client.ts';

export interface BackendOptions {
  /** 0 picks a free port. */
  port: number;
  sandboxUrl: string;
  /** `memory://`, a PGlite folder, or a `postgres://` URL. */
  databaseUrl: string;
  dataDir: string | null;
  panelOrigins: string[];
  rateWindowMs: number;
  /** How often uploads left unconfirmed past their policy are swept (a minute). */
  uploadSweepMs?: number;
  /** Proxies of ours in front of the backend (tests and benchmarks play one with X-Forwarded-For). */
  trustedProxies?: number;
  /** The suggestion sources (default: from the environment, src/server/config.ts). */
  suggestions?: SuggestionsConfig;
  /** Days an uploaded or used asset is not offered for deletion (7). */
  unusedGraceDays?: number;
}

export interface Backend {
  url: string;
  config: Config;
  close(): Promise<void>;
}

/** The backend against the sandbox at `sandboxUrl` (npm start, tests, benchmarks). */
export async function startBackend(options: BackendOptions): Promise<Backend> {
  const config = await sandboxConfig({
    port: options.port,
    publicUrl: '', // known once listening
    sandboxUrl: options.sandboxUrl,
    databaseUrl: options.databaseUrl,
    dataDir: options.dataDir,
    panelOrigins: options.panelOrigins,
    rateWindowMs: options.rateWindowMs,
    ...(options.trustedProxies !== undefined ? { trustedProxies: options.trustedProxies } : {}),
    ...(options.suggestions ? { suggestions: options.suggestions } : {}),
    ...(options.unusedGraceDays !== undefined ? { unusedGraceDays: options.unusedGraceDays } : {}),
  });
  return startWithConfig(config, options.uploadSweepMs !== undefined ? { uploadSweepMs: options.uploadSweepMs } : {});
}

export async function startWithConfig(config: Config, intervals: { uploadSweepMs?: number } = {}): Promise<Backend> {
  const log = (message: string) => console.error(`asset-desk: ${message}`);
  const store = await openStore(config.databaseUrl);
  const upkeep = createStoreUpkeep(store, { onError: (error) => log(`store upkeep failed: ${messageOf(error)}`) });
  const webflow = createWebflowClient({
    apiBaseUrl: config.webflow.apiBaseUrl,
    betaBaseUrl: config.webflow.betaBaseUrl,
    store,
    rateWindowMs: config.rateWindowMs,
  });
  const installations = createInstallations({ store, encryptionKey: config.encryptionKey, quota: webflow.quota });
  const getSiteToken = (siteId: string) => installations.tokenOf(siteId);
  const journal = createJournal({ store });
  const usage = createUsageIndex({
    store,
    reader: webflow,
    getSiteToken,
    grantedScopes: (siteId) => installations.scopesOf(siteId),
    onError: (error, siteId) => log(`usage crawl of ${siteId} failed: ${messageOf(error)}`),
    // The asset index's first refresh goes first: its end starts the crawl (onRefreshed below).
    // Asked before any panel asked for the index, the usage starts that refresh.
    assetsRead: async (siteId) => {
      const assets = await index.state(siteId);
      if (!assets.built && assets.refresh.state !== 'running') void index.refresh(siteId).catch(() => undefined);
      return assets.built;
    },
  });
  const index = createAssetIndex({
    store,
    webflow,
    getSiteToken,
    source: config.webflow.apiBaseUrl,
    onError: (error, siteId) => log(`refresh of ${siteId} failed: ${messageOf(error)}`),
    // The usage index follows the asset index: an incremental crawl after each refresh.
    onRefreshed: (siteId) => void usage.crawl(siteId),
  });
  journal.onApplied((siteId, changes) => {
    index.mirror(siteId, changes).catch((error: unknown) => log(`index update failed: ${messageOf(error)}`));
  });
  // The panels' long polls for work: woken by a recording, and by changes the server applier
  // gives back, in this process and (PostgreSQL) in every other one on the store.
  const waiters = createWorkWaiters({ ...(store.broadcast ? { broadcast: store.broadcast } : {}), onError: (error) => log(`waking other backends: ${messageOf(error)}`) });
  const applier = createServerApplier({
    journal,
    webflow,
    getSiteToken,
    onError: (error, siteId) => log(`server applier on ${siteId}: ${messageOf(error)}`),
    onGivenBack: (siteId) => waiters.wake(siteId),
    cms: (context) => createCmsApplier({ ...context, store, webflow }),
  });
  const publishing = createCmsPublishing({ store, webflow, getSiteToken });
  const uploads = createUploads({ store, webflow, index, getSiteToken, onError: (error) => log(`uploads: ${messageOf(error)}`) });
  const folders = createFolders({ webflow, index, getSiteToken });
  const deletions = createDeletions({ store, journal, usage, graceDays: config.unusedGraceDays });
  const deletionApplier = createDeletionApplier({
    store,
    journal,
    webflow,
    index,
    uploads,
    usage,
    getSiteToken,
    fetch: (url, init) => fetch(url, init),
    allowLoopback: config.mode === 'sandbox',
    onError: (error, siteId) => log(`deletions on ${siteId}: ${messageOf(error)}`),
  });
  const replacements = createReplacements({
    store,
    webflow,
    index,
    journal,
    getSiteToken,
    fetch: (url, init) => fetch(url, init),
    allowLoopback: config.mode === 'sandbox',
    onError: (error, siteId) => log(`replacements on ${siteId}: ${messageOf(error)}`),
  });
  // The sandbox's CDN is on loopback; against Webflow only Webflow's CDN is ever read.
  // Text in images is read here, by tesseract.js in a process of its own, started on first use and
  // ended after a minute with nothing to read (unless SUGGESTIONS_OCR=off). The vision model is asked only when VISION_BASE_URL is set.
  const textReader = config.suggestions.ocr ? createTextReader() : undefined;
  const visionConfig = config.suggestions.vision;
  const suggestions = createSuggestions({
    store,
    allowLoopback: config.mode === 'sandbox',
    ...(textReader ? { textReader } : {}),
    usage,
    ...(visionConfig ? { vision: { model: createVisionModel(visionConfig), concurrency: visionConfig.concurrency, dailyCap: visionConfig.dailyCap } } : {}),
    // Messages only (status and host for the vision model): never a request, so never its key.
    onError: (error, siteId) => log(`suggestions on ${siteId}: ${messageOf(error)}`),
  });

  // The grid's thumbnails, made small from the same CDN (src/server/thumbnails/).
  const thumbnails = createThumbnails({ store, secret: config.sessionSecret, allowLoopback: config.mode === 'sandbox' });

  // The OAuth redirect needs the public URL, which with port 0 is known only once listening:
  // the app is built then, and requests cannot arrive before it is.
  const built: { app?: ReturnType<typeof createApp> } = {};
  const server: ServerType = serve({
    fetch: (request, env) => (built.app ? built.app.fetch(request, env) : new Response('Starting', { status: 503 })),
    port: config.port,
    hostname: '127.0.0.1',
  });
  const url = await new Promise<string>((resolve, reject) => {
    server.once('listening', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
    server.once('error', reject);
  });
  if (!config.publicUrl) config.publicUrl = url;
  const sessions = createSessions({ installations, webflow, store, secret: config.sessionSecret, installUrl: `${config.publicUrl}/oauth/install`, trustedProxies: config.trustedProxies });
  built.app = createApp({
    panelOrigins: config.panelOrigins,
    sessions,
    oauth: oauthRoutes({ config, store, webflow, installations, log }),
    siteRoutes: [
      changesRoutes({
        journal,
        onRecorded: (siteId) => {
          applier.kick(siteId);
          deletionApplier.kick(siteId); // an undo of a deletion puts files back
        },
        onRecording: (siteId, changes) => void applier.readAhead(siteId, changes),
        standBack: (siteId) => applier.standBack(siteId),
        waiters,
      }),
      indexRoutes({ index }),
      uploadsRoutes({ uploads }),
      foldersRoutes({ folders }),
      usageRoutes({ usage }),
      cmsRoutes({ publishing }),
      suggestionsRoutes({ suggestions }),
      thumbnailKeyRoutes({ thumbnails }),
      deletionRoutes({ deletions, onRecorded: (siteId) => deletionApplier.kick(siteId) }),
      csvRoutes({
        csv: createCsvExchange({ index, usage, journal, onRecorded: (siteId) => applier.kick(siteId), onRecording: (siteId, changes) => void applier.readAhead(siteId, changes) }),
      }),
      reportRoutes({ report: createReport({ store, usage }) }),
      replacementRoutes({ replacements }),
    ],
    keyedRoutes: [thumbnailsRoutes({ thumbnails })],
    log,
  });
  applier.start();
  deletionApplier.start();
  uploads.start(intervals.uploadSweepMs !== undefined ? { sweepMs: intervals.uploadSweepMs } : {});
  index.startAutoRefresh();
  upkeep.start();

  return {
    url,
    config,
    async close() {
      // First: background work waiting for quota gives up now instead of holding the shutdown.
      webflow.quota.close();
      const uploadsStopped = uploads.stop();
      index.stopAutoRefresh();
      await applier.stop();
      await deletionApplier.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
      await uploadsStopped;
      await index.idle();
      await usage.idle();
      await suggestions.idle();
      await thumbnails.idle();
      await textReader?.close();
      await upkeep.stop();
      waiters.close();
      await store.close();
    },
  };
}

/** An error's message for the log (the backend's own errors say what happened in our words). */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
