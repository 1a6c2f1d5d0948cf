/**
 * Folders as slots in flat arrays, so "this folder and its descendants" is one typed-array
 * lookup per asset while filtering.
 */
import type { Folder } from '../../core/api.ts';

export interface FolderSlots {
  /** Folder id of each slot. */
  readonly ids: readonly string[];
  readonly slotOf: ReadonlyMap<string, number>;
  /** Parent slot of each slot, -1 at the top (or when the parent is unknown). */
  readonly parents: Int32Array;
}

export function folderSlots(folders: readonly Folder[]): FolderSlots {
  const ids = folders.map((folder) => folder.id);
  const slotOf = new Map(ids.map((id, slot) => [id, slot]));
  const parents = new Int32Array(folders.length);
  folders.forEach((folder, slot) => {
    parents[slot] = folder.parentId === null ? -1 : (slotOf.get(folder.parentId) ?? -1);
  });
  return { ids, slotOf, parents };
}

/**
 * A mark per slot: 1 for the folder and every folder below it. Guards against a cycle in the
 * parent links (bad data must not hang the panel).
 */
export function descendantMarks(slots: FolderSlots, folderId: string): Uint8Array {
  const marks = new Uint8Array(slots.ids.length);
  const root = slots.slotOf.get(folderId);
  if (root === undefined) return marks;
  const count = slots.ids.length;
  for (let slot = 0; slot < count; slot += 1) {
    let current = slot;
    for (let steps = 0; current !== -1 && steps <= count; steps += 1) {
      if (current === root) {
        marks[slot] = 1;
        break;
      }
      current = slots.parents[current] ?? -1;
    }
  }
  return marks;
}

/** Ids of a folder and all its descendants. */
export function folderDescendants(folders: readonly Folder[], folderId: string): Set<string> {
  const slots = folderSlots(folders);
  const marks = descendantMarks(slots, folderId);
  const result = new Set<string>();
  marks.forEach((mark, slot) => {
    if (mark) result.add(slots.ids[slot] ?? '');
  });
  return result;
}

/** Each folder's count plus its descendants' (counts indexed by slot). */
export function rollUpCounts(slots: FolderSlots, counts: Int32Array): Int32Array {
  const totals = counts.slice();
  const count = slots.ids.length;
  for (let slot = 0; slot < count; slot += 1) {
    const own = counts[slot] ?? 0;
    if (!own) continue;
    let parent = slots.parents[slot] ?? -1;
    for (let steps = 0; parent !== -1 && parent !== slot && steps < count; steps += 1) {
      totals[parent] = (totals[parent] ?? 0) + own;
      parent = slots.parents[parent] ?? -1;
    }
  }
  return totals;
}
