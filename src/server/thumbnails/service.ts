/**
 * The grid's thumbnails, made here: 80 × 80 WebP from the asset's smallest hosted image.
 *
 * Webflow's smallest variant is 500 px wide, and the grid shows a 40 px tile. A browser decodes
 * the whole 500 px image for it, 10–25 ms of a core each on the development machine, and a scroll
 * brings dozens: frames of 100 ms while a designer scrolls (docs/decisions/small-thumbnails.md).
 * Made once here with sharp (JPEG shrinks as it loads), a thumbnail is 1–4 KB that the panel
 * decodes in a fraction of a millisecond.
 *
 * The file is read from the URL the asset index holds, only from Webflow's CDN (or loopback
 * against the sandbox), never from a URL a client sends. Recent thumbnails are kept in memory, by
 * site, asset and a mark of the hosted file's URL (a replaced file has a new one), and answered
 * from there without a read of the index; the panel's browser keeps them too.
 */
import type SharpFunction from 'sharp';
import { fileMark, madeSmall, THUMBNAIL_SIDE, type ThumbnailKey } from '../../core/thumbnails.ts';
import { signThumbnailKey, verifyThumbnailKey, type ThumbnailKeyCheck } from '../crypto.ts';
import { HttpError } from '../errors.ts';
import type { Fetch } from '../services/hosted-hashes.ts';
import type { Store } from '../store/db.ts';
import { readAssetsById } from '../store/asset-index.ts';
import { HostedFileError, readHostedFile } from '../suggestions/hosted-file.ts';
import { createLimiter } from '../suggestions/limiter.ts';

/** Pixels a file may hold: a decompression bomb is refused before it is decoded. */
const MAX_INPUT_PIXELS = 50_000_000;
/** Memory kept for recent thumbnails (about 3,000 of them). */
const KEPT_BYTES = 8 * 1024 * 1024;

export interface Thumbnail {
  bytes: Uint8Array;
  contentType: 'image/webp';
}

export interface ThumbnailsOptions {
  store: Store;
  /** Signs the thumbnail keys (the sessions' secret: the keys say what they are for). */
  secret: Buffer;
  now?: () => number;
  /** Reads a hosted file (fetch by default). */
  fetch?: Fetch;
  /** Against the sandbox, files are on loopback. */
  allowLoopback: boolean;
  /** Files read and made at once: each is a CDN read and a decode on this machine. */
  concurrency?: number;
}

const DAY_MS = 86_400_000;

export interface Thumbnails {
  /** A key to the site's thumbnails, the same all day (the browser keeps thumbnails by URL), valid until the end of the next UTC day. */
  keyFor(siteId: string): ThumbnailKey;
  checkKey(siteId: string, key: string): ThumbnailKeyCheck;
  /**
   * The asset's thumbnail; 404 for an asset the site lacks, 415 for a type not made small, 502
   * when the CDN's file cannot be read or decoded. `mark`: the panel's {@link fileMark} of the
   * hosted URL; a thumbnail this site was given under it is answered from memory, without a read
   * of the index (the store is busy while the site is read and crawled).
   */
  forAsset(siteId: string, assetId: string, mark?: string): Promise<Thumbnail>;
  /** Resolves when none is being made (tests, shutdown). */
  idle(): Promise<void>;
}

/** An 80 × 80 WebP of `image`, cropped to the middle as the grid's `object-fit: cover` shows it. */
export async function smallImage(image: Uint8Array): Promise<Uint8Array> {
  const sharp = await loadSharp();
  const webp = await sharp(image, { limitInputPixels: MAX_INPUT_PIXELS, animated: false })
    .rotate()
    .resize({ width: THUMBNAIL_SIDE, height: THUMBNAIL_SIDE, fit: 'cover', withoutEnlargement: false })
    .webp({ quality: 72, effort: 2 })
    .toBuffer();
  return new Uint8Array(webp.buffer, webp.byteOffset, webp.byteLength);
}

