/**
 * The production backend in a process of its own: `src/server/main.ts` started as `npm run
 * server` starts it (its heap flags included), configured from the environment only (src/server/config.ts), against the
 * sandbox. Its RSS is its own, read from /proc while it runs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { listeningUrl } from '../../src/stack/backend-listening.ts';
import { BACKEND_NODE_FLAGS } from '../../src/stack/backend-node-flags.ts';

const mainScript = fileURLToPath(new URL('../../src/server/main.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const START_TIMEOUT_MS = 120_000;

export interface BackendProcessOptions {
  port: number;
  sandboxUrl: string;
  /** A PGlite folder or a `postgres://` URL. */
  databaseUrl: string;
  /** Where its secrets are generated and kept: processes sharing a folder share them. */
  dataDir: string;
  /** The URL users reach it at (a proxy in front of several). */
  publicUrl?: string;
  rateWindowMs: number;
  panelOrigins: string[];
}

export interface BackendProcess {
  url: string;
  pid: number;
  /** The process's resident set now (bytes), from /proc. */
  rssBytes(): number;
  /** SIGTERM (the backend closes its store), SIGKILL after 20 s. */
  close(): Promise<void>;
}

export async function startBackendProcess(options: BackendProcessOptions): Promise<BackendProcess> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['DATABASE_URL', 'PUBLIC_URL', 'WEBFLOW_CLIENT_ID', 'WEBFLOW_CLIENT_SECRET', 'PANEL_ORIGINS', 'TRUSTED_PROXIES', 'VISION_BASE_URL']) delete env[name];
  Object.assign(env, {
    PORT: String(options.port),
    DATA_DIR: options.dataDir,
    DATABASE_URL: options.databaseUrl,
    SANDBOX_URL: options.sandboxUrl,
    RATE_WINDOW_MS: String(options.rateWindowMs),
    PANEL_ORIGINS: options.panelOrigins.join(','),
    ...(options.publicUrl ? { PUBLIC_URL: options.publicUrl } : {}),
  });
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', ...BACKEND_NODE_FLAGS, mainScript], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await listeningUrl(child, START_TIMEOUT_MS).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });
  const pid = child.pid ?? 0;
  return {
    url,
    pid,
    rssBytes() {
      const kb = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
      if (kb === undefined) throw new Error(`No VmRSS for the backend (pid ${pid}).`);
      return Number(kb) * 1024;
    },
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
