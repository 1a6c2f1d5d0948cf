/** The HTTP backend port's part for staged vs live in "CMS images": what waits for publishing, and publishing it. */
import { describe, expect, it } from 'vitest';
import { publishResponse, unpublishedResponse } from '../../core/cms.ts';
import { createHttpBackend } from './http-backend.ts';

function backendAnswering(answer: unknown) {
  const calls: Array<{ method: string | undefined; url: string; body: unknown }> = [];
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ method: init?.method, url: String(input), body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined });
    return new Response(JSON.stringify(answer), { status: 200, headers: { 'Content-Type': 'application/json' } });
  }) as typeof globalThis.fetch;
  return { calls, backend: createHttpBackend('https://backend.example', { fetch }) };
}

const waiting = { collectionId: 'c1', itemId: 'i1', localeId: null, name: 'Espresso', lastUpdated: '2026-12-04T12:00:00Z', isDraft: false, onlyOurs: true, changeIds: ['3'] };

describe('the HTTP backend port for CMS publishing', () => {
  it('reads the items waiting for publishing', async () => {
    const { calls, backend } = backendAnswering(unpublishedResponse.parse({ items: [waiting] }));
    expect(await backend.cmsUnpublished('site 1')).toEqual([waiting]);
    expect(calls).toEqual([{ method: 'GET', url: 'https://backend.example/api/sites/site%201/cms/unpublished', body: undefined }]);
  });

  it('refuses an answer that does not say whether the wait is ours alone', async () => {
    const { onlyOurs: _left, ...withoutOnlyOurs } = waiting;
    const { backend } = backendAnswering({ items: [withoutOnlyOurs] });
    await expect(backend.cmsUnpublished('site1')).rejects.toThrow(/items: \[0\] onlyOurs: not a boolean/);
  });

  it('asks to publish items by id and takes what went live, what was refused and what failed', async () => {
    const answer = publishResponse.parse({ published: [{ itemId: 'i1', localeId: null }], refused: [{ itemId: 'i2', localeId: 'fr', reason: 'A draft' }], failed: [] });
    const { calls, backend } = backendAnswering(answer);
    expect(await backend.publishCmsItems('site1', ['i1', 'i2'])).toEqual(answer);
    expect(calls).toEqual([{ method: 'POST', url: 'https://backend.example/api/sites/site1/cms/publish', body: { itemIds: ['i1', 'i2'] } }]);
    const { backend: drifted } = backendAnswering({ published: [], refused: [{ itemId: 'i2', localeId: null }], failed: [] });
    await expect(drifted.publishCmsItems('site1', ['i2'])).rejects.toThrow(/refused: \[0\] reason: not a string/);
  });
});
