/**
 * The vision model against a local HTTP server that speaks the OpenAI chat-completions wire
 * format (POST {base}/chat/completions, Bearer key, `messages` with an `image_url` part, an
 * answer in `choices[0].message.content`, errors as `{error: {message, type, code}}`): the
 * request's shape, its answer as a suggestion marked "vision model", errors, 429 with
 * Retry-After, a timeout, the daily cap, and the key never in a log line. Without a vision
 * model configured, no request leaves the backend.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IndexedAsset } from '../../src/core/api.ts';
import { drawJpeg } from '../../src/sandbox/seed/jpeg.ts';
import type { VisionConfig } from '../../src/server/config.ts';
import { ensureSite, saveSiteInfo, upsertAssets } from '../../src/server/store/asset-index.ts';
import { visionRequestsToday } from '../../src/server/store/suggestions.ts';
import { createSuggestions } from '../../src/server/suggestions/service.ts';
import { createVisionModel, VISION_IMAGE_SIDE } from '../../src/server/suggestions/vision.ts';
import { testStoreKinds, useTestStore } from '../server/store-test-helpers.ts';

const SITE = 'site1';
const KEY = 'sk-test-4f1c2b9e8d7a6053';
const PALETTE: [number, number, number][] = [[250, 246, 240], [196, 164, 132], [90, 60, 40], [214, 120, 62], [46, 74, 62]];
const FILES: Record<string, Uint8Array> = { 'barista-latte-art.jpg': drawJpeg(1600, 1200, 'sun', PALETTE), 'IMG_7334.jpg': drawJpeg(900, 1200, 'sun', PALETTE) };
const LOCALES = [
  { id: 'loc-en', displayName: 'English', tag: 'en', primary: true },
  { id: 'loc-fr', displayName: 'Français', tag: 'fr-FR', primary: false },
];

interface Seen {
  path: string;
  authorization: string | undefined;
  body: { model: string; messages: Array<{ role: string; content: unknown }>; max_tokens?: number };
}

/** What the fake endpoint answers next: a status, a body, headers; or no answer at all (a timeout). */
type Reply = { status: number; body: unknown; headers?: Record<string, string> } | 'hang';

function completion(content: string) {
  return { id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: 'test-vision', choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content } }], usage: { prompt_tokens: 90, completion_tokens: 9, total_tokens: 99 } };
}

const asset = (id: string, fileName: string, url: string): IndexedAsset => ({
  id, name: fileName, fileName, contentType: 'image/jpeg', size: 1, url, thumbUrl: null, folderId: null,
  createdOn: '2025-01-01T00:00:00.000Z', lastUpdated: '2025-01-01T00:00:00.000Z', altText: '', localeAltText: {}, md5: null,
});

