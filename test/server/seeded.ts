/**
 * Random draws for tests that are not fast-check properties: seeded, and the seed printed, so
 * a failing run can be replayed with TEST_SEED=<seed> (the draws; a child process's timing
 * around them is the machine's).
 */
import { randomInt } from 'node:crypto';
import { createRandom, type Random } from '../../src/sandbox/seed/random.ts';

export function seededRandom(what: string): Random {
  const given = process.env.TEST_SEED;
  const seed = given ? Number(given) : randomInt(2 ** 31);
  if (!Number.isInteger(seed)) throw new Error(`TEST_SEED must be a whole number, not "${given}"`);
  console.log(`${what}: random seed ${seed} (replay with TEST_SEED=${seed})`);
  return createRandom(seed);
}
