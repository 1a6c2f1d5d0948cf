/**
 * A client of one site on a backend reached by URL (a backend process, or a proxy in front of
 * several): a session opened as the panel opens one, the site's routes, and the waits for the
 * first refresh and the usage crawl that follows it.
 */
export interface SiteClient {
  backendUrl: string;
  siteId: string;
  token: string;
  /** A site route (`/index`, `/changes`, …): the answer's JSON, or an error naming the status. */
  api<T>(path: string, init?: RequestInit): Promise<T>;
}

export async function openSiteClient(backendUrl: string, sandboxUrl: string, siteId: string): Promise<SiteClient> {
  const idToken = await fetch(new URL(`/_sandbox/designer/id-token?siteId=${siteId}`, sandboxUrl), { method: 'POST' });
  if (!idToken.ok) throw new Error(`The sandbox gave no ID token: ${idToken.status}`);
  const session = await fetch(new URL('/api/session', backendUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ idToken: ((await idToken.json()) as { idToken: string }).idToken, siteId }),
  });
  if (!session.ok) throw new Error(`The backend refused a session: ${session.status} ${await session.text()}`);
  const token = ((await session.json()) as { sessionToken: string }).sessionToken;
  return {
    backendUrl,
    siteId,
    token,
    async api<T>(path: string, init: RequestInit = {}): Promise<T> {
      const request = () =>
        fetch(new URL(`/api/sites/${siteId}${path}`, backendUrl), {
          ...init,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(init.headers ?? {}) },
        });
      // A GET is sent once more when the connection dropped under it (a kept-alive socket the
      // server closed as it was reused); it changes nothing. Never another method.
      const response = await request().catch((error: unknown) => {
        if ((init.method ?? 'GET') !== 'GET') throw error;
        return request();
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${path} answered ${response.status}: ${text.slice(0, 300)}`);
      return (text ? JSON.parse(text) : null) as T;
    },
  };
}

/**
 * Starts the first refresh (the first GET /index does) and waits until it has read `assets`
 * assets and the usage crawl that follows it finished, polling only their states.
 */
export async function waitForSite(client: SiteClient, assets: number, timeoutMs = 600_000): Promise<void> {
  await client.api('/index?format=compact');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { refresh } = await client.api<{ refresh: { state: string; done: number; total: number | null } }>(`/index/changes?since=${Number.MAX_SAFE_INTEGER}`);
    const { crawl } = await client.api<{ crawl: { state: string; built: boolean } }>('/usage');
    if (refresh.state === 'failed' || crawl.state === 'failed') throw new Error(`The first refresh or crawl failed (refresh ${refresh.state}, crawl ${crawl.state}).`);
    const refreshed = refresh.state === 'idle' && refresh.total !== null && refresh.total >= assets && refresh.done >= refresh.total;
    if (refreshed && crawl.state === 'idle' && crawl.built) return;
    if (Date.now() > deadline) throw new Error(`The site was not ready after ${timeoutMs} ms: refresh ${refresh.state} ${refresh.done}/${refresh.total ?? '?'}, crawl ${crawl.state}.`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
