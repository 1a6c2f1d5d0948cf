/**
 * The sandbox in a process of its own. The real Webflow is not in the backend's process, and
 * here it must not be either: the backend's embedded PGlite runs on its process's event loop,
 * so a sandbox sharing that loop answered the panel's Designer calls late whenever the backend
 * wrote to its store (30 ms a call during a batch). In its own process it also gets the
 * machine's other core.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { SandboxInfo } from '../sandbox/server.ts';

export interface SandboxProcessOptions {
  port: number;
  dataDir?: string;
  assets?: number;
  seed?: number;
  rateLimit: { perWindow: number; windowMs: number };
  designerLatencyMs?: number;
}

export interface SandboxProcess {
  url: string;
  info: SandboxInfo;
  close(): Promise<void>;
}

const START_TIMEOUT_MS = 120_000;

export async function startSandboxProcess(options: SandboxProcessOptions): Promise<SandboxProcess> {
  const args = ['--import', 'tsx', 'src/sandbox/main.ts', '--json', '--port', String(options.port)];
  if (options.dataDir) args.push('--data', options.dataDir);
  if (options.assets !== undefined) args.push('--assets', String(options.assets));
  if (options.seed !== undefined) args.push('--seed', String(options.seed));
  args.push('--rate', String(options.rateLimit.perWindow), '--window-ms', String(options.rateLimit.windowMs));
  if (options.designerLatencyMs !== undefined) args.push('--designer-latency', String(options.designerLatencyMs));

  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const started = await new Promise<{ url: string; info: SandboxInfo }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`The sandbox did not start within ${START_TIMEOUT_MS / 1000} s.`)), START_TIMEOUT_MS);
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      if (!line.startsWith('{')) return;
      clearTimeout(timer);
      resolve(JSON.parse(line) as { url: string; info: SandboxInfo });
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`The sandbox exited (code ${code}) before it was ready; its errors are above.`));
    });
  }).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });

  return {
    ...started,
    async close() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
