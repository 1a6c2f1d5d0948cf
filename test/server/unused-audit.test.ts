/**
 * Issue 23's promise on the seeded demo site: the panel's Unused filter lists no image that an
 * independent audit of the sandbox (bench/unused-audit/walk.ts: styles through the Designer API,
 * page and component DOMs, CMS items, by id or hosted URL anywhere) finds on screen or
 * referenced, and its count is the audit's. Computed both ways on every run, never written down.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compare, openSession, unusedFilter } from '../../bench/unused-audit/filter.ts';
import { auditSandbox } from '../../bench/unused-audit/walk.ts';
import { startStack, type Stack } from '../../src/stack/stack.ts';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ withoutPanel: true, rateLimit: { perWindow: 1000, windowMs: 1000 } });
}, 180_000);
afterAll(async () => {
  await stack?.close();
});

describe('the Unused filter against an audit of the demo site', () => {
  it('lists no image the audit finds used, and as many as the audit finds unused', async () => {
    const filter = await unusedFilter(stack.backendUrl, stack.sandbox, await openSession(stack.backendUrl, stack.sandbox));
    const audit = await auditSandbox(stack.sandbox);
    const comparison = compare(audit, filter);

    expect(comparison.listedButUsed).toEqual([]);
    expect(comparison.unlistedButUnused).toEqual([]);
    expect(comparison.filterCount).toBe(comparison.auditCount);

    // The audit looked at every kind of place, and the demo has unused images to list at all.
    expect(audit.read).toMatchObject({ styles: expect.any(Number), pages: expect.any(Number), items: expect.any(Number) });
    expect(Math.min(audit.read.styles, audit.read.pages, audit.read.components, audit.read.items)).toBeGreaterThan(0);
    expect(filter.styleUses).toBeGreaterThan(0);
    const places = [...audit.seenAt.values()].flatMap((seen) => [...seen].map((place) => place.split(' ')[0]));
    expect(new Set(places)).toEqual(new Set(['style', 'page', 'component', 'item']));
    expect(comparison.auditCount).toBeGreaterThan(0);
    // An image only a style shows is used, not unused: the styles were read.
    const styleOnly = [...audit.seenAt].filter(([, seen]) => [...seen].every((place) => place.startsWith('style ')));
    expect(styleOnly.length).toBeGreaterThan(0);
    expect(styleOnly.filter(([id]) => filter.unused.includes(id))).toEqual([]);
  }, 400_000);
});
