/**
 * Where the contract lives in the repository, and where its source may be found: the folder
 * `WEBFLOW_OPENAPI_DIR` names (a checkout of webflow/openapi-spec), when one is at hand.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SOURCE_FILES, type Contract, type SourceFiles, type SpecName } from './extract.ts';

const here = dirname(fileURLToPath(import.meta.url));

/** The committed extract, and Webflow's licence beside it. */
export const CONTRACT_FILE = join(here, 'webflow-openapi.json');
export const LICENCE_FILE = join(here, 'LICENSE-webflow-openapi');

/** The source folder `WEBFLOW_OPENAPI_DIR` names, if any: a clone of the repository alone has none. */
export function defaultSourceDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.WEBFLOW_OPENAPI_DIR ? resolve(env.WEBFLOW_OPENAPI_DIR) : undefined;
}

/** The source files in `dir`, or undefined when the folder does not hold them all. */
export function readSource(dir: string): SourceFiles | undefined {
  const needed = [...Object.values(SOURCE_FILES), 'README.md', 'LICENSE'];
  if (!needed.every((file) => existsSync(join(dir, file)))) return undefined;
  const texts = {} as Record<SpecName, string>;
  for (const [name, file] of Object.entries(SOURCE_FILES) as [SpecName, string][]) texts[name] = readFileSync(join(dir, file), 'utf8');
  return { texts, readme: readFileSync(join(dir, 'README.md'), 'utf8'), licence: readFileSync(join(dir, 'LICENSE'), 'utf8') };
}

export function loadContract(file: string = CONTRACT_FILE): Contract {
  if (!existsSync(file)) throw new Error(`The Webflow contract is missing: expected ${file}. Run npm run contract with Webflow's OpenAPI files at hand to write it.`);
  return JSON.parse(readFileSync(file, 'utf8')) as Contract;
}
