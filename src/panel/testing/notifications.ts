import { effect, type ReadonlySignal } from '@preact/signals';

/**
 * Counts how many times each signal tells its readers it changed, from now until `stop()`:
 * a poll that brings nothing new must notify none of them.
 */
export function countNotifications<K extends string>(signals: Record<K, ReadonlySignal<unknown>>): { seen: Record<K, number>; stop(): void } {
  const names = Object.keys(signals) as K[];
  const seen = Object.fromEntries(names.map((name) => [name, 0])) as Record<K, number>;
  let watching = false;
  const stops = names.map((name) =>
    effect(() => {
      void signals[name].value;
      if (watching) seen[name] += 1;
    }),
  );
  watching = true;
  return { seen, stop: () => stops.forEach((stop) => stop()) };
}
