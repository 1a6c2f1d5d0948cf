/**
 * Stores for tests: every store test runs on PGlite in memory, and on PostgreSQL too when
 * TEST_DATABASE_URL is set (CI), each test in a schema of its own so tests never share state.
 *
 *   describe.each(testStoreKinds)('on %s', (kind) => {
 *     const stores = useTestStore(kind);
 *     it('…', async () => { const store = stores.current(); … });
 *   });
 */
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { migrate, openStore, type Store } from '../../src/server/store/db.ts';
import { allMigrations } from '../../src/server/store/migrations.ts';

export type TestStoreKind = 'pglite' | 'postgres';

const databaseUrl = process.env.TEST_DATABASE_URL;

/** Whether TEST_DATABASE_URL names a PostgreSQL to test on (CI); without it only PGlite runs. */
export const postgresConfigured = Boolean(databaseUrl);

export const testStoreKinds: TestStoreKind[] = postgresConfigured ? ['pglite', 'postgres'] : ['pglite'];

let notedAbsent = false;

/**
 * Says in the run's output, once per test file, that its PostgreSQL runs did not run: without
 * TEST_DATABASE_URL they are not defined, and a green run must not read as a PostgreSQL run.
 */
export function notePostgresNotRun(what = 'the PostgreSQL runs of this file'): void {
  if (postgresConfigured || notedAbsent) return;
  notedAbsent = true;
  const file = expect.getState().testPath ?? 'this file';
  console.warn(`PostgreSQL not configured (TEST_DATABASE_URL unset): ${what} did not run in ${file}; PGlite only.`);
}

// Starting PGlite takes seconds, so a test file shares one and each test gets its own schema.
// Tests in a file run one at a time, so the connection's search_path is the current test's.
let sharedPglite: Promise<Store> | undefined;

/** A migrated, empty store; closing it drops its schema. */
export async function openTestStore(kind: TestStoreKind): Promise<Store> {
  const schema = `test_${randomBytes(6).toString('hex')}`;
  if (kind === 'pglite') {
    sharedPglite ??= openStore('memory://', { migrations: [] });
    const base = await sharedPglite;
    await base.exec(`CREATE SCHEMA ${schema}; SET search_path TO ${schema}`);
    await migrate(base, allMigrations);
    return {
      ...base,
      async close() {
        await base.exec(`SET search_path TO public; DROP SCHEMA ${schema} CASCADE`);
      },
    };
  }
  if (!databaseUrl) throw new Error('Set TEST_DATABASE_URL to a postgres:// URL to test on PostgreSQL');
  const store = await openStore(databaseUrl, { schema });
  return {
    ...store,
    async close() {
      await store.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await store.close();
    },
  };
}

/** Opens a fresh store before each test of the suite and closes it after. */
export function useTestStore(kind: TestStoreKind): { current(): Store } {
  let store: Store | undefined;
  beforeAll(() => notePostgresNotRun());
  beforeEach(async () => {
    store = await openTestStore(kind);
  });
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });
  afterAll(async () => {
    const shared = sharedPglite;
    sharedPglite = undefined;
    await (await shared)?.close();
  });
  return {
    current() {
      if (!store) throw new Error('The test store is open only inside a test');
      return store;
    },
  };
}
