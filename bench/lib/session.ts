import type { UsageSummary } from '../../src/core/usage.ts';
import type { Stack } from '../../src/stack/stack.ts';

/** A backend session for the demo site, as the panel gets one: an ID token from the Designer. */
export async function openSession(stack: Stack): Promise<string> {
  const idTokenUrl = new URL(`/_sandbox/designer/id-token?siteId=${stack.siteId}`, stack.sandbox.url);
  const idTokenResponse = await fetch(idTokenUrl, { method: 'POST' });
  if (!idTokenResponse.ok) throw new Error(`The sandbox gave no ID token: ${idTokenResponse.status}`);
  const { idToken } = (await idTokenResponse.json()) as { idToken: string };
  const session = await fetch(new URL('/api/session', stack.backendUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ idToken, siteId: stack.siteId }),
  });
  if (!session.ok) throw new Error(`The backend refused a session: ${session.status} ${await session.text()}`);
  return ((await session.json()) as { sessionToken: string }).sessionToken;
}

export async function api<T>(stack: Stack, token: string, path: string, init: RequestInit = {}): Promise<T> {
  const request = () =>
    fetch(new URL(path, stack.backendUrl), {
      ...init,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(init.headers ?? {}) },
    });
  // A GET is sent once more when the connection dropped under it (a kept-alive socket the server
  // closed as it was reused, likelier while the backend is busy); it changes nothing. Never another method.
  const response = await request().catch((error: unknown) => {
    if ((init.method ?? 'GET') !== 'GET') throw error;
    return request();
  });
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${path} answered ${response.status}: ${await response.text()}`);
  const text = await response.text();
  return (text ? JSON.parse(text) : null) as T;
}

/** Waits until the backend's index holds every asset of the sandbox's demo site. */
export async function waitForIndex(stack: Stack, token: string, assets: number, timeoutMs = 600_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const index = await api<{ assets: unknown[]; refresh: { state: string } }>(stack, token, `/api/sites/${stack.siteId}/index`);
    if (index.assets.length >= assets && index.refresh.state !== 'running') return;
    if (Date.now() > deadline) throw new Error(`The index holds ${index.assets.length} of ${assets} assets after ${timeoutMs} ms.`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Polls the usage summary until a crawl newer than `after` (an ISO time, or null for any) is
 * recorded as finished, and answers the crawl's own figures. The first crawl follows the first
 * refresh at once: figures that measure something else wait for it, so the crawl's requests and
 * store work are not in their window.
 */
export async function waitForCrawl(stack: Stack, token: string, after: string | null, timeoutMs = 300_000): Promise<{ done: number; finishedAt: string }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { crawl } = await api<UsageSummary>(stack, token, `/api/sites/${stack.siteId}/usage`);
    if (crawl.state === 'failed') throw new Error(`The crawl failed: ${crawl.error ?? 'no reason given'}`);
    if (crawl.state === 'idle' && crawl.built && crawl.finishedAt && (after === null || crawl.finishedAt > after)) {
      return { done: crawl.done, finishedAt: crawl.finishedAt };
    }
    if (Date.now() > deadline) throw new Error(`No crawl finished within ${timeoutMs} ms (state ${crawl.state}, ${crawl.done} requests).`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
