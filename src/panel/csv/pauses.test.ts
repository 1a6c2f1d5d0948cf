import { afterEach, describe, expect, it, vi } from 'vitest';
import { ownAltText } from '../../core/alt-lint.ts';
import { frenchLocale, makeAsset, primaryLocale } from '../testing/fakes.ts';
import { exportChunks } from '../../core/csv-export.ts';
import { buildExport, WORK_BUDGET_MS } from './export-rows.ts';
import { readImportText } from './read-import.ts';

afterEach(() => vi.restoreAllMocks());

/** A clock on which every look takes a whole work budget: each stretch ends at its first check. */
function slowClock() {
  let now = 0;
  vi.spyOn(performance, 'now').mockImplementation(() => (now += WORK_BUDGET_MS));
}

const source = (count: number) => ({
  assets: Array.from({ length: count }, (_, n) => makeAsset(n + 1, { altText: `Text ${n}, "quoted"` })),
  folders: [],
  locales: [primaryLocale, frenchLocale],
  altText: ownAltText,
  uses: null,
});

describe('large files keep the panel answering', () => {
  it('pauses the export between stretches and still writes the whole file', async () => {
    slowClock();
    const progress: number[] = [];
    const blob = await buildExport(source(1000), (rows) => progress.push(rows), 200);
    expect(progress).toEqual([200, 400, 600, 800, 1000, 1000]);
    expect(await blob.text()).toBe([...exportChunks(source(1000))].join('').slice(1)); // Blob.text() drops the BOM
    expect(blob.type).toBe('text/csv;charset=utf-8');
  });

  it('pauses while reading an import and reports its rows', async () => {
    const target = { ...source(1000), hasDraft: () => false };
    const text = [...exportChunks(target)].join('');
    slowClock();
    const progress: number[] = [];
    const result = await readImportText(text, target, (rows) => progress.push(rows));
    expect(progress).toEqual(Array.from({ length: 20 }, (_, n) => (n + 1) * 50 - 1));
    expect(result).toMatchObject({ ok: true, preview: { rows: 1000, unchanged: 1000, changes: [] } });
  });
});
