/**
 * The whole product on one machine: the sandbox (a local Webflow with the demo site), the
 * companion backend installed on the demo site through real OAuth, and the panel served the way
 * Webflow serves it. `npm start`, the journeys and the benchmarks all start it through here, so
 * they run exactly the same stack.
 */
import { join } from 'node:path';
import type { SeedOptions } from '../sandbox/seed/types.ts';
import { startBackend } from '../server/backend.ts';
import { buildPanelIfStale } from './build-panel.ts';
import { installOnSandboxSite } from './install.ts';
import { DEV_PORT } from './dev-host.ts';
import { startPanelHost } from './panel-host.ts';
import { startSandboxProcess, type SandboxProcess } from './sandbox-process.ts';

export interface StackOptions {
  /** 0 picks free ports (tests); npm start uses 4100, 4200 and 4300. */
  sandboxPort?: number;
  backendPort?: number;
  panelPort?: number;
  /** Where the sandbox and the backend keep their state; null keeps everything in memory. */
  dataDir?: string | null;
  demo?: SeedOptions;
  /** The sandbox's rate limit; a short window is the fast mode of tests and benchmarks. */
  rateLimit?: { perWindow: number; windowMs: number };
  /** Added to every Designer API round trip, to behave like the real Designer. */
  designerLatencyMs?: number;
  /** Skip building the panel (the backend alone, for backend benchmarks). */
  withoutPanel?: boolean;
  /** Let `npm run dev`'s page (Vite, port 5173) use the backend too (npm start). */
  allowDevServer?: boolean;
}

export type Sandbox = SandboxProcess;
export type Backend = Awaited<ReturnType<typeof startBackend>>;

export interface Stack {
  sandbox: Sandbox;
  backend: Backend;
  backendUrl: string;
  panelUrl: string;
  /** The canvas beside the panel (`/designer`), like the Designer. */
  designerUrl: string;
  siteId: string;
  close(): Promise<void>;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const dataDir = options.dataDir ?? null;
  const rateLimit = options.rateLimit ?? { perWindow: 60, windowMs: 60_000 };
  const closers: Array<() => Promise<void>> = [];
  const close = async () => {
    for (const closer of closers.reverse()) await closer().catch(() => undefined);
  };
  try {
    const sandbox = await startSandboxProcess({
      port: options.sandboxPort ?? 0,
      ...(dataDir ? { dataDir: join(dataDir, 'sandbox') } : {}),
      ...(options.demo?.assets !== undefined ? { assets: options.demo.assets } : {}),
      ...(options.demo?.seed !== undefined ? { seed: options.demo.seed } : {}),
      rateLimit,
      ...(options.designerLatencyMs !== undefined ? { designerLatencyMs: options.designerLatencyMs } : {}),
    });
    closers.push(() => sandbox.close());

    let backendUrl = '';
    const distDir = options.withoutPanel ? null : await buildPanelIfStale();
    const panel = distDir
      ? await startPanelHost({
          distDir,
          port: options.panelPort ?? 0,
          backendUrl: () => backendUrl,
          designerScriptUrl: sandbox.info.designerScriptUrl,
          canvasUrl: sandbox.info.canvasUrl,
        })
      : null;
    if (panel) closers.push(() => panel.close());
    const panelOrigin = panel ? new URL(panel.url).origin : 'http://127.0.0.1:4300';

    const backend = await startBackend({
      port: options.backendPort ?? 0,
      sandboxUrl: sandbox.url,
      databaseUrl: dataDir ? join(dataDir, 'pglite') : 'memory://',
      dataDir: dataDir ?? null,
      // The panel host's origin, and with `npm start` also `npm run dev`'s (Vite on 127.0.0.1:5173).
      panelOrigins: [
        panelOrigin,
        panelOrigin.replace('127.0.0.1', 'localhost'),
        ...(options.allowDevServer ? [`http://127.0.0.1:${DEV_PORT}`, `http://localhost:${DEV_PORT}`] : []),
      ],
      rateWindowMs: rateLimit.windowMs,
    });
    closers.push(() => backend.close());
    backendUrl = backend.url;

    await installOnSandboxSite(backend.url, sandbox.info.siteId);
    return {
      sandbox,
      backend,
      backendUrl: backend.url,
      panelUrl: panel?.url ?? '',
      designerUrl: panel?.designerUrl ?? '',
      siteId: sandbox.info.siteId,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
