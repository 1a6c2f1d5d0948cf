/**
 * What every journey needs: the whole stack as `npm start` runs it (on free ports, in memory),
 * Chromium, screenshots under test/out/screenshots, and the sandbox's view of the truth read
 * through the Data API, never through the panel under test.
 */
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { deflateSync } from 'node:zlib';
import { resolve } from 'node:path';
import type axe from 'axe-core';
import type { Browser, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { launchChromium, newPage } from '../../src/stack/chromium.ts';
import { startStack, type Stack, type StackOptions } from '../../src/stack/stack.ts';
import { crc32 } from '../../src/sandbox/seed/png.ts';
import { DESIGNER_PATH } from '../../src/sandbox/designer/wire.ts';

export const SCREENSHOTS = resolve('test/out/screenshots');

export interface Journey {
  stack: Stack;
  browser: Browser;
  close(): Promise<void>;
}

export async function startJourney(options: StackOptions = {}): Promise<Journey> {
  // A one-second quota window: the index of the demo site is read in a second, not a minute.
  const stack = await startStack({ rateLimit: { perWindow: 60, windowMs: 1000 }, ...options });
  const browser = await launchChromium().catch(async (error: unknown) => {
    await stack.close();
    throw error;
  });
  return {
    stack,
    browser,
    close: async () => {
      await browser.close();
      await stack.close();
    },
  };
}

/** The stack and Chromium for one test file: started in `beforeAll`, closed in `afterAll`. */
export function useJourney(options: StackOptions = {}): { journey: Journey } {
  const held = {} as { journey: Journey };
  beforeAll(async () => {
    held.journey = await startJourney(options);
  }, 180_000);
  afterAll(async () => {
    await (held.journey as Journey | undefined)?.close();
  });
  return held;
}

export async function openPanel(journey: Journey, viewport = { width: 1100, height: 760 }): Promise<Page> {
  const page = await newPage(journey.browser, { viewport });
  page.on('pageerror', (error) => console.error(`panel error: ${error.message}`));
  await page.goto(journey.stack.panelUrl);
  await page.getByRole('row').filter({ has: page.getByRole('textbox') }).first().waitFor({ timeout: 60_000 });
  return page;
}

/**
 * Rules of axe's that a run leaves out, each with its reason. Every other rule runs, those axe
 * keeps off by default included (experimental, deprecated, target-size), and best practices.
 */
export const AXE_RULES_LEFT_OUT: Readonly<Record<string, string>> = {
  'color-contrast-enhanced':
    'AAA contrast (7:1) is not the panel’s target: it keeps the Designer’s palette at AA (4.5:1), which color-contrast checks',
};

const AXE_SCRIPT = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/**
 * axe-core's findings on the whole page in real layout, with every rule but those left out
 * above: one line per rule, with how many elements and the first of them.
 */
export async function axeFindings(page: Page | Frame): Promise<string[]> {
  await page.addScriptTag({ path: AXE_SCRIPT });
  return page.evaluate(async (leftOut) => {
    const inPage = (window as unknown as { axe: typeof axe }).axe;
    const rules = Object.fromEntries(inPage.getRules().map(({ ruleId }) => [ruleId, { enabled: !leftOut.includes(ruleId) }]));
    const result = await inPage.run(document, { rules });
    return result.violations.map((violation) => `${violation.id} (${violation.nodes.length}): ${violation.nodes[0]?.html ?? ''}`);
  }, Object.keys(AXE_RULES_LEFT_OUT));
}

/**
 * What goes wrong on a page from now on, as lines to assert empty: console errors, uncaught
 * errors, requests that failed and answers of 400 or more.
 */
export function watchTrouble(page: Page): string[] {
  const trouble: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') trouble.push(`console error: ${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => trouble.push(`uncaught: ${error.message}`));
  page.on('requestfailed', (request) => {
    const reason = request.failure()?.errorText ?? 'no reason';
    // The applier cancels its own long poll for work when it is woken or the page changes.
    if (reason === 'net::ERR_ABORTED' && request.url().endsWith('/changes/lease')) return;
    trouble.push(`failed: ${request.method()} ${request.url()} (${reason})`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) trouble.push(`${response.status()}: ${response.request().method()} ${response.url()}`);
  });
  return trouble;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: resolve(SCREENSHOTS, `${name}.png`) });
}

