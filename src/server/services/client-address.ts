/**
 * Who is asking, for the per-address limits: the socket's peer, or behind `trustedProxies`
 * proxies of our own the address the outermost of them saw (X-Forwarded-For is written by each
 * proxy appending; anything left of what ours appended is the client's to forge). IPv6 clients
 * are counted by their /64, which one subscriber usually holds whole.
 */
import { isIPv4, isIPv6 } from 'node:net';

export interface Peer {
  socketAddress: string | undefined;
  forwardedFor: string | undefined;
}

export function clientAddress(peer: Peer, trustedProxies: number): string {
  let address = peer.socketAddress;
  if (trustedProxies > 0) {
    const hops = (peer.forwardedFor ?? '').split(',').map((hop) => hop.trim()).filter(Boolean);
    address = hops[hops.length - trustedProxies] ?? hops[0] ?? address;
  }
  return normalized(address ?? '');
}

function normalized(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1] as string;
  if (isIPv4(address)) return address;
  if (isIPv6(address)) return `${expand(address).slice(0, 4).join(':')}::/64`;
  return 'unknown';
}

/** The eight hextets of an IPv6 address, `::` expanded. */
function expand(address: string): string[] {
  const [head = '', tail] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const zeros = tail === undefined ? [] : Array.from({ length: 8 - left.length - right.length }, () => '0');
  return [...left, ...zeros, ...right].map((hextet) => hextet.toLowerCase().replace(/^0+(?=.)/, ''));
}
