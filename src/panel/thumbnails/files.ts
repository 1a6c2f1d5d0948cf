/**
 * Where a row's thumbnail comes from. A JPEG, PNG or WebP is shown as the backend's 80 × 80 WebP
 * (src/server/thumbnails/): Webflow's smallest variant is 500 px wide, and the browser decoding
 * dozens of those while the designer scrolls cost frames of 100 ms on a two-core machine
 * (docs/decisions/small-thumbnails.md). An SVG or a GIF, or an image the backend could not make
 * small, is shown from Webflow's CDN as before.
 *
 * Small thumbnails are kept as object URLs, the most recently shown {@link KEPT_THUMBNAILS}, so a
 * row scrolled back into view shows its image at once; the browser keeps the answers too.
 */
import type { IndexedAsset } from '../../core/api.ts';
import { madeSmall } from '../../core/thumbnails.ts';
import type { BackendPort } from '../ports/backend.ts';

/** About 2–4 KB each: a few MB for a long bulk session. */
export const KEPT_THUMBNAILS = 2_000;

export type ThumbnailAsset = Pick<IndexedAsset, 'id' | 'thumbUrl' | 'contentType'>;

export interface ThumbnailFiles {
  /** What to show for this asset at once, without a turn in the queue: a thumbnail the panel has (or the browser has shown); null when it must load. */
  ready(asset: ThumbnailAsset): string | null;
  /** Fetches what to show: the small thumbnail, or the CDN's file (other types, or when the backend could not). Never rejects. */
  load(asset: ThumbnailAsset): Promise<string>;
  /** The image showed `src`: the browser has it. */
  shown(asset: ThumbnailAsset, src: string): void;
  /** The browser could not show the small thumbnail (a policy refusing `blob:` images, say): the CDN's file from now on. */
  refused(asset: ThumbnailAsset): void;
  /** Lets go of every object URL (the workspace closed). */
  dispose(): void;
}

/** The CDN's files as they are: an image shown once is shown at once after (the browser has it). */
export function createCdnFiles(): ThumbnailFiles {
  const seen = new Set<string>();
  return {
    ready: (asset) => (asset.thumbUrl !== null && seen.has(asset.thumbUrl) ? asset.thumbUrl : null),
    load: async (asset) => asset.thumbUrl ?? '',
    shown: (_asset, src) => void seen.add(src),
    refused: () => undefined,
    dispose: () => seen.clear(),
  };
}

/** A short mark of the hosted file's URL for `?v=` (FNV-1a, base 36): a replaced file has another. */
export function fileMark(url: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < url.length; i++) {
    hash ^= url.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(36);
}

export interface SmallFilesOptions {
  kept?: number;
  createObjectURL?: (blob: Blob) => string;
  revokeObjectURL?: (url: string) => void;
}

export function createSmallFiles(backend: Pick<BackendPort, 'thumbnail'>, siteId: string, options: SmallFilesOptions = {}): ThumbnailFiles {
  const kept = Math.max(1, options.kept ?? KEPT_THUMBNAILS);
  const createObjectURL = options.createObjectURL ?? ((blob: Blob) => URL.createObjectURL(blob));
  const revokeObjectURL = options.revokeObjectURL ?? ((url: string) => URL.revokeObjectURL(url));
  const cdn = createCdnFiles();
  /** Object URLs by hosted URL, least recently shown first. */
  const made = new Map<string, string>();
  /** Hosted URLs the backend could not make small: shown from the CDN for the rest of the session. */
  const asIs = new Set<string>();
  const underWay = new Map<string, Promise<string>>();
  let disposed = false;

  const small = (asset: ThumbnailAsset): asset is ThumbnailAsset & { thumbUrl: string } => madeSmall(asset) && asset.thumbUrl !== null && !asIs.has(asset.thumbUrl);

  function keep(url: string, objectUrl: string): void {
    made.set(url, objectUrl);
    for (const [oldest, old] of made) {
      if (made.size <= kept) break;
      made.delete(oldest);
      revokeObjectURL(old);
    }
  }

  async function fetchSmall(asset: ThumbnailAsset & { thumbUrl: string }): Promise<string> {
    const url = asset.thumbUrl;
    try {
      const blob = await backend.thumbnail(siteId, asset.id, fileMark(url));
      if (disposed) return url;
      const objectUrl = createObjectURL(blob);
      keep(url, objectUrl);
      return objectUrl;
    } catch {
      // The backend could not read or decode the file (or is unreachable): the browser may still.
      asIs.add(url);
      return url;
    }
  }

  return {
    ready(asset) {
      if (!small(asset)) return cdn.ready(asset);
      const objectUrl = made.get(asset.thumbUrl);
      if (objectUrl === undefined) return null;
      // Shown again: kept the longest.
      made.delete(asset.thumbUrl);
      made.set(asset.thumbUrl, objectUrl);
      return objectUrl;
    },
    load(asset) {
      if (!small(asset)) return cdn.load(asset);
      const url = asset.thumbUrl;
      const known = made.get(url);
      if (known !== undefined) return Promise.resolve(known);
      let loading = underWay.get(url);
      if (!loading) {
        loading = fetchSmall(asset).finally(() => underWay.delete(url));
        underWay.set(url, loading);
      }
      return loading;
    },
    shown(asset, src) {
      if (!small(asset) || src === asset.thumbUrl) cdn.shown(asset, src);
    },
    refused(asset) {
      if (!small(asset)) return;
      asIs.add(asset.thumbUrl);
      const objectUrl = made.get(asset.thumbUrl);
      made.delete(asset.thumbUrl);
      if (objectUrl !== undefined) revokeObjectURL(objectUrl);
    },
    dispose() {
      disposed = true;
      for (const objectUrl of made.values()) revokeObjectURL(objectUrl);
      made.clear();
      cdn.dispose();
    },
  };
}
