/**
 * Serves the built panel (`dist/`) the way Webflow serves an extension, for `npm start`, the
 * journeys and the benchmarks. Outside Webflow there is no Designer around the panel, so the
 * host page loads the sandbox's Designer API script first (it defines the `webflow` global) and
 * tells the panel where its backend is. Nothing of this reaches the production bundle.
 */
import { createServer, type Server } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';

export interface PanelHostOptions {
  distDir: string;
  port: number;
  /** A function when the backend starts after the host (its allowed origin is the host's). */
  backendUrl: string | (() => string);
  /** The sandbox's Designer API script, e.g. http://127.0.0.1:4100/_sandbox/designer.js?siteId=… */
  designerScriptUrl: string;
  /** The sandbox's canvas page, shown beside the panel at `/designer`. */
  canvasUrl?: string;
}

export interface PanelHost {
  url: string;
  /** The canvas beside the panel, like the Designer (`/designer`); '' without a canvas URL. */
  designerUrl: string;
  close(): Promise<void>;
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

function escapeForScript(value: string): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/** index.html with the Designer API script and the backend URL placed before the panel's script. */
export function hostPage(indexHtml: string, options: { backendUrl: string; designerScriptUrl: string }): string {
  const injected =
    `<script>window.assetDeskConfig = { backendUrl: ${escapeForScript(options.backendUrl)} };</script>\n` +
    `    <script src=${escapeForScript(options.designerScriptUrl)}></script>\n`;
  if (!indexHtml.includes('</head>')) throw new Error('The built index.html has no </head> to put the Designer API script before.');
  return indexHtml.replace('</head>', `    ${injected}  </head>`);
}

/**
 * `/designer`: the sandbox's canvas beside the panel, as Webflow's Designer shows an extension.
 * The panel frame is `/` itself, so the panel runs exactly as alone.
 */
export function designerPage(canvasUrl: string): string {
  const attribute = (value: string): string => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Asset Desk · Designer (sandbox)</title>
<link rel="icon" type="image/svg+xml" href="/favicon.svg">
<style>
  html, body { height: 100%; margin: 0; }
  body { display: flex; background: #1e1e1e; font: 14px system-ui, sans-serif; }
  h1 { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  iframe { border: 0; height: 100%; }
  #canvas { flex: 1; min-width: 0; }
  #panel { width: 520px; border-left: 1px solid #444; background: #fff; }
</style>
</head>
<body>
<h1>Designer</h1>
<iframe id="canvas" title="Canvas" src="${attribute(canvasUrl)}"></iframe>
<iframe id="panel" title="Asset Desk" src="/"></iframe>
</body>
</html>`;
}

export async function startPanelHost(options: PanelHostOptions): Promise<PanelHost> {
  const root = resolve(options.distDir);
  const indexPath = join(root, 'index.html');
  try {
    await stat(indexPath);
  } catch {
    throw new Error(`The panel is not built: ${indexPath} is missing. Run \`npm run build\`.`);
  }

  const server: Server = createServer((request, response) => {
    void (async () => {
      const path = decodeURIComponent(new URL(request.url ?? '/', 'http://host').pathname);
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        response.writeHead(405, { Allow: 'GET, HEAD' }).end();
        return;
      }
      if (path === '/' || path === '/index.html') {
        const backendUrl = typeof options.backendUrl === 'function' ? options.backendUrl() : options.backendUrl;
        const page = hostPage(await readFile(indexPath, 'utf8'), { backendUrl, designerScriptUrl: options.designerScriptUrl });
        response.writeHead(200, { 'Content-Type': contentTypes['.html'], 'Cache-Control': 'no-store' }).end(page);
        return;
      }
      if (path === '/designer' && options.canvasUrl) {
        response.writeHead(200, { 'Content-Type': contentTypes['.html'], 'Cache-Control': 'no-store' }).end(designerPage(options.canvasUrl));
        return;
      }
      const file = normalize(join(root, path));
      if (!file.startsWith(root + '/')) {
        response.writeHead(404).end('Not found');
        return;
      }
      try {
        const body = await readFile(file);
        response
          .writeHead(200, {
            'Content-Type': contentTypes[extname(file)] ?? 'application/octet-stream',
            // Vite names built files by content hash, so they never change under a name.
            'Cache-Control': path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
          })
          .end(request.method === 'HEAD' ? undefined : body);
      } catch {
        response.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
      }
    })().catch(() => {
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolveListen());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    designerUrl: options.canvasUrl ? `http://127.0.0.1:${port}/designer` : '',
    close: () =>
      new Promise<void>((resolveClose) => {
        server.closeAllConnections();
        server.close(() => resolveClose());
      }),
  };
}
