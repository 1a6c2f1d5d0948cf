/**
 * MD5s of files uploaded elsewhere (the Designer, other apps), so a duplicate check knows them
 * too: the hosted file is downloaded from Webflow's CDN (no Data API quota) and hashed, a few at
 * a time in the background. A file that cannot be read, or is larger than Webflow accepts, is
 * flagged and not fetched again.
 */
import { createHash } from 'node:crypto';
import { MAX_BYTES } from '../../core/limits.ts';
import type { Store } from '../store/db.ts';
import { assetsWithoutMd5, saveMd5, unhashedOfSize, type UnhashedAsset } from '../store/asset-index.ts';

const MAX_HASHED_BYTES = Math.max(...Object.values(MAX_BYTES));
const DOWNLOAD_TIMEOUT_MS = 20_000;

export type Fetch = (url: string, init?: RequestInit) => Promise<Response>;

/** Hashes up to `limit` hosted files whose MD5 is unknown; answers how many were hashed. */
export async function hashHostedFiles(store: Store, fetchFile: Fetch, limit: number): Promise<number> {
  return hashAssets(store, fetchFile, await assetsWithoutMd5(store, limit));
}

/**
 * Before answering "not a duplicate", an upload hashes the site's unhashed files of its very
 * size (few, usually none): the background hasher may not have reached them yet.
 */
export async function hashSameSize(store: Store, fetchFile: Fetch, siteId: string, size: number): Promise<number> {
  return hashAssets(store, fetchFile, await unhashedOfSize(store, siteId, size, 20));
}

async function hashAssets(store: Store, fetchFile: Fetch, assets: UnhashedAsset[]): Promise<number> {
  let hashed = 0;
  for (const asset of assets) {
    const md5 = asset.size > MAX_HASHED_BYTES ? null : await md5Of(fetchFile, asset.url).catch(() => null);
    await saveMd5(store, asset.siteId, asset.id, md5);
    if (md5) hashed += 1;
  }
  return hashed;
}

async function md5Of(fetchFile: Fetch, url: string): Promise<string> {
  const response = await fetchFile(url, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
  if (!response.ok || !response.body) throw new Error(`The CDN answered ${response.status} for ${url}`);
  const hash = createHash('md5');
  let bytes = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (bytes > MAX_HASHED_BYTES) {
      await reader.cancel();
      throw new Error(`${url} is larger than Webflow accepts`);
    }
    hash.update(value);
  }
  return hash.digest('hex');
}
