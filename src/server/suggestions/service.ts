/**
 * The backend's suggestions for an existing asset: what the hosted file embeds (XMP, IPTC,
 * EXIF), the text in the image (OCR, when a reader is given), and the file name's. The file is
 * fetched from the CDN once, a few at a time across the backend, and each reading kept by MD5,
 * so a file already read (on any site) is not fetched again; the MD5 also goes into the index
 * for the duplicate check. Text in the image takes seconds: it is read in the background and
 * reported as pending until its reading is kept.
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
import { OCR_LANGUAGES, type TextReader, type TextReading } from './text-in-image.ts';

/** The types exifr reads metadata from (WebP and SVG it does not). */
const READABLE = new Set(['image/jpeg', 'image/png', 'image/avif', 'image/heic', 'image/heif', 'image/tiff']);
/** The types text is looked for in: banners, logos and screenshots come as PNG or JPEG. */
const OCR_TYPES = new Set(['image/jpeg', 'image/png']);
/** Tesseract's own confidence, lowered: a clean read can still miss a character. */
const OCR_TRUST = 0.9;

export interface SuggestionsOptions {
  store: Store;
  fetch?: Fetch;
  /** Against the sandbox its CDN is on loopback; against Webflow only Webflow's CDN is ever read. */
  allowLoopback: boolean;
  /** Reads text in images; without one, no OCR runs. */
  textReader?: TextReader;
  /** Files fetched and read at once, across all sites. */
  concurrency?: number;
  onError?: (error: unknown, siteId: string) => void;
}

export interface Suggestions {
  forAsset(siteId: string, assetId: string): Promise<AssetSuggestions>;
  /** Resolves when no reading runs in the background (tests, shutdown). */
  idle(): Promise<void>;
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
  const { store, allowLoopback, textReader } = options;
  const fetchFile: Fetch = options.fetch ?? ((url, init) => fetch(url, init));
  const limit = createLimiter(Math.max(1, options.concurrency ?? 2));
  /** Metadata readings under way by file URL, so a row asked twice fetches once. */
  const underWay = new Map<string, Promise<{ md5: string; found: EmbeddedText | null }>>();
  /** Text readings under way by file URL. */
  const reading = new Map<string, Promise<void>>();

  const wantsText = (asset: IndexedAsset): boolean => textReader !== undefined && OCR_TYPES.has(asset.contentType);

  function readText(siteId: string, asset: IndexedAsset, md5: string, bytes?: Uint8Array): void {
    if (!textReader || reading.has(asset.url)) return;
    const job = (async () => {
      const file = bytes ?? (await limit(() => readHostedFile(fetchFile, asset.url, allowLoopback))).bytes;
      const found: TextReading | null = await textReader.read(file);
      await saveReading(store, md5, 'ocr', found);
    })()
      .catch((error: unknown) => options.onError?.(error, siteId))
      .finally(() => reading.delete(asset.url));
    reading.set(asset.url, job);
  }

  async function readFile(siteId: string, asset: IndexedAsset): Promise<{ md5: string; found: EmbeddedText | null }> {
    const { bytes, md5 } = await limit(() => readHostedFile(fetchFile, asset.url, allowLoopback));
    if (!asset.md5) await saveMd5(store, siteId, asset.id, md5);
    // The bytes are here: text in the image is read from them, not fetched again.
    if (wantsText(asset) && (await readReading(store, md5, 'ocr')) === undefined) readText(siteId, asset, md5, bytes);
    const known = await readReading<EmbeddedText>(store, md5, 'metadata');
    if (known !== undefined) return { md5, found: known };
    const found = await readEmbeddedText(bytes);
    await saveReading(store, md5, 'metadata', found);
    return { md5, found };
  }

  async function embeddedText(siteId: string, asset: IndexedAsset): Promise<{ md5: string; found: EmbeddedText | null }> {
    if (asset.md5) {
      const known = await readReading<EmbeddedText>(store, asset.md5, 'metadata');
      if (known !== undefined) return { md5: asset.md5, found: known };
    }
    let read = underWay.get(asset.url);
    if (!read) {
      read = readFile(siteId, asset).finally(() => underWay.delete(asset.url));
      underWay.set(asset.url, read);
    }
    return read;
  }

  return {
    async forAsset(siteId, assetId) {
      const asset = (await readAssetsById(store, siteId, [assetId])).get(assetId)?.doc;
      if (!asset) throw new HttpError(404, 'not_found', `No asset ${assetId} on this site (it may have been deleted); refresh the list.`);
      const suggestions: Suggestion[] = [];
      const unread: SuggestionSource[] = [];
      const pending: SuggestionSource[] = [];
      if (READABLE.has(asset.contentType)) {
        try {
          const locales = (await readSite(store, siteId))?.locales ?? [];
          const { md5, found } = await embeddedText(siteId, asset);
          suggestions.push(...metadataSuggestions(found, locales));
          if (wantsText(asset)) {
            const text = await readReading<TextReading>(store, md5, 'ocr');
            if (text) suggestions.push({ text: text.text, source: 'ocr', confidence: Math.round(text.confidence * OCR_TRUST * 100) / 100, detail: `tesseract (${OCR_LANGUAGES.join('+')})` });
            if (text === undefined) {
              readText(siteId, asset, md5);
              pending.push('ocr');
            }
          }
        } catch (error) {
          unread.push('metadata');
          options.onError?.(error, siteId);
        }
      }
      suggestions.push(...fileNameSuggestions(asset.fileName));
      return { assetId, suggestions, unread, pending };
    },
    async idle() {
      while (underWay.size > 0 || reading.size > 0) await Promise.allSettled([...underWay.values(), ...reading.values()]);
    },
  };
}
