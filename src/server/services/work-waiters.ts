/**
 * Lease requests waiting for a site's work (the panels' long polls) in this backend process:
 * woken when work is recorded here, or when the server applier gives back changes it held (a
 * panel that asked while the server applier was standing back waits for them, not for its
 * long poll to end). Work recorded by another process sharing the store is found when the
 * wait ends.
 */
export interface WorkWaiters {
  /** Resolves when `wake(siteId)` is called, after `seconds`, or when `signal` aborts: whichever comes first. */
  wait(siteId: string, seconds: number, signal: AbortSignal): Promise<void>;
  /** Wakes every request waiting for the site's work. */
  wake(siteId: string): void;
}

export function createWorkWaiters(): WorkWaiters {
  const waiting = new Map<string, Set<() => void>>();
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
      const wake = waiting.get(siteId);
      waiting.delete(siteId);
      for (const resolve of wake ?? []) resolve();
    },
  };
}
