import { afterEach, describe, expect, it, vi } from 'vitest';
import { BackendError } from '../ports/backend.ts';
import { FakeBackend, makeUsage } from '../testing/fakes.ts';
import { createUsageModel } from './model.ts';

afterEach(() => vi.useRealTimers());

describe('the usage model', () => {
  it('polls while the crawl runs and stops once it is idle and built', async () => {
    vi.useFakeTimers();
    const backend = new FakeBackend();
    backend.usageSummary = makeUsage({}, { state: 'running', done: 1, total: 10, built: false });
    const usage = createUsageModel(backend, 'site1', { pollMs: 1_000 });
    await usage.load();
    expect(usage.built.value).toBe(false);
    expect(usage.byAsset.value).toBeNull();
    expect(usage.crawl.value?.state).toBe('running');

    backend.usageSummary = makeUsage({ asset1: { pages: 2, missing: 1 } });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(backend.usageCalls).toBe(2);
    expect(usage.built.value).toBe(true);
    expect(usage.byAsset.value?.get('asset1')).toEqual({ pages: 2, components: 0, items: 0, links: 0, styles: 0, missing: 1 });

    await vi.advanceTimersByTimeAsync(5_000);
    expect(backend.usageCalls).toBe(2);
    usage.dispose();
  });

  it('does not poll an installation that needs the usage scopes', async () => {
    vi.useFakeTimers();
    const backend = new FakeBackend();
    backend.usageSummary = makeUsage({}, { state: 'needs_scopes', built: false, missingScopes: ['cms:read'] });
    const usage = createUsageModel(backend, 'site1', { pollMs: 1_000 });
    await usage.load();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(backend.usageCalls).toBe(1);
    usage.dispose();
  });

  it('keeps the grid working and says why when the usage cannot be read', async () => {
    const backend = new FakeBackend();
    backend.failNext.usage = new BackendError(0, 'network', 'Asset Desk’s server can’t be reached.');
    const usage = createUsageModel(backend, 'site1');
    await usage.load();
    expect(usage.error.value).toMatch(/^Where assets are used could not be read/);
    expect(usage.byAsset.value).toBeNull();
    usage.dispose();
  });
});
