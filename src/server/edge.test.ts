import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { describe, expect, it } from 'vitest';
import { apiError, batchResponse } from '../core/api.ts';
import { fullApp, SITE, type FullApp } from '../../test/server/full-app.ts';
import { testStoreKinds, useTestStore } from '../../test/server/store-test-helpers.ts';
import { MAX_BODY_BYTES } from './app.ts';

const NUL = '\u0000';
const HALF = '\uD800';

describe.each(testStoreKinds)('the edge of every route on %s', (kind) => {
  const stores = useTestStore(kind);

  function setup() {
    const full = fullApp(stores.current());
    const send = (path: string, init: { method?: string; body?: BodyInit; type?: string | null; authorization?: string } = {}) => {
      const headers: Record<string, string> = { authorization: init.authorization ?? full.authorization };
      if (init.type !== null) headers['content-type'] = init.type ?? 'application/json';
      return full.app.request(`/api/sites/${SITE}${path}`, { method: init.method ?? 'POST', headers, ...(init.body !== undefined ? { body: init.body } : {}) });
    };
    const post = (path: string, body: unknown) => send(path, { body: JSON.stringify(body) });
    return { ...full, send, post };
  }

  async function refused(response: Response, status: number, code: string): Promise<string> {
    expect(response.status).toBe(status);
    const { error } = apiError.strict().parse(await response.json());
    expect(error.code).toBe(code);
    return error.message;
  }

  const door = { assetId: 'a1', field: 'altText', before: '', after: 'Door' };

  it('refuses NUL and half characters in every text field, naming the field', async () => {
    const { post } = setup();
    const cases: Array<[string, unknown, RegExp]> = [
      ['/changes', { changes: [{ ...door, after: `Do${NUL}or` }] }, /^changes\.0\.after: .*NUL/],
      ['/changes', { changes: [{ ...door, after: `Do${HALF}or` }] }, /^changes\.0\.after: .*lone UTF-16 surrogate/],
      ['/changes/lease', { applierId: `applier-${NUL}-1` }, /^applierId: .*NUL/],
      ['/changes/ack', { applierId: `applier-${HALF}-1`, results: [{ changeId: '1', outcome: 'applied' }] }, /^applierId: .*surrogate/],
      ['/changes/ack', { applierId: 'applier-0001', results: [{ changeId: `1${NUL}`, outcome: 'applied' }] }, /^results\.0\.changeId: /],
      ['/uploads', { fileName: `photo${NUL}.png`, fileHash: 'a'.repeat(32), size: 10, contentType: 'image/png' }, /^fileName: .*NUL/],
      ['/uploads', { fileName: `photo${HALF}.png`, fileHash: 'a'.repeat(32), size: 10, contentType: 'image/png' }, /^fileName: .*surrogate/],
      ['/uploads/u1/complete', { altText: `Alt${NUL}` }, /^altText: .*NUL/],
      ['/folders', { name: `Logos${NUL}` }, /^name: .*NUL/],
      ['/folders', { name: 'x'.repeat(101) }, /^name: must be at most 100 characters/],
      ['/changes', { changes: [door], label: 'x'.repeat(201) }, /^label: must be at most 200 characters/],
    ];
    for (const [path, body, message] of cases) {
      expect(await refused(await post(path, body), 400, 'validation_error'), `${path} ${JSON.stringify(body)}`).toMatch(message);
    }
  });

  it('refuses NUL in a path id or a query parameter with 400, naming it', async () => {
    const { send } = setup();
    expect(await refused(await send('/assets/%00/history', { method: 'GET', type: null }), 400, 'validation_error')).toMatch(/after \/api\/sites\/site1\/assets\/: .*NUL/);
    expect(await refused(await send('/uploads/%00/complete', { body: '{}' }), 400, 'validation_error')).toMatch(/NUL/);
    expect(await refused(await send('/uploads/a%20b/complete', { body: '{}' }), 400, 'validation_error')).toMatch(/^uploadId: must be an id/);
    expect(await refused(await send('/changes?status=pending%00', { method: 'GET', type: null }), 400, 'validation_error')).toMatch(/^query parameter status: .*NUL/);
    expect(await refused(await send(`/index/changes?since=${'9'.repeat(300)}`, { method: 'GET', type: null }), 400, 'validation_error')).toMatch(/at most 256/);
  });

  it('keeps a before-value read from Webflow, and a label quoting a name, whatever they hold, byte for byte', async () => {
    const { post, send } = setup();
    const before = `Old${NUL}alt${HALF}`;
    // The panel's label quotes the asset's name, which Webflow may hold with a NUL too.
    const label = `Alt text of Menu${NUL}`;
    const recorded = await post('/changes', { changes: [{ ...door, before }], label });
    expect(recorded.status).toBe(201);
    const { batch } = batchResponse.parse(await recorded.json());
    expect(batch.changes[0]?.before).toBe(before);
    expect(batch.label).toBe(label);
    const history = (await (await send('/assets/a1/history', { method: 'GET', type: null })).json()) as { changes: Array<{ before: string }> };
    expect(history.changes[0]?.before).toBe(before);
  });

  it('keeps an applier’s error text whatever it quotes, even cut in the middle of a pair', async () => {
    const { post, send } = setup();
    await post('/changes', { changes: [door] });
    const lease = (await (await post('/changes/lease', { applierId: 'applier-0001' })).json()) as { changes: Array<{ id: string }> };
    const error = `Folder “Logos${NUL}” was not found \uD83D`;
    const ack = await post('/changes/ack', { applierId: 'applier-0001', results: [{ changeId: lease.changes[0]!.id, outcome: 'failed', error }] });
    expect(ack.status).toBe(200);
    const history = (await (await send('/assets/a1/history', { method: 'GET', type: null })).json()) as { changes: Array<{ error: string | null }> };
    expect(history.changes[0]?.error).toBe(error);
  });

  it('answers 415 to a body that is not said to be JSON, and takes JSON with charset=utf-8', async () => {
    const { send } = setup();
    const body = JSON.stringify({ changes: [door] });
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1', 'application/jsonx']) {
      expect(await refused(await send('/changes', { body, type }), 415, 'unsupported_media_type'), type).toMatch(/Content-Type: application\/json/);
    }
    expect((await send('/changes', { body, type: null })).status).toBe(415);
    expect((await send('/changes', { body, type: 'Application/JSON; Charset=UTF-8' })).status).toBe(201);
    // A POST without a body needs no Content-Type.
    expect((await send('/index/refresh', { type: null })).status).toBe(202);
  });

  it('drops a byte order mark before JSON, and refuses bytes that are not UTF-8', async () => {
    const { send } = setup();
    const withBom = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(JSON.stringify({ changes: [door] }))]);
    expect((await send('/changes', { body: withBom })).status).toBe(201);
    const latin1 = new Uint8Array([...new TextEncoder().encode('{"changes":[{"assetId":"a1","field":"altText","before":"","after":"Caf'), 0xe9, ...new TextEncoder().encode('"}]}')]);
    expect(await refused(await send('/changes', { body: latin1 }), 400, 'bad_request')).toMatch(/not UTF-8/);
  });

  it('takes the session only as exactly "Bearer <token>"', async () => {
    const { send, authorization } = setup();
    const token = authorization.slice('Bearer '.length);
    expect((await send('/folders', { method: 'GET', type: null })).status).toBe(200);
    for (const form of [`bearer ${token}`, `Bearer\t${token}`, `Bearer  ${token}`, `Bearer ${token} x`, token, `Basic ${token}`]) {
      expect(await refused(await send('/folders', { method: 'GET', type: null, authorization: form }), 401, 'unauthorized'), JSON.stringify(form)).toMatch(/exactly "Authorization: Bearer <sessionToken>"/);
    }
  });
});

