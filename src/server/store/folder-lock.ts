/**
 * PGlite is one process's database: two backends on one folder each run their own PostgreSQL
 * over the same files, and the second aborts with "RuntimeError: Aborted()" (seen once when two
 * scripts opened one folder) or, worse, both write. So a backend holds the folder with a file
 * naming its process, made only if absent; a second one is told plainly which process holds it.
 * A file left by a process that is gone (killed, crashed) is taken over.
 */
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const LOCK_FILE = 'asset-desk.pid';

export class FolderInUse extends Error {
  override name = 'FolderInUse';
}

/** Whether a process with this id is running (one we may not signal is running too). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function holderOf(lock: string): number | null {
  try {
    const pid = Number(readFileSync(lock, 'utf8').trim());
    return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** Holds `dir` for this process; the function returned lets it go. Throws {@link FolderInUse} when another running process holds it. */
export function lockFolder(dir: string): () => void {
  const lock = join(dir, LOCK_FILE);
  const mine = String(process.pid);
  for (let attempt = 0; ; attempt += 1) {
    try {
      writeFileSync(lock, mine, { flag: 'wx' });
      return () => {
        if (holderOf(lock) === process.pid) unlinkSync(lock);
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = holderOf(lock);
    // This process holds it too: a second PGlite on the folder in one process is as unsafe.
    if (holder !== null && (holder === process.pid || isRunning(holder))) {
      throw new FolderInUse(
        `The data folder ${dir} is in use by another Asset Desk backend (process ${holder}${holder === process.pid ? ', this one' : ''}). ` +
          `Stop that backend, or give this one its own folder (DATABASE_URL). If no backend runs, delete ${lock}.`,
      );
    }
    // Left by a process that is gone, or half written: taken over, once (another process racing
    // for it the same way wins the `wx` above, and this one then sees it running).
    if (attempt > 0) throw new FolderInUse(`The data folder ${dir} could not be locked: ${lock} keeps coming back.`);
    try {
      unlinkSync(lock);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}