describe.each(testStoreKinds)('the vision model on %s', (kind) => {
  const stores = useTestStore(kind);
  let server: Server;
  let base: string;
  const seen: Seen[] = [];
  const replies: Reply[] = [];
  const hanging: ServerResponse[] = [];

  beforeAll(async () => {
    server = createServer((request: IncomingMessage, response: ServerResponse) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        if (request.url?.startsWith('/files/')) {
          const file = FILES[request.url.slice('/files/'.length)];
          if (file) response.writeHead(200, { 'content-type': 'image/jpeg' }).end(Buffer.from(file));
          else response.writeHead(404).end();
          return;
        }
        seen.push({ path: request.url ?? '', authorization: request.headers.authorization, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Seen['body'] });
        const reply = replies.shift() ?? { status: 500, body: { error: { message: 'no reply scripted', type: 'server_error' } } };
        if (reply === 'hang') {
          hanging.push(response);
          return;
        }
        response.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers }).end(JSON.stringify(reply.body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const response of hanging) response.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  async function setup(overrides: Partial<VisionConfig> = {}, withVision = true) {
    seen.length = 0;
    replies.length = 0;
    const store = stores.current();
    await ensureSite(store, SITE);
    await saveSiteInfo(store, SITE, 'Site', LOCALES);
    await upsertAssets(store, SITE, [asset('a'.repeat(24), 'barista-latte-art.jpg', `${base}/files/barista-latte-art.jpg`), asset('b'.repeat(24), 'IMG_7334.jpg', `${base}/files/IMG_7334.jpg`)], 1);
    const config: VisionConfig = { baseUrl: `${base}/v1`, apiKey: KEY, model: 'test-vision', concurrency: 1, dailyCap: 10, timeoutMs: 5_000, ...overrides };
    const logged: string[] = [];
    const suggestions = createSuggestions({
      store,
      allowLoopback: true,
      ...(withVision ? { vision: { model: createVisionModel(config), concurrency: config.concurrency, dailyCap: config.dailyCap } } : {}),
      onError: (error) => logged.push(error instanceof Error ? `${error.name}: ${error.message} ${String(error.cause ?? '')}` : String(error)),
    });
    return { store, suggestions, logged };
  }

  it('sends the documented request (the key as Bearer, a small JPEG as image_url, the language named) and offers the answer as the vision model’s', async () => {
    const { suggestions, logged } = await setup();
    replies.push({ status: 200, body: completion('“Barista pouring latte art in a white cup”') });
    const first = await suggestions.forAsset(SITE, 'a'.repeat(24));
    expect(first.pending).toEqual(['vision']);
    await suggestions.idle();
    expect(seen).toHaveLength(1);
    const [request] = seen;
    expect(request?.path).toBe('/v1/chat/completions');
    expect(request?.authorization).toBe(`Bearer ${KEY}`);
    expect(request?.body.model).toBe('test-vision');
    const [system, user] = request?.body.messages ?? [];
    expect(system).toMatchObject({ role: 'system' });
    expect(String(system?.content)).toContain('in English (en)');
    expect(String(system?.content)).toContain('DECORATIVE');
    expect(String(system?.content)).toMatch(/image of/);
    expect(user?.role).toBe('user');
    const parts = user?.content as Array<{ type: string; text?: string; image_url?: { url: string; detail?: string } }>;
    expect(parts.map((part) => part.type)).toEqual(['text', 'image_url']);
    expect(parts[0]?.text).toContain('- File name: Barista latte art');
    const dataUrl = parts[1]?.image_url?.url ?? '';
    expect(dataUrl).toMatch(/^data:image\/jpeg;base64,/);
    const sent = await sharp(Buffer.from(dataUrl.split(',')[1] ?? '', 'base64')).metadata();
    expect(Math.max(sent.width ?? 0, sent.height ?? 0)).toBe(VISION_IMAGE_SIDE);

    const second = await suggestions.forAsset(SITE, 'a'.repeat(24));
    expect(second.pending).toEqual([]);
    expect(second.suggestions.find((s) => s.source === 'vision')).toEqual({ text: 'Barista pouring latte art in a white cup', source: 'vision', confidence: 0.5, detail: 'test-vision' });
    // Kept by MD5: asked again, the same bytes cost nothing.
    await suggestions.forAsset(SITE, 'a'.repeat(24));
    expect(seen).toHaveLength(1);
    expect(logged).toEqual([]);
  });

  it('asks in the locale’s language for a secondary locale, and marks the answer with that locale', async () => {
    const { suggestions } = await setup();
    replies.push({ status: 200, body: completion('Barista versant un latte dans une tasse blanche') });
    await suggestions.forAsset(SITE, 'a'.repeat(24), 'loc-fr');
    await suggestions.idle();
    expect(String(seen[0]?.body.messages[0]?.content)).toContain('in French (France) (fr-FR)');
    const answer = await suggestions.forAsset(SITE, 'a'.repeat(24), 'loc-fr');
    expect(answer.suggestions.find((s) => s.source === 'vision')).toMatchObject({ text: 'Barista versant un latte dans une tasse blanche', localeId: 'loc-fr' });
    await expect(suggestions.forAsset(SITE, 'a'.repeat(24), 'loc-xx')).rejects.toMatchObject({ status: 400 });
  });

  it('says nothing for a decorative verdict, and reports an error answer as unread without the key in any log line', async () => {
    const { suggestions, logged } = await setup();
    replies.push({ status: 200, body: completion('DECORATIVE') });
    await suggestions.forAsset(SITE, 'a'.repeat(24));
    await suggestions.idle();
    expect((await suggestions.forAsset(SITE, 'a'.repeat(24))).suggestions.some((s) => s.source === 'vision')).toBe(false);

    replies.push({ status: 401, body: { error: { message: `Incorrect API key provided: ${KEY}`, type: 'invalid_request_error', code: 'invalid_api_key' } } });
    await suggestions.forAsset(SITE, 'b'.repeat(24));
    await suggestions.idle();
    const after = await suggestions.forAsset(SITE, 'b'.repeat(24));
    expect(after.unread).toEqual(['vision']);
    expect(seen).toHaveLength(2);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain('refused the API key (401)');
    expect(logged.join('\n')).not.toContain(KEY);
  });

  it('pauses every request after a 429 until its Retry-After, and does not retry it by itself', async () => {
    const { suggestions, logged } = await setup();
    replies.push({ status: 429, body: { error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } }, headers: { 'retry-after': '120' } });
    await suggestions.forAsset(SITE, 'a'.repeat(24));
    await suggestions.idle();
    expect(seen).toHaveLength(1);
    const other = await suggestions.forAsset(SITE, 'b'.repeat(24));
    expect(other.pending).toEqual([]);
    expect(seen).toHaveLength(1);
    const status = await suggestions.status(SITE);
    expect(status.vision).toMatchObject({ active: true, requestsToday: 1, dailyCap: 10 });
    expect(status.vision.active && status.vision.pausedUntil).toBeTruthy();
    expect(logged[0]).toContain('429');
  });

  it('gives up on an endpoint that does not answer in time, and asks it again only later', async () => {
    const { suggestions, logged } = await setup({ timeoutMs: 1_000 });
    replies.push('hang');
    await suggestions.forAsset(SITE, 'a'.repeat(24));
    await suggestions.idle();
    expect(logged[0]).toContain('did not answer in time');
    expect((await suggestions.forAsset(SITE, 'a'.repeat(24))).unread).toEqual(['vision']);
    expect(seen).toHaveLength(1);
  });

  it('stops at the daily cap of the site, counting each request', async () => {
    const { suggestions, store } = await setup({ dailyCap: 1 });
    replies.push({ status: 200, body: completion('A cup of coffee on a wooden table') });
    await suggestions.forAsset(SITE, 'a'.repeat(24));
    await suggestions.idle();
    await suggestions.forAsset(SITE, 'b'.repeat(24), 'loc-fr');
    await suggestions.idle();
    expect(seen).toHaveLength(1);
    expect(await visionRequestsToday(store, SITE)).toBe(1);
    expect((await suggestions.status(SITE)).vision).toMatchObject({ requestsToday: 1, dailyCap: 1 });
  });

  it('sends nothing anywhere without a vision model, and says so', async () => {
    const { suggestions } = await setup({}, false);
    const answer = await suggestions.forAsset(SITE, 'a'.repeat(24));
    await suggestions.idle();
    expect(answer.pending).toEqual([]);
    expect(seen).toEqual([]);
    expect((await suggestions.status(SITE)).vision).toEqual({ active: false });
  });
});
