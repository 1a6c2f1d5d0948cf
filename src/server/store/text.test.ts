import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { textProblem } from '../../core/api.ts';
import { restoredJson, restoredText, storableJson, storableText } from './text.ts';

/** Any UTF-16 text, NUL, lone surrogates and the escape character included. */
const anyText = fc.string({ unit: fc.oneof(fc.integer({ min: 0, max: 0xffff }).map((u) => String.fromCharCode(u)), fc.constantFrom('\u0000', '\uE000', '\uD800', '\uDC00', '0', 'a')), maxLength: 80 });

describe('text kept in the store', () => {
  it('comes back byte for byte, whatever it held', () => {
    fc.assert(fc.property(anyText, (text) => {
        expect(restoredText(storableText(text))).toBe(text);
      }), { numRuns: 2000 });
  });

  it('holds neither NUL nor half a character once stored', () => {
    fc.assert(fc.property(anyText, (text) => {
        expect(textProblem(storableText(text))).toBeUndefined();
      }), { numRuns: 2000 });
  });

  it('leaves ordinary text as it is', () => {
    expect(storableText('Café ☕ 咖啡 😀')).toBe('Café ☕ 咖啡 😀');
    expect(storableText('Logos\u0000')).toBe('Logos\uE0000000');
  });

  it('escapes every string of a document, keys included, and restores it', () => {
    fc.assert(
      fc.property(fc.dictionary(anyText, fc.oneof(anyText, fc.integer(), fc.constant(null), fc.array(anyText, { maxLength: 3 }))), (doc) => {
        const stored = storableJson(doc);
        expect(textProblem(JSON.stringify(stored))).toBeUndefined();
        expect(restoredJson(stored)).toEqual(doc);
      }),
      { numRuns: 500 },
    );
  });
});
