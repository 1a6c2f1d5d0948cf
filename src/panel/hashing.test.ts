import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createHashPool, isAbortError, type HashWorker } from './hashing.ts';
import { createMd5Handler } from './workers/md5-handler.ts';
import type { Md5Reply, Md5Request } from './workers/md5-protocol.ts';

/** A worker that runs the real handler in-process, answering asynchronously like a real one. */
class InProcessWorker implements HashWorker {
  static created = 0;
  messageListeners: ((event: MessageEvent<Md5Reply>) => void)[] = [];
  errorListeners: ((event: ErrorEvent) => void)[] = [];
  terminated = false;
  received: Md5Request[] = [];
  private handle = createMd5Handler((reply) =>
    setTimeout(() => {
      if (!this.terminated) for (const listener of this.messageListeners) listener({ data: reply } as MessageEvent<Md5Reply>);
    }),
  );

  constructor() {
    InProcessWorker.created += 1;
  }

  postMessage(message: Md5Request): void {
    this.received.push(message);
    setTimeout(() => void this.handle(message));
  }

  addEventListener(type: 'message' | 'error', listener: ((event: MessageEvent<Md5Reply>) => void) | ((event: ErrorEvent) => void)): void {
    if (type === 'message') this.messageListeners.push(listener as (event: MessageEvent<Md5Reply>) => void);
    else this.errorListeners.push(listener as (event: ErrorEvent) => void);
  }

  fail(message: string): void {
    for (const listener of this.errorListeners) listener({ message } as ErrorEvent);
  }

  terminate(): void {
    this.terminated = true;
  }
}

const bytes = (length: number, seed = 1) => Uint8Array.from({ length }, (_, i) => (i * 31 + seed) % 251);
const md5 = (data: Uint8Array) => createHash('md5').update(data).digest('hex');

function pool(size = 2, jobsPerWorker?: number) {
  const workers: InProcessWorker[] = [];
  const hashPool = createHashPool({
    size,
    jobsPerWorker,
    chunkBytes: 1024,
    createWorker: () => {
      const worker = new InProcessWorker();
      workers.push(worker);
      return worker;
    },
  });
  return { hashPool, workers };
}

describe('the hash pool', () => {
  it('hashes files in workers, two at a time, with the right digests', async () => {
    const { hashPool, workers } = pool();
    const files = [1, 2, 3, 4, 5].map((seed) => bytes(5000 + seed, seed));
    const hashes = await Promise.all(files.map((data) => hashPool.hash(new Blob([data]))));
    expect(hashes).toEqual(files.map(md5));
    expect(workers).toHaveLength(2);
    hashPool.dispose();
  });

  it('reports progress up to 1', async () => {
    const { hashPool } = pool();
    const progress: number[] = [];
    await hashPool.hash(new Blob([bytes(4096)]), { onProgress: (fraction) => progress.push(fraction) });
    expect(progress).toEqual([0.25, 0.5, 0.75, 1]);
    hashPool.dispose();
  });

  it('cancels a running job, tells the worker, and frees it for the next', async () => {
    const { hashPool, workers } = pool(1);
    const controller = new AbortController();
    const cancelled = hashPool.hash(new Blob([bytes(200_000)]), {
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    await expect(cancelled).rejects.toSatisfy(isAbortError);
    expect(workers[0]?.received.map((message) => message.type)).toEqual(['hash', 'cancel']);
    const data = bytes(3000);
    expect(await hashPool.hash(new Blob([data]))).toBe(md5(data));
    expect(workers).toHaveLength(1);
    hashPool.dispose();
  });

  it('drops a queued job on cancel without sending it to a worker', async () => {
    const { hashPool, workers } = pool(1, 1);
    const controller = new AbortController();
    const first = hashPool.hash(new Blob([bytes(3000)]));
    const queued = hashPool.hash(new Blob([bytes(3000)]), { signal: controller.signal });
    controller.abort();
    await expect(queued).rejects.toSatisfy(isAbortError);
    await first;
    expect(workers[0]?.received).toHaveLength(1);
    hashPool.dispose();
  });

  it('hands each worker the next file before the one it hashes is done, so its bytes are read meanwhile', async () => {
    const { hashPool, workers } = pool(2);
    const files = [1, 2, 3, 4, 5].map((seed) => bytes(4000 + seed, seed));
    const hashing = Promise.all(files.map((data) => hashPool.hash(new Blob([data]))));
    // Posted at once, before any answer: two jobs a worker, the fifth waits in the pool.
    expect(workers.map((worker) => worker.received.map((message) => message.type === 'hash' && message.jobId))).toEqual([
      [1, 3],
      [2, 4],
    ]);
    expect(await hashing).toEqual(files.map(md5));
    // The fifth went to the first worker to answer.
    expect(workers.flatMap((worker) => worker.received)).toHaveLength(5);
    hashPool.dispose();
  });

  it('cancels a file a worker holds but has not started, and the worker goes on with the rest', async () => {
    const { hashPool, workers } = pool(1);
    const controller = new AbortController();
    const first = bytes(3000, 1);
    const third = bytes(3000, 3);
    const hashes = [hashPool.hash(new Blob([first])), hashPool.hash(new Blob([bytes(3000, 2)]), { signal: controller.signal }), hashPool.hash(new Blob([third]))];
    controller.abort();
    await expect(hashes[1]).rejects.toSatisfy(isAbortError);
    expect(await hashes[0]).toBe(md5(first));
    expect(await hashes[2]).toBe(md5(third));
    expect(workers[0]?.received.map((message) => `${message.type} ${message.jobId}`)).toEqual(['hash 1', 'hash 2', 'cancel 2', 'hash 3']);
    hashPool.dispose();
  });

  it('rejects at once when the signal is already aborted', async () => {
    const { hashPool, workers } = pool();
    await expect(hashPool.hash(new Blob([bytes(10)]), { signal: AbortSignal.abort() })).rejects.toSatisfy(isAbortError);
    expect(workers).toHaveLength(0);
  });

  it('replaces a worker that failed and says to try again, for every file it held', async () => {
    const { hashPool, workers } = pool(1);
    const failing = [hashPool.hash(new Blob([bytes(100_000)])), hashPool.hash(new Blob([bytes(100_001)]))];
    workers[0]?.fail('out of memory');
    for (const each of failing) await expect(each).rejects.toThrow(/out of memory.*Try again/);
    const data = bytes(100);
    expect(await hashPool.hash(new Blob([data]))).toBe(md5(data));
    expect(workers).toHaveLength(2);
    expect(workers[0]?.terminated).toBe(true);
    hashPool.dispose();
  });
});
