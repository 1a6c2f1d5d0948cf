/**
 * Kill the backend (SIGKILL) while it records batches: every batch it answered for is in the
 * journal after a restart, whole, and no batch is there in part.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/server/store/db.ts';
import { seededRandom } from './seeded.ts';
import { notePostgresNotRun, testStoreKinds } from './store-test-helpers.ts';

const childScript = fileURLToPath(new URL('./sigkill-record-child.ts', import.meta.url));

beforeAll(() => notePostgresNotRun());

describe.each(testStoreKinds)('killing the backend while it records on %s', (kind) => {
  it('keeps every batch it answered for, whole, and none in part', async () => {
    const schema = kind === 'postgres' ? `test_${randomBytes(6).toString('hex')}` : undefined;
    const dir = kind === 'pglite' ? mkdtempSync(join(tmpdir(), 'asset-desk-record-')) : undefined;
    const storeUrl = dir ?? process.env.TEST_DATABASE_URL ?? '';
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', childScript], {
        env: { ...process.env, STORE_URL: storeUrl, STORE_SCHEMA: schema ?? '' },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const answered: string[] = [];
      const killAfter = seededRandom(`killing the backend while it records on ${kind}`).int(3, 7);
      const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const lines = output.split('\n');
        output = lines.pop() ?? '';
        for (const line of lines) {
          const id = /^recorded (\d+)$/.exec(line)?.[1];
          if (id) answered.push(id);
        }
        if (answered.length >= killAfter) child.kill('SIGKILL');
      });
      expect(await exited).toBe('SIGKILL');

      const store = await openStore(storeUrl, schema ? { schema } : {});
      try {
        const batches = await store.query<{ id: string; changes: number }>(
          `SELECT b.id::text AS id, count(c.id)::int AS changes
           FROM journal_batches b LEFT JOIN journal_changes c ON c.batch_id = b.id GROUP BY b.id ORDER BY b.id`,
        );
        expect(batches.map((b) => b.id)).toEqual(expect.arrayContaining(answered));
        expect(batches.every((b) => b.changes === 100)).toBe(true);
        if (schema) await store.query(`DROP SCHEMA ${schema} CASCADE`);
      } finally {
        await store.close();
      }
    } finally {
      if (dir) rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000); // A hang guard only: it took 58 s alone at a load of 14 on 2 cores.
});
