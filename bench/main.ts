/**
 * `npm run bench` — measures Asset Desk against the sandbox and prints every figure beside its
 * baseline. `--json` prints one JSON document instead; `--small` runs at CI's small size;
 * `--only id,id` runs some benchmarks; `--size N` runs the figures whose target is per site size
 * (index, refresh, memory, open-backend, open, keystroke) at N assets, e.g. `--size 100000`.
 */
import type { Benchmark, BenchContext, Figure } from './lib/figure.ts';
import { formatTable } from './lib/table.ts';
import { cmsApply } from './figures/cms-apply.ts';
import { crawl } from './figures/crawl.ts';
import { csv } from './figures/csv.ts';
import { csvImportApply } from './figures/csv-import-apply.ts';
import { designerApplier } from './figures/designer-applier.ts';
import { hostile } from './figures/hostile.ts';
import { indexLoad } from './figures/index-load.ts';
import { journal } from './figures/journal.ts';
import { indexResponse } from './figures/index-response.ts';
import { keystroke } from './figures/keystroke.ts';
import { md5 } from './figures/md5.ts';
import { memory } from './figures/memory.ts';
import { openGrid } from './figures/open-grid.ts';
import { panelSize } from './figures/panel-size.ts';
import { refresh } from './figures/refresh.ts';
import { scaleOut } from './figures/scale-out.ts';
import { serverApplier } from './figures/server-applier.ts';
import { sessionFlood } from './figures/session-flood.ts';
import { soak } from './figures/soak.ts';
import { suggestions } from './figures/suggestions.ts';
import { uploads } from './figures/uploads.ts';

/** In the order of the table. */
const benchmarks: Benchmark[] = [openGrid, keystroke, indexResponse, indexLoad, refresh, crawl, serverApplier, cmsApply, designerApplier, journal, md5, uploads, panelSize, memory, hostile, sessionFlood, csv, csvImportApply, suggestions, scaleOut, soak];

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const small = args.includes('--small') || process.env.BENCH_SMALL === '1';
  const onlyArg = optionValue(args, '--only');
  const only = onlyArg !== undefined ? onlyArg.split(',') : null;
  const unknown = only?.filter((id) => !benchmarks.some((benchmark) => benchmark.id === id)) ?? [];
  if (unknown.length > 0) {
    throw new Error(`Unknown benchmark ${unknown.join(', ')}; known: ${benchmarks.map((b) => b.id).join(', ')}`);
  }
  const sizeArg = optionValue(args, '--size');
  const assets = sizeArg === undefined ? undefined : Number(sizeArg);
  if (assets !== undefined && (!Number.isSafeInteger(assets) || assets < 1)) throw new Error(`--size takes a number of assets (1 or more), not ${sizeArg}.`);
  const context: BenchContext = {
    small,
    size: (full, smallSize) => (small ? smallSize : full),
    assets: (full, smallSize) => assets ?? (small ? smallSize : full),
  };
  const figures: Figure[] = [];
  for (const benchmark of benchmarks) {
    if (only && !only.includes(benchmark.id)) continue;
    if (!json) console.error(`… ${benchmark.id}`);
    figures.push(...(await benchmark.run(context)));
  }
  if (json) {
    console.log(JSON.stringify(figures.map(({ name, value, unit, baseline, ratio, target, pass }) => ({ name, value, unit, baseline, ratio, target, pass })), null, 2));
  } else {
    console.log(formatTable(figures));
    console.log('\nReproduce one figure:');
    for (const figure of figures) console.log(`  ${figure.name}: ${figure.command}`);
  }
}

/** `--name=value` or `--name value`; undefined when the option is absent. */
function optionValue(args: string[], name: string): string | undefined {
  const arg = args.find((a) => a === name || a.startsWith(`${name}=`));
  if (arg === undefined) return undefined;
  return arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : (args[args.indexOf(arg) + 1] ?? '');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack ?? error.message : error);
  process.exit(1);
});
