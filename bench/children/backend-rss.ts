/**
 * Child process of the memory figure: a backend alone (its own process, so its RSS is its own)
 * against the sandbox at SANDBOX_URL, installed on the demo site, holding the whole index of
 * ASSETS assets after a refresh. Prints one JSON line: {rssBytes, heapUsedBytes, assets}.
 */
import { startBackend } from '../../src/server/main.ts';
import { installOnSandboxSite } from '../../src/stack/install.ts';

const sandboxUrl = process.env.SANDBOX_URL ?? '';
const siteId = process.env.SITE_ID ?? '';
const assets = Number(process.env.ASSETS);
const windowMs = Number(process.env.WINDOW_MS ?? 1000);

const backend = await startBackend({ port: 0, sandboxUrl, databaseUrl: 'memory://', dataDir: null, panelOrigins: [], rateWindowMs: windowMs });
await installOnSandboxSite(backend.url, siteId);
const idToken = ((await (await fetch(`${sandboxUrl}/_sandbox/designer/id-token?siteId=${siteId}`, { method: 'POST' })).json()) as { idToken: string }).idToken;
const session = (await (
  await fetch(`${backend.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ idToken, siteId }) })
).json()) as { sessionToken: string };
const headers = { authorization: `Bearer ${session.sessionToken}` };
for (;;) {
  const index = (await (await fetch(`${backend.url}/api/sites/${siteId}/index`, { headers })).json()) as { assets: unknown[]; refresh: { state: string } };
  if (index.assets.length >= assets && index.refresh.state !== 'running') break;
  await new Promise((resolve) => setTimeout(resolve, 500));
}
globalThis.gc?.();
const usage = process.memoryUsage();
console.log(JSON.stringify({ rssBytes: usage.rss, heapUsedBytes: usage.heapUsed, assets }));
await backend.close();
process.exit(0);
