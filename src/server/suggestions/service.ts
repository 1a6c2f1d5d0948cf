/**
 * The backend's suggestions for an existing asset: the file name's, and what the hosted file
 * embeds (XMP, IPTC, EXIF). The file is fetched from the CDN once, a few at a time across the
 * backend, and its reading kept by MD5, so a file already read (on any site) is not fetched
 * again; the MD5 also goes into the index for the duplicate check.
 */
import type { IndexedAsset } from '../../core/api.ts';
import { readEmbeddedText, metadataSuggestions, type EmbeddedText } from '../../core/suggestions/embedded-metadata.ts';
import { fileNameSuggestions } from '../../core/suggestions/file-name.ts';
import type { AssetSuggestions, Suggestion, SuggestionSource } from '../../core/suggestions/sources.ts';
import { HttpError } from '../errors.ts';
import type { Fetch } from '../services/hosted-hashes.ts';
import { readAssetsById, readSite, saveMd5 } from '../store/asset-index.ts';
import type { Store } from '../store/db.ts';
import { readReading, saveReading } from '../store/suggestions.ts';
import { readHostedFile } from './hosted-file.ts';

/** The types exifr reads metadata from (WebP and SVG it does not). */
const READABLE = new Set(['image/jpeg', 'image/png', 'image/avif', 'image/heic', 'image/heif', 'image/tiff']);

export interface SuggestionsOptions {
  store: Store;
  fetch?: Fetch;
  /** Against the sandbox its CDN is on loopback; against Webflow only Webflow's CDN is read. */
  allowLoopback: boolean;
  /** Files fetched and read at once, across all sites. */
  concurrency?: number;
  onError?: (error: unknown, siteId: string) => void;
}

export interface Suggestions {
  forAsset(siteId: string, assetId: string): Promise<AssetSuggestions>;
}

/** Runs at most `size` tasks at once, the rest in arrival order. */
function createLimiter(size: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (running >= size) await new Promise<void>((resolve) => waiting.push(resolve));
    running += 1;
    try {
      return await task();
    } finally {
      running -= 1;
      waiting.shift()?.();
    }
  };
}

export function createSuggestions(options: SuggestionsOptions): Suggestions {
  const { store, allowLoopback } = options;
  const fetchFile: Fetch = options.fetch ?? ((url, init) => fetch(url, init));
  const limit = createLimiter(Math.max(1, options.concurrency ?? 2));
  /** Readings under way by file URL, so a row asked twice fetches once. */
  const underWay = new Map<string, Promise<EmbeddedText | null>>();

  async function readFile(siteId: string, asset: IndexedAsset): Promise<EmbeddedText | null> {
    const { bytes, md5 } = await limit(() => readHostedFile(fetchFile, asset.url, allowLoopback));
    if (!asset.md5) await saveMd5(store, siteId, asset.id, md5);
    const known = await readReading<EmbeddedText>(store, md5, 'metadata');
    if (known !== undefined) return known;
    const found = await readEmbeddedText(bytes);
    await saveReading(store, md5, 'metadata', found);
    return found;
  }

  async function embeddedText(siteId: string, asset: IndexedAsset): Promise<EmbeddedText | null> {
    if (asset.md5) {
      const known = await readReading<EmbeddedText>(store, asset.md5, 'metadata');
      if (known !== undefined) return known;
    }
    let reading = underWay.get(asset.url);
    if (!reading) {
      reading = readFile(siteId, asset).finally(() => underWay.delete(asset.url));
      underWay.set(asset.url, reading);
    }
    return reading;
  }

  return {
    async forAsset(siteId, assetId) {
      const asset = (await readAssetsById(store, siteId, [assetId])).get(assetId)?.doc;
      if (!asset) throw new HttpError(404, 'not_found', `No asset ${assetId} on this site (it may have been deleted); refresh the list.`);
      const suggestions: Suggestion[] = [];
      const unread: SuggestionSource[] = [];
      if (READABLE.has(asset.contentType)) {
        try {
          const locales = (await readSite(store, siteId))?.locales ?? [];
          suggestions.push(...metadataSuggestions(await embeddedText(siteId, asset), locales));
        } catch (error) {
          unread.push('metadata');
          options.onError?.(error, siteId);
        }
      }
      suggestions.push(...fileNameSuggestions(asset.fileName));
      return { assetId, suggestions, unread };
    },
  };
}
