import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostPage, startPanelHost, type PanelHost } from './panel-host.ts';

describe('the panel host', () => {
  let dist: string;
  let host: PanelHost;

  beforeAll(async () => {
    dist = await mkdtemp(join(tmpdir(), 'panel-host-'));
    await mkdir(join(dist, 'assets'));
    await writeFile(join(dist, 'index.html'), '<html><head><title>x</title></head><body><script src="./assets/app.js"></script></body></html>');
    await writeFile(join(dist, 'assets', 'app.js'), 'console.log(1)');
    host = await startPanelHost({ distDir: dist, port: 0, backendUrl: 'http://127.0.0.1:1/', designerScriptUrl: 'http://127.0.0.1:2/designer.js?siteId=abc', canvasUrl: 'http://127.0.0.1:2/_sandbox/canvas?siteId=abc&x="<' });
  });
  afterAll(async () => {
    await host.close();
    await rm(dist, { recursive: true, force: true });
  });

  it('loads the Designer API script and the backend URL before the panel', async () => {
    const response = await fetch(host.url);
    expect(response.status).toBe(200);
    const page = await response.text();
    const designer = page.indexOf('designer.js?siteId=abc');
    expect(designer).toBeGreaterThan(0);
    expect(page.indexOf('assetDeskConfig')).toBeLessThan(designer);
    expect(designer).toBeLessThan(page.indexOf('./assets/app.js'));
  });

  it('shows the canvas beside the panel at /designer, the panel frame being / itself', async () => {
    expect(host.designerUrl).toBe(new URL('/designer', host.url).href);
    const response = await fetch(host.designerUrl);
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain('<iframe id="canvas" title="Canvas" src="http://127.0.0.1:2/_sandbox/canvas?siteId=abc&amp;x=&quot;&lt;"></iframe>');
    expect(page).toContain('<iframe id="panel" title="Asset Desk" src="/"></iframe>');
  });

  it('serves built files with their content type and long caching', async () => {
    const response = await fetch(new URL('assets/app.js', host.url));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/javascript');
    expect(response.headers.get('cache-control')).toContain('immutable');
  });

  it('never serves files outside dist', async () => {
    const response = await fetch(new URL('/..%2f..%2fetc/passwd', host.url));
    expect(response.status).toBe(404);
  });

  it('escapes the injected values so a URL cannot close the script', () => {
    const page = hostPage('<head></head>', { backendUrl: '</script><script>alert(1)</script>', designerScriptUrl: 'x' });
    expect(page).not.toContain('</script><script>alert(1)');
  });
});