export interface WireAsset {
  id: string;
  displayName: string;
  originalFileName: string;
  altText: string | null;
  contentType: string;
  hostedUrl: string;
  folderId?: string | null;
}

/**
 * One call of the sandbox's Data API with the site's token, which the backend shares: a 429 is
 * waited out (as long as its Retry-After says, a quarter second without one) until `timeoutMs`,
 * after which it fails saying what it saw. A GET unless `init` says otherwise (a JSON body).
 */
export async function dataApi<T>(stack: Stack, url: URL | string, init: { method?: string; body?: unknown } = {}, timeoutMs = 60_000): Promise<T> {
  const method = init.method ?? 'GET';
  const deadline = Date.now() + timeoutMs;
  const seen: string[] = [];
  for (;;) {
    const response = await fetch(url, {
      method,
      headers: { authorization: `Bearer ${stack.sandbox.info.siteToken}`, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
    if (response.status !== 429) {
      expect(response.status, `${method} ${String(url)}: ${await response.clone().text()}`).toBe(200);
      return (await response.json()) as T;
    }
    const retryAfter = response.headers.get('retry-after');
    seen.push(`429 (Retry-After ${retryAfter ?? 'absent'})`);
    const seconds = Number(retryAfter);
    const waitMs = retryAfter !== null && Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : 250;
    if (Date.now() + waitMs > deadline) {
      throw new Error(`${method} ${String(url)} still rate-limited after ${timeoutMs} ms; answers: ${seen.slice(-10).join(', ')} (${seen.length} in all)`);
    }
    await new Promise((done) => setTimeout(done, waitMs));
  }
}

/** The sandbox's truth: an asset as the Data API answers it (optionally in a locale). */
export async function sandboxAsset(stack: Stack, assetId: string, localeId?: string): Promise<WireAsset> {
  const url = new URL(`${stack.sandbox.info.apiBaseUrl}/assets/${assetId}`);
  if (localeId) url.searchParams.set('localeId', localeId);
  return dataApi<WireAsset>(stack, url);
}

/** Every asset of the demo site, read page by page from the Data API. */
export async function sandboxAssets(stack: Stack): Promise<WireAsset[]> {
  const all: WireAsset[] = [];
  for (let offset = 0; ; ) {
    const url = `${stack.sandbox.info.apiBaseUrl}/sites/${stack.siteId}/assets?offset=${offset}&limit=100`;
    const page = await dataApi<{ assets: WireAsset[]; pagination: { total: number } }>(stack, url);
    all.push(...page.assets);
    offset += 100;
    if (offset >= page.pagination.total) return all;
  }
}

/**
 * Waits for a condition on the sandbox (appliers work in the background); at the deadline it
 * fails, saying what it last read.
 */
export async function eventually<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline) {
      throw new Error(`Not there after ${timeoutMs} ms; last seen: ${JSON.stringify(value)?.slice(0, 2000)}`);
    }
    await new Promise((done) => setTimeout(done, 250));
  }
}

/** A backend session of the site's user, opened as the panel opens one (an ID token from the Designer): its bearer token. */
export async function backendSession(stack: Stack): Promise<string> {
  const { sandbox, backendUrl, siteId } = stack;
  const token = (await (await fetch(`${sandbox.url}${DESIGNER_PATH}/id-token?siteId=${siteId}`, { method: 'POST' })).json()) as { idToken: string };
  const response = await fetch(`${backendUrl}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ idToken: token.idToken, siteId }) });
  expect(response.ok, `the backend opened no session: ${response.status}`).toBe(true);
  return ((await response.json()) as { sessionToken: string }).sessionToken;
}

/** The panel's live region, where every outcome is announced. */
export function statusOf(page: Page) {
  return page.locator('footer [role="status"]');
}

/** A small real PNG of one colour, different for every seed, so its MD5 is new to the site. */
export function solidPng(seed: number, width = 64, height = 48): Uint8Array {
  const row = Buffer.alloc(1 + width * 3);
  for (let x = 0; x < width; x++) row.set([(seed * 37) % 256, (seed * 91 + x) % 256, (seed * 53) % 256], 1 + x * 3);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body) >>> 0);
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
