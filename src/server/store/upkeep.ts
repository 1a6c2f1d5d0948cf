/**
 * Vacuum and statistics for embedded PGlite, which runs PostgreSQL without its autovacuum: no
 * table was ever analyzed or vacuumed. At 100,000 assets the index held 350,000 row versions
 * (every refresh, md5 and fingerprint write leaves one behind) and, without statistics, the
 * planner read the whole table for each page of 2,000 rows: a whole-index read held the one
 * connection, and every request behind it, for 16 s; after ANALYZE 5.5 s, after VACUUM 3.1 s
 * (docs/decisions/pglite-upkeep.md). PostgreSQL does this itself; this runs on PGlite only.
 *
 * Autovacuum's own rule, with its default thresholds: a table is vacuumed once its dead rows
 * pass 50 + 20% of its rows, analyzed once its changed rows pass 50 + 10% (and at once when it
 * has never been). The counters are this process's (PGlite keeps none across a restart), so the
 * first check after opening also vacuums every table once.
 */
import type { Store } from './db.ts';

/** How often the counters are looked at: a query of the catalog, a few milliseconds. */
export const UPKEEP_INTERVAL_MS = 60_000;

const VACUUM = { base: 50, share: 0.2 };
const ANALYZE = { base: 50, share: 0.1 };

export interface TableCounters {
  table: string;
  /** Rows as of the last ANALYZE or VACUUM; -1 when never analyzed. */
  rows: number;
  dead: number;
  changedSinceAnalyze: number;
}

export type TableWork = { table: string; work: 'vacuum' | 'analyze' };

/** What each table needs by autovacuum's rule; `first`: the first check of this process, every table is vacuumed. */
export function upkeepWork(tables: readonly TableCounters[], first: boolean): TableWork[] {
  const work: TableWork[] = [];
  for (const t of tables) {
    const rows = Math.max(t.rows, 0);
    if (first || t.dead > VACUUM.base + VACUUM.share * rows) work.push({ table: t.table, work: 'vacuum' });
    else if (t.rows < 0 || t.changedSinceAnalyze > ANALYZE.base + ANALYZE.share * rows) work.push({ table: t.table, work: 'analyze' });
  }
  return work;
}

/** Only names the catalog gave for our own tables, and quoted: never text from elsewhere in a statement. */
const TABLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export interface StoreUpkeep {
  /** One check now, and the work it finds; resolves when done (never rejects: a failure is reported). */
  runOnce(): Promise<TableWork[]>;
  start(): void;
  stop(): Promise<void>;
}

export function createStoreUpkeep(store: Store, options: { intervalMs?: number; onError?: (error: unknown) => void } = {}): StoreUpkeep {
  let first = true;
  let timer: ReturnType<typeof setInterval> | undefined;
  let running: Promise<TableWork[]> | undefined;

  async function check(): Promise<TableWork[]> {
    const counters = await store.query<{ table: string; rows: number; dead: string; changed: string }>(
      `SELECT c.relname AS table, c.reltuples AS rows, s.n_dead_tup::text AS dead, s.n_mod_since_analyze::text AS changed
       FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid WHERE s.schemaname = current_schema()`,
    );
    const work = upkeepWork(
      counters.map((row) => ({ table: row.table, rows: Number(row.rows), dead: Number(row.dead), changedSinceAnalyze: Number(row.changed) })),
      first,
    );
    for (const { table, work: kind } of work) {
      if (!TABLE_NAME.test(table)) continue;
      await store.exec(kind === 'vacuum' ? `VACUUM (ANALYZE) "${table}"` : `ANALYZE "${table}"`);
    }
    first = false;
    return work;
  }

  function runOnce(): Promise<TableWork[]> {
    running ??= check()
      .catch((error: unknown) => {
        options.onError?.(error);
        return [];
      })
      .finally(() => (running = undefined));
    return running;
  }

  return {
    runOnce,
    start() {
      if (store.kind !== 'pglite' || timer) return;
      void runOnce();
      timer = setInterval(() => void runOnce(), options.intervalMs ?? UPKEEP_INTERVAL_MS);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      timer = undefined;
      await running;
    },
  };
}
