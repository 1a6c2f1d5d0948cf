import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assignRowSlots, type RowSlots } from './row-slots.ts';

const slotsOf = (entries: Array<[string, number]>): RowSlots => new Map(entries);

describe('row slots', () => {
  it('gives the first rows slots 0, 1, 2… in order', () => {
    expect([...assignRowSlots(new Map(), ['a', 'b', 'c'])]).toEqual([
      ['a', 0],
      ['b', 1],
      ['c', 2],
    ]);
  });

  it('keeps the slot of a row that stays in view, and hands the slots of rows that left to the rows that came', () => {
    // Scrolled down a row: a left at the top, d came at the bottom.
    const next = assignRowSlots(slotsOf([['a', 0], ['b', 1], ['c', 2]]), ['b', 'c', 'd']);
    expect([...next]).toEqual([
      ['b', 1],
      ['c', 2],
      ['d', 0],
    ]);
  });

  it('hands every slot on in the order its rows stood when a keystroke replaces every row, so no row moves', () => {
    const next = assignRowSlots(slotsOf([['a', 2], ['b', 0], ['c', 1]]), ['x', 'y', 'z', 'w']);
    expect([...next.values()]).toEqual([2, 0, 1, 3]);
  });

  it('hands no slot on while the focused row is in view, and never hands on the focused row', () => {
    const whileInView = assignRowSlots(slotsOf([['a', 0], ['b', 1], ['c', 2]]), ['b', 'c', 'd'], 'b');
    expect(whileInView.get('d')).toBe(3);
    const leaving = assignRowSlots(slotsOf([['a', 0], ['b', 1], ['c', 2]]), ['b', 'c', 'd'], 'a');
    expect(leaving.get('d')).toBe(3);
    const another = assignRowSlots(slotsOf([['a', 0], ['b', 1]]), ['x', 'y'], 'a');
    expect([...another.values()]).toEqual([1, 2]);
  });

  it('gives distinct slots to the shown rows, keeps the slot of a row still shown, and hands on a slot only when focus allows', () => {
    const id = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h');
    const view = fc.uniqueArray(id, { maxLength: 6 });
    fc.assert(
      fc.property(fc.array(fc.tuple(view, fc.option(id, { nil: null })), { maxLength: 12 }), (steps) => {
        let slots: RowSlots = new Map();
        for (const [ids, focused] of steps) {
          const next = assignRowSlots(slots, ids, focused);
          expect([...next.keys()]).toEqual(ids);
          expect(new Set(next.values()).size).toBe(ids.length);
          const handedOn = new Map<number, string>();
          for (const [shown, slot] of next) {
            const before = slots.get(shown);
            if (before !== undefined) expect(slot).toBe(before);
            else for (const [left, old] of slots) if (old === slot) handedOn.set(slot, left);
          }
          for (const left of handedOn.values()) {
            expect(left).not.toBe(focused);
            if (focused !== null) expect(ids).not.toContain(focused);
          }
          slots = next;
        }
      }),
    );
  });
});
