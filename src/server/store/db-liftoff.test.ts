/**
 * PGlite's PostgreSQL is compiled by V8's baseline WebAssembly compiler only (db.ts,
 * `compiledByLiftoff`): the flag is set for PGlite's start and set back after it, whether the
 * start succeeds or fails, so WebAssembly compiled later (tesseract's, on the OCR thread) is
 * optimized as before. V8 has no getter for its flags: the calls are recorded on their way through.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as V8 from 'node:v8';
import { afterEach, describe, expect, it, vi } from 'vitest';

const flags = vi.hoisted(() => [] as string[]);
vi.mock('node:v8', async (original) => {
  const v8 = await original<typeof V8>();
  return {
    ...v8,
    setFlagsFromString(flag: string) {
      flags.push(flag);
      v8.setFlagsFromString(flag);
    },
  };
});

const { openStore } = await import('./db.ts');

describe('PGlite compiled by Liftoff only', () => {
  const folders: string[] = [];
  afterEach(() => {
    flags.length = 0;
    for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  });

  it('sets the flag for the start and sets it back once the store is open', async () => {
    const store = await openStore('memory://');
    expect(flags).toEqual(['--liftoff-only', '--no-liftoff-only']);
    expect(await store.query<{ n: number }>('SELECT 1 + 1 AS n')).toEqual([{ n: 2 }]);
    await store.close();
  });

  it('sets it back when PGlite fails to start, and the failure reaches the caller', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'asset-desk-bad-pglite-'));
    folders.push(folder);
    // A folder that says it holds another PostgreSQL's files: PGlite refuses to start on it.
    writeFileSync(join(folder, 'PG_VERSION'), '99\n');
    await expect(openStore(folder)).rejects.toThrow();
    expect(flags).toEqual(['--liftoff-only', '--no-liftoff-only']);
  });

  it('leaves the flag alone when the process was started with it', async () => {
    const argv = process.execArgv;
    process.execArgv = [...argv, '--liftoff-only'];
    try {
      const store = await openStore('memory://');
      expect(flags).toEqual([]);
      await store.close();
    } finally {
      process.execArgv = argv;
    }
  });
});