describe('a body over the limit, or refused unread', () => {
  const stores = useTestStore('pglite');

  /** Two requests on one kept-alive connection: what the server answered to each, as raw text. */
  function twoOnOneConnection(full: FullApp, first: string, second: string): Promise<string[]> {
    const server = serve({ fetch: full.app.fetch, port: 0, hostname: '127.0.0.1' });
    return new Promise((resolve) => {
      server.once('listening', () => {
        const socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
        const answers: string[] = [];
        let pending = '';
        socket.setEncoding('utf8');
        socket.on('data', (chunk: string) => {
          pending += chunk;
          const head = pending.indexOf('\r\n\r\n');
          const length = Number(/content-length: (\d+)/i.exec(pending)?.[1] ?? 0);
          if (head < 0 || pending.length < head + 4 + length) return;
          answers.push(pending.slice(0, head + 4 + length));
          pending = pending.slice(head + 4 + length);
          if (answers.length === 1) socket.write(second);
          else socket.end();
        });
        socket.on('error', () => undefined);
        socket.on('close', () => {
          server.close();
          resolve(answers);
        });
        socket.write(first);
      });
    });
  }

  it('keeps the connection of a request refused before its body was read, so the next request on it is answered', async () => {
    const full = fullApp(stores.current());
    const body = JSON.stringify({ label: '\u{1F4A5}'.repeat(70_000) });
    const refused = `POST /api/sites/${SITE}/changes HTTP/1.1\r\nHost: backend.test\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    const next = 'GET /healthz HTTP/1.1\r\nHost: backend.test\r\n\r\n';

    const answers = await twoOnOneConnection(full, refused, next);

    expect(answers.map((answer) => answer.slice(0, 12))).toEqual(['HTTP/1.1 401', 'HTTP/1.1 200']);
  });

  /** A raw HTTP/1.1 client that sends `bytes` of body in paced chunks, as a slow uplink does. */
  function slowPost(full: FullApp, bytes: number): Promise<{ answer: string; writeError: string | null; sentBeforeClose: number }> {
    const server = serve({ fetch: full.app.fetch, port: 0, hostname: '127.0.0.1' });
    return new Promise((resolve, reject) => {
      server.once('listening', () => {
        const socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
        let answer = '';
        let writeError: string | null = null;
        let sent = 0;
        socket.setEncoding('utf8');
        socket.on('data', (chunk: string) => (answer += chunk));
        socket.on('error', (error) => (writeError ??= error.message));
        socket.on('close', () => {
          server.close();
          resolve({ answer, writeError, sentBeforeClose: sent });
        });
        void (async () => {
          socket.write(
            `POST /api/sites/${SITE}/changes HTTP/1.1\r\nHost: backend.test\r\nAuthorization: ${full.authorization}\r\n` +
              `Content-Type: application/json\r\nContent-Length: ${bytes}\r\n\r\n`,
          );
          const chunk = Buffer.alloc(64 * 1024, 0x20);
          while (sent < bytes && !socket.destroyed) {
            const part = chunk.subarray(0, Math.min(chunk.length, bytes - sent));
            await new Promise<void>((done) => socket.write(part, () => done()));
            sent += part.length;
            // The pace of a slow uplink: the whole body takes longer than the server's own
            // post-answer drain (500 ms in @hono/node-server), which used to cut it off.
            await new Promise((done) => setTimeout(done, 25));
          }
        })().catch(reject);
      });
    });
  }

  it('is answered 413 payload_too_large, and a client still sending reads the answer', async () => {
    const full = fullApp(stores.current());
    const bytes = MAX_BODY_BYTES + 1024 * 1024;
    const { answer, writeError, sentBeforeClose } = await slowPost(full, bytes);
    // The server kept the connection open until the client had sent its whole body.
    expect(sentBeforeClose).toBe(bytes);
    expect(writeError).toBeNull();
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer.toLowerCase()).toContain('connection: close');
    const body = answer.slice(answer.indexOf('\r\n\r\n') + 4);
    expect(apiError.parse(JSON.parse(body)).error).toMatchObject({ code: 'payload_too_large', message: expect.stringMatching(/smaller batches/) });
  }, 60_000);
});
