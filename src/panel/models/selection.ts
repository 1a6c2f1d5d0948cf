/**
 * Which rows are selected for bulk actions: click selects one, Shift-click a range from the
 * last clicked row in the current order, Ctrl/Cmd-click toggles one, "select all" takes the filter.
 */
import { computed, signal, type ReadonlySignal } from '@preact/signals';

export interface ClickModifiers {
  shift?: boolean;
  toggle?: boolean;
}

export interface SelectionModel {
  selected: ReadonlySignal<ReadonlySet<string>>;
  count: ReadonlySignal<number>;
  click(id: string, modifiers: ClickModifiers, orderedIds: readonly string[]): void;
  toggle(id: string): void;
  selectAll(ids: readonly string[]): void;
  clear(): void;
}

export function createSelectionModel(): SelectionModel {
  const selected = signal<ReadonlySet<string>>(new Set());
  let anchor: string | null = null;

  return {
    selected,
    count: computed(() => selected.value.size),
    click(id, { shift, toggle }, orderedIds) {
      if (shift && anchor !== null) {
        const from = orderedIds.indexOf(anchor);
        const to = orderedIds.indexOf(id);
        if (from >= 0 && to >= 0) {
          const range = orderedIds.slice(Math.min(from, to), Math.max(from, to) + 1);
          selected.value = new Set(toggle ? [...selected.value, ...range] : range);
          return;
        }
      }
      anchor = id;
      if (toggle) {
        const next = new Set(selected.value);
        if (next.has(id)) next.delete(id);
        else next.add(id);
        selected.value = next;
      } else {
        selected.value = new Set([id]);
      }
    },
    toggle(id) {
      anchor = id;
      const next = new Set(selected.value);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      selected.value = next;
    },
    selectAll(ids) {
      selected.value = new Set(ids);
    },
    clear() {
      anchor = null;
      selected.value = new Set();
    },
  };
}
