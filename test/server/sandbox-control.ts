/**
 * The sandbox's control routes as the backend's tests use them: what it served (requests, 429s,
 * 500s per route), faults, tokens of their own (each test its own rate window), and the Data API
 * read raw with a token, to compare with what the backend's client returns.
 */
import type { SandboxInfo } from '../../src/sandbox/server.ts';

/** A sandbox in this process or in its own: its URL and what /_sandbox/info tells. */
export interface Sandbox {
  url: string;
  info: SandboxInfo;
}

export interface SandboxStats {
  requests: number;
  tooManyRequests: number;
  serverErrors: number;
  byRoute: Record<string, number>;
  /** Writes the Data API made, per `METHOD /path` with its ids (src/sandbox/api/gate.ts). */
  writes: Record<string, number>;
}

export async function statsOf(sandbox: Sandbox): Promise<SandboxStats> {
  return (await (await fetch(`${sandbox.url}/_sandbox/stats`)).json()) as SandboxStats;
}

export async function resetStats(sandbox: Sandbox): Promise<void> {
  await fetch(`${sandbox.url}/_sandbox/stats/reset`, { method: 'POST' });
}

export async function setFaults(
  sandbox: Sandbox,
  faults: { latencyMs?: number; errorRate?: number; stormMs?: number; failAfterApplying?: { count: number; answer: 'error' | 'drop'; route?: string } },
): Promise<void> {
  const response = await fetch(`${sandbox.url}/_sandbox/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(faults) });
  if (!response.ok) throw new Error(`The sandbox refused the faults: ${response.status}`);
}

/** A fresh token of the demo site with every scope: a rate window of its own. */
export async function newSiteToken(sandbox: Sandbox): Promise<string> {
  const response = await fetch(`${sandbox.url}/_sandbox/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ siteIds: [sandbox.info.siteId], scopes: ['assets:read', 'assets:write', 'sites:read', 'authorized_user:read'] }),
  });
  return ((await response.json()) as { token: string }).token;
}

/** A Designer ID token of the site, as the Designer hands the panel one. */
export async function idTokenOf(sandbox: Sandbox, siteId = sandbox.info.siteId): Promise<string> {
  const response = await fetch(`${sandbox.url}/_sandbox/designer/id-token?siteId=${siteId}`, { method: 'POST' });
  return ((await response.json()) as { idToken: string }).idToken;
}

/** One Data API request straight to the sandbox (no client, no quota): what Webflow puts on the wire. */
export async function wire<T>(sandbox: Sandbox, token: string, path: string, init: { method?: string; body?: unknown } = {}): Promise<{ status: number; body: T }> {
  const send = () =>
    fetch(`${sandbox.info.apiBaseUrl}${path}`, {
      method: init.method ?? 'GET',
      headers: { authorization: `Bearer ${token}`, ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    });
  // A kept-alive socket the server closed at that instant (ECONNRESET) says nothing about the sandbox.
  const response = await send().catch(send);
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/** Every element of a paginated Data API listing under `key`, 100 at a time, with the site's token. */
export async function listAll<T>(sandbox: Sandbox, path: string, key: string): Promise<T[]> {
  const found: T[] = [];
  for (let offset = 0; ; offset += 100) {
    const joiner = path.includes('?') ? '&' : '?';
    const { status, body } = await wire<{ pagination: { total: number } } & Record<string, T[]>>(sandbox, sandbox.info.siteToken, `${path}${joiner}limit=100&offset=${offset}`);
    if (status !== 200) throw new Error(`GET ${path} answered ${status}`);
    const page = body[key] ?? [];
    found.push(...page);
    if (page.length === 0 || offset + 100 >= body.pagination.total) return found;
  }
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
