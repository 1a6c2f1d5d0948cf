import { describe, expect, it } from 'vitest';
import { recurringStormLeftMs } from './gate.ts';

describe('recurring 429 storms', () => {
  const storms = { everyMs: 10_000, lastMs: 2_000 };

  it('start at once, last lastMs, and come back every everyMs', () => {
    expect(recurringStormLeftMs(storms, 1_000, 1_000)).toBe(2_000);
    expect(recurringStormLeftMs(storms, 1_000, 2_500)).toBe(500);
    expect(recurringStormLeftMs(storms, 1_000, 3_000)).toBe(0);
    expect(recurringStormLeftMs(storms, 1_000, 10_999)).toBe(0);
    expect(recurringStormLeftMs(storms, 1_000, 11_000)).toBe(2_000);
    expect(recurringStormLeftMs(storms, 1_000, 102_999)).toBe(1);
  });

  it('leave the time before they were set alone', () => {
    expect(recurringStormLeftMs(storms, 5_000, 4_999)).toBe(0);
  });
});
