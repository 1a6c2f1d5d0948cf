import { describe, expect, it } from 'vitest';
import { folderTree } from './folders.ts';
import { createSelectionModel } from './selection.ts';

describe('the folder tree', () => {
  it('lists folders depth first by name, each counting its descendants’ assets', () => {
    const folders = [
      { id: 'b', name: 'Trips', parentId: null },
      { id: 'a', name: 'Products', parentId: null },
      { id: 'c', name: 'Summer', parentId: 'b' },
      { id: 'd', name: 'Beach', parentId: 'c' },
      { id: 'lost', name: 'Orphan', parentId: 'deleted' },
    ];
    const direct = new Map<string | null, number>([['a', 2], ['b', 1], ['c', 3], ['d', 4], [null, 9]]);
    expect(folderTree(folders, direct).map((row) => [row.folder.name, row.depth, row.count])).toEqual([
      ['Orphan', 0, 0],
      ['Products', 0, 2],
      ['Trips', 0, 8],
      ['Summer', 1, 7],
      ['Beach', 2, 4],
    ]);
  });
});

describe('the selection', () => {
  const order = ['a', 'b', 'c', 'd', 'e'];

  it('selects one on click, a range on Shift-click, and toggles on Ctrl/Cmd-click', () => {
    const selection = createSelectionModel();
    selection.click('b', {}, order);
    selection.click('d', { shift: true }, order);
    expect([...selection.selected.value]).toEqual(['b', 'c', 'd']);
    selection.click('c', { toggle: true }, order);
    expect([...selection.selected.value]).toEqual(['b', 'd']);
    selection.click('a', {}, order);
    expect([...selection.selected.value]).toEqual(['a']);
  });

  it('adds a range to the selection with Ctrl+Shift-click, from the last clicked row', () => {
    const selection = createSelectionModel();
    selection.click('a', {}, order);
    selection.click('d', { toggle: true }, order);
    selection.click('e', { shift: true, toggle: true }, order);
    expect([...selection.selected.value].sort()).toEqual(['a', 'd', 'e']);
    selection.selectAll(order);
    expect(selection.count.value).toBe(5);
    selection.clear();
    expect(selection.count.value).toBe(0);
  });
});
