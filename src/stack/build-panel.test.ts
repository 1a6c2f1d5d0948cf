import { mkdir, mkdtemp, rm, stat, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { withLock } from './build-panel.ts';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function scratch(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'build-lock-'));
  dirs.push(dir);
  return dir;
}

describe('the panel build lock', () => {
  it('lets one build run at a time, and frees the lock after a failure too', async () => {
    const lock = join(await scratch(), 'dist.building');
    const log: string[] = [];
    const job = (name: string, fail = false) =>
      withLock(lock, async () => {
        log.push(`${name} in`);
        await new Promise((done) => setTimeout(done, 30));
        log.push(`${name} out`);
        if (fail) throw new Error(`${name} failed`);
        return name;
      });
    const results = await Promise.allSettled([job('a', true), job('b'), job('c')]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
    for (let i = 0; i < log.length; i += 2) expect(log[i]?.replace(' in', '')).toBe(log[i + 1]?.replace(' out', ''));
    expect(log).toHaveLength(6);
    expect(await stat(lock).catch(() => null)).toBeNull();
  });

  it('takes over a lock left by a build that died', async () => {
    const lock = join(await scratch(), 'dist.building');
    await mkdir(lock);
    const old = new Date(Date.now() - 60_000);
    await utimes(lock, old, old);
    expect(await withLock(lock, async () => 'built', 10_000)).toBe('built');
  });
});
