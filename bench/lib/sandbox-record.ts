/**
 * What the sandbox itself says happened, to check the backend against: the writes it recorded
 * (src/sandbox/api/gate.ts counts each write it made, per path with its ids) and the alt text of
 * every asset, read with the site's own token (a rate window apart from the backend's).
 */
import type { SandboxInfo } from '../../src/sandbox/server.ts';

/** Successful `PATCH /v2/assets/{id}` per asset id since the stats were last reset. */
export async function patchesPerAsset(sandboxUrl: string): Promise<Map<string, number>> {
  const response = await fetch(new URL('/_sandbox/stats', sandboxUrl));
  if (!response.ok) throw new Error(`The sandbox has no stats: ${response.status}`);
  const { writes } = (await response.json()) as { writes: Record<string, number> };
  const patches = new Map<string, number>();
  for (const [write, count] of Object.entries(writes)) {
    const id = /^PATCH \/v2\/assets\/([^/]+)$/.exec(write)?.[1];
    if (id) patches.set(id, count);
  }
  return patches;
}

/** Every asset's alt text (primary locale) as the Data API lists it now. */
export async function sandboxAltTexts(sandbox: { info: SandboxInfo }): Promise<Map<string, string | null>> {
  const { apiBaseUrl, siteId, siteToken } = sandbox.info;
  const values = new Map<string, string | null>();
  for (let offset = 0; ; ) {
    const response = await fetch(`${apiBaseUrl}/sites/${siteId}/assets?limit=100&offset=${offset}`, { headers: { authorization: `Bearer ${siteToken}` } });
    if (response.status === 429) {
      // The site token's own window (or an injected storm): Retry-After says when to ask again.
      await response.arrayBuffer();
      await new Promise((resolve) => setTimeout(resolve, Number(response.headers.get('retry-after') ?? 1) * 1000));
      continue;
    }
    if (!response.ok) throw new Error(`The sandbox listed no assets: ${response.status}`);
    const page = (await response.json()) as { assets: Array<{ id: string; altText: string | null }>; pagination: { total: number } };
    for (const asset of page.assets) values.set(asset.id, asset.altText);
    offset += page.assets.length;
    if (page.assets.length === 0 || offset >= page.pagination.total) return values;
  }
}
