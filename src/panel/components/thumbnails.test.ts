import { afterEach, describe, expect, it, vi } from 'vitest';
import { mayShowThumbnail, pauseThumbnails, thumbnailSeen, thumbnailsPaused } from './thumbnails.ts';

describe('thumbnails while typing', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('hold back images not seen yet until typing pauses, and show seen ones throughout', () => {
    vi.useFakeTimers();
    thumbnailSeen('https://cdn.example/seen.png');
    expect(mayShowThumbnail('https://cdn.example/new.png')).toBe(true);

    pauseThumbnails();
    expect(thumbnailsPaused.value).toBe(true);
    expect(mayShowThumbnail('https://cdn.example/new.png')).toBe(false);
    expect(mayShowThumbnail('https://cdn.example/seen.png')).toBe(true);

    vi.advanceTimersByTime(100);
    pauseThumbnails(); // another keystroke: the wait starts again
    vi.advanceTimersByTime(100);
    expect(mayShowThumbnail('https://cdn.example/new.png')).toBe(false);
    vi.advanceTimersByTime(60);
    expect(mayShowThumbnail('https://cdn.example/new.png')).toBe(true);
  });
});
