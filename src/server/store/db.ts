/**
 * The store: one connection to the database the backend keeps its state in, PGlite embedded
 * in a folder (or in memory for tests) or PostgreSQL through a `pg` Pool. Every SQL statement
 * of the backend lives in `src/server/store/`; table functions take a {@link Queryable} first,
 * so the same function runs on the store or inside a transaction.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import type { PGlite } from '@electric-sql/pglite';
import type { Pool, PoolClient } from 'pg';
import { lockFolder } from './folder-lock.ts';
import { allMigrations, type Migration } from './migrations.ts';

/** What a table function needs: run one statement (parameters `$1…`) and get its rows. */
export interface Queryable {
  query<Row>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  /** Run several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface Store extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Run `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * PostgreSQL only: messages between the backend processes sharing the store. PGlite is one
   * process's own, so it has none.
   */
  readonly broadcast?: Broadcast;
  close(): Promise<void>;
}

/**
 * Short messages to every process on the same store (PostgreSQL's LISTEN/NOTIFY, on channels of
 * the store's schema): at most once, and none while a listener's connection is down (it
 * connects again); nothing may depend on one arriving.
 */
export interface Broadcast {
  /** Sends `message` (under 8,000 bytes) on `topic` (lowercase letters and _) to every listener, this process's included. */
  send(topic: string, message: string): Promise<void>;
  /** Calls `hear` with each message sent on `topic` from now on; resolves once listening, to the function that stops it. */
  listen(topic: string, hear: (message: string) => void): Promise<() => void>;
}

export interface OpenStoreOptions {
  /** PostgreSQL only: keep every table in this schema (created if missing); tests use one each. */
  schema?: string;
  /** Defaults to every concern's migrations, in order. */
  migrations?: readonly Migration[];
}

export const DEFAULT_PGLITE_DIR = './.data/pglite';

/**
 * Opens the store named by `url` and brings its schema up to date.
 * No url or a folder path → PGlite in that folder (default `./.data/pglite`); `memory://` →
 * PGlite in memory; `postgres://…` or `postgresql://…` → PostgreSQL.
 */
