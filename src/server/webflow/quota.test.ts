import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../store/db.ts';
import { capsOf, createQuota, MIN_MARGIN_MS, QuotaClosed, type Quota, type QuotaTicket } from './quota.ts';

describe('the quota when the backend stops', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openStore('memory://');
  }, 60_000);
  afterAll(async () => {
    await store?.close();
  });

  // A minute's window: a request waiting for the next one would wait most of a minute, far
  // beyond this test's own time limit, unless close() lets it go.
  it('lets a request that waits for the next window go at once, and grants nothing after', async () => {
    const quota = createQuota({ store, windowMs: 60_000 });
    const token = 'token-of-a-site';
    for (let n = 0; n < capsOf(60).interactive; n += 1) await quota.acquire(token, 'interactive');
    let settled = false;
    const waiting = quota.acquire(token, 'interactive').finally(() => (settled = true));
    waiting.catch(() => undefined);
    // It waits, the window being spent: a request of another token, asked after it, is granted first.
    await quota.acquire('a-token-asked-later', 'interactive');
    expect(settled).toBe(false);

    quota.close();

    await expect(waiting).rejects.toBeInstanceOf(QuotaClosed);
    await expect(quota.acquire('another-token', 'interactive')).rejects.toThrow(/The backend is stopping/);
  }, 10_000);
});

describe('the quota of requests still waiting for their answer', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openStore('memory://');
  }, 60_000);
  afterAll(async () => {
    await store?.close();
  });

  const WINDOW_MS = 1000;
  let tokens = 0;

  /** A quota on a clock of the test's: waiting for the next window moves the clock on, nothing else does. */
  function clockedQuota() {
    let at = 1_000_000;
    const quota = createQuota({ store, windowMs: WINDOW_MS, now: () => at, sleep: async (ms) => void (at += ms) });
    const token = `token-${(tokens += 1)}`;
    quota.setLimit(token, 20);
    return { quota, token, advance: (ms: number) => void (at += ms) };
  }

  async function grantAll(quota: Quota, token: string, count: number): Promise<QuotaTicket[]> {
    const tickets: QuotaTicket[] = [];
    for (let n = 0; n < count; n += 1) tickets.push(await quota.acquire(token, 'background'));
    return tickets;
  }

  // On a busy machine a request granted in one window may reach Webflow after Webflow's window
  // turned: it then counts there, on top of everything the next window of ours grants.
  it('counts a request unanswered when its window ends in the next window too', async () => {
    const { quota, token, advance } = clockedQuota();
    const background = capsOf(20).background;
    const unanswered = await grantAll(quota, token, background);
    expect(unanswered.map((ticket) => ticket.used)).toEqual(Array.from({ length: background }, (_, n) => n + 1));
    const firstWindow = unanswered[0]!.windowStart;

    advance(WINDOW_MS + MIN_MARGIN_MS);
    const next = await quota.acquire(token, 'background');

    expect(next.windowStart).toBeGreaterThan(firstWindow);
    expect(next.used).toBe(background + 1);
    // Its answers, when they come, speak of the window they were last counted in.
    expect(unanswered.every((ticket) => ticket.windowStart === next.windowStart)).toBe(true);
    // Without interactive work of late, background work may use what interactive work may: a
    // couple more fill the window, and the next grant waits for the window after.
    const nextWindow = next.windowStart;
    const rest = await grantAll(quota, token, capsOf(20).interactive - next.used);
    expect(rest.every((ticket) => ticket.windowStart === nextWindow)).toBe(true);
    for (const ticket of [...unanswered, next, ...rest]) await quota.answered(token, ticket);
    const after = await quota.acquire(token, 'background');
    expect(after.windowStart).toBeGreaterThan(nextWindow);
  });

  it('counts an answered request in its own window only', async () => {
    const { quota, token, advance } = clockedQuota();
    const background = capsOf(20).background;
    const answered = await grantAll(quota, token, background);
    for (const ticket of answered) await quota.answered(token, ticket);

    advance(WINDOW_MS + MIN_MARGIN_MS);
    const next = await grantAll(quota, token, background);

    expect(new Set(next.map((ticket) => ticket.windowStart)).size).toBe(1);
    expect(next[0]!.windowStart).toBeGreaterThan(answered[0]!.windowStart);
    expect(next.at(-1)!.used).toBe(background);
  });

  // Webflow's window may start at any moment a request of ours was on its way: one answered
  // late may have arrived at the end of one window of Webflow's, or at the start of the next.
  it('holds a request’s place until a Webflow window after its answer', async () => {
    const { quota, token, advance } = clockedQuota();
    const background = capsOf(20).background;
    const late = await grantAll(quota, token, background);
    advance(WINDOW_MS + MIN_MARGIN_MS / 2);
    for (const ticket of late) await quota.answered(token, ticket);
    advance(MIN_MARGIN_MS / 2);
    // Our window has turned, but the answers are a tenth of a window old.
    const room = capsOf(20).interactive - background;
    const next = await grantAll(quota, token, room);
    const nextWindow = next[0]!.windowStart;
    expect(nextWindow).toBeGreaterThan(late[0]!.windowStart);
    expect(next.every((ticket) => ticket.windowStart === nextWindow)).toBe(true);
    for (const ticket of next) await quota.answered(token, ticket);

    const after = await quota.acquire(token, 'background');

    expect(after.windowStart).toBeGreaterThan(nextWindow);
  });
});
