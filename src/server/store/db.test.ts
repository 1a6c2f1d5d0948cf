import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { broadcastChannel, migrate, openStore } from './db.ts';
import { allMigrations } from './migrations.ts';
import { postgresConfigured, testStoreKinds, useTestStore } from '../../../test/server/store-test-helpers.ts';

describe.each(testStoreKinds)('store on %s', (kind) => {
  const stores = useTestStore(kind);

  it('answers a parameterized query with its rows', async () => {
    const rows = await stores.current().query<{ sum: number }>('SELECT $1::int + $2::int AS sum', [2, 3]);
    expect(rows).toEqual([{ sum: 5 }]);
  });

  it('commits a transaction that resolves', async () => {
    const store = stores.current();
    await store.exec('CREATE TABLE notes (body text)');
    await store.transaction(async (tx) => {
      await tx.query('INSERT INTO notes VALUES ($1)', ['kept']);
    });
    expect(await store.query('SELECT body FROM notes')).toEqual([{ body: 'kept' }]);
  });

  it('rolls back a transaction that throws, and passes the error on', async () => {
    const store = stores.current();
    await store.exec('CREATE TABLE notes (body text)');
    await expect(
      store.transaction(async (tx) => {
        await tx.query('INSERT INTO notes VALUES ($1)', ['lost']);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await store.query('SELECT body FROM notes')).toEqual([]);
  });

  it('runs each migration once, in order, however often it migrates', async () => {
    const store = stores.current();
    const migrations = [
      { name: 'test_001_table', sql: 'CREATE TABLE steps (n int)' },
      { name: 'test_002_row', sql: 'INSERT INTO steps VALUES (1)' },
    ];
    expect(await migrate(store, migrations)).toEqual(['test_001_table', 'test_002_row']);
    expect(await migrate(store, migrations)).toEqual([]);
    const more = [...migrations, { name: 'test_003_row', sql: 'INSERT INTO steps VALUES (2)' }];
    expect(await Promise.all([migrate(store, more), migrate(store, more)])).toContainEqual(['test_003_row']);
    expect(await store.query('SELECT n FROM steps ORDER BY n')).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it('refuses two migrations with the same name', async () => {
    const twice = [
      { name: 'test_same', sql: 'SELECT 1' },
      { name: 'test_same', sql: 'SELECT 2' },
    ];
    await expect(migrate(stores.current(), twice)).rejects.toThrow(/Two migrations are named "test_same"/);
  });

  it('creates the journal tables', async () => {
    const rows = await stores
      .current()
      .query<{ name: string }>("SELECT name FROM schema_migrations WHERE name LIKE 'journal_%'");
    expect(rows.map((row) => row.name)).toContain('journal_001_batches_and_changes');
  });
});

describe('store in a PGlite folder', () => {
  it('initializes a new folder once, keeps its data across opens, is held by one backend at a time, with 16 MB of shared buffers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'asset-desk-pglite-'));
    try {
      const first = await openStore(join(dir, 'db'));
      expect(existsSync(join(dir, 'db', 'PG_VERSION'))).toBe(true);
      await first.query("INSERT INTO schema_migrations (name) VALUES ('test_kept')");
      // A second backend on the same folder is told which process holds it, and touches nothing.
      await expect(openStore(join(dir, 'db'))).rejects.toThrow(`in use by another Asset Desk backend (process ${process.pid}, this one)`);
      expect(await first.query("SELECT name FROM schema_migrations WHERE name = 'test_kept'")).toEqual([{ name: 'test_kept' }]);
      expect(await first.query('SHOW shared_buffers')).toEqual([{ shared_buffers: '16MB' }]);
      await first.close();

      const again = await openStore(join(dir, 'db'));
      try {
        expect(await again.query("SELECT name FROM schema_migrations WHERE name = 'test_kept'")).toEqual([{ name: 'test_kept' }]);
        expect(await again.query('SHOW shared_buffers')).toEqual([{ shared_buffers: '16MB' }]);
      } finally {
        await again.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

// Only where there is a PostgreSQL to share (CI sets TEST_DATABASE_URL); the run says when not.
describe.runIf(postgresConfigured)('several backends on one postgres', () => {
  it('migrates a new database once when they start at the same moment', async () => {
    const databaseUrl = process.env.TEST_DATABASE_URL ?? '';
    const schema = `test_${randomBytes(6).toString('hex')}`;
    const stores = await Promise.all([1, 2, 3].map(() => openStore(databaseUrl, { schema })));
    try {
      const rows = await stores[0]!.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations');
      expect(rows[0]?.n).toBe(allMigrations.length);
    } finally {
      await stores[0]!.query(`DROP SCHEMA ${schema} CASCADE`);
      await Promise.all(stores.map((store) => store.close()));
    }
  });

  it('carries a broadcast to every store on the same schema, none on another, and listens again after its connection is lost', async () => {
    const databaseUrl = process.env.TEST_DATABASE_URL ?? '';
    const schema = `test_${randomBytes(6).toString('hex')}`;
    const other = `test_${randomBytes(6).toString('hex')}`;
    const [sender, listener, elsewhere] = await Promise.all([openStore(databaseUrl, { schema }), openStore(databaseUrl, { schema }), openStore(databaseUrl, { schema: other })]);
    try {
      const heard: string[] = [];
      const heardElsewhere: string[] = [];
      await listener!.broadcast!.listen('work', (message) => heard.push(message));
      await elsewhere!.broadcast!.listen('work', (message) => heardElsewhere.push(message));
      await sender!.broadcast!.send('work', 'site1');
      await vi.waitFor(() => expect(heard).toEqual(['site1']), { timeout: 5_000 });
      // The listener's connection is cut (a restart, a network fault): it connects and listens again.
      // Only this test's: other test files running beside it listen on their own schemas' channels.
      const channel = broadcastChannel(schema, 'work');
      const cut = await sender!.query<{ done: boolean }>('SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity WHERE query = $1', [`LISTEN "${channel}"`]);
      expect(cut).toEqual([{ done: true }]);
      await vi.waitFor(
        async () => {
          await sender!.broadcast!.send('work', 'site2');
          expect(heard).toContain('site2');
        },
        { timeout: 10_000, interval: 300 },
      );
      expect(heardElsewhere).toEqual([]);
      await expect(sender!.broadcast!.send('Work; DROP', 'x')).rejects.toThrow(/not a topic/);
    } finally {
      await sender!.query(`DROP SCHEMA ${schema} CASCADE`);
      await elsewhere!.query(`DROP SCHEMA ${other} CASCADE`);
      await Promise.all([sender, listener, elsewhere].map((store) => store!.close()));
    }
  });
});
