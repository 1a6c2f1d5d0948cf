/**
 * Figures that may lag the grid a little: the filter chips' counts and the repeated-alt-text
 * tally. Computed in a task after the next paint, so neither opening the panel nor a keystroke
 * waits for them (each is a pass over every asset), and once however many changes came in
 * meanwhile.
 */
import { effect, signal, type ReadonlySignal } from '@preact/signals';

export interface AfterPaint<T> {
  value: ReadonlySignal<T>;
  dispose(): void;
}

/** Runs `task` after the next frame has been painted (at once-ish where nothing paints). */
function afterNextPaint(task: () => void): void {
  if (typeof requestAnimationFrame === 'function') {
    // A frame callback runs before that frame's paint; a task queued from it runs after.
    requestAnimationFrame(() => setTimeout(task, 0));
  } else {
    setTimeout(task, 0);
  }
}

export interface AfterPaintOptions {
  /** A `performance.now()` time not to compute before: while someone types, the grid gets every frame. */
  notBefore?: () => number;
  /**
   * Work `compute` needs that can be done in slices: called once per task until it says it is
   * done, so a keystroke made meanwhile waits for one slice, not for all of it.
   */
  prepare?: () => boolean;
}

/**
 * `compute()` after the next paint whenever a signal read by `inputs()` changes, and not before
 * `notBefore()`. `inputs` only reads (subscribes); `compute` and `prepare` should read with
 * `peek()`. Holds `initial` until the first computation.
 */
export function computedAfterPaint<T>(inputs: () => unknown, compute: () => T, initial: T, options: AfterPaintOptions = {}): AfterPaint<T> {
  const { notBefore = () => 0, prepare = () => true } = options;
  const value = signal(initial);
  let due = false;
  let disposed = false;
  const run = (): void => {
    if (disposed) return;
    const wait = notBefore() - performance.now();
    if (wait > 0) {
      setTimeout(run, wait);
      return;
    }
    if (!prepare()) {
      setTimeout(run, 0);
      return;
    }
    due = false;
    value.value = compute();
  };
  const stop = effect(() => {
    inputs();
    if (due) return;
    due = true;
    afterNextPaint(run);
  });
  return {
    value,
    dispose() {
      disposed = true;
      stop();
    },
  };
}
