/**
 * `npm start`: the sandbox with the demo site, the backend installed on it, and the panel, on
 * 127.0.0.1. Prints the URL to open: the canvas beside the panel (/designer), and the panel alone. State is kept in .data/ between runs; delete the folder
 * for a fresh demo site. Ports: SANDBOX_PORT (4100), PORT (4200), PANEL_PORT (4300).
 */
import { resolve } from 'node:path';
import { startStack } from './stack/stack.ts';

function port(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65535) throw new Error(`${name} must be a port number, not "${value}".`);
  return parsed;
}

async function main(): Promise<void> {
  const assets = process.env.DEMO_ASSETS ? Number(process.env.DEMO_ASSETS) : undefined;
  console.log('Starting Asset Desk against the sandbox (building the panel when needed)…');
  const stack = await startStack({
    sandboxPort: port('SANDBOX_PORT', 4100),
    backendPort: port('PORT', 4200),
    panelPort: port('PANEL_PORT', 4300),
    dataDir: resolve(process.env.DATA_DIR ?? '.data'),
    allowDevServer: true,
    ...(assets ? { demo: { assets } } : {}),
  });
  console.log(`
  Asset Desk is running against the sandbox's demo site (${stack.siteId}).

  Open the Designer: ${stack.designerUrl}
                     (the sandbox's canvas beside the panel)
  The panel alone:   ${stack.panelUrl}

  Backend:           ${stack.backendUrl}
  Sandbox:           ${stack.sandbox.url}  (Data API ${stack.sandbox.info.apiBaseUrl})

  Ctrl+C stops everything; state is kept in .data/.
`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void stack.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`Asset Desk could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
