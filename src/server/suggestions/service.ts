/**
 * The backend's suggestions for an existing asset: what the hosted file embeds (XMP, IPTC,
 * EXIF), the text in the image (OCR, when a reader is given), where it is used (the usage
 * index: caption, heading, page title, CMS item), the file name's, and the vision model's (only
 * when one is configured). The file is fetched from the CDN once, a few at a time across the
 * backend, and each reading kept by MD5, so a file already read (on any site) is not fetched
 * again; the MD5 also goes into the index for the duplicate check. Text in the image and the
 * vision model take seconds: they run in the background and are reported as pending until kept.
 */
import type { IndexedAsset } from '../../core/api.ts';
import { readEmbeddedText, metadataSuggestions, type EmbeddedText } from '../../core/suggestions/embedded-metadata.ts';
import { fileNameSuggestions } from '../../core/suggestions/file-name.ts';
import type { SiteLocale } from '../../core/suggestions/locales.ts';
import { suggestionsFor, type AssetSuggestions, type Suggestion, type SuggestionSource, type SuggestionSourcesStatus } from '../../core/suggestions/sources.ts';
import type { UseSuggestions } from '../../core/suggestions/sources.ts';
import { usageSuggestions, type UseInContext } from '../../core/suggestions/usage.ts';
import { HttpError } from '../errors.ts';
import type { Fetch } from '../services/hosted-hashes.ts';
import { readAssetsById, readSite, saveMd5 } from '../store/asset-index.ts';
import type { Store } from '../store/db.ts';
import { readReading, saveReading, visionRequestsToday } from '../store/suggestions.ts';
import { readHostedFile } from './hosted-file.ts';
import { createLimiter } from './limiter.ts';
import { OCR_LANGUAGE_TAGS, OCR_LANGUAGES, TextReaderStopped, type TextReader, type TextReading } from './text-in-image.ts';
import { createVisionReadings, type VisionReadings } from './vision-readings.ts';
import type { VisionModel } from './vision.ts';

/** The types exifr reads metadata from (WebP and SVG it does not). */
const READABLE = new Set(['image/jpeg', 'image/png', 'image/avif', 'image/heic', 'image/heif', 'image/tiff']);
/** The types text is looked for in: banners, logos and screenshots come as PNG or JPEG. */
const OCR_TYPES = new Set(['image/jpeg', 'image/png']);
/** The types a small variant is made of for the vision model (sharp reads them; their MD5 comes with the metadata's reading). */
const VISION_TYPES = new Set(['image/jpeg', 'image/png', 'image/avif', 'image/tiff']);
/** Tesseract's own confidence, lowered: a clean read can still miss a character. */
const OCR_TRUST = 0.9;
/** A model's guess: offered last, below every source that read something the file or the site says. */
const VISION_CONFIDENCE = 0.5;

/** Where the uses of an asset come from (the usage index). */
export interface UsesOf {
  usesInContext(siteId: string, assetId: string): Promise<{ primaryLocaleId: string | null; uses: UseInContext[] }>;
}

export interface SuggestionsOptions {
  store: Store;
  fetch?: Fetch;
  /** Against the sandbox its CDN is on loopback; against Webflow only Webflow's CDN is ever read. */
  allowLoopback: boolean;
  /** Reads text in images; without one (SUGGESTIONS_OCR=off), no OCR runs. */
  textReader?: TextReader;
  /** The usage index; without it, no "where it is used" suggestions. */
  usage?: UsesOf;
  /** The vision model, when configured; without it nothing is sent anywhere. */
  vision?: { model: VisionModel; concurrency: number; dailyCap: number };
  /** Files fetched and read at once, across all sites. */
  concurrency?: number;
  onError?: (error: unknown, siteId: string) => void;
}

export interface Suggestions {
  /** `localeId`: the locale the vision model writes for (null: the primary). 400 for a locale the site lacks. */
  forAsset(siteId: string, assetId: string, localeId?: string | null): Promise<AssetSuggestions>;
  /** Which sources run for the site, and the vision model's cost today. */
  status(siteId: string): Promise<SuggestionSourcesStatus>;
  /** Resolves when no reading runs in the background (tests, shutdown). */
  idle(): Promise<void>;
}

const languageNames = new Intl.DisplayNames(['en'], { type: 'language' });

/** The language a locale writes in, by name and tag ("French", "fr-FR"); English for a site without locales. */
export function languageOf(locale: SiteLocale | undefined): { name: string; tag: string } {
  const tag = locale?.tag || 'en';
  let name = tag;
  try {
    name = languageNames.of(tag) ?? tag;
  } catch {
    // A tag Intl does not know is named by itself.
  }
  return { name, tag };
}

