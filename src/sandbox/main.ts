/**
 * `npm run sandbox [-- --port 4100] [--data DIR] [--assets 20000] [--rate 60] [--window-ms 60000]`:
 * the sandbox alone, printing its base URL, the demo site's id and a site API token.
 */
import { parseArgs } from 'node:util';
import { createSandbox } from './server.ts';

function number(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`--${name} must be a whole number, not "${value}".`);
  return parsed;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      data: { type: 'string' },
      assets: { type: 'string' },
      rate: { type: 'string' },
      'window-ms': { type: 'string' },
      'designer-latency': { type: 'string' },
      seed: { type: 'string' },
      /** Print the info as one JSON line (for a parent process that started this one). */
      json: { type: 'boolean' },
    },
  });
  const sandbox = await createSandbox({
    port: number('port', values.port ?? process.env.SANDBOX_PORT, 4100),
    ...(values.data ? { dataDir: values.data } : {}),
    demo: {
      ...(values.assets ? { assets: number('assets', values.assets, 1200) } : {}),
      ...(values.seed ? { seed: number('seed', values.seed, 0) } : {}),
    },
    rateLimit: { perWindow: number('rate', values.rate, 60), windowMs: number('window-ms', values['window-ms'], 60_000) },
    ...(values['designer-latency'] ? { designerLatencyMs: number('designer-latency', values['designer-latency'], 0) } : {}),
  });
  const stop = () => void sandbox.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const { info } = sandbox;
  if (values.json) {
    console.log(JSON.stringify({ url: sandbox.url, info }));
    // Started by another process (src/stack/sandbox-process.ts): do not outlive it if it dies
    // without closing us (a killed test run).
    const parent = process.ppid;
    setInterval(() => {
      try {
        process.kill(parent, 0);
      } catch {
        stop();
      }
    }, 1000).unref();
    return;
  }
  console.log(`Sandbox (a local Webflow) at ${sandbox.url}
  Data API:    ${info.apiBaseUrl}
  Site:        ${info.siteName} (${info.siteId})
  Site token:  ${info.siteToken}
  Info:        ${sandbox.url}/_sandbox/info${values.data ? `\n  State kept in ${values.data}` : '\n  State in memory'}`);
}

main().catch((error: unknown) => {
  console.error(`The sandbox could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
