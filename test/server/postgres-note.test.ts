/**
 * A suite that would run on PostgreSQL says in its output when it did not (README, Tests): every
 * test file that names TEST_DATABASE_URL or the store kinds opens its stores with useTestStore
 * or calls notePostgresNotRun (test/server/store-test-helpers.ts), so a new one cannot forget.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : testFiles(path);
    return /\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

describe('suites that need PostgreSQL', () => {
  it('each say in the output when PostgreSQL was not there', () => {
    const self = fileURLToPath(import.meta.url);
    const files = [...testFiles(join(root, 'src')), ...testFiles(join(root, 'test'))].filter((file) => file !== self);
    const onPostgres = files.filter((file) => /TEST_DATABASE_URL|testStoreKinds|postgresConfigured|openTestStore\('postgres'/.test(readFileSync(file, 'utf8')));
    const silent = onPostgres.filter((file) => !/useTestStore\(|notePostgresNotRun\(/.test(readFileSync(file, 'utf8'))).map((file) => relative(root, file));
    expect(onPostgres.length).toBeGreaterThan(10);
    expect(silent).toEqual([]);
  });
});
