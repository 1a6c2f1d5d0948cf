import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { chunkRanges, hashBlob } from './md5-chunks.ts';
import { createMd5Handler } from './md5-handler.ts';
import type { Md5Reply } from './md5-protocol.ts';

const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('hex');
const bytes = (length: number) => Uint8Array.from({ length }, (_, i) => (i * 31 + 7) % 251);

describe('chunkRanges', () => {
  it('covers the file in chunks, the last one shorter', () => {
    expect(chunkRanges(10, 4)).toEqual([[0, 4], [4, 8], [8, 10]]);
    expect(chunkRanges(8, 4)).toEqual([[0, 4], [4, 8]]);
    expect(chunkRanges(0, 4)).toEqual([]);
  });

  it('refuses a chunk size that would never finish', () => {
    expect(() => chunkRanges(10, 0)).toThrow(/positive/);
  });
});

describe('hashBlob', () => {
  it('gives the same digest as md5sum across chunk boundaries', async () => {
    const data = bytes(100_003);
    expect(await hashBlob(new Blob([data]), { chunkBytes: 4096 })).toBe(md5(data));
    expect(await hashBlob(new Blob([data]), { chunkBytes: 1 << 22 })).toBe(md5(data));
  });

  it('hashes an empty file and reports it done', async () => {
    const progress: number[] = [];
    expect(await hashBlob(new Blob([]), { onProgress: (fraction) => progress.push(fraction) })).toBe('d41d8cd98f00b204e9800998ecf8427e');
    expect(progress).toEqual([1]);
  });

  it('reports rising progress that ends at 1', async () => {
    const progress: number[] = [];
    await hashBlob(new Blob([bytes(10_000)]), { chunkBytes: 3000, onProgress: (fraction) => progress.push(fraction) });
    expect(progress).toEqual([0.3, 0.6, 0.9, 1]);
  });

  it('reports progress within a chunk, so a one-chunk image shows it move', async () => {
    const progress: number[] = [];
    const data = bytes(4000);
    const hash = await hashBlob(new Blob([data]), { chunkBytes: 4000, progressBytes: 1000, onProgress: (fraction) => progress.push(fraction) });
    expect(progress).toEqual([0.25, 0.5, 0.75, 1]);
    expect(hash).toBe(md5(data));
  });

  it('stops before the next chunk when cancelled', async () => {
    let chunks = 0;
    const hash = await hashBlob(new Blob([bytes(10_000)]), {
      chunkBytes: 1000,
      onProgress: () => (chunks += 1),
      isCancelled: () => chunks >= 2,
    });
    expect(hash).toBeNull();
    expect(chunks).toBe(2);
  });
});

describe('the worker handler', () => {
  it('answers progress then the digest for a job', async () => {
    const replies: Md5Reply[] = [];
    const handle = createMd5Handler((reply) => replies.push(reply));
    const data = bytes(5000);
    await handle({ type: 'hash', jobId: 7, file: new Blob([data]), chunkBytes: 2500 });
    expect(replies).toEqual([
      { type: 'progress', jobId: 7, fraction: 0.5 },
      { type: 'progress', jobId: 7, fraction: 1 },
      { type: 'done', jobId: 7, hash: md5(data) },
    ]);
  });

  it('answers cancelled when asked to stop a running job', async () => {
    const replies: Md5Reply[] = [];
    const handle = createMd5Handler((reply) => {
      replies.push(reply);
      if (reply.type === 'progress') void handle({ type: 'cancel', jobId: 1 });
    });
    await handle({ type: 'hash', jobId: 1, file: new Blob([bytes(5000)]), chunkBytes: 1000 });
    expect(replies.at(-1)).toEqual({ type: 'cancelled', jobId: 1 });
    expect(replies.filter((reply) => reply.type === 'progress')).toHaveLength(1);
  });

  it('says what to do when the file cannot be read', async () => {
    const replies: Md5Reply[] = [];
    const broken = { size: 10, slice: () => ({ arrayBuffer: () => Promise.reject(new Error('NotReadableError')) }) } as unknown as Blob;
    await createMd5Handler((reply) => replies.push(reply))({ type: 'hash', jobId: 2, file: broken });
    expect(replies).toEqual([{ type: 'error', jobId: 2, message: expect.stringMatching(/could not be read.*Pick it again/) }]);
  });
});
