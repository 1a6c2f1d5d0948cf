/**
 * Reads an asset's hosted file for the suggestion sources: only from Webflow's CDN (or, against
 * the sandbox, from loopback), never following a redirect elsewhere, and never more bytes than
 * Webflow accepts for an image. The URL comes from the asset index (what Webflow said), never
 * from a client.
 */
import { createHash } from 'node:crypto';
import { MAX_BYTES } from '../../core/limits.ts';
import type { Fetch } from '../services/hosted-hashes.ts';

/** The largest image Webflow accepts: no hosted image is larger, so nothing larger is read. */
export const MAX_READ_BYTES = MAX_BYTES.image;
const READ_TIMEOUT_MS = 20_000;

/** Hosts Webflow serves asset files from (hostedUrl and variants), December 2026. */
const CDN_HOSTS = [/^cdn\.prod\.website-files\.com$/, /^[a-z0-9-]+\.website-files\.com$/, /^uploads-ssl\.webflow\.com$/, /^global-uploads\.webflow\.com$/];
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export class HostedFileError extends Error {
  override readonly name = 'HostedFileError';
}

/** Whether a hosted URL may be read: https on Webflow's CDN, or loopback when the backend runs against the sandbox. */
export function mayRead(url: string, allowLoopback: boolean): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.username || parsed.password) return false;
  if (allowLoopback && LOOPBACK.has(parsed.hostname) && (parsed.protocol === 'http:' || parsed.protocol === 'https:')) return true;
  return parsed.protocol === 'https:' && CDN_HOSTS.some((host) => host.test(parsed.hostname));
}

/** The file's bytes and MD5; throws {@link HostedFileError} when it may not or cannot be read. */
/** `maxBytes`: an image's limit unless said (a deleted document is kept up to its own). */
export async function readHostedFile(fetchFile: Fetch, url: string, allowLoopback: boolean, maxBytes: number = MAX_READ_BYTES): Promise<{ bytes: Uint8Array; md5: string }> {
  if (!mayRead(url, allowLoopback)) throw new HostedFileError(`${url} is not on Webflow's CDN: not read.`);
  const response = await fetchFile(url, { signal: AbortSignal.timeout(READ_TIMEOUT_MS), redirect: 'manual' });
  if (!response.ok || !response.body) throw new HostedFileError(`The CDN answered ${response.status} for ${url}.`);
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) {
    await response.body.cancel();
    throw new HostedFileError(`${url} is larger than Webflow accepts for such a file: not read.`);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new HostedFileError(`${url} is larger than Webflow accepts for such a file: not read.`);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return { bytes, md5: createHash('md5').update(bytes).digest('hex') };
}
