/**
 * What every benchmark prints: one figure beside the baseline measured in the same run, the ratio
 * between them, and the target it must meet.
 */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** The naive way measured in the same run, or null where there is no meaningful baseline. */
  baseline: number | null;
  /** How many times better than the baseline (baseline ÷ value for times, value ÷ baseline for rates). */
  ratio: number | null;
  /** The target in words, e.g. "≤ 500 ms and ≥ 20× baseline". */
  target: string;
  pass: boolean;
  /** The command that reproduces this figure alone. */
  command: string;
  /** Extra readings worth printing (p99, requests used, …). */
  notes?: string;
}

export interface BenchContext {
  /** CI's small size: proves the benchmark runs, the figures are not judged. */
  small: boolean;
  /** Scale a size down in small mode. */
  size(full: number, small: number): number;
  /**
   * The number of assets of a figure whose target is per site size (index, refresh, memory,
   * open): `--size N` when given, else `full`, or `small` in small mode.
   */
  assets(full: number, small: number): number;
}

export interface Benchmark {
  /** Short id used by `--only`. */
  id: string;
  run(context: BenchContext): Promise<Figure[]>;
}

export function round(value: number, digits = 1): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}
