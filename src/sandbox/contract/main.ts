/**
 * `npm run contract [-- --from DIR]`: extracts the endpoints Asset Desk uses from Webflow's
 * OpenAPI files (DIR, else the folder `WEBFLOW_OPENAPI_DIR` names) into `src/sandbox/contract/webflow-openapi.json`, with Webflow's licence beside it.
 * `--check` writes nothing and fails when the committed file differs from what DIR gives.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { contractText, extractContract } from './extract.ts';
import { CONTRACT_FILE, defaultSourceDir, LICENCE_FILE, readSource } from './files.ts';

function main(): void {
  const args = process.argv.slice(2);
  const fromAt = args.indexOf('--from');
  const dir = fromAt >= 0 ? args[fromAt + 1] : defaultSourceDir();
  if (!dir) throw new Error('Name the folder of Webflow’s OpenAPI files: npm run contract -- --from path/to/webflow-openapi (or set WEBFLOW_OPENAPI_DIR).');
  const source = readSource(dir);
  if (!source) throw new Error(`${dir} does not hold Webflow's OpenAPI files (v2.yml, v2-beta.yml, README.md naming the commit, LICENSE). Get them from https://github.com/webflow/openapi-spec and pass the folder with --from.`);
  const contract = extractContract(source);
  const text = contractText(contract);
  const where = relative(process.cwd(), CONTRACT_FILE);
  if (args.includes('--check')) {
    const committed = readFileSync(CONTRACT_FILE, 'utf8');
    if (committed !== text) {
      console.error(`${where} differs from what ${dir} gives (commit ${contract.provenance.commit}): run npm run contract and commit the result.`);
      process.exit(1);
    }
    console.log(`${where} matches ${dir} (commit ${contract.provenance.commit}).`);
    return;
  }
  writeFileSync(CONTRACT_FILE, text);
  writeFileSync(LICENCE_FILE, source.licence);
  const paths = Object.values(contract.specs).reduce((sum, spec) => sum + Object.keys(spec.paths).length, 0);
  console.log(`Wrote ${where}: ${paths} paths from webflow/openapi-spec ${contract.provenance.commit} (${contract.provenance.date}), MIT.`);
}

try {
  main();
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
