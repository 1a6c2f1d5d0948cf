/**
 * Thumbnails wait while the designer types. Each keystroke brings other rows into the grid, and
 * a new row's image must be fetched, decoded and painted: at Webflow's smallest variant (500 px
 * wide) that costs more than a frame, so the grid answered a keystroke in 30–120 ms instead of
 * one frame. While typing, rows show the images already seen and a quiet placeholder for the
 * others; 150 ms after the last keystroke every thumbnail loads.
 */
import { signal } from '@preact/signals';

const PAUSE_MS = 150;
const seen = new Set<string>();
let timer: ReturnType<typeof setTimeout> | undefined;

/** True while typing: new thumbnails wait. */
export const thumbnailsPaused = signal(false);

/** Call on every keystroke of a search. */
export function pauseThumbnails(): void {
  thumbnailsPaused.value = true;
  clearTimeout(timer);
  timer = setTimeout(() => (thumbnailsPaused.value = false), PAUSE_MS);
}

export function thumbnailSeen(url: string): void {
  seen.add(url);
}

/** Whether a row may show this thumbnail now. */
export function mayShowThumbnail(url: string): boolean {
  return !thumbnailsPaused.value || seen.has(url);
}
