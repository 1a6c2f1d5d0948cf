/**
 * One port in front of several backends: each new TCP connection goes to the next backend in
 * turn (round robin, as a plain load balancer does), its bytes piped both ways untouched. HTTP
 * keep-alive keeps a connection on the backend it reached first, so 50 connections spread 25
 * and 25 over two backends.
 */
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';

export interface RoundRobin {
  url: string;
  /** Connections handed to each backend so far, in the order of `targets`. */
  connections(): number[];
  close(): Promise<void>;
}

export async function startRoundRobin(targets: string[]): Promise<RoundRobin> {
  if (targets.length === 0) throw new Error('A round robin needs at least one backend.');
  const addresses = targets.map((target) => {
    const url = new URL(target);
    return { host: url.hostname, port: Number(url.port) };
  });
  const counts = addresses.map(() => 0);
  const open = new Set<Socket>();
  let next = 0;
  const server = createServer((client) => {
    const index = next;
    next = (next + 1) % addresses.length;
    counts[index] = (counts[index] ?? 0) + 1;
    const address = addresses[index] as { host: string; port: number };
    const upstream = connect(address.port, address.host);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    open.add(client).add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections: () => [...counts],
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
