/**
 * A PostgreSQL server of the benchmark's own, on loopback, in a new folder, stopped and removed
 * afterwards: the store several backend processes share (the product's way of running more than
 * one, src/server/store/db.ts). It uses the PostgreSQL installed on the machine, as `.ci/run`
 * does (Debian's `postgresql`: /usr/lib/postgresql/<version>/bin); as root its processes run as
 * the `postgres` user, as initdb refuses root. Nothing is fetched: without PostgreSQL installed,
 * {@link findPostgres} answers why, and the figures that need it say so.
 */
import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePorts } from './ports.ts';

export interface Postgres {
  /** `postgres://…` of a database made for this run. */
  url: string;
  close(): Promise<void>;
}

/** The folder of initdb and pg_ctl, or why there is none. */
export function findPostgres(): { bin: string } | { missing: string } {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))) : [];
  versions.sort((a, b) => Number(a) - Number(b));
  const newest = versions.at(-1);
  if (newest === undefined) return { missing: 'PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): `apt-get install -y postgresql`, as .ci/run does' };
  return { bin: join(root, newest, 'bin') };
}

export async function startPostgres(): Promise<Postgres> {
  const found = findPostgres();
  if ('missing' in found) throw new Error(found.missing);
  const dir = mkdtempSync(join(tmpdir(), 'asset-desk-bench-pg-'));
  // initdb and the server refuse to run as root: as root they run as `postgres`, owning the folder.
  const asUser = process.getuid?.() === 0 ? postgresUser() : undefined;
  if (asUser) chownSync(dir, asUser.uid, asUser.gid);
  const run = (tool: string, args: string[]) => promisify(execFile)(join(found.bin, tool), args, { ...(asUser ?? {}), cwd: dir });
  let port = 0;
  let started = false;
  try {
    await run('initdb', ['-D', join(dir, 'data'), '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
    // A port free when probed may be taken before the server binds it (tests of others use the
    // same range): another is tried then. The socket file stays in the folder.
    for (let attempt = 0; !started; attempt += 1) {
      [port = 0] = await freePorts(1, 5450 + attempt * 10);
      try {
        await run('pg_ctl', ['-D', join(dir, 'data'), '-o', `-k ${dir} -h 127.0.0.1 -p ${port}`, '-l', join(dir, 'log'), '-w', '-t', '180', 'start']);
        started = true;
      } catch (error) {
        if (attempt >= 2 || !/could not bind|Address already in use/.test(readLog(dir))) throw error;
      }
    }
  } catch (error) {
    const log = readLog(dir).split('\n').slice(-8).join('\n');
    // A server still starting when pg_ctl gave up must not outlive its folder.
    await run('pg_ctl', ['-D', join(dir, 'data'), '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`PostgreSQL did not start: ${error instanceof Error ? error.message : String(error)}\nits log ends:\n${log}`);
  }
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async close() {
      if (started) await run('pg_ctl', ['-D', join(dir, 'data'), '-m', 'fast', '-w', 'stop']).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function readLog(dir: string): string {
  return existsSync(join(dir, 'log')) ? readFileSync(join(dir, 'log'), 'utf8') : '(no log)';
}

function postgresUser(): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    throw new Error('Running as root, PostgreSQL needs the `postgres` user (Debian\'s postgresql package makes it).');
  }
}
