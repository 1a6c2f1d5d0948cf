/** Messages between the panel and its MD5 workers. */

export type Md5Request =
  | { type: 'hash'; jobId: number; file: Blob; chunkBytes?: number }
  | { type: 'cancel'; jobId: number };

export type Md5Reply =
  | { type: 'progress'; jobId: number; fraction: number }
  | { type: 'done'; jobId: number; hash: string }
  | { type: 'error'; jobId: number; message: string }
  | { type: 'cancelled'; jobId: number };

/**
 * Bytes read per step. Large enough that reading and hashing dominate message overhead, small
 * enough that memory stays flat and progress moves on big documents.
 */
export const CHUNK_BYTES = 4 * 1024 * 1024;
