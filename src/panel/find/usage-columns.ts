/**
 * The usage index laid out by the search index's positions, so the usage filters and the
 * "Most used first" sort run in the same loops as the others (a Map lookup per asset per
 * keystroke would not, at 20,000 assets).
 */
import type { SearchIndex } from './search-index.ts';

/** One used asset's counts, as the usage summary's columns give them. */
export interface AssetUseCounts {
  /** Pages where an Image element shows it directly. */
  pages: number;
  /** Placements: a page × a component instance that shows it. */
  components: number;
  /** CMS items that show it in an Image, MultiImage or Rich Text field. */
  items: number;
  /** CMS items whose other values (a Link, Plain Text…) hold its URL or id. */
  links: number;
  /** Styles with it as a background image. */
  styles: number;
  /** Uses where a visitor gets no alt text. */
  missing: number;
}

export interface UsageColumns {
  /** 1 where the asset has a use (a row in the summary), even one with zero counts. */
  used: Uint8Array;
  /** Pages + placements + CMS items + linking items + styles. */
  uses: Int32Array;
  /** Uses where a visitor gets no alt text. */
  missing: Int32Array;
}

const orders = new WeakMap<UsageColumns, { order: Int32Array; rank: Int32Array }>();

export function usageColumns(index: SearchIndex, byAsset: ReadonlyMap<string, AssetUseCounts>): UsageColumns {
  const count = index.size;
  const used = new Uint8Array(count);
  const uses = new Int32Array(count);
  const missing = new Int32Array(count);
  for (let position = 0; position < count; position += 1) {
    const counts = byAsset.get((index.assets[position] as { id: string }).id);
    if (!counts) continue;
    used[position] = 1;
    uses[position] = counts.pages + counts.components + counts.items + counts.links + counts.styles;
    missing[position] = counts.missing;
  }
  return { used, uses, missing };
}

/** Positions most used first, ties by name; and each position's place in it. Computed once per columns. */
export function usesOrder(index: SearchIndex, columns: UsageColumns): { order: Int32Array; rank: Int32Array } {
  let cached = orders.get(columns);
  if (!cached) {
    const byName = index.rank('name');
    const order = Int32Array.from(index.order('name')).sort(
      (a, b) => (columns.uses[b] as number) - (columns.uses[a] as number) || (byName[a] as number) - (byName[b] as number),
    );
    const rank = new Int32Array(order.length);
    for (let step = 0; step < order.length; step += 1) rank[order[step] as number] = step;
    cached = { order, rank };
    orders.set(columns, cached);
  }
  return cached;
}
