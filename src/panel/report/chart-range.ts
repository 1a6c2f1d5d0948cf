/**
 * The chart's x scale (days, in seconds). uPlot widens a time scale over a single point to
 * `min + 86400 / ms` before it asks the scale's range: with timestamps in seconds (`ms` 1e-3)
 * that is 1,000 days, so one day of history was drawn over nearly three years. The range is
 * therefore taken from the data when it holds one day, and a short history is shown as a week.
 */
import type uPlot from 'uplot';

export const WEEK_SECONDS = 7 * 86_400;

export function dayRange(plot: { data: uPlot.AlignedData }, min: number | null, max: number | null): uPlot.Range.MinMax {
  const days = plot.data[0];
  const only = days.length === 1 ? days[0] : undefined;
  const low = only ?? min;
  const high = only ?? max;
  if (low === null || low === undefined || high === null || high === undefined) return [null, null];
  return high - low < WEEK_SECONDS ? [low - WEEK_SECONDS / 2, high + WEEK_SECONDS / 2] : [low, high];
}
