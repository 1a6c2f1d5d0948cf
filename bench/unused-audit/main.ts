/**
 * `npm run audit:unused [-- --assets N] [--seed N]`: starts the sandbox with the demo site and the
 * backend (no panel), lets the backend crawl, reads the styles as the panel does, and prints how
 * many images the panel's Unused filter lists beside how many an independent audit of the
 * sandbox finds used nowhere (walk.ts), with every image on which they disagree. Exits 1 when
 * they disagree.
 */
import { parseArgs } from 'node:util';
import { startStack } from '../../src/stack/stack.ts';
import { compare, openSession, unusedFilter } from './filter.ts';
import { auditSandbox } from './walk.ts';

function whole(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new Error(`--${name} must be a whole number above 0, not "${value}"`);
  return number;
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { assets: { type: 'string' }, seed: { type: 'string' } } });
  const assets = whole('assets', values.assets);
  const seed = whole('seed', values.seed);
  const demo = { ...(assets !== undefined ? { assets } : {}), ...(seed !== undefined ? { seed } : {}) };
  console.error('Starting the sandbox and the backend (a fresh demo site in memory)…');
  const stack = await startStack({ withoutPanel: true, dataDir: null, demo, rateLimit: { perWindow: 1000, windowMs: 1000 } });
  try {
    console.error('Waiting for the index and the usage crawl, then reading the styles as the panel does…');
    const filter = await unusedFilter(stack.backendUrl, stack.sandbox, await openSession(stack.backendUrl, stack.sandbox));
    console.error('Auditing the sandbox: styles, pages, components, CMS items…');
    const audit = await auditSandbox(stack.sandbox);
    const result = compare(audit, filter);
    const images = audit.assets.filter((asset) => asset.contentType.startsWith('image/')).length;
    const { read } = audit;
    console.log(`Assets: ${audit.assets.length} (${images} images)`);
    console.log(`Audit read: ${read.styles} styles (${read.styleStates} states set), ${read.pages} page DOMs, ${read.components} component DOMs, ${read.items} CMS items, over ${read.locales} locales`);
    const nowhere = audit.assets.filter((asset) => !audit.seenAt.has(asset.id)).length;
    console.log(`Seen nowhere by the audit: ${nowhere} assets (the filter lists images only: other files are "not seen used", never unused)`);
    console.log(`Unused filter (backend's usage index): ${result.filterCount} images`);
    console.log(`Audit (used nowhere):                  ${result.auditCount} images`);
    for (const asset of result.listedButUsed) console.log(`  listed as unused but used: ${asset.fileName} (${asset.id}) at ${asset.seenAt.join('; ')}`);
    for (const asset of result.unlistedButUnused) console.log(`  unused but not listed: ${asset.fileName} (${asset.id})`);
    const agree = result.listedButUsed.length === 0 && result.unlistedButUnused.length === 0 && result.filterCount === result.auditCount;
    console.log(agree ? 'They agree.' : 'They differ (above).');
    return agree ? 0 : 1;
  } finally {
    await stack.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`The audit could not run: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  },
);
