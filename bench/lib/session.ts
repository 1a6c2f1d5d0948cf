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
  const response = await fetch(new URL(path, stack.backendUrl), {
    ...init,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(init.headers ?? {}) },
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
