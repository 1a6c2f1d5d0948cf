/**
 * The worker's message handling, apart from the worker global so tests can run it in-process.
 * Jobs run as they arrive; a cancel message stops its job before the next chunk.
 */
import { hashBlob } from './md5-chunks.ts';
import type { Md5Reply, Md5Request } from './md5-protocol.ts';

export function createMd5Handler(reply: (message: Md5Reply) => void): (request: Md5Request) => Promise<void> {
  const cancelled = new Set<number>();
  const running = new Set<number>();
  return async (request) => {
    if (request.type === 'cancel') {
      if (running.has(request.jobId)) cancelled.add(request.jobId);
      return;
    }
    const { jobId, file, chunkBytes } = request;
    running.add(jobId);
    try {
      const hash = await hashBlob(file, {
        chunkBytes,
        onProgress: (fraction) => reply({ type: 'progress', jobId, fraction }),
        isCancelled: () => cancelled.has(jobId),
      });
      reply(hash === null ? { type: 'cancelled', jobId } : { type: 'done', jobId, hash });
    } catch (failure) {
      // A file removed or changed on disk after it was picked fails to read.
      const reason = failure instanceof Error ? failure.message : String(failure);
      reply({ type: 'error', jobId, message: `The file could not be read (${reason}). Pick it again.` });
    } finally {
      running.delete(jobId);
      cancelled.delete(jobId);
    }
  };
}
