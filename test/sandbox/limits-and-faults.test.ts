/**
 * The per-token rate limit (in its fast mode: 3 requests a second) and the faults the sandbox
 * injects on request: 500s, a 429 storm, latency. Each test uses its own token, so their
 * windows are their own; the faults are reset after each test that sets them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../server/sandbox-control.ts';
import { failureOf, issueToken, sdkFor, useSandbox } from './support.ts';

const under = useSandbox({ demo: { assets: 30 }, rateLimit: { perWindow: 3, windowMs: 1_000 } });

async function freshClient() {
  return sdkFor(under.sandbox, await issueToken(under.sandbox, [under.sandbox.info.siteId], ['assets:read', 'sites:read']));
}

async function putFaults(faults: { latencyMs?: number; errorRate?: number; stormMs?: number; storms?: { everyMs: number; lastMs: number }; failAfterApplying?: { count: number; answer: 'error' | 'drop'; route?: string } }): Promise<void> {
  const response = await fetch(`${under.sandbox.url}/_sandbox/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(faults) });
  expect(response.status).toBe(200);
}

afterEach(async () => {
  await putFaults({});
});

describe('the rate limit', () => {
  it('counts down X-RateLimit-Remaining, then answers 429 with Retry-After until the window passes', async () => {
    const webflow = await freshClient();
    const { siteId } = under.sandbox.info;
    const remaining: (string | null)[] = [];
    for (let i = 0; i < 3; i += 1) {
      const { rawResponse } = await webflow.sites.get(siteId).withRawResponse();
      expect(rawResponse.headers.get('x-ratelimit-limit')).toBe('3');
      remaining.push(rawResponse.headers.get('x-ratelimit-remaining'));
    }
    expect(remaining).toEqual(['2', '1', '0']);

    const refused = await failureOf(webflow.sites.get(siteId));
    expect(refused.statusCode).toBe(429);
    expect(refused.body.code).toBe('too_many_requests');
    expect(refused.headers?.get('retry-after')).toBe('1');
    expect(refused.headers?.get('x-ratelimit-remaining')).toBe('0');

    // Refused until the window passes, then answered: every try before is a 429 of the same kind.
    const refusals: (number | undefined)[] = [];
    const site = await waitFor('the rate-limit window to pass', async () => {
      try {
        return await webflow.sites.get(siteId);
      } catch (error) {
        refusals.push((error as { statusCode?: number }).statusCode);
        return undefined;
      }
    }, 30_000, 50);
    expect(site.id).toBe(siteId);
    expect(refusals.every((status) => status === 429)).toBe(true);
  });

  it('keeps each token’s window apart', async () => {
    const busy = await freshClient();
    const { siteId } = under.sandbox.info;
    for (let i = 0; i < 3; i += 1) await busy.sites.get(siteId);
    expect((await failureOf(busy.sites.get(siteId))).statusCode).toBe(429);
    expect((await (await freshClient()).sites.get(siteId)).id).toBe(siteId);
  });
});

describe('injected faults', () => {
  it('answers 500 internal_error to every request when errorRate is 1, and counts them', async () => {
    const webflow = await freshClient();
    const before = (await (await fetch(`${under.sandbox.url}/_sandbox/stats`)).json()) as { serverErrors: number };
    await putFaults({ errorRate: 1 });
    const failure = await failureOf(webflow.assets.list(under.sandbox.info.siteId));
    expect(failure.statusCode).toBe(500);
    expect(failure.body.code).toBe('internal_error');
    const after = (await (await fetch(`${under.sandbox.url}/_sandbox/stats`)).json()) as { serverErrors: number };
    expect(after.serverErrors).toBe(before.serverErrors + 1);
  });

  it('answers 429 to every token during a storm, with Retry-After for the storm’s rest', async () => {
    const webflow = await freshClient();
    await putFaults({ stormMs: 2_500 });
    const failure = await failureOf(webflow.sites.get(under.sandbox.info.siteId));
    expect(failure.statusCode).toBe(429);
    expect(failure.body.code).toBe('too_many_requests');
    expect(failure.headers?.get('retry-after')).toBe('3');
    await putFaults({});
    expect((await webflow.sites.get(under.sandbox.info.siteId)).id).toBe(under.sandbox.info.siteId);
  });

  it('answers 429 to every token during a recurring storm, with Retry-After for the storm’s rest, and counts it', async () => {
    const webflow = await freshClient();
    const before = (await (await fetch(`${under.sandbox.url}/_sandbox/stats`)).json()) as { tooManyRequests: number };
    await putFaults({ storms: { everyMs: 3_600_000, lastMs: 2_500 } });
    const failure = await failureOf(webflow.sites.get(under.sandbox.info.siteId));
    expect(failure.statusCode).toBe(429);
    expect(failure.body.code).toBe('too_many_requests');
    expect(failure.headers?.get('retry-after')).toBe('3');
    const after = (await (await fetch(`${under.sandbox.url}/_sandbox/stats`)).json()) as { tooManyRequests: number };
    expect(after.tooManyRequests).toBe(before.tooManyRequests + 1);
    await putFaults({});
    expect((await webflow.sites.get(under.sandbox.info.siteId)).id).toBe(under.sandbox.info.siteId);
  });

  it('refuses recurring storms that never end or have no period', async () => {
    for (const storms of [{ everyMs: 1_000, lastMs: 1_000 }, { everyMs: 50, lastMs: 10 }, { everyMs: 1_000 }]) {
      const response = await fetch(`${under.sandbox.url}/_sandbox/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ storms }) });
      expect(response.status).toBe(400);
    }
    const faults = (await (await fetch(`${under.sandbox.url}/_sandbox/faults`)).json()) as { storms?: unknown };
    expect(faults.storms).toBeUndefined();
  });

  it('holds every request for latencyMs, answering other things meanwhile', async () => {
    const token = await issueToken(under.sandbox, [under.sandbox.info.siteId], ['sites:read']);
    const requestsSoFar = async () => ((await (await fetch(`${under.sandbox.url}/_sandbox/stats`)).json()) as { requests: number }).requests;
    const before = await requestsSoFar();
    // Long enough that only a missing delay (never a slow machine) answers it within the checks below.
    await putFaults({ latencyMs: 30_000 });
    const aborter = new AbortController();
    let answered = false;
    const held = fetch(`${under.sandbox.info.apiBaseUrl}/sites/${under.sandbox.info.siteId}`, { headers: { authorization: `Bearer ${token}` }, signal: aborter.signal })
      .then(() => (answered = true))
      .catch(() => undefined);
    await waitFor('the sandbox to receive the request', async () => ((await requestsSoFar()) > before ? true : undefined), 10_000, 10);
    for (let i = 0; i < 3; i += 1) await requestsSoFar();
    expect(answered).toBe(false);
    aborter.abort();
    await held;

    await putFaults({ latencyMs: 0 });
    expect((await (await freshClient()).sites.get(under.sandbox.info.siteId)).id).toBe(under.sandbox.info.siteId);
  });

  it.each(['error', 'drop'] as const)('creates the folder, then answers badly (%s) when told to fail after applying, once', async (answer) => {
    const token = await issueToken(under.sandbox, [under.sandbox.info.siteId], ['assets:read', 'assets:write']);
    const { siteId } = under.sandbox.info;
    const name = `After-apply ${answer} ${Date.now()}`;
    await putFaults({ failAfterApplying: { count: 1, answer, route: 'POST /v2/sites/:id/asset_folders' } });

    const sent = await fetch(`${under.sandbox.info.apiBaseUrl}/sites/${siteId}/asset_folders`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ displayName: name }),
    }).then(
      (response) => response.status,
      () => 'dropped',
    );

    expect(sent).toBe(answer === 'error' ? 500 : 'dropped');
    expect(under.sandbox.world.listFolders(siteId).filter((f) => f.displayName === name)).toHaveLength(1);
    const faults = (await (await fetch(`${under.sandbox.url}/_sandbox/faults`)).json()) as { failAfterApplying?: unknown };
    expect(faults.failAfterApplying).toBeUndefined();
    const webflow = sdkFor(under.sandbox, token);
    expect((await webflow.assets.createFolder(siteId, { displayName: `${name} again` })).displayName).toBe(`${name} again`);
  });

  it('leaves a refused write alone: a 400 is not applied, so the fault waits for a write that is', async () => {
    const token = await issueToken(under.sandbox, [under.sandbox.info.siteId], ['assets:read', 'assets:write']);
    const { siteId } = under.sandbox.info;
    await putFaults({ failAfterApplying: { count: 1, answer: 'error' } });
    const webflow = sdkFor(under.sandbox, token);

    expect((await failureOf(webflow.assets.createFolder(siteId, { displayName: '   ' }))).statusCode).toBe(400);
    expect((await failureOf(webflow.assets.createFolder(siteId, { displayName: `Counted ${Date.now()}` }))).statusCode).toBe(500);
    expect((await webflow.assets.createFolder(siteId, { displayName: `Clean ${Date.now()}` })).id).toMatch(/^[a-f0-9]{24}$/);
  });
});

describe('the record of writes', () => {
  it('counts each write it applied by method and path, answered or not, and no refused one', async () => {
    const token = await issueToken(under.sandbox, [under.sandbox.info.siteId], ['assets:read', 'assets:write']);
    const asset = under.sandbox.world.listAssets(under.sandbox.info.siteId)[0];
    const key = `PATCH /v2/assets/${asset?.id ?? ''}`;
    const writes = async () => ((await (await fetch(`${under.sandbox.url}/_sandbox/stats`)).json()) as { writes: Record<string, number> }).writes[key] ?? 0;
    const patch = (body: unknown) =>
      fetch(`${under.sandbox.info.apiBaseUrl}/assets/${asset?.id ?? ''}`, { method: 'PATCH', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const before = await writes();

    expect((await patch({ displayName: '' })).status).toBe(400);
    expect(await writes()).toBe(before);
    expect((await patch({ altText: 'A first write' })).status).toBe(200);
    await putFaults({ failAfterApplying: { count: 1, answer: 'error' } });
    expect((await patch({ altText: 'A write whose answer is lost' })).status).toBe(500);
    expect(await writes()).toBe(before + 2);
  });
});
