import { signal } from '@preact/signals';
import { describe, expect, it, vi } from 'vitest';
import { computedAfterPaint } from './after-paint.ts';

const nextTask = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('computedAfterPaint', () => {
  it('computes after the current task, once for any number of changes meanwhile, and stops when disposed', async () => {
    const text = signal('a');
    let runs = 0;
    const length = computedAfterPaint(
      () => text.value,
      () => {
        runs += 1;
        return text.peek().length;
      },
      -1,
    );
    expect(length.value.value).toBe(-1);
    await nextTask();
    expect([length.value.value, runs]).toEqual([1, 1]);

    text.value = 'ab';
    text.value = 'abc';
    text.value = 'abcd';
    // Not in the keystroke's own task.
    expect([length.value.value, runs]).toEqual([1, 1]);
    await nextTask();
    expect([length.value.value, runs]).toEqual([4, 2]);

    length.dispose();
    text.value = 'abcde';
    await nextTask();
    expect([length.value.value, runs]).toEqual([4, 2]);
  });

  it('waits as long as it is told to: here until the inputs have been still for 60 ms', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    try {
      const text = signal('a');
      let runs = 0;
      let typedAt = 0;
      const length = computedAfterPaint(
        () => {
          typedAt = performance.now();
          return text.value;
        },
        () => {
          runs += 1;
          return text.peek().length;
        },
        -1,
        { notBefore: () => typedAt + 60 },
      );
      await vi.advanceTimersByTimeAsync(80);
      expect([length.value.value, runs]).toEqual([1, 1]);
      // Typing every 20 ms: nothing is computed until it stops for 60 ms.
      for (const typed of ['ab', 'abc', 'abcd', 'abcde']) {
        text.value = typed;
        await vi.advanceTimersByTimeAsync(20);
      }
      expect(runs).toBe(1);
      await vi.advanceTimersByTimeAsync(30);
      expect(runs).toBe(1);
      await vi.advanceTimersByTimeAsync(40);
      expect([length.value.value, runs]).toEqual([5, 2]);
      length.dispose();
    } finally {
      vi.useRealTimers();
    }
  });

  it('does the work it is given in slices, a task each, so other tasks run between them', async () => {
    const text = signal('a');
    const events: string[] = [];
    let slicesLeft = 3;
    const length = computedAfterPaint(
      () => text.value,
      () => {
        events.push('compute');
        return text.peek().length;
      },
      -1,
      {
        prepare: () => {
          events.push('slice');
          if (events.filter((event) => event === 'slice').length === 1) setTimeout(() => events.push('keystroke'), 0);
          slicesLeft -= 1;
          return slicesLeft <= 0;
        },
      },
    );
    for (let task = 0; task < 10 && length.value.value === -1; task += 1) await nextTask();
    expect(events).toEqual(['slice', 'keystroke', 'slice', 'slice', 'compute']);
    expect(length.value.value).toBe(1);
    length.dispose();
  });
});
