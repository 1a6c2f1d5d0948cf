import { createServer } from 'node:net';

/**
 * A port from `from` to `to` (a suite's own range) that nothing listens on: for a backend whose
 * OAuth redirect names its port, so it must be known before it starts and kept across restarts.
 */
export async function freePortIn(from: number, to: number): Promise<number> {
  for (let port = from; port <= to; port += 1) {
    const free = await new Promise<boolean>((resolve) => {
      const probe = createServer();
      probe.once('error', () => resolve(false));
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error(`No free port from ${from} to ${to} for the backend`);
}
