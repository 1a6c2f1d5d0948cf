import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { broadcastChannel, openStore, type Broadcast } from '../store/db.ts';
import { notePostgresNotRun, postgresConfigured } from '../../../test/server/store-test-helpers.ts';
import { createWorkWaiters } from './work-waiters.ts';

/** Processes on one store, in memory: every message to every listener, the sender's included (as NOTIFY does). */
function sharedBroadcast(): { broadcast: Broadcast; sent: string[] } {
  const listeners = new Map<string, Set<(message: string) => void>>();
  const sent: string[] = [];
  return {
    sent,
    broadcast: {
      async send(topic, message) {
        sent.push(message);
        for (const hear of listeners.get(topic) ?? []) queueMicrotask(() => hear(message));
      },
      async listen(topic, hear) {
        const set = listeners.get(topic) ?? new Set();
        set.add(hear);
        listeners.set(topic, set);
        return () => set.delete(hear);
      },
    },
  };
}

/** Whether `promise` has settled after the microtasks and timers queued now have run. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(() => (done = true));
  await new Promise((resolve) => setTimeout(resolve, 20));
  return done;
}

beforeAll(() => notePostgresNotRun('the test of two backend processes'));

describe('waiting for work', () => {
  it('wakes the site’s waits in this process at once, and no other site’s', async () => {
    const waiters = createWorkWaiters();
    const never = new AbortController().signal;
    const site1 = waiters.wait('site1', 20, never);
    const site2 = waiters.wait('site2', 20, never);
    waiters.wake('site1');
    expect(await settled(site1)).toBe(true);
    expect(await settled(site2)).toBe(false);
    waiters.wake('site2');
    await site2;
  });

  it('ends a wait after its seconds, or when its caller goes away', async () => {
    const waiters = createWorkWaiters();
    const gone = new AbortController();
    const left = waiters.wait('site1', 20, gone.signal);
    gone.abort();
    expect(await settled(left)).toBe(true);
    vi.useFakeTimers();
    try {
      const timed = waiters.wait('site1', 5, new AbortController().signal);
      await vi.advanceTimersByTimeAsync(5_000);
      await timed;
    } finally {
      vi.useRealTimers();
    }
  });

  it('wakes the waits of every other process on the store, and its own once', async () => {
    const { broadcast, sent } = sharedBroadcast();
    const here = createWorkWaiters({ broadcast });
    const there = createWorkWaiters({ broadcast });
    await new Promise((resolve) => setTimeout(resolve, 0));
    const never = new AbortController().signal;
    const waitingThere = there.wait('site1', 20, never);
    const waitingHere = here.wait('site1', 20, never);
    here.wake('site1');
    // Begun after the wake, before its own message comes back: that message is not a new wake.
    const later = here.wait('site1', 20, never);
    expect(await settled(waitingThere)).toBe(true);
    expect(await settled(waitingHere)).toBe(true);
    expect(sent).toHaveLength(1);
    expect(await settled(later)).toBe(false);
    there.close();
    const afterClose = there.wait('site1', 20, never);
    here.wake('site1');
    expect(await settled(later)).toBe(true);
    // A process that stopped hearing the others finds the work when its wait ends.
    expect(await settled(afterClose)).toBe(false);
    there.wake('site1');
  });

  it('says so when the broadcast fails, and still wakes its own process', async () => {
    const errors: unknown[] = [];
    const failing: Broadcast = {
      send: () => Promise.reject(new Error('connection lost')),
      listen: () => Promise.reject(new Error('no connection')),
    };
    const waiters = createWorkWaiters({ broadcast: failing, onError: (error) => errors.push(error) });
    const waiting = waiters.wait('site1', 20, new AbortController().signal);
    waiters.wake('site1');
    expect(await settled(waiting)).toBe(true);
    expect(errors.map((error) => (error as Error).message).sort()).toEqual(['connection lost', 'no connection']);
  });
});

describe.runIf(postgresConfigured)('waiting for work, two backend processes on one PostgreSQL', () => {
  it('wakes a long poll waiting in one process when work comes in the other', async () => {
    const databaseUrl = process.env.TEST_DATABASE_URL ?? '';
    const schema = `test_${randomBytes(6).toString('hex')}`;
    const [one, two] = await Promise.all([openStore(databaseUrl, { schema }), openStore(databaseUrl, { schema })]);
    const first = createWorkWaiters({ broadcast: one!.broadcast! });
    const second = createWorkWaiters({ broadcast: two!.broadcast! });
    try {
      // Both listening on the schema's channel: a wake before that is not heard (the wait would end after its 20 s).
      const channel = broadcastChannel(schema, 'work');
      await vi.waitFor(async () => expect(await one!.query('SELECT pid FROM pg_stat_activity WHERE query = $1', [`LISTEN "${channel}"`])).toHaveLength(2));
      const asked = Date.now();
      const waiting = second.wait('site1', 20, new AbortController().signal);
      first.wake('site1');
      await waiting;
      expect(Date.now() - asked).toBeLessThan(10_000);
    } finally {
      first.close();
      second.close();
      await one!.query(`DROP SCHEMA ${schema} CASCADE`);
      await Promise.all([one!.close(), two!.close()]);
    }
  });
});
