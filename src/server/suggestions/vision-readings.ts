/**
 * When the vision model is asked, and what is kept of its answers: one request per file (by
 * MD5), model and language, kept like the other readings so it is never paid for twice; at most
 * `concurrency` at once across the backend; at most `dailyCap` per site per UTC day (counted
 * before the request, so a failed request costs too, as it does at the provider). A request
 * that failed is not tried again for a minute; a 429 pauses all of them (src/server/suggestions/vision.ts).
 */
import type { Store } from '../store/db.ts';
import { readReading, saveReading, takeVisionRequest } from '../store/suggestions.ts';
import { createLimiter } from './limiter.ts';
import type { VisionAsk, VisionModel, VisionReading } from './vision.ts';

const RETRY_AFTER_FAILURE_MS = 60_000;

export type VisionState =
  /** The model's answer for the file in that language. */
  | { state: 'read'; reading: VisionReading }
  /** Being asked now (or waiting for a slot): ask again shortly. */
  | { state: 'pending' }
  /** Not asked this time (it failed a moment ago, the endpoint asked to wait, or the cap is reached). */
  | { state: 'unread'; reason: 'failed' | 'paused' | 'capped' };

export interface VisionReadings {
  /** What is known for the file in that language; starts a request (in the background) when nothing is. */
  state(request: { siteId: string; md5: string; languageTag: string; ask: () => Promise<VisionAsk> }): Promise<VisionState>;
  idle(): Promise<void>;
}

export function createVisionReadings(options: { store: Store; model: VisionModel; concurrency: number; dailyCap: number; onError?: (error: unknown, siteId: string) => void }): VisionReadings {
  const { store, model } = options;
  const limit = createLimiter(options.concurrency);
  const underWay = new Map<string, Promise<void>>();
  const failedAt = new Map<string, number>();
  const capped = new Set<string>();

  return {
    async state({ siteId, md5, languageTag, ask }) {
      const source = `vision:${model.model}:${languageTag}` as const;
      const known = await readReading<VisionReading>(store, md5, source);
      if (known) return { state: 'read', reading: known };
      const key = `${siteId}\u0000${md5}\u0000${source}`;
      if (underWay.has(key)) return { state: 'pending' };
      if (model.pausedUntil() !== null) return { state: 'unread', reason: 'paused' };
      if (Date.now() - (failedAt.get(key) ?? -Infinity) < RETRY_AFTER_FAILURE_MS) return { state: 'unread', reason: capped.has(key) ? 'capped' : 'failed' };
      capped.delete(key);
      const job = limit(async () => {
        if (!(await takeVisionRequest(store, siteId, options.dailyCap))) {
          capped.add(key);
          failedAt.set(key, Date.now());
          return;
        }
        const reading = await model.describe(await ask());
        await saveReading(store, md5, source, reading);
      })
        .catch((error: unknown) => {
          failedAt.set(key, Date.now());
          options.onError?.(error, siteId);
        })
        .finally(() => underWay.delete(key));
      underWay.set(key, job);
      return { state: 'pending' };
    },
    async idle() {
      while (underWay.size > 0) await Promise.allSettled([...underWay.values()]);
    },
  };
}
