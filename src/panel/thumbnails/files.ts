/**
 * Where a row's thumbnail comes from. A JPEG, PNG or WebP is shown as the backend's 80 × 80 WebP
 * (src/server/thumbnails/): Webflow's smallest variant is 500 px wide, and the browser decoding
 * dozens of those while the designer scrolls cost frames of 100 ms on a two-core machine
 * (docs/decisions/small-thumbnails.md). An SVG or a GIF, or an image the backend could not make
 * small, is shown from Webflow's CDN as before.
 *
 * The backend's thumbnail is an `<img src>` with the site's thumbnail key in its URL (an image
 * sends no bearer, and so costs no CORS preflight); the key is asked for once, and again a few
 * minutes before it expires. The URL is the same all day for the same file, so the browser keeps
 * the image across opens of the panel.
 */
import type { IndexedAsset } from '../../core/api.ts';
import { fileMark, madeSmall, type ThumbnailKey } from '../../core/thumbnails.ts';
import type { BackendPort } from '../ports/backend.ts';

export { fileMark };

/** A new key is asked for this long before the one in hand expires. */
const RENEW_BEFORE_MS = 5 * 60_000;

export type ThumbnailAsset = Pick<IndexedAsset, 'id' | 'thumbUrl' | 'contentType'>;

export interface ThumbnailFiles {
  /** What to show for this asset at once, without a turn in the queue: an image the browser has shown; null when it must load. */
  ready(asset: ThumbnailAsset): string | null;
  /** What to load: the backend's small thumbnail, or the CDN's file (other types, no key, or the backend could not). Never rejects. */
  load(asset: ThumbnailAsset): Promise<string>;
  /** The image showed `src`: the browser has it. */
  shown(asset: ThumbnailAsset, src: string): void;
  /** The browser could not show the backend's thumbnail: the CDN's file from now on. */
  refused(asset: ThumbnailAsset): void;
}

/** The CDN's files as they are: an image shown once is shown at once after (the browser has it). */
export function createCdnFiles(): ThumbnailFiles {
  const seen = new Set<string>();
  return {
    ready: (asset) => (asset.thumbUrl !== null && seen.has(asset.thumbUrl) ? asset.thumbUrl : null),
    load: async (asset) => asset.thumbUrl ?? '',
    shown: (_asset, src) => void seen.add(src),
    refused: () => undefined,
  };
}

export interface SmallFilesOptions {
  now?: () => number;
}

export function createSmallFiles(backend: Pick<BackendPort, 'thumbnailKey' | 'thumbnailUrl'>, siteId: string, options: SmallFilesOptions = {}): ThumbnailFiles {
  const now = options.now ?? Date.now;
  const cdn = createCdnFiles();
  /** Backend thumbnails the browser has shown, by asset id: the URL, and the file and key it was for. */
  const shownSmall = new Map<string, { src: string; file: string; key: string }>();
  /** Hosted URLs the backend could not make small: shown from the CDN for the rest of the session. */
  const asIs = new Set<string>();
  let key: { value: ThumbnailKey | null; until: number } | null = null;
  let asking: Promise<ThumbnailKey | null> | null = null;

  const small = (asset: ThumbnailAsset): asset is ThumbnailAsset & { thumbUrl: string } => madeSmall(asset) && asset.thumbUrl !== null && !asIs.has(asset.thumbUrl);

  /** The key in hand, or a new one; null when the backend gives none (the CDN's files then, until the next ask). */
  function currentKey(): Promise<ThumbnailKey | null> {
    if (key && now() < key.until) return Promise.resolve(key.value);
    asking ??= backend
      .thumbnailKey(siteId)
      .then(
        (given) => {
          const expires = Date.parse(given.expiresAt);
          key = { value: given, until: Number.isFinite(expires) ? expires - RENEW_BEFORE_MS : now() + RENEW_BEFORE_MS };
          return given;
        },
        () => {
          // Asked again a minute later: meanwhile rows show the CDN's files, as before.
          key = { value: null, until: now() + 60_000 };
          return null;
        },
      )
      .finally(() => (asking = null));
    return asking;
  }

  const urlOf = (asset: ThumbnailAsset & { thumbUrl: string }, given: ThumbnailKey) => backend.thumbnailUrl(siteId, asset.id, fileMark(asset.thumbUrl), given.key);

  return {
    ready(asset) {
      if (!small(asset)) return cdn.ready(asset);
      const shown = shownSmall.get(asset.id);
      // Shown for this very file under the key in hand: the browser has it.
      return shown !== undefined && shown.file === asset.thumbUrl && shown.key === key?.value?.key ? shown.src : null;
    },
    async load(asset) {
      if (!small(asset)) return cdn.load(asset);
      const given = await currentKey();
      return given ? urlOf(asset, given) : (asset.thumbUrl ?? '');
    },
    shown(asset, src) {
      const inHand = key?.value?.key;
      if (small(asset) && src !== asset.thumbUrl) {
        if (inHand !== undefined) shownSmall.set(asset.id, { src, file: asset.thumbUrl, key: inHand });
      } else cdn.shown(asset, src);
    },
    refused(asset) {
      if (!small(asset)) return;
      asIs.add(asset.thumbUrl);
      shownSmall.delete(asset.id);
    },
  };
}
