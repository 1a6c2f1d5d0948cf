import { createServer, type Server } from 'node:net';

/**
 * `count` distinct free loopback ports in 5400–5499, the benchmarks' range: for servers whose
 * port must be known before they start (a backend's OAuth redirect names its public URL).
 */
export async function freePorts(count: number, from = 5400, to = 5499): Promise<number[]> {
  const held: Server[] = [];
  const ports: number[] = [];
  try {
    for (let port = from; port <= to && ports.length < count; port += 1) {
      const probe = createServer();
      const free = await new Promise<boolean>((resolve) => {
        probe.once('error', () => resolve(false));
        probe.listen(port, '127.0.0.1', () => resolve(true));
      });
      if (!free) continue;
      held.push(probe);
      ports.push(port);
    }
  } finally {
    await Promise.all(held.map((probe) => new Promise((resolve) => probe.close(resolve))));
  }
  if (ports.length < count) throw new Error(`Only ${ports.length} of ${count} free ports from ${from} to ${to}.`);
  return ports;
}
