/**
 * The MD5 worker: receives a File (a Blob handle, no bytes copied), reads it in chunks and
 * answers progress and the digest. See md5-handler.ts for the logic.
 */
import { primeSparkMd5 } from './md5-chunks.ts';
import { createMd5Handler } from './md5-handler.ts';
import type { Md5Reply, Md5Request } from './md5-protocol.ts';

const scope = self as unknown as {
  postMessage(message: Md5Reply): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<Md5Request>) => void): void;
};

primeSparkMd5();
const handle = createMd5Handler((message) => scope.postMessage(message));
scope.addEventListener('message', (event) => void handle(event.data));
