/**
 * The backend through its real HTTP stack, as the panel reaches it: a session opened with a
 * Designer ID token the sandbox issued, and JSON requests with that session.
 */
import type { IndexResponse, SessionResponse } from '../../src/core/api.ts';
import { idTokenOf, waitFor, type Sandbox } from './sandbox-control.ts';

export interface Client {
  sessionToken: string;
  /** A request to the backend with the session; JSON bodies are sent as JSON. */
  request(path: string, init?: { method?: string; body?: unknown; headers?: Record<string, string> }): Promise<Response>;
  json<T>(path: string, init?: { method?: string; body?: unknown }): Promise<T>;
}

export async function openSession(backendUrl: string, sandbox: Sandbox, siteId = sandbox.info.siteId): Promise<SessionResponse> {
  const response = await fetch(`${backendUrl}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ idToken: await idTokenOf(sandbox, siteId), siteId }),
  });
  if (response.status !== 200) throw new Error(`No session: ${response.status} ${await response.text()}`);
  return (await response.json()) as SessionResponse;
}

export function clientOf(backendUrl: string, sessionToken: string): Client {
  const request: Client['request'] = (path, init = {}) =>
    fetch(`${backendUrl}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        authorization: `Bearer ${sessionToken}`,
        ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...init.headers,
      },
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    });
  return {
    sessionToken,
    request,
    async json<T>(path: string, init?: { method?: string; body?: unknown }) {
      const response = await request(path, init);
      if (!response.ok) throw new Error(`${init?.method ?? 'GET'} ${path}: ${response.status} ${await response.text()}`);
      return (await response.json()) as T;
    },
  };
}

export async function sessionClient(backendUrl: string, sandbox: Sandbox): Promise<Client> {
  return clientOf(backendUrl, (await openSession(backendUrl, sandbox)).sessionToken);
}

/** The whole index once a refresh has finished (starting one when none has). */
export async function builtIndex(client: Client, siteId: string): Promise<IndexResponse> {
  return waitFor('the first refresh', async () => {
    const index = await client.json<IndexResponse>(`/api/sites/${siteId}/index`);
    return index.refresh.state === 'idle' && index.refresh.finishedAt ? index : undefined;
  }, 50_000, 200);
}
