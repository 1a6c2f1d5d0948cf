import { describe, expect, it } from 'vitest';
import { BackendError } from './backend.ts';
import { createHttpBackend, KEEPALIVE_BUDGET_BYTES, storageMessage } from './http-backend.ts';
import { readIndexBody } from './index-body.ts';
import { encodeCompactIndex } from '../../core/compact-index.ts';
import type { IndexResponse } from '../../core/api.ts';

interface Call {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
  keepalive: boolean;
}

function fakeFetch(answer: (call: Call) => Response | Promise<Response>) {
  const calls: Call[] = [];
  const doFetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const call = {
      url: String(input),
      method: init?.method ?? 'GET',
      headers: (init?.headers ?? {}) as Record<string, string>,
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
      keepalive: init?.keepalive === true,
    };
    calls.push(call);
    return answer(call);
  };
  return { calls, fetch: doFetch as typeof fetch };
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

const session = { sessionToken: 'tok', expiresAt: '2030-01-01T00:00:00Z', siteId: 'site1', user: { id: 'u', email: 'e', firstName: 'A', lastName: 'B' } };

describe('the HTTP backend port', () => {
  it('opens a session, then sends the bearer with every site call', async () => {
    const { calls, fetch } = fakeFetch((call) =>
      call.url.endsWith('/api/session') ? json(201, session) : json(200, { folders: [{ id: 'f', name: 'F', parentId: null }] }),
    );
    const backend = createHttpBackend('https://backend.example/', { fetch });
    const opened = await backend.createSession({ idToken: 'id-token-123', siteId: 'site1' });
    backend.setSessionToken(opened.sessionToken);
    const folders = await backend.listFolders('site1');

    expect(calls[0]).toMatchObject({ url: 'https://backend.example/api/session', method: 'POST', body: { idToken: 'id-token-123', siteId: 'site1' } });
    expect(calls[0]?.headers.Authorization).toBeUndefined();
    expect(calls[1]).toMatchObject({ url: 'https://backend.example/api/sites/site1/folders', method: 'GET' });
    expect(calls[1]?.headers.Authorization).toBe('Bearer tok');
    expect(folders).toEqual([{ id: 'f', name: 'F', parentId: null }]);
  });

  it('asks for the compact index and gives the models the index itself', async () => {
    const index: IndexResponse = {
      version: 3,
      epoch: 'e1',
      site: { id: 'site1', displayName: 'Demo', locales: [{ id: 'en', displayName: 'English', tag: 'en', primary: true }] },
      folders: [],
      assets: [
        {
          id: '64f0a1b2c3d4e5f607182931',
          name: 'hero.png',
          fileName: 'hero.png',
          contentType: 'image/png',
          size: 12,
          url: 'https://cdn.example/s/64f0a1b2c3d4e5f607182931_hero.png',
          thumbUrl: 'https://cdn.example/s/64f0a1b2c3d4e5f607182931_hero-p-500.png',
          folderId: null,
          createdOn: '2024-01-01T00:00:00.000Z',
          lastUpdated: '2024-01-02T00:00:00.000Z',
          altText: null,
          localeAltText: {},
          md5: null,
        },
      ],
      refresh: { state: 'idle', done: 1, total: 1, finishedAt: null, error: null },
    };
    const { calls, fetch } = fakeFetch(() => json(200, encodeCompactIndex(index)));
    const answer = await createHttpBackend('https://b', { fetch }).getIndex('site1');
    expect(answer.index).toEqual(index);
    // The body as sent, for the panel to keep; read again, it is the same index.
    expect(answer.body).toBe(JSON.stringify(encodeCompactIndex(index)));
    expect(readIndexBody(answer.body)).toEqual(index);
    expect(calls[0]?.url).toBe('https://b/api/sites/site1/index?format=compact');
  });

  it('turns the JSON error shape into a BackendError with its code and details', async () => {
    const { fetch } = fakeFetch(() =>
      json(409, { error: { code: 'not_installed', message: 'Install Asset Desk first.', details: { installUrl: 'https://x/install' } } }),
    );
    const error = await createHttpBackend('https://b', { fetch })
      .createSession({ idToken: 'id-token-123', siteId: 'site1' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BackendError);
    expect(error).toMatchObject({ status: 409, code: 'not_installed', message: 'Install Asset Desk first.', details: { installUrl: 'https://x/install' } });
  });

  it('reports an unreachable server as a network error that says what to do', async () => {
    const { fetch } = fakeFetch(() => Promise.reject(new TypeError('fetch failed')));
    const error = await createHttpBackend('https://b', { fetch }).getIndex('site1').catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 0, code: 'network' });
    expect((error as Error).message).toMatch(/can't be reached.*try again/);
  });

  it('refuses an answer that does not match the API contract', async () => {
    const { fetch } = fakeFetch(() => json(200, { version: 'one' }));
    const error = await createHttpBackend('https://b', { fetch }).getIndex('site1').catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'internal_error' });
    expect((error as Error).message).toMatch(/does not match the API/);
  });

  it('reads where assets are used, and refuses a usage answer that breaks the wire', async () => {
    const { makeUsage } = await import('../testing/fakes.ts');
    const summary = makeUsage({ asset1: { pages: 2, items: 3, missing: 1 } }, { state: 'running', done: 4, total: 9 });
    const { calls, fetch } = fakeFetch(() => json(200, summary));
    const backend = createHttpBackend('https://b', { fetch });
    await expect(backend.usage('site 1')).resolves.toEqual(summary);
    expect(calls[0]).toMatchObject({ method: 'GET', url: 'https://b/api/sites/site%201/usage' });

    // Columns of different lengths would pin counts on the wrong asset.
    const broken = { ...summary, columns: { ...summary.columns, missing: [] } };
    const refused = createHttpBackend('https://b', { fetch: fakeFetch(() => json(200, broken)).fetch }).usage('site1');
    await expect(refused).rejects.toMatchObject({ code: 'internal_error', message: expect.stringMatching(/usage does not match the API: columns: missing has 0 rows, assetId 1/) });
    const unknownState = { ...summary, crawl: { ...summary.crawl, state: 'paused' } };
    await expect(createHttpBackend('https://b', { fetch: fakeFetch(() => json(200, unknownState)).fetch }).usage('site1')).rejects.toMatchObject({
      message: expect.stringMatching(/crawl: state: not a crawl state/),
    });
  });

  it('puts the styles’ background images and checks the answer', async () => {
    const { sourcesReadOn } = await import('../testing/fakes.ts');
    const answer = { stored: 1, unmatched: 1, sources: sourcesReadOn('2026-12-04T12:00:00Z', '2026-12-04T12:30:00Z') };
    const { calls, fetch } = fakeFetch(() => json(200, answer));
    const uses = [{ url: 'https://cdn/a.jpg', styleName: 'hero' }, { url: 'https://elsewhere/b.jpg', styleName: 'card', breakpoint: 'medium' as const, pseudo: 'hover' as const }];
    await expect(createHttpBackend('https://b', { fetch }).putStyleUses('site1', { uses })).resolves.toEqual(answer);
    expect(calls[0]).toMatchObject({ method: 'PUT', url: 'https://b/api/sites/site1/usage/styles', body: { uses } });
    const broken = { ...answer, stored: '1' };
    await expect(createHttpBackend('https://b', { fetch: fakeFetch(() => json(200, broken)).fetch }).putStyleUses('site1', { uses })).rejects.toMatchObject({ message: expect.stringMatching(/stored: not a number/) });
  });

  it('leases, acknowledges and undoes on the journal’s routes', async () => {
    const change = {
      id: 'c1', batchId: 'b1', assetId: 'a1', field: 'altText', localeId: null, before: '', after: 'x', status: 'leased',
      error: null, userId: 'u', createdAt: 'now', appliedAt: null, appliedBy: null,
    };
    const { calls, fetch } = fakeFetch((call) => {
      if (call.url.endsWith('/lease')) return json(200, { changes: [change], leaseExpiresAt: 'later' });
      if (call.url.endsWith('/ack')) return json(200, { changes: [{ ...change, status: 'applied' }] });
      return json(201, { batch: { id: 'b2', label: null, userId: 'u', createdAt: 'now', undoOf: 'b1', changes: [] } });
    });
    const backend = createHttpBackend('https://b', { fetch });
    expect((await backend.leaseChanges('site1', 'panel-applier-1', 50, 30)).changes).toHaveLength(1);
    expect(await backend.ackChanges('site1', 'panel-applier-1', [{ changeId: 'c1', outcome: 'applied' }])).toMatchObject([{ status: 'applied' }]);
    expect((await backend.undoBatch('site1', 'b1')).undoOf).toBe('b1');
    expect(calls.map((call) => call.url.replace('https://b/api/sites/site1', ''))).toEqual(['/changes/lease', '/changes/ack', '/batches/b1/undo']);
    expect(calls[0]?.body).toEqual({ applierId: 'panel-applier-1', limit: 50, seconds: 30 });
  });

  it('lets a save, an acknowledgement and a release outlive a panel closed at once, within Chromium’s keepalive budget', async () => {
    const change = {
      id: 'c1', batchId: 'b1', assetId: 'a1', field: 'altText', localeId: null, before: '', after: 'x', status: 'applied',
      error: null, userId: 'u', createdAt: 'now', appliedAt: null, appliedBy: null,
    };
    // Answers wait until released, so requests can be in flight together.
    const waiting: Array<() => void> = [];
    const { calls, fetch } = fakeFetch(
      (call) =>
        new Promise<Response>((resolve) => {
          const body = call.url.endsWith('/ack')
            ? { changes: [change] }
            : call.url.endsWith('/release')
              ? { released: 1 }
              : { batch: { id: 'b1', label: null, userId: 'u', createdAt: 'now', undoOf: null, changes: [change] } };
          waiting.push(() => resolve(json(call.url.endsWith('/changes') ? 201 : 200, body)));
        }),
    );
    const backend = createHttpBackend('https://b', { fetch });
    const release = async () => {
      for (const answer of waiting.splice(0)) answer();
      await new Promise((resolve) => setTimeout(resolve, 0));
    };

    const acked = backend.ackChanges('site1', 'panel-1', [{ changeId: 'c1', outcome: 'applied' }]);
    const recorded = backend.recordBatch('site1', { changes: [{ assetId: 'a1', field: 'altText', localeId: null, before: '', after: 'x' }], label: 'Alt' });
    const given = backend.releaseChanges('site1', 'panel-1');
    const listed = backend.listChanges('site1', ['conflict']).catch(() => undefined);
    await release();
    await Promise.all([acked, recorded, listed]);
    expect(await given).toBe(1);
    expect(calls.map((call) => [call.url.replace('https://b/api/sites/site1', ''), call.keepalive])).toEqual([
      ['/changes/ack', true],
      ['/changes', true],
      ['/changes/release', true],
      ['/changes?status=conflict', false],
    ]);

    // Bodies in flight past the budget go without keepalive (Chromium would refuse them outright).
    const failure = { changeId: 'c1', outcome: 'failed' as const, error: 'e'.repeat(1900) };
    const big = Array.from({ length: Math.ceil(KEEPALIVE_BUDGET_BYTES / 2 / 1950) }, () => failure);
    calls.length = 0;
    const three = [0, 1, 2].map(() => backend.ackChanges('site1', 'panel-1', big));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(calls.map((call) => call.keepalive)).toEqual([true, false, false]);
    await release();
    await Promise.all(three);
    // Once answered, their bytes are free again.
    calls.length = 0;
    const again = backend.ackChanges('site1', 'panel-1', big);
    await release();
    await again;
    expect(calls.map((call) => call.keepalive)).toEqual([true]);
  });
});

