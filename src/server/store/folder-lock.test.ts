import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FolderInUse, LOCK_FILE, lockFolder } from './folder-lock.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'asset-desk-lock-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The id of a process that has exited. */
function goneProcess(): number {
  const child = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
  return Number(child.stdout.trim());
}

describe('a backend holding its PGlite folder', () => {
  it('holds it with its process id, refuses a second hold in this process, and lets it go', () => {
    const release = lockFolder(dir);
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8')).toBe(String(process.pid));
    expect(() => lockFolder(dir)).toThrow(FolderInUse);
    expect(() => lockFolder(dir)).toThrow(`in use by another Asset Desk backend (process ${process.pid}, this one)`);
    release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    lockFolder(dir)();
  });

  it('names the running process that holds it, and takes it over once that process is gone', async () => {
    const other = spawn('sleep', ['30']);
    try {
      writeFileSync(join(dir, LOCK_FILE), String(other.pid));
      expect(() => lockFolder(dir)).toThrow(`(process ${other.pid})`);
      expect(() => lockFolder(dir)).toThrow(`delete ${join(dir, LOCK_FILE)}`);
    } finally {
      const exited = new Promise((resolve) => other.once('exit', resolve));
      other.kill('SIGKILL');
      await exited;
    }
    const release = lockFolder(dir);
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8')).toBe(String(process.pid));
    release();
  });

  it('takes over whatever a gone or half-written holder left, and holds against anything that names a running process', () => {
    const gone = goneProcess();
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string({ unit: 'binary' }),
          fc.constantFrom('', '0', '-1', '1.5', 'NaN', '\u0000', '\ud800', String(gone), `${process.pid}\n`, ` ${process.pid} `, String(Number.MAX_SAFE_INTEGER)),
        ),
        (left) => {
          writeFileSync(join(dir, LOCK_FILE), left);
          const trimmed = left.trim();
          const namesThis = trimmed === String(process.pid);
          if (namesThis) {
            expect(() => lockFolder(dir)).toThrow(FolderInUse);
            return;
          }
          // Process 1 is running in any container; any other number the generator makes is not ours to know.
          const pid = Number(trimmed);
          const mayRun = Number.isSafeInteger(pid) && pid > 0 && pid !== gone && pid < 4_194_305;
          try {
            lockFolder(dir)();
          } catch (error) {
            expect(error).toBeInstanceOf(FolderInUse);
            expect(mayRun).toBe(true);
          }
        },
      ),
    );
  });
});
