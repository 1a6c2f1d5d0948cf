import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { plainJson } from './plain-json.ts';

/** Values like the SDK's answers: JSON, dates, undefined fields and entries, odd numbers, functions. */
const sdkLike = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.constant(() => 1),
    fc.date({ noInvalidDate: true }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 6 }), tie('value'), { maxKeys: 4 }),
  ),
})).value;

describe('plain JSON of an SDK answer', () => {
  it('is what a round trip through JSON.stringify gives, whatever the value', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 6 }), sdkLike, { maxKeys: 5 }), (value) => {
        expect(plainJson(value)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      { numRuns: 2000 },
    );
  });

  it('turns dates into ISO strings and leaves out missing fields', () => {
    const when = new Date('2026-12-06T08:00:00.000Z');
    expect(plainJson({ createdOn: when, altText: undefined, variants: [undefined, { width: 100 }] })).toEqual({ createdOn: '2026-12-06T08:00:00.000Z', variants: [null, { width: 100 }] });
    expect(Object.keys(plainJson<object>({ a: undefined, b: 1 }))).toEqual(['b']);
    expect(Object.is(plainJson<{ n: number }>({ n: -0 }).n, 0)).toBe(true);
  });
});