/** The file's own kind by its first bytes: JPEG, PNG or WebP, or null for anything else. */
export function rasterKind(bytes: Uint8Array): 'jpeg' | 'png' | 'webp' | null {
  const at = (i: number) => bytes[i] ?? -1;
  if (at(0) === 0xff && at(1) === 0xd8 && at(2) === 0xff) return 'jpeg';
  if ([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((byte, i) => at(i) === byte)) return 'png';
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
  if (bytes.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'webp';
  return null;
}

type Sharp = typeof SharpFunction;
let sharpModule: Promise<Sharp> | undefined;

/**
 * sharp once a panel first asks for the thumbnail key (a backend that never shows a grid does
 * not load libvips), one libvips thread per image and no libvips cache: the backend makes a few
 * thumbnails at once on a small instance, and keeps what it made itself.
 */
function loadSharp(): Promise<Sharp> {
  sharpModule ??= import('sharp').then(({ default: sharp }) => {
    sharp.concurrency(1);
    sharp.cache(false);
    return sharp;
  });
  return sharpModule;
}

export function createThumbnails(options: ThumbnailsOptions): Thumbnails {
  const fetchFile: Fetch = options.fetch ?? ((url, init) => fetch(url, init));
  const limit = createLimiter(Math.max(1, options.concurrency ?? 4));
  /** Recent thumbnails by site, asset and mark of the hosted URL, oldest first. */
  const kept = new Map<string, Uint8Array>();
  let keptBytes = 0;
  /** Thumbnails being made, by the same key: a tile asked twice is made once. */
  const underWay = new Map<string, Promise<Uint8Array>>();
  const keyOf = (siteId: string, assetId: string, mark: string) => `${siteId}\n${assetId}\n${mark}`;

  function keep(key: string, bytes: Uint8Array): void {
    kept.set(key, bytes);
    keptBytes += bytes.byteLength;
    for (const [oldest, old] of kept) {
      if (keptBytes <= KEPT_BYTES) break;
      kept.delete(oldest);
      keptBytes -= old.byteLength;
    }
  }

  /** A kept thumbnail, read again: kept the longest. */
  function recall(key: string): Uint8Array | undefined {
    const known = kept.get(key);
    if (known) {
      kept.delete(key);
      kept.set(key, known);
    }
    return known;
  }

  async function make(url: string): Promise<Uint8Array> {
    return limit(async () => {
      let file: Uint8Array;
      try {
        file = (await readHostedFile(fetchFile, url, options.allowLoopback)).bytes;
      } catch (error) {
        // Refused, answered with an error, timed out or cut off: the CDN's trouble, not ours.
        const reason = error instanceof HostedFileError ? error.message : 'the CDN did not answer in time or the connection failed';
        throw new HttpError(502, 'webflow_error', `The image could not be read from Webflow's CDN: ${reason}`, { cause: error });
      }
      if (!rasterKind(file)) {
        // Only what a JPEG, PNG or WebP starts with is decoded: never an SVG or anything else a file may claim to be.
        throw new HttpError(502, 'webflow_error', "The image on Webflow's CDN is not a JPEG, PNG or WebP; the panel shows it as it is.");
      }
      try {
        return await smallImage(file);
      } catch (error) {
        throw new HttpError(502, 'webflow_error', "The image on Webflow's CDN could not be decoded; the panel shows it as it is.", { cause: error });
      }
    });
  }

  const now = options.now ?? Date.now;

  return {
    keyFor(siteId) {
      // A panel opening: libvips loads now, not in the way of the first screen's thumbnails.
      void loadSharp().catch(() => undefined);
      const expiresAt = (Math.floor(now() / DAY_MS) + 2) * DAY_MS;
      return { key: signThumbnailKey(options.secret, siteId, expiresAt), expiresAt: new Date(expiresAt).toISOString() };
    },
    checkKey: (siteId, key) => verifyThumbnailKey(options.secret, siteId, key, now()),
    async forAsset(siteId, assetId, mark) {
      const remembered = mark === undefined ? undefined : recall(keyOf(siteId, assetId, mark));
      if (remembered) return { bytes: remembered, contentType: 'image/webp' };
      const asset = (await readAssetsById(options.store, siteId, [assetId])).get(assetId)?.doc;
      if (!asset) throw new HttpError(404, 'not_found', `No asset ${assetId} on this site (it may have been deleted); refresh the list.`);
      if (!madeSmall(asset) || asset.thumbUrl === null) {
        throw new HttpError(415, 'unsupported_media_type', `No small thumbnail is made of ${asset.contentType}: the panel shows the file itself.`);
      }
      const url = asset.thumbUrl;
      const key = keyOf(siteId, assetId, fileMark(url));
      const known = recall(key);
      if (known) return { bytes: known, contentType: 'image/webp' };
      let made = underWay.get(key);
      if (!made) {
        made = make(url)
          .then((bytes) => {
            keep(key, bytes);
            return bytes;
          })
          .finally(() => underWay.delete(key));
        underWay.set(key, made);
      }
      return { bytes: await made, contentType: 'image/webp' };
    },
    async idle() {
      await Promise.allSettled([...underWay.values()]);
    },
  };
}
