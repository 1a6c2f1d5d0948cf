import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createGate } from '../api/gate.ts';
import { dataApiRoutes } from '../api/data-api.ts';
import { generateDemoSite } from '../seed/index.ts';
import { createWorld, stateFromDemo } from '../world/world.ts';
import { CONTRACT_PATHS, contractText, digestOf, extractContract, REPOSITORY, sha256, SOURCE_FILES, type SourceFiles, type SpecName } from './extract.ts';
import { CONTRACT_FILE, defaultSourceDir, LICENCE_FILE, loadContract, readSource } from './files.ts';

const committed = loadContract();

/** A small source in Webflow's shape, for the extractor's refusals. */
function fakeSource(overrides: Partial<SourceFiles> = {}): SourceFiles {
  const spec = (paths: readonly string[]) =>
    `openapi: 3.1.0\ninfo:\n  version: 9.9.9\nservers:\n  - url: https://api.example\npaths:\n${paths.map((path) => `  '${path}':\n    get:\n      responses:\n        '200':\n          description: ok\n`).join('')}`;
  return {
    texts: { v2: spec(CONTRACT_PATHS.v2), beta: spec(CONTRACT_PATHS.beta) },
    readme: 'From the public repository webflow/openapi-spec, commit abc1234 (2027-01-02).',
    licence: 'MIT License\n\nCopyright (c) 2024 Webflow\n\nPermission is hereby granted…',
    ...overrides,
  };
}

describe('the Webflow contract that travels with the repository', () => {
  it('records the repository, commit, licence and source file hashes it was taken from', () => {
    const { provenance } = committed;
    expect(provenance.repository).toBe(REPOSITORY);
    expect(provenance.commit).toMatch(/^[0-9a-f]{7,40}$/);
    expect(provenance.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(provenance.licence.spdx).toBe('MIT');
    expect(provenance.licence.text).toContain(provenance.licence.copyright);
    // MIT asks for the notice in every copy: the file beside the contract is Webflow's licence.
    expect(readFileSync(LICENCE_FILE, 'utf8')).toBe(provenance.licence.text);
    for (const name of Object.keys(SOURCE_FILES) as SpecName[]) {
      expect(provenance.files[name]).toMatchObject({ file: SOURCE_FILES[name], sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    }
  });

  it('holds every path Asset Desk and the next issues use, and nothing else', () => {
    for (const name of Object.keys(SOURCE_FILES) as SpecName[]) {
      expect(Object.keys(committed.specs[name].paths)).toEqual(CONTRACT_PATHS[name]);
    }
  });

  it('is what Webflow’s files give when they are at hand, else is written exactly as the extractor writes it', () => {
    const text = readFileSync(CONTRACT_FILE, 'utf8');
    const dir = defaultSourceDir();
    const source = dir === undefined ? undefined : readSource(dir);
    if (source) {
      // Drift: a newer OpenAPI beside the repository, or a hand edit of the committed file.
      expect(text, 'run npm run contract and commit the result').toBe(contractText(extractContract(source)));
    } else {
      // Without the source, a hand edit still shows: the file is the extractor's own output,
      // sealed with the digest it wrote.
      expect(text).toBe(contractText(committed));
      expect(digestOf(committed), 'the contract was edited by hand: run npm run contract with Webflow’s files at hand').toBe(committed.provenance.digest);
    }
  });

  it('covers every Data API route the sandbox answers', () => {
    const world = createWorld(stateFromDemo([generateDemoSite({ assets: 2 })]));
    const gate = createGate(world, { rateLimit: { perWindow: 60, windowMs: 60_000 } });
    const routes = dataApiRoutes({ world, gate, baseUrl: () => 'http://127.0.0.1' }).routes.filter((route) => route.method !== 'ALL');
    expect(routes.length).toBeGreaterThan(10);
    for (const route of routes) {
      const [, prefix, rest] = /^\/(v2|beta)(\/.*)$/.exec(route.path) ?? [];
      const spec = committed.specs[prefix === 'beta' ? 'beta' : 'v2'];
      const template = Object.keys(spec.paths).find((path) => path.replace(/\{[^}]+\}/g, ':') === rest?.replace(/:[^/]+/g, ':'));
      expect(template && spec.paths[template]?.[route.method.toLowerCase()], `${route.method} ${route.path} is not in the contract`).toBeDefined();
    }
  });
});

describe('extracting the contract from Webflow’s files', () => {
  it('keeps the chosen paths with the commit, version and licence of the source', () => {
    const contract = extractContract(fakeSource());
    expect(contract.provenance).toMatchObject({ commit: 'abc1234', date: '2027-01-02', licence: { spdx: 'MIT', copyright: 'Copyright (c) 2024 Webflow' } });
    expect(contract.provenance.files.v2).toEqual({ file: 'v2.yml', sha256: sha256(fakeSource().texts.v2), version: '9.9.9' });
    expect(Object.keys(contract.specs.beta.paths)).toEqual(['/token/resolve']);
  });

  it('refuses a source whose README does not name its commit', () => {
    expect(() => extractContract(fakeSource({ readme: 'Webflow OpenAPI files.' }))).toThrow('does not name the commit of webflow/openapi-spec');
  });

  it('refuses a source that is not under Webflow’s MIT licence', () => {
    expect(() => extractContract(fakeSource({ licence: 'All rights reserved.' }))).toThrow('is not Webflow’s MIT licence');
  });

  it('names a path Webflow no longer has', () => {
    const source = fakeSource();
    source.texts.v2 = source.texts.v2.replace("'/pages/{page_id}/dom'", "'/pages/{page_id}/content'");
    expect(() => extractContract(source)).toThrow('v2.yml has no path /pages/{page_id}/dom; Webflow may have renamed it');
  });
});
