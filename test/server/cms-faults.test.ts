/**
 * CMS changes when Webflow misbehaves, against the sandbox: a 429 storm is waited out
 * (Retry-After), by the client or, when it reaches the applier, by giving the changes back
 * untouched; a PATCH applied but answered 500 is never written twice: the next pass reads the
 * items and acknowledges what landed. Nothing lost, nothing applied twice.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { cmsBackend, collectionNamed, comparable, expectedAfter, itemOf, itemsOf, mainImageChanges, useCmsSandbox } from './cms-support.ts';
import { resetStats, setFaults, statsOf, waitFor } from './sandbox-control.ts';

const cms = useCmsSandbox();
beforeEach(() => cms.sandbox.setFaults({}));
const { stores } = cms;
const patchesOf = (stats: { byRoute: Record<string, number> }) => stats.byRoute['PATCH /v2/collections/:id/items'] ?? 0;

describe('CMS changes under faults', () => {
  it('waits out a 429 storm (Retry-After) and applies every change once', async () => {
    const backend = await cmsBackend(cms.sandbox, stores.current());
    const blog = collectionNamed(cms.sandbox, 'blog-posts');
    const items = (await itemsOf(cms.sandbox, blog.id)).slice(0, 40);
    const changes = mainImageChanges(blog.id, items, (i) => `Storm ${i}`);
    await backend.record(changes);
    await resetStats(cms.sandbox);
    await setFaults(cms.sandbox, { stormMs: 2000 });

    await backend.applier.drain(cms.sandbox.info.siteId);

    const { counts } = await backend.journal.list(cms.sandbox.info.siteId, ['applied'], 1);
    expect(counts.applied).toBe(changes.length);
    const stats = await statsOf(cms.sandbox);
    // The first request met the storm; nothing else was sent until Retry-After had passed.
    expect(stats.tooManyRequests).toBe(1);
    expect(patchesOf(stats)).toBe(1);
    for (const item of items) expect(comparable(await itemOf(cms.sandbox, blog.id, item.id))).toEqual(expectedAfter(item, changes));
  });

  it('gives the changes back untouched when a 429 reaches the applier, and applies them once Webflow allows', async () => {
    const backend = await cmsBackend(cms.sandbox, stores.current(), { rateLimitedTries: 0 });
    const blog = collectionNamed(cms.sandbox, 'blog-posts');
    const items = (await itemsOf(cms.sandbox, blog.id)).slice(40, 60);
    const changes = mainImageChanges(blog.id, items, (i) => `Later ${i}`);
    await backend.record(changes);
    await setFaults(cms.sandbox, { stormMs: 1000 });

    await backend.applier.drain(cms.sandbox.info.siteId);
    const waiting = await backend.journal.list(cms.sandbox.info.siteId, ['pending'], 100);
    expect(waiting.counts).toMatchObject({ pending: changes.length, applied: 0, failed: 0 });
    expect(waiting.changes.every((c) => c.error === null)).toBe(true);

    // Each pass meets the storm and gives everything back, until the storm is over.
    await waitFor('every change applied after the storm', async () => {
      await backend.applier.drain(cms.sandbox.info.siteId);
      const { counts } = await backend.journal.list(cms.sandbox.info.siteId, ['applied'], 1);
      expect(counts.failed).toBe(0);
      return counts.applied === changes.length ? true : undefined;
    });
  });

  it('never writes twice a PATCH that was applied but answered 500: the next pass reads what landed', async () => {
    // One try per request: the 500 reaches the applier instead of being sent again by the client.
    const backend = await cmsBackend(cms.sandbox, stores.current(), { unavailableTries: 1 });
    const blog = collectionNamed(cms.sandbox, 'blog-posts');
    const items = await itemsOf(cms.sandbox, blog.id);
    const changes = mainImageChanges(blog.id, items, (i) => `After the 500, ${i}`);
    expect(changes.length).toBeGreaterThan(100);
    await backend.record(changes);
    await resetStats(cms.sandbox);
    await setFaults(cms.sandbox, { failAfterApplying: { count: 1, answer: 'error', route: 'PATCH /v2/collections/:id/items' } });

    await backend.applier.drain(cms.sandbox.info.siteId);
    const afterFault = await backend.journal.list(cms.sandbox.info.siteId, ['pending'], 1);
    expect(afterFault.counts).toMatchObject({ applied: 0, failed: 0, pending: changes.length });
    expect(patchesOf(await statsOf(cms.sandbox))).toBe(1);

    await backend.applier.drain(cms.sandbox.info.siteId);

    const { counts } = await backend.journal.list(cms.sandbox.info.siteId, ['applied'], 1);
    expect(counts).toMatchObject({ applied: changes.length, failed: 0, conflict: 0, pending: 0 });
    // The first 100 landed with the 500 and were acknowledged from a read; only the other items were sent.
    expect(patchesOf(await statsOf(cms.sandbox))).toBe(2);
    for (const item of items.slice(95, 105)) expect(comparable(await itemOf(cms.sandbox, blog.id, item.id))).toEqual(expectedAfter(item, changes));
  });
});
