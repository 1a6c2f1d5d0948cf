/**
 * `npm run dev`: Vite's hot reload of the panel against the stack `npm start` runs. The dev
 * server's page gets what the panel host puts in the built page — the sandbox's Designer API
 * script and the backend's URL — read from the running sandbox (SANDBOX_URL, default
 * http://127.0.0.1:4100) and backend (BACKEND_URL, default http://127.0.0.1:4200). The backend
 * started by `npm start` allows the dev server's origin (port 5173).
 */
import type { Plugin } from 'vite';
import { hostPage } from './panel-host.ts';

export const DEV_PORT = 5173;

export function devHost(): Plugin {
  const sandboxUrl = process.env.SANDBOX_URL ?? 'http://127.0.0.1:4100';
  const backendUrl = process.env.BACKEND_URL ?? 'http://127.0.0.1:4200';
  return {
    name: 'asset-desk:dev-host',
    apply: 'serve',
    async transformIndexHtml(html) {
      let info: { designerScriptUrl: string };
      try {
        const response = await fetch(new URL('/_sandbox/info', sandboxUrl));
        if (!response.ok) throw new Error(`it answered ${response.status}`);
        info = (await response.json()) as { designerScriptUrl: string };
      } catch (error) {
        // The page then shows the panel's own "open from the Designer" message; say why here.
        console.error(`npm run dev needs the sandbox and backend of \`npm start\` (sandbox at ${sandboxUrl}: ${error instanceof Error ? error.message : String(error)}).`);
        return html;
      }
      return hostPage(html, { backendUrl, designerScriptUrl: info.designerScriptUrl });
    },
  };
}