export async function openStore(url?: string, options: OpenStoreOptions = {}): Promise<Store> {
  const store = isPostgresUrl(url) ? await openPostgres(url, options.schema) : await openPglite(url);
  try {
    await migrate(store, options.migrations ?? allMigrations);
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

function isPostgresUrl(url: string | undefined): url is string {
  return url !== undefined && /^postgres(ql)?:\/\//.test(url);
}

/**
 * PGlite's PostgreSQL is configured like a database server (160 MB of shared buffers), all of it
 * in this process's memory once used. The backend's tables are small beside that and the
 * operating system caches the folder's files anyway: 16 MB (docs/decisions/backend-memory.md).
 */
const PGLITE_OPTIONS = { postgresqlconf: 'shared_buffers=16MB' };

/**
 * Each store's library is loaded only when that store is opened: PGlite alone adds 42 MB to the
 * process and `pg` 7 MB, and a backend uses one of them (docs/decisions/backend-memory.md).
 */
async function openPglite(url: string | undefined): Promise<Store> {
  const { PGlite } = await import('@electric-sql/pglite');
  compileWasmByLiftoffOnly();
  let db: PGlite;
  let release = (): void => {};
  if (url?.startsWith('memory://')) {
    db = new PGlite(PGLITE_OPTIONS);
  } else {
    const dir = url?.replace(/^file:\/\//, '') || DEFAULT_PGLITE_DIR;
    mkdirSync(dir, { recursive: true });
    release = lockFolder(dir);
    try {
      await initializePgliteFolder(dir);
      db = new PGlite(dir, PGLITE_OPTIONS);
      await db.waitReady;
    } catch (error) {
      release();
      throw error;
    }
  }
  await db.waitReady;
  const over = (runner: Pick<PGlite, 'query' | 'exec'>): Queryable => ({
    async query<Row>(sql: string, params: readonly unknown[] = []) {
      const result = await runner.query<Row>(sql, [...params]);
      return result.rows;
    },
    async exec(sql: string) {
      await runner.exec(sql);
    },
  });
  return {
    kind: 'pglite',
    ...over(db),
    // PGlite has one connection: its transaction holds it, so other statements wait their turn.
    transaction: (fn) => db.transaction((tx) => fn(over(tx))),
    async close() {
      try {
        await db.close();
      } finally {
        release();
      }
    },
  };
}

/**
 * PGlite's PostgreSQL compiled by V8's baseline WebAssembly compiler (Liftoff) only. V8 would
 * otherwise optimize its hot functions (the executor's largest among them) with TurboFan as
 * queries run, and the C allocator keeps what those compilations used: at 50,000 assets the
 * backend listened with 60–80 MB more and had 50–65 MB more after serving the index; by Liftoff
 * alone a sort of 50,000 rows ran 0–10% slower and the refresh as fast
 * (docs/decisions/backend-memory.md, "Liftoff").
 * The flag is the process's and is read as code runs, not only as it is compiled: set back after
 * PGlite's start, it let V8 optimize PGlite's functions again and the memory came back
 * (measured). So it stays set; WebAssembly that wants optimizing runs in a process of its own
 * (tesseract: suggestions/ocr-process.mjs). A process started with a flag of its own about
 * WebAssembly is left as its operator chose.
 */
function compileWasmByLiftoffOnly(): void {
  if (process.execArgv.some((flag) => /^--(no-)?(liftoff|wasm)/.test(flag))) return;
  setFlagsFromString('--liftoff-only');
}

/**
 * A new PGlite folder is initialized (initdb) in a short-lived process of its own: initdb runs
 * in a WebAssembly instance whose memory this process would otherwise keep, about 450 MB of RSS
 * for the backend's whole life (measured: 794 MB after opening a new folder, 225 MB after
 * opening an initialized one).
 */
async function initializePgliteFolder(dir: string): Promise<void> {
  if (existsSync(join(dir, 'PG_VERSION'))) return;
  const pglite = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  await promisify(execFile)(process.execPath, ['-e', INITIALIZE_SCRIPT, pglite, dir]);
}

/** Run by `node -e` with PGlite's CommonJS entry and the folder: initdb, then close. */
const INITIALIZE_SCRIPT = `
const { PGlite } = require(process.argv[1]);
const db = new PGlite(process.argv[2]);
db.waitReady.then(() => db.close()).catch((error) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});`;

async function openPostgres(url: string, schema: string | undefined): Promise<Store> {
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new Error(`"${schema}" is not a schema name this store accepts (lowercase letters, digits, _)`);
  }
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // An idle client that loses its server (restart, network) must not crash the process.
  pool.on('error', () => {});
  const over = (client: Pool | PoolClient): Queryable => ({
    async query<Row>(sql: string, params: readonly unknown[] = []) {
      const result = await client.query(sql, [...params]);
      return result.rows as Row[];
    },
    async exec(sql: string) {
      await client.query(sql);
    },
  });
  let schemaReady: Promise<void> | undefined;
  const ensureSchema = () =>
    (schemaReady ??= schema
      ? pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`).then(
          () => undefined,
          (error: unknown) => {
            // Another process created it at the same moment (IF NOT EXISTS does not lock).
            const code = (error as { code?: unknown }).code;
            if (code !== '23505' && code !== '42P06') throw error;
          },
        )
      : Promise.resolve());
  const broadcast = createPostgresBroadcast(() => new pg.Client({ connectionString: url }), schema ?? 'public', (channel, message) =>
    pool.query('SELECT pg_notify($1, $2)', [channel, message]).then(() => undefined),
  );
  return {
    kind: 'postgres',
    broadcast,
    async query<Row>(sql: string, params: readonly unknown[] = []) {
      await ensureSchema();
      return over(pool).query<Row>(sql, params);
    },
    async exec(sql: string) {
      await ensureSchema();
      await pool.query(sql);
    },
    async transaction(fn) {
      await ensureSchema();
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(over(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    async close() {
      await broadcast.close();
      await pool.end();
    },
  };
}

/** What a listening connection needs of `pg.Client`. */
interface ListeningClient {
  connect(): Promise<unknown>;
  query(sql: string): Promise<unknown>;
  end(): Promise<void>;
  on(event: 'notification', listener: (message: { channel: string; payload?: string }) => void): unknown;
  on(event: 'error' | 'end', listener: () => void): unknown;
}

const TOPIC = /^[a-z_]{1,30}$/;
/** How long a lost listening connection waits before connecting again. */
const RECONNECT_MS = 1_000;

/** The PostgreSQL channel of a broadcast topic on a schema's store (tests look for its listeners). */
export function broadcastChannel(schema: string, topic: string): string {
  if (!TOPIC.test(topic)) throw new Error(`"${topic}" is not a topic (lowercase letters and _, at most 30)`);
  // The schema by its hash: a channel's name has at most 63 bytes, a schema's name as many.
  return `asset_desk_${createHash('sha256').update(schema).digest('hex').slice(0, 16)}_${topic}`;
}

/**
 * LISTEN/NOTIFY over one connection of its own (a pooled one would be handed to others),
 * opened with the first listener. Channels are named after the schema's hash, so stores in different
 * schemas of one database (tests) do not hear each other. A lost connection is opened again
 * and listens again; messages sent meanwhile are not heard.
 */
function createPostgresBroadcast(
  newClient: () => ListeningClient,
  schema: string,
  notify: (channel: string, message: string) => Promise<void>,
): Broadcast & { close(): Promise<void> } {
  const hearers = new Map<string, Set<(message: string) => void>>();
  let client: Promise<ListeningClient> | undefined;
  let closed = false;
  let retry: ReturnType<typeof setTimeout> | undefined;
  const channelOf = (topic: string): string => broadcastChannel(schema, topic);
  const topicOf = new Map<string, string>();
  /** A connection lost or refused: another in a moment, while anyone listens. */
  const connectLater = (): void => {
    if (!closed && hearers.size > 0) retry = setTimeout(() => void (client ??= connect()).catch(() => undefined), RECONNECT_MS);
  };

  const connect = (): Promise<ListeningClient> => {
    const connecting = (async () => {
      const next = newClient();
      next.on('notification', ({ channel, payload }) => {
        const topic = topicOf.get(channel);
        for (const hear of topic ? (hearers.get(topic) ?? []) : []) hear(payload ?? '');
      });
      const lost = (): void => {
        if (client !== connecting) return;
        client = undefined;
        void next.end().catch(() => undefined);
        connectLater();
      };
      next.on('error', lost);
      next.on('end', lost);
      await next.connect();
      for (const topic of hearers.keys()) await next.query(`LISTEN "${channelOf(topic)}"`);
      return next;
    })();
    connecting.catch(() => {
      if (client !== connecting) return;
      client = undefined;
      connectLater();
    });
    return connecting;
  };

  return {
    async send(topic, message) {
      await notify(channelOf(topic), message);
    },
    async listen(topic, hear) {
      const channel = channelOf(topic);
      topicOf.set(channel, topic);
      const first = !hearers.has(topic);
      const set = hearers.get(topic) ?? new Set();
      set.add(hear);
      hearers.set(topic, set);
      const listening = client;
      // A new connection listens to every topic as it opens; one already open is told of a new topic.
      if (!listening) await (client = connect());
      else if (first) await (await listening).query(`LISTEN "${channel}"`);
      return () => {
        set.delete(hear);
        if (set.size === 0) hearers.delete(topic);
      };
    },
    async close() {
      closed = true;
      clearTimeout(retry);
      const open = client;
      client = undefined;
      if (open) await (await open.catch(() => undefined))?.end().catch(() => undefined);
    },
  };
}

/** Any fixed number: every backend process sharing one database takes the same lock to migrate. */
const MIGRATION_LOCK = 7_311_042;

/**
 * Applies the migrations not yet recorded, in order, in one transaction under an advisory lock,
 * so several processes starting at once against one PostgreSQL migrate it exactly once.
 */
export async function migrate(store: Store, migrations: readonly Migration[]): Promise<string[]> {
  const names = new Set<string>();
  for (const migration of migrations) {
    if (names.has(migration.name)) throw new Error(`Two migrations are named "${migration.name}": rename one`);
    names.add(migration.name);
  }
  return store.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      name text PRIMARY KEY,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const done = new Set(
      (await tx.query<{ name: string }>('SELECT name FROM schema_migrations')).map((row) => row.name),
    );
    const applied: string[] = [];
    for (const migration of migrations) {
      if (done.has(migration.name)) continue;
      await tx.exec(migration.sql);
      await tx.query('INSERT INTO schema_migrations (name) VALUES ($1)', [migration.name]);
      applied.push(migration.name);
    }
    return applied;
  });
}