export function createSuggestions(options: SuggestionsOptions): Suggestions {
  const { store, allowLoopback, textReader, usage } = options;
  const fetchFile: Fetch = options.fetch ?? ((url, init) => fetch(url, init));
  const limit = createLimiter(Math.max(1, options.concurrency ?? 2));
  /** Metadata readings under way by file URL, so a row asked twice fetches once. */
  const underWay = new Map<string, Promise<{ md5: string; found: EmbeddedText | null }>>();
  /** Text readings under way by file URL. */
  const reading = new Map<string, Promise<void>>();
  const vision: VisionReadings | undefined = options.vision && createVisionReadings({ store, ...options.vision, ...(options.onError ? { onError: options.onError } : {}) });

  const wantsText = (asset: IndexedAsset): boolean => textReader !== undefined && OCR_TYPES.has(asset.contentType);

  function readText(siteId: string, asset: IndexedAsset, md5: string, bytes?: Uint8Array): void {
    if (!textReader || reading.has(asset.url)) return;
    const job = (async () => {
      const file = bytes ?? (await limit(() => readHostedFile(fetchFile, asset.url, allowLoopback))).bytes;
      let found: TextReading | null;
      try {
        found = await textReader.read(file);
      } catch (error) {
        // The reader stopped under it: nothing learnt, read again on the next look.
        if (error instanceof TextReaderStopped) throw error;
        // A file the reader cannot read as an image (corrupt, or not what its name says) has no
        // text to offer: said once, and not read again on every look at the asset.
        options.onError?.(error, siteId);
        found = null;
      }
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

  async function usesOf(siteId: string, assetId: string): Promise<{ common: Suggestion[]; perUse: UseSuggestions[] }> {
    if (!usage) return { common: [], perUse: [] };
    const { primaryLocaleId, uses } = await usage.usesInContext(siteId, assetId);
    return usageSuggestions(uses, primaryLocaleId);
  }

  return {
    async forAsset(siteId, assetId, localeId = null) {
      const asset = (await readAssetsById(store, siteId, [assetId])).get(assetId)?.doc;
      if (!asset) throw new HttpError(404, 'not_found', `No asset ${assetId} on this site (it may have been deleted); refresh the list.`);
      const locales: SiteLocale[] = (await readSite(store, siteId))?.locales ?? [];
      const locale = localeId === null ? locales.find((l) => l.primary) : locales.find((l) => l.id === localeId);
      if (localeId !== null && !locale) throw new HttpError(400, 'bad_request', `This site has no locale ${localeId}.`);
      const suggestions: Suggestion[] = [];
      const unread: SuggestionSource[] = [];
      const pending: SuggestionSource[] = [];
      let md5: string | null = null;
      if (READABLE.has(asset.contentType)) {
        try {
          const embedded = await embeddedText(siteId, asset);
          md5 = embedded.md5;
          suggestions.push(...metadataSuggestions(embedded.found, locales));
          if (wantsText(asset)) {
            const text = await readReading<TextReading>(store, embedded.md5, 'ocr');
            if (text) suggestions.push({ text: text.text, source: 'ocr', confidence: Math.round(text.confidence * OCR_TRUST * 100) / 100, detail: `tesseract (${OCR_LANGUAGES.join('+')})` });
            if (text === undefined) {
              readText(siteId, asset, embedded.md5);
              pending.push('ocr');
            }
          }
        } catch (error) {
          unread.push('metadata');
          options.onError?.(error, siteId);
        }
      }
      const { common, perUse } = await usesOf(siteId, assetId);
      suggestions.push(...common, ...fileNameSuggestions(asset.fileName));
      if (vision && VISION_TYPES.has(asset.contentType)) {
        if (md5 === null) unread.push('vision');
        // Text in the image is one of the model's hints: it is asked once that reading is kept.
        else if (pending.includes('ocr')) pending.push('vision');
        else {
          const forLocale = localeId === null || locale?.primary ? null : localeId;
          const hints = suggestionsFor(suggestions, forLocale, asset).map((s) => ({ source: s.source, text: s.text }));
          const language = languageOf(locale);
          const found = await vision.state({
            siteId,
            md5,
            languageTag: language.tag,
            ask: async () => ({ image: (await limit(() => readHostedFile(fetchFile, asset.url, allowLoopback))).bytes, language, hints }),
          });
          if (found.state === 'read' && found.reading.text !== null) {
            suggestions.push({ text: found.reading.text, source: 'vision', confidence: VISION_CONFIDENCE, detail: options.vision?.model.model ?? '', ...(forLocale ? { localeId: forLocale } : {}) });
          } else if (found.state === 'pending') pending.push('vision');
          else if (found.state === 'unread' && found.reason === 'failed') unread.push('vision');
        }
      }
      return { assetId, suggestions, uses: perUse, unread, pending };
    },
    async status(siteId) {
      const locales: SiteLocale[] = (await readSite(store, siteId))?.locales ?? [];
      const read = new Set(Object.values(OCR_LANGUAGE_TAGS));
      const notRead = locales.filter((l) => !read.has(l.tag.toLowerCase().split(/[-_]/)[0] ?? '')).map((l) => ({ localeId: l.id, tag: l.tag }));
      const model = options.vision?.model;
      const paused = model?.pausedUntil() ?? null;
      return {
        metadata: { active: true },
        ocr: { active: textReader !== undefined, languages: [...read], notRead },
        usage: { active: usage !== undefined },
        vision: model
          ? { active: true, model: model.model, host: model.host, requestsToday: await visionRequestsToday(store, siteId), dailyCap: options.vision?.dailyCap ?? 0, pausedUntil: paused === null ? null : new Date(paused).toISOString() }
          : { active: false },
      };
    },
    async idle() {
      while (underWay.size > 0 || reading.size > 0) await Promise.allSettled([...underWay.values(), ...reading.values()]);
      await vision?.idle();
    },
  };
}
