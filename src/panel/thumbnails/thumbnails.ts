/**
 * Thumbnails load in the order the designer sees them: the rows on screen first, top to bottom,
 * then the rows just off screen (the grid renders a few beyond each edge), nearest first. At most
 * {@link CONCURRENT_THUMBNAILS} load at once, so a row that comes into view after a scroll waits
 * behind a handful of images rather than behind every row rendered so far; a row scrolled out of
 * the rendered window gives up its place, and a loading one its slot.
 *
 * They also wait while the designer types. Each keystroke brings other rows into the grid, and a
 * new row's image must be fetched, decoded and painted: at Webflow's smallest variant (500 px
 * wide) that costs more than a frame, so the grid answered a keystroke in 30–120 ms instead of one
 * frame. While typing, rows show the images already seen and a quiet placeholder for the others;
 * 150 ms after the last keystroke the queue goes on.
 */
import { signal, useSignalEffect, type ReadonlySignal } from '@preact/signals';
import { useEffect, useRef, useState } from 'preact/hooks';
import { createCdnFiles, type ThumbnailAsset, type ThumbnailFiles } from './files.ts';

const PAUSE_MS = 150;
/**
 * Four, not the browser's six connections per host: the sandbox's CDN shares its host with the
 * Designer API calls of the panel, which must not wait behind images; and decoding more than a
 * few 500 px images at once only delays the first ones.
 */
export const CONCURRENT_THUMBNAILS = 4;

export interface ThumbnailTicket {
  /** A new place in the order (the grid scrolled). */
  rank(rank: number): void;
  /** The image loaded, failed or left the grid: its slot, or its place in the queue, goes to the next. */
  release(): void;
}

export interface ThumbnailQueue {
  /** Asks for a slot; `start` is called when the image may load (at once when one is free). Lower ranks go first. */
  request(rank: number, start: () => void): ThumbnailTicket;
  /** How many load now, and how many wait. */
  counts(): { loading: number; waiting: number };
}

interface Waiting {
  rank: number;
  /** Ties go to the earlier request. */
  order: number;
  start: () => void;
}

export function createThumbnailQueue(concurrency: number = CONCURRENT_THUMBNAILS): ThumbnailQueue {
  const waiting = new Set<Waiting>();
  let loading = 0;
  let order = 0;

  function pump(): void {
    while (loading < concurrency && waiting.size > 0) {
      let next: Waiting | undefined;
      for (const entry of waiting) {
        if (!next || entry.rank < next.rank || (entry.rank === next.rank && entry.order < next.order)) next = entry;
      }
      if (!next) return;
      waiting.delete(next);
      loading += 1;
      next.start();
    }
  }

  return {
    request(rank, start) {
      let state: 'waiting' | 'loading' | 'released' = 'waiting';
      const entry: Waiting = {
        rank,
        order: order++,
        start() {
          state = 'loading';
          start();
        },
      };
      waiting.add(entry);
      pump();
      return {
        rank(next) {
          entry.rank = next;
        },
        release() {
          if (state === 'waiting') waiting.delete(entry);
          else if (state === 'loading') loading -= 1;
          state = 'released';
          pump();
        },
      };
    },
    counts: () => ({ loading, waiting: waiting.size }),
  };
}

/**
 * A row's place in the order: rows on screen (`first`..`last`) by position, then rows off
 * screen by their distance from it.
 */
export function thumbnailRank(index: number, first: number, last: number): number {
  if (index >= first && index <= last) return index - first;
  const onScreen = last - first + 1;
  return onScreen + (index < first ? first - index : index - last) - 1;
}

/** The panel's one queue: one grid, one page, one set of connections to the CDN and the backend. */
const queue = createThumbnailQueue();
/** The CDN's files, for a grid given no other source (tests of the grid's parts). */
const cdnFiles = createCdnFiles();
let timer: ReturnType<typeof setTimeout> | undefined;

/** True while typing: new thumbnails wait. */
export const thumbnailsPaused = signal(false);

/** Call on every keystroke of a search. */
export function pauseThumbnails(): void {
  thumbnailsPaused.value = true;
  clearTimeout(timer);
  timer = setTimeout(() => (thumbnailsPaused.value = false), PAUSE_MS);
}

export interface Thumbnail {
  /** The image to show, or null while it waits its turn (show a placeholder). */
  src: string | null;
  onLoad(): void;
  onError(): void;
}

/** The rows on screen, by position in the filter: the grid's, read by each row's thumbnail when it ranks. */
export interface OnScreen {
  first: number;
  last: number;
}

/**
 * A row's thumbnail through the queue: `src` once its turn came and its file is here (at once
 * for one the panel or the browser has), released when it loads, fails or the row leaves. While
 * the designer types, an image not here yet gives its slot back and waits for the pause. `files`
 * says where the image comes from (files.ts: the backend's small thumbnail, or the CDN's file).
 *
 * `index` is the row's position in the filter and `onScreen` the grid's rows on screen: the rank
 * is worked out from them when the image asks for its turn and again when the grid scrolls,
 * without rendering the row (every row's rank changes with every scroll, its content does not).
 */
export function useThumbnail(
  asset: ThumbnailAsset | null,
  index: number,
  onScreen: ReadonlySignal<OnScreen>,
  files: ThumbnailFiles = cdnFiles,
  source: ThumbnailQueue = queue,
): Thumbnail {
  const url = asset?.thumbUrl ?? null;
  const [loaded, setLoaded] = useState<{ url: string; src: string } | null>(null);
  const ticket = useRef<ThumbnailTicket | null>(null);
  const position = useRef(index);
  position.current = index;
  const current = useRef(asset);
  current.current = asset;
  const paused = thumbnailsPaused.value;
  const rankOn = ({ first, last }: OnScreen) => thumbnailRank(position.current, first, last);

  useEffect(() => {
    const wanted = current.current;
    if (!wanted || !url || files.ready(wanted) !== null) return;
    if (paused) {
      // Not shown yet: it waits for the pause, a placeholder meanwhile.
      setLoaded(null);
      return;
    }
    let live = true;
    const mine = source.request(rankOn(onScreen.peek()), () => {
      void files.load(wanted).then((src) => {
        if (live) setLoaded({ url, src });
      });
    });
    ticket.current = mine;
    return () => {
      live = false;
      mine.release();
      if (ticket.current === mine) ticket.current = null;
    };
  }, [url, source, files, paused]);

  // A scroll re-ranks the ticket; it is not a new request.
  useSignalEffect(() => {
    const range = onScreen.value;
    ticket.current?.rank(rankOn(range));
  });
  useEffect(() => {
    ticket.current?.rank(rankOn(onScreen.peek()));
  }, [index]);

  // A row handed to another asset (row-slots.ts) shows an image the panel has at once, not a frame later.
  const src = asset && url !== null ? (files.ready(asset) ?? (loaded?.url === url ? loaded.src : null)) : null;
  const done = (shown: boolean) => {
    if (shown && asset && src !== null) files.shown(asset, src);
    ticket.current?.release();
    ticket.current = null;
  };
  const failed = () => {
    done(false);
    // A small thumbnail the browser would not show: the CDN's file instead, as before there were any.
    if (asset && url !== null && src !== null && src !== url) {
      files.refused(asset);
      setLoaded({ url, src: url });
    }
  };
  return { src, onLoad: () => done(true), onError: failed };
}
