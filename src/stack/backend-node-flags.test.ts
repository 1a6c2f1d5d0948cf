import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { BACKEND_NODE_FLAGS } from './backend-node-flags.ts';

/**
 * A refresh's shape in small: ~30 MB that stays, and pages that live through a few young
 * collections (so they are promoted) before they die. Prints the largest size each generation
 * took, in MB.
 */
const WORKLOAD = `
const v8 = require('node:v8');
const size = (name) => v8.getHeapSpaceStatistics().find((space) => space.space_name === name).space_size / 1048576;
const live = [];
for (let i = 0; i < 300000; i++) live.push({ i, text: 'live' + i });
let pages = [];
let young = 0;
let old = 0;
for (let round = 0; round < 200; round++) {
  pages.push(Array.from({ length: 20000 }, (_, i) => ({ round, i, text: 'page' + i })));
  if (pages.length > 8) pages.shift();
  young = Math.max(young, size('new_space'));
  old = Math.max(old, size('old_space'));
}
console.log(JSON.stringify({ young, old, live: live.length }));
`;

async function heapUnderWorkload(flags: readonly string[]): Promise<{ young: number; old: number }> {
  const { stdout } = await promisify(execFile)(process.execPath, [...flags, '-e', WORKLOAD], { env: { ...process.env, NODE_OPTIONS: '' } });
  return JSON.parse(stdout) as { young: number; old: number };
}

describe("the backend's heap flags", () => {
  it('keep the young generation at 2 × 4 MB and the old one near what lives, where V8 alone lets both grow', async () => {
    const [own, flagged] = await Promise.all([heapUnderWorkload([]), heapUnderWorkload(BACKEND_NODE_FLAGS)]);
    // V8's own sizes under the same work (measured: 32 MB young, 167 MB old): the workload
    // does make them grow, so the figures below are the flags' doing.
    expect(own.young).toBeGreaterThan(8);
    expect(own.old).toBeGreaterThan(100);
    // With the flags (measured: 8 and 60–63 MB).
    expect(flagged.young).toBeLessThanOrEqual(8);
    expect(flagged.old).toBeLessThan(100);
  });
});
