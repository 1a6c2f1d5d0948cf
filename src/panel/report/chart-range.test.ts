import { describe, expect, it } from 'vitest';
import { dayRange, WEEK_SECONDS } from './chart-range.ts';

const dec4 = Date.parse('2026-12-04T12:00:00Z') / 1000;
const day = 86_400;

describe('the chart’s day axis', () => {
  it('shows a week around one day of history, whatever span uPlot widened the single point to', () => {
    // What uPlot 1.6 passes for one point on a time scale in seconds: min + 86400 / 1e-3.
    expect(dayRange({ data: [[dec4]] }, dec4, dec4 + 86_400_000)).toEqual([dec4 - WEEK_SECONDS / 2, dec4 + WEEK_SECONDS / 2]);
  });

  it('widens a few days to a week around them', () => {
    expect(dayRange({ data: [[dec4 - 2 * day, dec4]] }, dec4 - 2 * day, dec4)).toEqual([dec4 - 2 * day - WEEK_SECONDS / 2, dec4 + WEEK_SECONDS / 2]);
  });

  it('keeps the span of a longer history as it is', () => {
    expect(dayRange({ data: [[dec4 - 30 * day, dec4]] }, dec4 - 30 * day, dec4)).toEqual([dec4 - 30 * day, dec4]);
  });

  it('has no range without days', () => {
    expect(dayRange({ data: [[]] }, null, null)).toEqual([null, null]);
  });
});
