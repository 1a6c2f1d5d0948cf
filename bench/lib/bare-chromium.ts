/**
 * Chromium driven over its DevTools pipe with the Target, Page and Runtime domains only. Playwright
 * enables the Network domain on every page (its request events need it), and Chromium then hands
 * every chunk of every body to the DevTools agent too: reading the panel's 14.6 MB index at
 * 100,000 assets took 0.67–0.76 s under Playwright where Chromium alone took ~0.4 s
 * (docs/benchmarks.md). A designer's panel has no DevTools attached; this is how a figure leaves
 * that cost out.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../src/stack/chromium.ts';

type Params = Record<string, unknown>;

export interface BarePage {
  /** Adds a script run at the start of every document of the page (before the page's own). */
  addInitScript(source: string): Promise<void>;
  /** Navigates and waits for the new document to exist (its init scripts have run). */
  goto(url: string): Promise<void>;
  /** Evaluates an expression in the page, awaiting a promise it gives; the value as JSON. */
  evaluate<T>(expression: string): Promise<T>;
}

export interface BareChromium {
  newPage(viewport: { width: number; height: number }): Promise<BarePage>;
  close(): Promise<void>;
}

export async function launchBareChromium(): Promise<BareChromium> {
  const profile = mkdtempSync(join(tmpdir(), 'asset-desk-bare-chromium-'));
  const child: ChildProcess = spawn(CHROMIUM_PATH, [...CHROMIUM_ARGS, '--remote-debugging-pipe', `--user-data-dir=${profile}`, 'about:blank'], {
    stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'],
  });
  const toChromium = child.stdio[3] as NodeJS.WritableStream;
  const fromChromium = child.stdio[4] as NodeJS.ReadableStream;
  const waiting = new Map<number, { resolve: (value: Params) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  let buffered = '';
  fromChromium.setEncoding('utf8');
  fromChromium.on('data', (chunk: string) => {
    buffered += chunk;
    let end: number;
    while ((end = buffered.indexOf('\0')) >= 0) {
      const message = JSON.parse(buffered.slice(0, end)) as { id?: number; result?: Params; error?: { message: string } };
      buffered = buffered.slice(end + 1);
      const call = message.id === undefined ? undefined : waiting.get(message.id);
      if (!call) continue;
      waiting.delete(message.id as number);
      if (message.error) call.reject(new Error(message.error.message));
      else call.resolve(message.result ?? {});
    }
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => {
    for (const call of waiting.values()) call.reject(new Error('Chromium exited'));
  });

  function send(method: string, params: Params = {}, sessionId?: string): Promise<Params> {
    const id = nextId++;
    return new Promise((resolve, reject) => {
      waiting.set(id, { resolve, reject });
      toChromium.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
    });
  }

  return {
    async newPage(viewport) {
      const { targetId } = (await send('Target.createTarget', { url: 'about:blank' })) as { targetId: string };
      const { sessionId } = (await send('Target.attachToTarget', { targetId, flatten: true })) as { sessionId: string };
      // Scripts for new documents run only with the Page domain on (it adds no work per request).
      await send('Page.enable', {}, sessionId);
      await send('Emulation.setDeviceMetricsOverride', { width: viewport.width, height: viewport.height, deviceScaleFactor: 1, mobile: false }, sessionId);
      let navigations = 0;
      let marking: string | null = null;
      const evaluate = async <T>(expression: string): Promise<T> => {
        const answer = (await send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true }, sessionId)) as {
          result: { value?: T };
          exceptionDetails?: { text: string; exception?: { description?: string } };
        };
        if (answer.exceptionDetails) throw new Error(answer.exceptionDetails.exception?.description ?? answer.exceptionDetails.text);
        return answer.result.value as T;
      };
      return {
        async addInitScript(source) {
          await send('Page.addScriptToEvaluateOnNewDocument', { source }, sessionId);
        },
        async goto(url) {
          // Each navigation marks its document, so nothing is read from the one before it.
          navigations += 1;
          const mark = `bare-${navigations}`;
          if (marking) await send('Page.removeScriptToEvaluateOnNewDocument', { identifier: marking }, sessionId);
          ({ identifier: marking } = (await send('Page.addScriptToEvaluateOnNewDocument', { source: `window.__bareNavigation = ${JSON.stringify(mark)};` }, sessionId)) as { identifier: string });
          await send('Page.navigate', { url }, sessionId);
          const deadline = Date.now() + 60_000;
          while ((await evaluate<string | undefined>('window.__bareNavigation')) !== mark) {
            if (Date.now() > deadline) throw new Error(`${url} did not open within 60 s`);
            await new Promise((resolve) => setTimeout(resolve, 5));
          }
        },
        evaluate,
      };
    },
    async close() {
      // Asked to close, Chromium ends its helper processes before its own; killed, they may still write the profile.
      await send('Browser.close').catch(() => undefined);
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
      rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    },
  };
}
