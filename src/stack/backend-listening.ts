/**
 * The URL a backend started as a process of its own says it listens on (`npm run server` and
 * `npm run serve` print "Asset Desk backend on <url>" once listening): for the tests and
 * benchmarks that start it so. Rejects when it exits first or stays silent too long.
 */
import type { ChildProcess } from 'node:child_process';

export function listeningUrl(child: ChildProcess, timeoutMs = 120_000): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`The backend did not say it was listening within ${timeoutMs / 1000} s.`)), timeoutMs);
    child.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const listening = /Asset Desk backend on (http:\/\/127\.0\.0\.1:\d+)/.exec(seen)?.[1];
      if (listening) {
        clearTimeout(timer);
        resolve(listening);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`The backend exited (${code ?? signal}) before it listened; its errors are above.`));
    });
  });
}
