/**
 * The part of Webflow's published OpenAPI that Asset Desk speaks (and the next issues will):
 * sites, assets, asset folders, token introspect / authorized_by, the beta token resolve,
 * pages and their DOM, components and their DOM, collections and their items. Extracted into
 * `webflow-openapi.json` beside this file, which travels with the repository, so the sandbox's
 * conformance tests run on a clone with nothing beside it. Webflow's files have no `$ref`
 * (every schema is inline), so a path's operations are the whole of what it needs.
 */
import { createHash } from 'node:crypto';
import { parse } from 'yaml';

export type SpecName = 'v2' | 'beta';

/** The source files in webflow/openapi-spec, by the name the tests use. */
export const SOURCE_FILES: Record<SpecName, string> = { v2: 'v2.yml', beta: 'v2-beta.yml' };

/** Every operation of these paths is kept, so a route added to the sandbox later is already covered. */
export const CONTRACT_PATHS: Record<SpecName, readonly string[]> = {
  v2: [
    '/token/authorized_by',
    '/token/introspect',
    '/sites',
    '/sites/{site_id}',
    '/sites/{site_id}/assets',
    '/assets/{asset_id}',
    '/sites/{site_id}/asset_folders',
    '/asset_folders/{asset_folder_id}',
    '/sites/{site_id}/pages',
    '/pages/{page_id}',
    '/pages/{page_id}/dom',
    '/sites/{site_id}/components',
    '/sites/{site_id}/components/{component_id}/dom',
    '/sites/{site_id}/components/{component_id}/properties',
    '/sites/{site_id}/collections',
    '/collections/{collection_id}',
    '/collections/{collection_id}/items',
    '/collections/{collection_id}/items/{item_id}',
    '/collections/{collection_id}/items/publish',
  ],
  beta: ['/token/resolve'],
};

export interface Provenance {
  /** Where Webflow publishes the files. */
  repository: string;
  /** The commit of that repository the files came from, and its date, as the source folder's README records them. */
  commit: string;
  date: string;
  licence: { spdx: 'MIT'; copyright: string; text: string };
  /** Each source file's name, SHA-256 and `info.version`, so a regeneration from other files shows. */
  files: Record<SpecName, { file: string; sha256: string; version: string }>;
  generatedBy: string;
  /**
   * SHA-256 of everything else in the file ({@link digestOf}): without the source at hand, a
   * hand edit of the committed contract still shows.
   */
  digest: string;
}

export interface ContractSpec {
  openapi: string;
  servers: unknown[];
  paths: Record<string, Record<string, unknown>>;
}

export interface Contract {
  provenance: Provenance;
  specs: Record<SpecName, ContractSpec>;
}

export interface SourceFiles {
  /** The text of each source file, by spec. */
  texts: Record<SpecName, string>;
  /** The source folder's README (names the commit) and LICENSE. */
  readme: string;
  licence: string;
}

export const REPOSITORY = 'https://github.com/webflow/openapi-spec';
export const GENERATED_BY = 'npm run contract (src/sandbox/contract/main.ts)';

export class ContractSourceError extends Error {
  override name = 'ContractSourceError';
}

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

export function extractContract(source: SourceFiles): Contract {
  const commit = /commit\s+([0-9a-f]{7,40})\s*\((\d{4}-\d{2}-\d{2})\)/i.exec(source.readme);
  if (!commit) {
    throw new ContractSourceError('The source folder’s README.md does not name the commit of webflow/openapi-spec it holds, as “commit <sha> (<yyyy-mm-dd>)”: add that line, then run npm run contract again.');
  }
  const copyright = /^Copyright .+$/m.exec(source.licence)?.[0];
  if (!/MIT License/.test(source.licence) || !copyright) {
    throw new ContractSourceError('The source folder’s LICENSE is not Webflow’s MIT licence; the contract may only be copied under it.');
  }
  const specs = {} as Record<SpecName, ContractSpec>;
  const files = {} as Provenance['files'];
  for (const name of Object.keys(SOURCE_FILES) as SpecName[]) {
    const text = source.texts[name];
    const document = parse(text) as { openapi?: string; info?: { version?: string }; servers?: unknown[]; paths?: Record<string, Record<string, unknown>> };
    if (!document?.paths) throw new ContractSourceError(`${SOURCE_FILES[name]} is not an OpenAPI document (it has no paths).`);
    const paths: ContractSpec['paths'] = {};
    for (const path of CONTRACT_PATHS[name]) {
      const item = document.paths[path];
      if (!item) throw new ContractSourceError(`${SOURCE_FILES[name]} has no path ${path}; Webflow may have renamed it: update CONTRACT_PATHS in src/sandbox/contract/extract.ts.`);
      paths[path] = item;
    }
    specs[name] = { openapi: document.openapi ?? '', servers: document.servers ?? [], paths };
    files[name] = { file: SOURCE_FILES[name], sha256: sha256(text), version: document.info?.version ?? '' };
  }
  const contract: Contract = {
    provenance: {
      repository: REPOSITORY,
      commit: commit[1] as string,
      date: commit[2] as string,
      licence: { spdx: 'MIT', copyright, text: source.licence },
      files,
      generatedBy: GENERATED_BY,
      digest: '',
    },
    specs,
  };
  contract.provenance.digest = digestOf(contract);
  return contract;
}

/** The digest of a contract's content and provenance, its own digest left out. */
export function digestOf(contract: Contract): string {
  const { digest: _digest, ...provenance } = contract.provenance;
  return sha256(JSON.stringify({ provenance, specs: contract.specs }));
}

/** The committed file's text: stable, so a regeneration from the same source changes nothing. */
export function contractText(contract: Contract): string {
  return `${JSON.stringify(contract, null, 1)}\n`;
}
