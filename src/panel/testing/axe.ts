/**
 * axe-core over the whole document with every rule it has (experimental, deprecated and best
 * practices included) except those that need layout, for the panel's happy-dom tests. Call
 * `useTextCanvas()` in the test file first.
 */
import axe from 'axe-core';
import { afterAll, beforeAll, vi } from 'vitest';

/**
 * happy-dom has no canvas, and without one axe leaves label-content-name-mismatch undecided: it
 * draws text to tell an icon font's ligatures from words. This canvas measures every character
 * alike and paints every pixel, so no text is an icon, which is true of the panel.
 */
function textCanvas(this: HTMLCanvasElement) {
  return {
    canvas: this,
    font: '',
    textAlign: 'left',
    textBaseline: 'top',
    measureText: (text: string) => ({ width: 30 * text.length }),
    fillText() {},
    clearRect() {},
    getImageData: (_x: number, _y: number, width: number, height: number) => ({ data: new Uint8ClampedArray(width * height * 4).fill(255) }),
  };
}

export function useTextCanvas(): void {
  beforeAll(() => void vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockImplementation(textCanvas as never));
  afterAll(() => vi.restoreAllMocks());
}

/** Contrast needs real layout, so the journeys check it; the DOM here has none. */
const NEEDS_LAYOUT = new Set(['color-contrast', 'color-contrast-enhanced']);

const EVERY_RULE = Object.fromEntries(axe.getRules().map(({ ruleId }) => [ruleId, { enabled: !NEEDS_LAYOUT.has(ruleId) }]));

/** Violations by rule and the first offending element, over the whole document (page-level rules too). */
export async function violations(): Promise<Array<[string, string]>> {
  const result = await axe.run(document, { rules: EVERY_RULE });
  return result.violations.map((violation) => [violation.id, violation.nodes[0]?.html ?? '']);
}
