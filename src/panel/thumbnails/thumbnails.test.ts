// @vitest-environment happy-dom
import { act, cleanup, renderHook } from '@testing-library/preact';
import { signal } from '@preact/signals';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeBackend } from '../testing/fakes.ts';
import { createCdnFiles, createSmallFiles, fileMark, type ThumbnailAsset } from './files.ts';
import { createThumbnailQueue, pauseThumbnails, thumbnailRank, thumbnailsPaused, useThumbnail, type OnScreen, type ThumbnailTicket } from './thumbnails.ts';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

/** Requests `urls` in the given ranks and records the order in which they start. */
function queueOf(concurrency: number, requests: Array<[url: string, rank: number]>) {
  const queue = createThumbnailQueue(concurrency);
  const started: string[] = [];
  const tickets = new Map<string, ThumbnailTicket>();
  for (const [url, rank] of requests) tickets.set(url, queue.request(rank, () => started.push(url)));
  const ticket = (url: string) => tickets.get(url) ?? expect.unreachable(`no ticket for ${url}`);
  return { queue, started, ticket };
}

describe('the thumbnail queue', () => {
  it('starts at most its concurrency at once, the best-ranked first, and the next when one is released', () => {
    // Rendered in DOM order, ranked on screen first: rows 3 and 4 are on screen, 1 and 2 above.
    const { started, ticket, queue } = queueOf(2, [
      ['row-1', 3],
      ['row-2', 2],
      ['row-3', 0],
      ['row-4', 1],
    ]);
    // Requests arrive one by one, so the first ones start while slots are free.
    expect(started).toEqual(['row-1', 'row-2']);
    expect(queue.counts()).toEqual({ loading: 2, waiting: 2 });
    ticket('row-1').release();
    ticket('row-2').release();
    expect(started).toEqual(['row-1', 'row-2', 'row-3', 'row-4']);
  });

  it('loads rows on screen top to bottom before rows off screen, when they wait together', () => {
    const { started, ticket } = queueOf(1, [
      ['busy', 0],
      ['below-2', 7],
      ['screen-2', 1],
      ['above-1', 5],
      ['screen-1', 0],
      ['below-1', 6],
    ]);
    for (let n = 0; n < 5; n++) ticket(started.at(-1) ?? '').release();
    expect(started).toEqual(['busy', 'screen-1', 'screen-2', 'above-1', 'below-1', 'below-2']);
  });

  it('follows a new rank given after a scroll', () => {
    const { started, ticket } = queueOf(1, [
      ['busy', 0],
      ['was-on-screen', 0],
      ['now-on-screen', 5],
    ]);
    ticket('was-on-screen').rank(9);
    ticket('now-on-screen').rank(0);
    ticket('busy').release();
    expect(started).toEqual(['busy', 'now-on-screen']);
  });

  it('drops a waiting request released before its turn (its row scrolled away), and never starts it', () => {
    const { started, ticket, queue } = queueOf(1, [
      ['busy', 0],
      ['gone', 1],
      ['stays', 2],
    ]);
    ticket('gone').release();
    ticket('busy').release();
    expect(started).toEqual(['busy', 'stays']);
    ticket('stays').release();
    ticket('stays').release(); // twice (loaded, then unmounted): one slot only
    expect(queue.counts()).toEqual({ loading: 0, waiting: 0 });
  });

  it('never loads more than its concurrency, and always starts the best-ranked waiting request', () => {
    const action = fc.oneof(
      fc.record({ kind: fc.constant('request' as const), rank: fc.integer({ min: 0, max: 30 }) }),
      fc.record({ kind: fc.constant('release' as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant('rank' as const), pick: fc.nat(), rank: fc.integer({ min: 0, max: 30 }) }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.array(action, { maxLength: 80 }), (concurrency, actions) => {
        const queue = createThumbnailQueue(concurrency);
        const live: Array<{ ticket: ThumbnailTicket; rank: number; state: 'waiting' | 'loading' }> = [];
        for (const step of actions) {
          if (step.kind === 'request') {
            const entry = { ticket: undefined as unknown as ThumbnailTicket, rank: step.rank, state: 'waiting' as 'waiting' | 'loading' };
            live.push(entry);
            const start = () => {
              const bestWaiting = Math.min(...live.filter((other) => other.state === 'waiting').map((other) => other.rank));
              expect(entry.rank).toBe(bestWaiting);
              entry.state = 'loading';
            };
            entry.ticket = queue.request(step.rank, start);
          } else if (live.length > 0) {
            const entry = live[step.pick % live.length]!;
            if (step.kind === 'rank') {
              entry.rank = step.rank;
              entry.ticket.rank(step.rank);
            } else {
              live.splice(live.indexOf(entry), 1);
              entry.ticket.release();
            }
          }
          const loading = live.filter((entry) => entry.state === 'loading').length;
          expect(loading).toBeLessThanOrEqual(concurrency);
          expect(queue.counts()).toEqual({ loading, waiting: live.length - loading });
          // Nothing waits while a slot is free.
          if (loading < concurrency) expect(live.every((entry) => entry.state === 'loading')).toBe(true);
        }
      }),
    );
  });
});

describe('a row’s place in the order', () => {
  it('puts rows on screen first, top to bottom, then rows off screen nearest first', () => {
    // Rows 10..14 on screen, the grid renders 6..18.
    const order = [6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18].sort((a, b) => thumbnailRank(a, 10, 14) - thumbnailRank(b, 10, 14) || a - b);
    expect(order.slice(0, 5)).toEqual([10, 11, 12, 13, 14]);
    expect(order.slice(5, 7).sort()).toEqual([15, 9].sort());
    expect(order.slice(-2).sort()).toEqual([18, 6].sort());
  });
});

describe('a row’s thumbnail', () => {
  /** Rows 0 to 9 on screen: a row's rank is its position. */
  const screen = signal<OnScreen>({ first: 0, last: 9 });
  /** An SVG: shown from the CDN as it is. */
  const svg = (name: string): ThumbnailAsset => ({ id: name, thumbUrl: `https://cdn.example/${name}.svg`, contentType: 'image/svg+xml' });
  /** The file's answer arrives (a promise's turn). */
  const settle = () => act(async () => {
    await new Promise((resolve) => setTimeout(resolve, 0));
  });

  it('waits its turn by where its row is on screen, and a scroll ranks it again without rendering the row', async () => {
    const queue = createThumbnailQueue(1);
    const files = createCdnFiles();
    const onScreen = signal<OnScreen>({ first: 0, last: 4 });
    const busy = renderHook(() => useThumbnail(svg('busy'), 0, onScreen, files, queue));
    let renders = 0;
    const above = renderHook(() => {
      renders += 1;
      return useThumbnail(svg('above'), 3, onScreen, files, queue);
    });
    const below = renderHook(() => useThumbnail(svg('below'), 30, onScreen, files, queue));
    await settle();
    const rendered = renders;
    // Scrolled down: row 30 is on screen now, row 3 above it.
    act(() => {
      onScreen.value = { first: 28, last: 32 };
    });
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 50));
    });
    expect(renders).toBe(rendered);
    act(() => busy.result.current.onLoad());
    await settle();
    expect(below.result.current.src).toBe('https://cdn.example/below.svg');
    expect(above.result.current.src).toBeNull();
  });

  it('shows its image when its turn comes, and gives its slot to the next row once loaded', async () => {
    const queue = createThumbnailQueue(1);
    const files = createCdnFiles();
    const first = renderHook(() => useThumbnail(svg('first'), 0, screen, files, queue));
    const second = renderHook(() => useThumbnail(svg('second'), 1, screen, files, queue));
    await settle();
    expect(first.result.current.src).toBe('https://cdn.example/first.svg');
    expect(second.result.current.src).toBeNull();
    act(() => first.result.current.onLoad());
    await settle();
    expect(second.result.current.src).toBe('https://cdn.example/second.svg');
  });

  it('gives its place back when its row leaves the grid', async () => {
    const queue = createThumbnailQueue(1);
    const files = createCdnFiles();
    const first = renderHook(() => useThumbnail(svg('a'), 0, screen, files, queue));
    const second = renderHook(() => useThumbnail(svg('b'), 1, screen, files, queue));
    act(() => first.unmount());
    await settle();
    expect(second.result.current.src).toBe('https://cdn.example/b.svg');
    second.unmount();
    expect(queue.counts()).toEqual({ loading: 0, waiting: 0 });
  });

  it('holds back images not seen yet while the designer types, and shows seen ones throughout', async () => {
    const queue = createThumbnailQueue(4);
    const files = createCdnFiles();
    const seenBefore = renderHook(() => useThumbnail(svg('seen'), 0, screen, files, queue));
    await settle();
    act(() => seenBefore.result.current.onLoad());
    const fresh = renderHook(() => useThumbnail(svg('new'), 1, screen, files, queue));
    await settle();
    expect(fresh.result.current.src).toBe('https://cdn.example/new.svg');

    vi.useFakeTimers();
    act(() => pauseThumbnails());
    expect(thumbnailsPaused.value).toBe(true);
    expect(fresh.result.current.src).toBeNull();
    expect(queue.counts()).toEqual({ loading: 0, waiting: 0 }); // its slot is free for the pause
    const again = renderHook(() => useThumbnail(svg('seen'), 2, screen, files, queue));
    expect(again.result.current.src).toBe('https://cdn.example/seen.svg');

    act(() => {
      vi.advanceTimersByTime(100);
    });
    act(() => pauseThumbnails()); // another keystroke: the wait starts again
    act(() => {
      vi.advanceTimersByTime(100);
    });
    expect(fresh.result.current.src).toBeNull();
    act(() => {
      vi.advanceTimersByTime(60);
    });
    vi.useRealTimers();
    await settle();
    expect(fresh.result.current.src).toBe('https://cdn.example/new.svg');
  });

  it('shows a photo as the backend’s small thumbnail, and at once when its row comes back', async () => {
    const backend = new FakeBackend();
    const files = createSmallFiles(backend, 'site1');
    const queue = createThumbnailQueue(4);
    const photo: ThumbnailAsset = { id: 'a1', thumbUrl: 'https://cdn.example/a1-p-500.jpg', contentType: 'image/jpeg' };
    const row = renderHook(() => useThumbnail(photo, 0, screen, files, queue));
    expect(row.result.current.src).toBeNull();
    await settle();
    const small = `https://backend.example/api/thumbnails/site1/a1?v=${fileMark(photo.thumbUrl ?? '')}&k=${backend.thumbnailKeyAnswer.key}`;
    expect(row.result.current.src).toBe(small);
    act(() => row.result.current.onLoad());
    row.unmount();
    // Scrolled back: shown in the first render, no turn taken.
    const back = renderHook(() => useThumbnail(photo, 0, screen, files, queue));
    expect(back.result.current.src).toBe(small);
    expect(queue.counts()).toEqual({ loading: 0, waiting: 0 });
  });

  it('shows the CDN’s file when the browser will not show the small thumbnail, and keeps to it', async () => {
    const backend = new FakeBackend();
    const files = createSmallFiles(backend, 'site1');
    const photo: ThumbnailAsset = { id: 'a4', thumbUrl: 'https://cdn.example/a4.webp', contentType: 'image/webp' };
    const row = renderHook(() => useThumbnail(photo, 0, screen, files, createThumbnailQueue(4)));
    await settle();
    expect(row.result.current.src).toContain('https://backend.example/api/thumbnails/site1/a4?');
    act(() => row.result.current.onError());
    expect(row.result.current.src).toBe('https://cdn.example/a4.webp');
    act(() => row.result.current.onLoad());
    const again = renderHook(() => useThumbnail(photo, 1, screen, files, createThumbnailQueue(4)));
    expect(again.result.current.src).toBe('https://cdn.example/a4.webp');
  });
});
