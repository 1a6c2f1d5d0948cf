/**
 * Which DOM row shows which asset. The grid renders only the rows in view, and a keystroke in the
 * search box or a scroll brings other assets into them: keyed by asset id, every row that came
 * into view was built anew (three inputs, a thumbnail and a dozen elements each) and every row
 * that left was torn down, which was most of a keystroke's work at 20,000 assets. Keyed by slot,
 * a row that stays in view keeps its slot (and its DOM, focus and caret), and a row that comes
 * into view takes over a slot another asset left, so Preact updates its text and attributes
 * instead of building it.
 */

/** Each shown asset's slot, by asset id. */
export type RowSlots = ReadonlyMap<string, number>;

/**
 * The slots for the assets now shown (`ids`, in order). An asset shown before keeps its slot.
 * One coming into view takes a slot another asset left, in the order those rows stood, so that
 * a keystroke that replaces every row moves no DOM node; or a new slot.
 *
 * `focused`: the asset whose row holds focus. Its row is never handed to another asset (its field
 * would show someone else's alt text under the caret), and while it is in view no slot is handed
 * on at all: Preact moves DOM nodes to follow a new order, and moving the focused row blurs it
 * (eight rows scrolled by three: Preact moved the five that stayed, not the three that came).
 * With focus in a row, rows that come are built and rows that leave are removed: nothing moves.
 */
export function assignRowSlots(previous: RowSlots, ids: readonly string[], focused: string | null = null): RowSlots {
  const shown = new Set(ids);
  const handOn = focused === null || !shown.has(focused);
  const free: number[] = [];
  let fresh = 0;
  for (const [id, slot] of previous) {
    fresh = Math.max(fresh, slot + 1);
    if (handOn && !shown.has(id) && id !== focused) free.push(slot);
  }
  // In the order shown: the next call reads this map's order as the order the rows stand in.
  const next = new Map<string, number>();
  let reused = 0;
  for (const id of ids) {
    const slot = previous.get(id) ?? (reused < free.length ? (free[reused++] as number) : fresh++);
    next.set(id, slot);
  }
  return next;
}
