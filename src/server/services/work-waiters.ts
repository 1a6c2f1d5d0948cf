/**
 * Lease requests waiting for a site's work (the panels' long polls): woken when work is
 * recorded, or when the server applier gives back changes it held (a panel that asked while the
 * server applier was standing back waits for them, not for its long poll to end). With a
 * broadcast (PostgreSQL shared by several backend processes) a wake here wakes the requests
 * waiting in the other processes too; without one, or while its connection is down, those find
 * the work when their wait ends.
 */
import { randomUUID } from 'node:crypto';
import type { Broadcast } from '../store/db.ts';
export interface WorkWaiters {
  /** Resolves when `wake(siteId)` is called, after `seconds`, or when `signal` aborts: whichever comes first. */
  wait(siteId: string, seconds: number, signal: AbortSignal): Promise<void>;
  /** Wakes every request waiting for the site's work, in every process that hears the broadcast. */
  wake(siteId: string): void;
  /** Stops hearing the other processes. */
  close(): void;
}

export interface WorkWaitersOptions {
  broadcast?: Broadcast;
  /** Told when the broadcast fails (never with a token: site ids only). */
  onError?: (error: unknown) => void;
}

const TOPIC = 'work';

export function createWorkWaiters(options: WorkWaitersOptions = {}): WorkWaiters {
  const { broadcast, onError = () => {} } = options;
  const waiting = new Map<string, Set<() => void>>();
  const wakeHere = (siteId: string): void => {
    const wake = waiting.get(siteId);
    waiting.delete(siteId);
    for (const resolve of wake ?? []) resolve();
  };
  // This process's own messages come back too: they are known by this name and not woken twice.
  const origin = randomUUID();
  let closed = false;
  let stopListening: (() => void) | undefined;
  broadcast
    ?.listen(TOPIC, (message) => {
      const space = message.indexOf(' ');
      if (space > 0 && message.slice(0, space) !== origin) wakeHere(message.slice(space + 1));
    })
    .then(
      (stop) => (closed ? stop() : (stopListening = stop)),
      (error: unknown) => onError(error),
    );
  return {
    wait: (siteId, seconds, signal) =>
      new Promise((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          waiting.get(siteId)?.delete(done);
          signal.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, seconds * 1000);
        signal.addEventListener('abort', done);
        waiting.set(siteId, (waiting.get(siteId) ?? new Set()).add(done));
      }),
    wake(siteId) {
      wakeHere(siteId);
      broadcast?.send(TOPIC, `${origin} ${siteId}`).catch((error: unknown) => onError(error));
    },
    close() {
      closed = true;
      stopListening?.();
    },
  };
}
