/**
 * MD5 of files for uploads, off the main thread: a small pool of workers (two, as hashing is
 * bound by one core each and the panel must stay responsive) takes jobs in order. The File is
 * posted to the worker, which reads it itself; the main thread never touches the bytes.
 *
 * Each worker holds two jobs: the next file's bytes are read (by the browser, off the worker's
 * thread) while the worker hashes the one before, instead of the worker waiting for each read
 * (docs/decisions/md5-throughput.md).
 */
import type { Md5Reply, Md5Request } from './workers/md5-protocol.ts';

/** Workers in the panel's pool: hashing is bound by one core each, and the panel must stay responsive. */
export const HASH_WORKERS = 2;

/** Jobs a worker holds at once: the one it hashes and the next, whose file is read meanwhile. */
export const JOBS_PER_WORKER = 2;

export interface HashOptions {
  /** Fraction 0..1 of the file hashed so far. */
  onProgress?: (fraction: number) => void;
  /** Aborting cancels the job (queued or running); the promise rejects with an AbortError. */
  signal?: AbortSignal;
}

/** What the pool needs of a Worker; tests hand it an in-process one. */
export interface HashWorker {
  postMessage(message: Md5Request): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<Md5Reply>) => void): void;
  addEventListener(type: 'error', listener: (event: ErrorEvent) => void): void;
  terminate(): void;
}

export interface HashPoolOptions {
  /** Workers at most; created on demand. */
  size?: number;
  /** Jobs handed to one worker at once (JOBS_PER_WORKER). */
  jobsPerWorker?: number;
  createWorker?: () => HashWorker;
  chunkBytes?: number;
}

export interface HashPool {
  hash(file: Blob, options?: HashOptions): Promise<string>;
  /** Terminates the workers; pending jobs reject. */
  dispose(): void;
}

export function isAbortError(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

function abortError(): DOMException {
  return new DOMException('Hashing was cancelled.', 'AbortError');
}

function createMd5Worker(): HashWorker {
  // This exact shape lets Vite find and bundle the worker.
  return new Worker(new URL('./workers/md5.worker.ts', import.meta.url), { type: 'module', name: 'md5' }) as HashWorker;
}

interface Job {
  id: number;
  file: Blob;
  options: HashOptions;
  resolve(hash: string): void;
  reject(error: unknown): void;
  detach(): void;
}

interface Slot {
  worker: HashWorker;
  /** The jobs this worker runs, in the order they were handed to it. */
  jobs: Job[];
}

export function createHashPool(options: HashPoolOptions = {}): HashPool {
  const size = Math.max(1, options.size ?? HASH_WORKERS);
  const depth = Math.max(1, options.jobsPerWorker ?? JOBS_PER_WORKER);
  const createWorker = options.createWorker ?? createMd5Worker;
  const slots: Slot[] = [];
  const queue: Job[] = [];
  let nextId = 1;
  let disposed = false;

  function settle(slot: Slot, job: Job): void {
    slot.jobs.splice(slot.jobs.indexOf(job), 1);
    job.detach();
    pump();
  }

  function addSlot(): Slot {
    const slot: Slot = { worker: createWorker(), jobs: [] };
    slot.worker.addEventListener('message', (event) => {
      const reply = event.data;
      const job = slot.jobs.find((each) => each.id === reply.jobId);
      if (!job) return; // a late answer of a job cancelled before
      switch (reply.type) {
        case 'progress':
          job.options.onProgress?.(reply.fraction);
          return;
        case 'done':
          job.resolve(reply.hash);
          break;
        case 'error':
          job.reject(new Error(reply.message));
          break;
        case 'cancelled':
          job.reject(abortError());
          break;
      }
      settle(slot, job);
    });
    slot.worker.addEventListener('error', (event) => {
      // A worker that failed (to load, or out of memory) is replaced for the next job.
      slot.worker.terminate();
      slots.splice(slots.indexOf(slot), 1);
      for (const job of slot.jobs.splice(0)) {
        job.reject(new Error(`Hashing failed in the browser (${event.message || 'worker error'}). Try again.`));
        job.detach();
      }
      pump();
    });
    slots.push(slot);
    return slot;
  }

  /** The worker with the fewest jobs below the depth, or a new one while the pool has room. */
  function freeSlot(): Slot | undefined {
    let best: Slot | undefined;
    for (const slot of slots) if (slot.jobs.length < depth && (!best || slot.jobs.length < best.jobs.length)) best = slot;
    if (best?.jobs.length === 0 || slots.length >= size) return best;
    return addSlot();
  }

  function pump(): void {
    while (queue.length > 0 && !disposed) {
      const slot = freeSlot();
      if (!slot) return;
      const job = queue.shift() as Job;
      slot.jobs.push(job);
      slot.worker.postMessage({ type: 'hash', jobId: job.id, file: job.file, chunkBytes: options.chunkBytes });
    }
  }

  return {
    hash(file, hashOptions = {}) {
      return new Promise<string>((resolve, reject) => {
        const { signal } = hashOptions;
        if (disposed) return reject(new Error('Hashing has stopped; reopen the panel.'));
        if (signal?.aborted) return reject(abortError());
        const job: Job = { id: nextId++, file, options: hashOptions, resolve, reject, detach: () => undefined };
        const onAbort = (): void => {
          const queued = queue.indexOf(job);
          if (queued >= 0) {
            queue.splice(queued, 1);
            job.detach();
          } else {
            // The worker stops before its next chunk and answers `cancelled`, which frees it.
            slots.find((slot) => slot.jobs.includes(job))?.worker.postMessage({ type: 'cancel', jobId: job.id });
          }
          reject(abortError());
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        job.detach = () => signal?.removeEventListener('abort', onAbort);
        queue.push(job);
        pump();
      });
    },
    dispose() {
      disposed = true;
      for (const job of queue.splice(0)) job.reject(abortError());
      for (const slot of slots.splice(0)) {
        for (const job of slot.jobs.splice(0)) job.reject(abortError());
        slot.worker.terminate();
      }
    },
  };
}

// The panel's one pool, made on first use: workers are a resource of the page, like its
// network connections, not state of any model.
let sharedPool: HashPool | undefined;

/** The MD5 hex digest of a file, computed in a worker with progress and cancel. */
export function hashFile(file: Blob, options: HashOptions = {}): Promise<string> {
  sharedPool ??= createHashPool();
  return sharedPool.hash(file, options);
}
