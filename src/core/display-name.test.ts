import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { byKeyThenPosition, hasIdPrefix, readableName } from './display-name.ts';

const ID = '0a9532e10db02a1c74df205f';

describe('readableName', () => {
  it("drops Webflow's id prefix from a display name", () => {
    expect(readableName(`${ID}_Ethiopia-Yirgacheffe.jpg`)).toBe('Ethiopia-Yirgacheffe.jpg');
    expect(hasIdPrefix(`${ID}_Ethiopia-Yirgacheffe.jpg`)).toBe(true);
  });

  it('drops every id of a file that was uploaded again, whatever the ids', () => {
    expect(readableName(`${ID}_5f8d4c2b1a9e3b0017c6d2e1_Team photo.png`)).toBe('Team photo.png');
    expect(readableName(`${ID.toUpperCase()}_Logo.svg`)).toBe('Logo.svg');
  });

  it('keeps a name without the prefix as it is', () => {
    for (const name of ['Ethiopia-Yirgacheffe.jpg', 'IMG_1234.jpg', `${ID}Hero.png`, `${ID.slice(1)}_Hero.png`, `x${ID}_Hero.png`, `${ID}-Hero.png`, `${ID.slice(0, 23)}g_Hero.png`, '']) {
      expect(readableName(name)).toBe(name);
      expect(hasIdPrefix(name)).toBe(false);
    }
  });

  it('keeps the whole name when nothing readable would be left', () => {
    for (const name of [`${ID}_`, `${ID}_.png`, `${ID}_${ID}_`, `${ID}_ _.jpg`, `${ID}_---`]) expect(readableName(name)).toBe(name);
    // Digits are readable: a file someone named "2.jpg" is still theirs.
    expect(readableName(`${ID}_2.jpg`)).toBe('2.jpg');
    expect(readableName(`${ID}_Café`)).toBe('Café');
  });

  const hex = fc.stringMatching(/^[0-9a-f]{24}$/);
  const anyName = fc.oneof(
    fc.string(),
    fc.tuple(fc.array(hex, { minLength: 1, maxLength: 3 }), fc.string()).map(([ids, rest]) => `${ids.join('_')}_${rest}`),
  );

  it('is a suffix of the name, never empty for a name that is not, and the same when applied again', () => {
    fc.assert(
      fc.property(anyName, (name) => {
        const readable = readableName(name);
        expect(name.endsWith(readable)).toBe(true);
        if (name.length > 0) expect(readable.length).toBeGreaterThan(0);
        expect(readableName(readable)).toBe(readable);
      }),
      { numRuns: 2000 },
    );
  });

  it('gives back what a person wrote after any number of ids', () => {
    // Starting with a letter that is not a hex digit, so the rest is no id itself.
    const written = fc.string({ minLength: 1 }).filter((text) => /^[g-zG-Z]/.test(text));
    fc.assert(
      fc.property(fc.array(hex, { minLength: 1, maxLength: 3 }), written, (ids, rest) => {
        expect(readableName(`${ids.join('_')}_${rest}`)).toBe(rest);
      }),
    );
  });
});

describe('byKeyThenPosition', () => {
  it('orders positions by their keys in plain string order, equal keys by position', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b', 'B', 'photo-000000000002', 'photo-000000000010', '', 'é'), { maxLength: 40 }), (keys) => {
        const order = Array.from(keys, (_, i) => i).sort(byKeyThenPosition(keys));
        for (let k = 1; k < order.length; k += 1) {
          const [before, after] = [order[k - 1] as number, order[k] as number];
          expect((keys[before] as string) < (keys[after] as string) || (keys[before] === keys[after] && before < after)).toBe(true);
        }
      }),
    );
  });
});