class FakeRequest {
  static last: FakeRequest;
  status = 0;
  responseText = '';
  method = '';
  url = '';
  body: FormData | null = null;
  upload: { onprogress: ((event: ProgressEvent) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  constructor() {
    FakeRequest.last = this;
  }
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  send(body: FormData) {
    this.body = body;
  }
  abort() {
    this.onabort?.();
  }
  answer(status: number, text = '') {
    this.upload.onprogress?.({ lengthComputable: true, loaded: 5, total: 10 } as ProgressEvent);
    this.status = status;
    this.responseText = text;
    this.onload?.();
  }
}

describe('sending a file to Webflow’s storage', () => {
  const ticket = {
    id: 'up1',
    assetId: 'a1',
    uploadUrl: 'https://storage.example/bucket',
    uploadDetails: { acl: 'public-read', key: 'site/a1.png', 'X-Amz-Signature': 'sig', success_action_status: '201' },
    expiresAt: 'later',
  };
  const backend = () => createHttpBackend('https://b', { createRequest: () => new FakeRequest() as unknown as XMLHttpRequest });

  it('posts every detail field first, in order, then the file, and reports progress', async () => {
    const progress: number[] = [];
    const sent = backend().sendFile(ticket, new Blob(['png']), 'a1.png', { onProgress: (fraction) => progress.push(fraction) });
    const request = FakeRequest.last;
    request.answer(201);
    await sent;
    expect(request).toMatchObject({ method: 'POST', url: 'https://storage.example/bucket' });
    expect([...(request.body as FormData).keys()]).toEqual(['acl', 'key', 'X-Amz-Signature', 'success_action_status', 'file']);
    expect(progress).toEqual([0.5, 1]);
  });

  it('explains a refusal with the storage’s own message', async () => {
    const sent = backend().sendFile(ticket, new Blob(['png']), 'a1.png');
    FakeRequest.last.answer(403, '<?xml version="1.0"?><Error><Code>AccessDenied</Code><Message>Policy expired</Message></Error>');
    await expect(sent).rejects.toMatchObject({ status: 403, message: "Webflow's storage refused a1.png: Policy expired. Try again." });
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    const sent = backend().sendFile(ticket, new Blob(['png']), 'a1.png', { signal: controller.signal });
    controller.abort();
    await expect(sent).rejects.toMatchObject({ code: 'aborted' });
  });

  it('reads the message or code of an S3 XML error', () => {
    expect(storageMessage('<Error><Code>EntityTooLarge</Code></Error>')).toBe('EntityTooLarge');
    expect(storageMessage('not xml')).toBeNull();
  });
});

describe('the panel’s light answer checks', () => {
  it('accept what the API’s schemas accept, and name the field that is wrong', async () => {
    const { indexChangesResponse, indexResponse } = await import('../../core/api.ts');
    const { wire } = await import('./wire.ts');
    const { makeAsset } = await import('../testing/fakes.ts');
    const index = {
      version: 3,
      epoch: 'e1',
      site: { id: 'site1', displayName: 'Demo', locales: [{ id: 'en', displayName: 'English', tag: 'en', primary: true }] },
      folders: [{ id: 'f1', name: 'F', parentId: null }],
      assets: [makeAsset(1), makeAsset(2, { altText: null, localeAltText: { fr: 'Texte' } })],
      refresh: { state: 'idle', done: 2, total: 2, finishedAt: null, error: null },
    };
    expect(indexResponse.safeParse(index).success).toBe(true);
    expect(wire.index.safeParse(index).success).toBe(true);
    const broken = { ...index, assets: [makeAsset(1), { ...makeAsset(2), altText: 5 }] };
    expect(indexResponse.safeParse(broken).success).toBe(false);
    expect(wire.index.safeParse(broken)).toEqual({ success: false, error: { message: 'assets: [1] altText: not a string' } });
    // The changes since a version name the store's epoch and the site's locales.
    const changes = { version: 4, epoch: 'e1', site: index.site, assets: [makeAsset(3)], removedAssetIds: ['a'], folders: index.folders, refresh: index.refresh };
    expect(indexChangesResponse.safeParse(changes).success).toBe(true);
    expect(wire.indexChanges.safeParse(changes).success).toBe(true);
    const { epoch: _epoch, ...withoutEpoch } = changes;
    expect(indexChangesResponse.safeParse(withoutEpoch).success).toBe(false);
    expect(wire.indexChanges.safeParse(withoutEpoch)).toEqual({ success: false, error: { message: 'epoch: not a string' } });
  });

  it('check the usage summary as core/usage.ts’s schema does', async () => {
    const { usageSummary, USAGE_SUMMARY_FORMAT } = await import('../../core/usage.ts');
    const { wire, USAGE_FORMAT } = await import('./wire.ts');
    const { makeUsage } = await import('../testing/fakes.ts');
    expect(USAGE_FORMAT).toBe(USAGE_SUMMARY_FORMAT);
    const summary = makeUsage({ asset1: { pages: 1 } }, { state: 'needs_scopes', missingScopes: ['cms:read'], built: false });
    expect(usageSummary.safeParse(summary).success).toBe(true);
    expect(wire.usageSummary.safeParse(summary).success).toBe(true);
    const broken = { ...summary, columns: { ...summary.columns, pages: ['1'] } };
    expect(usageSummary.safeParse(broken).success).toBe(false);
    expect(wire.usageSummary.safeParse(broken)).toEqual({ success: false, error: { message: 'columns: pages: [0] not a number' } });
  });
});
