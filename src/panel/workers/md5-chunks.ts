/**
 * Incremental MD5 of a Blob in chunks, read with `Blob.slice().arrayBuffer()` so a file is never
 * held in memory whole. Runs inside the worker; pure enough to test in Node.
 */
import SparkMD5 from 'spark-md5';
import { CHUNK_BYTES } from './md5-protocol.ts';

/** [start, end) byte ranges covering `size` bytes in chunks of `chunkBytes`. */
export function chunkRanges(size: number, chunkBytes: number = CHUNK_BYTES): Array<[number, number]> {
  if (!Number.isInteger(chunkBytes) || chunkBytes <= 0) throw new RangeError(`Chunk size must be a positive whole number of bytes, not ${chunkBytes}.`);
  const ranges: Array<[number, number]> = [];
  for (let start = 0; start < size; start += chunkBytes) ranges.push([start, Math.min(size, start + chunkBytes)]);
  return ranges;
}

/** Progress steps within a chunk: an image (at most 4 MB, one chunk) still shows its progress move. */
export const PROGRESS_BYTES = 1024 * 1024;

export interface HashBlobOptions {
  chunkBytes?: number;
  /** Bytes hashed between progress reports within a chunk. */
  progressBytes?: number;
  /** Called after each chunk with the fraction of bytes hashed so far (ends at 1). */
  onProgress?: (fraction: number) => void;
  /** Checked before each chunk; when true, hashing stops and `hashBlob` answers null. */
  isCancelled?: () => boolean;
}

/**
 * Runs each path of spark-md5's incremental hashing once, on a few bytes, so V8 has type feedback
 * for all of `append` before the first real file. Otherwise the first file's 64-byte loop is
 * optimised (on stack) while the code after the loop has never run, and reaching that code
 * throws the optimised code away, again on later files (`--trace-deopt`). Takes about a
 * millisecond once per worker.
 */
export function primeSparkMd5(): void {
  for (const size of [0, 1, 55, 56, 63, 64, 100, 200]) {
    const md5 = new SparkMD5.ArrayBuffer();
    const bytes = new Uint8Array(size).fill(0xa5).buffer;
    md5.append(bytes);
    md5.append(bytes);
    md5.end();
  }
}

/**
 * Up to `length` bytes of `buffer` from `offset`, as a view. spark-md5's types say ArrayBuffer;
 * the build's spark-md5 hashes a Uint8Array view where it is (spark-md5-int32.ts), and spark-md5
 * as shipped copies the view's bytes, so either way the digest is the same.
 */
function bytesOf(buffer: ArrayBuffer, offset: number, length: number): ArrayBuffer {
  return new Uint8Array(buffer, offset, Math.min(length, buffer.byteLength - offset)) as unknown as ArrayBuffer;
}

/** The MD5 hex digest of the blob, or null when cancelled. */
export async function hashBlob(blob: Blob, options: HashBlobOptions = {}): Promise<string | null> {
  const md5 = new SparkMD5.ArrayBuffer();
  const ranges = chunkRanges(blob.size, options.chunkBytes);
  const step = options.progressBytes ?? PROGRESS_BYTES;
  const read = (index: number): Promise<ArrayBuffer> | null => {
    const range = ranges[index];
    return range ? blob.slice(range[0], range[1]).arrayBuffer() : null;
  };
  // The next chunk is read while this one is hashed: reading a file and hashing it take about
  // as long as each other in Chromium, so overlapping them nearly doubles the throughput.
  let next = read(0);
  for (const [index, [start, end]] of ranges.entries()) {
    if (options.isCancelled?.()) {
      next?.catch(() => undefined);
      return null;
    }
    const chunk = await (next as Promise<ArrayBuffer>);
    next = read(index + 1);
    if (chunk.byteLength <= step) {
      md5.append(chunk);
    } else {
      // Views, not copies: a fresh buffer costs as much as hashing it in Chromium.
      for (let offset = 0; offset < chunk.byteLength; offset += step) {
        md5.append(bytesOf(chunk, offset, step));
        if (offset + step < chunk.byteLength) options.onProgress?.((start + offset + step) / blob.size);
      }
    }
    options.onProgress?.(end / blob.size);
  }
  if (options.isCancelled?.()) return null;
  if (ranges.length === 0) options.onProgress?.(1);
  return md5.end();
}
