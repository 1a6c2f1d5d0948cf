/**
 * PGlite's PostgreSQL is compiled by V8's baseline WebAssembly compiler only (db.ts,
 * `compileWasmByLiftoffOnly`): the flag is set before PGlite's module is compiled, unless the
 * process was started with a WebAssembly flag of its own. V8 has no getter for its flags: the
 * calls are recorded on their way through.
 */
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
  afterEach(() => {
    flags.length = 0;
  });

  it('sets the flag before PGlite starts, and the store answers', async () => {
    const store = await openStore('memory://');
    expect(flags).toEqual(['--liftoff-only']);
    expect(await store.query<{ n: number }>('SELECT 1 + 1 AS n')).toEqual([{ n: 2 }]);
    await store.close();
  });

  it.each(['--liftoff-only', '--no-liftoff', '--wasm-tiering-budget=1000', '--no-wasm-tier-up'])('leaves the flags alone when the process was started with %s', async (flag) => {
    const argv = process.execArgv;
    process.execArgv = [...argv, flag];
    try {
      const store = await openStore('memory://');
      expect(flags).toEqual([]);
      await store.close();
    } finally {
      process.execArgv = argv;
    }
  });

  it('leaves them alone for PostgreSQL, which runs no WebAssembly here', async () => {
    await expect(openStore('postgres://nobody@127.0.0.1:1/none', { schema: 'x' })).rejects.toThrow();
    expect(flags).toEqual([]);
  });
});
