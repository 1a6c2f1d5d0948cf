/** The HTTP backend port's part for "On this page" and "Where used": the open page on leases, an asset's uses. */
import { describe, expect, it } from 'vitest';
import { leaseResponse } from '../../core/api.ts';
import { assetUsage } from '../../core/usage.ts';
import { createHttpBackend } from './http-backend.ts';

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

function backendAnswering(answer: unknown) {
  const calls: Array<{ url: string; body: unknown; signal: AbortSignal | null | undefined }> = [];
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(input), body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined, signal: init?.signal });
    if (init?.signal?.aborted) throw new DOMException('aborted', 'AbortError');
    return json(200, answer);
  }) as typeof globalThis.fetch;
  return { calls, backend: createHttpBackend('https://backend.example', { fetch }) };
}

const change = {
  id: '1',
  batchId: '1',
  assetId: 'a1',
  field: 'altText',
  localeId: null,
  target: { kind: 'element', pageId: 'home', elementId: 'hero', componentId: null },
  before: null,
  after: 'Front door',
  status: 'leased',
  error: null,
  userId: 'u1',
  createdAt: '2026-12-04T12:00:00Z',
  appliedAt: null,
  appliedBy: null,
};

describe('the HTTP backend port with page elements', () => {
  it('says the open page when it asks for work, and takes element changes with their target', async () => {
    const { calls, backend } = backendAnswering(leaseResponse.parse({ changes: [change], leaseExpiresAt: null }));
    const lease = await backend.leaseChanges('site1', 'panel-applier-1', 10, 30, 20, { pageId: 'home' });
    expect(calls[0]?.body).toEqual({ applierId: 'panel-applier-1', limit: 10, seconds: 30, waitSeconds: 20, pageId: 'home' });
    expect(lease.changes[0]?.target).toEqual({ kind: 'element', pageId: 'home', elementId: 'hero', componentId: null });
    await backend.leaseChanges('site1', 'panel-applier-1', 10, 30);
    expect(calls[1]?.body).toEqual({ applierId: 'panel-applier-1', limit: 10, seconds: 30 });
  });

  it('refuses a change whose target names no element, rather than write to the wrong one', async () => {
    const { backend } = backendAnswering({ changes: [{ ...change, target: { kind: 'element', pageId: 'home' } }], leaseExpiresAt: null });
    await expect(backend.leaseChanges('site1', 'panel-applier-1', 10, 30)).rejects.toThrow(/target: elementId: not a string/);
  });

  it('reports a cancelled long poll as aborted', async () => {
    const { backend } = backendAnswering({ changes: [], leaseExpiresAt: null });
    const controller = new AbortController();
    controller.abort();
    await expect(backend.leaseChanges('site1', 'panel-applier-1', 10, 30, 20, { signal: controller.signal })).rejects.toMatchObject({ code: 'aborted' });
  });

  it('reads one asset’s uses and checks their kinds and alt states', async () => {
    const crawl = { state: 'idle', done: 1, total: 1, finishedAt: null, error: null, missingScopes: [], built: true };
    const uses = [{ where: { kind: 'page', pageId: 'p', pageTitle: 'Home', nodeId: 'n' }, localeId: null, altState: 'inherited', altText: 'A door' }];
    const references = [{ where: { kind: 'link', collectionId: 'c', collectionName: 'Products', itemId: 'i', itemName: 'Kettle', fieldSlug: 'brochure' }, localeId: null }];
    const { calls, backend } = backendAnswering(assetUsage.parse({ assetId: 'a 1', uses, references, crawl }));
    const answer = await backend.assetUsage('site1', 'a 1');
    expect(answer.uses).toEqual(uses);
    expect(answer.references).toEqual(references);
    expect(calls[0]?.url).toBe('https://backend.example/api/sites/site1/usage/assets/a%201');
    const bad = backendAnswering({ assetId: 'a1', uses: [{ ...uses[0], altState: 'fine' }], references, crawl });
    await expect(bad.backend.assetUsage('site1', 'a1')).rejects.toThrow(/altState: not an alt state/);
    const badReference = backendAnswering({ assetId: 'a1', uses, references: [{ where: { kind: 'page' }, localeId: null }], crawl });
    await expect(badReference.backend.assetUsage('site1', 'a1')).rejects.toThrow(/not a kind of reference/);
  });
});
