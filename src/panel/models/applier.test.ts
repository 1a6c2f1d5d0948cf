import { describe, expect, it } from 'vitest';
import { MAX_LEASE_LIMIT as BACKEND_MAX_LEASE_LIMIT, type Change } from '../../core/api.ts';
import { FakeBackend, FakeDesigner, makeAsset } from '../testing/fakes.ts';
import { createApplier, MAX_LEASE_LIMIT, summaryMessage, type ApplierSummary } from './applier.ts';
import { createStatusModel } from './status.ts';
import { createAnnouncer } from './announcer.ts';

function setup(count = 3) {
  const assets = Array.from({ length: count }, (_, n) => makeAsset(n + 1));
  const backend = new FakeBackend({ assets });
  const designer = new FakeDesigner(assets);
  const settled: Change[] = [];
  const finished: ApplierSummary[] = [];
  const applier = createApplier({
    backend,
    designer,
    siteId: 'site1',
    applierId: 'panel-test-applier',
    idleMs: 5,
    onSettled: (change) => settled.push(change),
    onFinished: (summary) => finished.push(summary),
  });
  return { backend, designer, applier, settled, finished };
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !condition(); i += 1) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(condition()).toBe(true);
}

describe('the Designer applier', () => {
  it('waits at the backend for work from its first look, so a batch journaled right after the panel opened is applied at once', async () => {
    const assets = [makeAsset(1)];
    const designer = new FakeDesigner(assets);
    // A backend that holds an idle lease request until work arrives, as the real one does.
    class HoldingBackend extends FakeBackend {
      private arrived: () => void = () => undefined;
      waits: number[] = [];
      override async recordBatch(...args: Parameters<FakeBackend['recordBatch']>) {
        const batch = await super.recordBatch(...args);
        this.arrived();
        return batch;
      }
      override async leaseChanges(siteId: string, applierId: string, limit: number, seconds?: number, waitSeconds = 0) {
        this.waits.push(waitSeconds);
        if (waitSeconds > 0 && !this.changes.some((change) => change.status === 'pending')) {
          await new Promise<void>((resolve) => (this.arrived = resolve));
        }
        return super.leaseChanges(siteId, applierId, limit);
      }
    }
    const backend = new HoldingBackend({ assets });
    const settled: Change[] = [];
    // An idle wait of a minute: only a held look can pick the batch up within the test.
    const applier = createApplier({ backend, designer, siteId: 'site1', idleMs: 60_000, onSettled: (change) => settled.push(change) });
    applier.start();
    // Its first look is waiting at the backend before the batch is journaled.
    await until(() => backend.waits.length === 1);
    await backend.recordBatch('site1', { changes: [{ assetId: 'asset1', field: 'altText', before: '', after: 'Journaled elsewhere' }] });
    await until(() => settled.length === 1);
    applier.dispose();
    expect(backend.waits[0]).toBeGreaterThan(0);
    expect(settled[0]?.status).toBe('applied');
  });

  it('asks for no more changes per lease than the backend takes', () => {
    expect(MAX_LEASE_LIMIT).toBe(BACKEND_MAX_LEASE_LIMIT);
  });

  it('leases pending changes, applies them in the Designer and acknowledges them', async () => {
    const { backend, designer, applier, settled, finished } = setup();
    await backend.recordBatch('site1', {
      changes: [
        { assetId: 'asset1', field: 'altText', before: '', after: 'A red bicycle' },
        { assetId: 'asset2', field: 'altText', localeId: 'fr', before: '', after: 'Un vélo rouge' },
        { assetId: 'asset3', field: 'folder', before: null, after: 'folderA' },
      ],
    });
    applier.start();
    await until(() => finished.length === 1);
    applier.dispose();

    expect(backend.leases[0]).toBe('panel-test-applier');
    expect(designer.values.get('asset1')?.altText).toBe('A red bicycle');
    expect(designer.values.get('asset2')?.localeAltText.fr).toBe('Un vélo rouge');
    expect(designer.values.get('asset3')?.folderId).toBe('folderA');
    expect(backend.changes.map((change) => change.status)).toEqual(['applied', 'applied', 'applied']);
    expect(settled).toHaveLength(3);
    expect(finished[0]).toEqual({ applied: 3, conflict: 0, failed: 0 });
    expect(designer.notices).toEqual([{ type: 'Success', message: 'Asset Desk applied 3 changes in Webflow.' }]);
  });

  it('marks a change as conflicting when Webflow changed the value since, and keeps Webflow’s value', async () => {
    const { backend, designer, applier, finished } = setup(1);
    designer.values.get('asset1')!.altText = 'Changed in Webflow';
    await backend.recordBatch('site1', { changes: [{ assetId: 'asset1', field: 'altText', before: '', after: 'Mine' }] });
    applier.start();
    await until(() => finished.length === 1);
    applier.dispose();

    expect(designer.values.get('asset1')?.altText).toBe('Changed in Webflow');
    expect(backend.changes[0]).toMatchObject({ status: 'conflict', current: 'Changed in Webflow' });
    expect(designer.notices[0]?.type).toBe('Warning');
  });

  it('reports a failed write and applies it when the designer retries', async () => {
    const { backend, designer, applier, finished } = setup(1);
    designer.failing.set('asset1', 'The Designer is busy');
    await backend.recordBatch('site1', { changes: [{ assetId: 'asset1', field: 'altText', before: '', after: 'A cat' }] });
    const status = createStatusModel({ backend, siteId: 'site1', announcer: createAnnouncer(), onRequeued: () => applier.wake() });
    applier.start();
    await until(() => finished.length === 1);
    await status.refresh();
    expect(status.counts.value.failed).toBe(1);
    expect(status.failures.value[0]?.error).toBe('The Designer is busy');

    designer.failing.clear();
    await status.retryAll();
    await until(() => finished.length === 2);
    applier.dispose();
    await status.refresh();
    expect(designer.values.get('asset1')?.altText).toBe('A cat');
    expect(status.counts.value).toMatchObject({ failed: 0, applied: 1 });
  });

  it('writes a locale that inherits the primary’s alt text even when the Designer reads it as empty', async () => {
    const { backend, designer, applier, finished } = setup(1);
    designer.values.get('asset1')!.altText = 'A lighthouse';
    designer.unsetLocaleReads = 'empty';
    await backend.recordBatch('site1', { changes: [{ assetId: 'asset1', field: 'altText', localeId: 'fr', before: 'A lighthouse', after: 'Un phare' }] });
    applier.start();
    await until(() => finished.length === 1);
    applier.dispose();
    expect(backend.changes[0]?.status).toBe('applied');
    expect(designer.values.get('asset1')?.localeAltText.fr).toBe('Un phare');
  });

  it('still reports a conflict when a locale’s own alt text changed in Webflow', async () => {
    const { backend, designer, applier, finished } = setup(1);
    designer.values.get('asset1')!.altText = 'A lighthouse';
    designer.values.get('asset1')!.localeAltText.fr = 'Un phare rouge';
    await backend.recordBatch('site1', { changes: [{ assetId: 'asset1', field: 'altText', localeId: 'fr', before: 'A lighthouse', after: 'Un phare' }] });
    applier.start();
    await until(() => finished.length === 1);
    applier.dispose();
    expect(backend.changes[0]).toMatchObject({ status: 'conflict', current: 'Un phare rouge' });
  });

  it('keeps at most the configured number of Designer calls in flight', async () => {
    const { backend, designer, applier, finished } = setup(100);
    await backend.recordBatch('site1', {
      changes: Array.from({ length: 100 }, (_, n) => ({ assetId: `asset${n + 1}`, field: 'altText' as const, before: '', after: `Text ${n}` })),
    });
    applier.start();
    await until(() => finished.length === 1);
    applier.dispose();
    expect(designer.maxInFlight).toBeLessThanOrEqual(64);
    expect(designer.maxInFlight).toBeGreaterThan(32);
    expect(finished[0]?.applied).toBe(100);
  });

  it('leases more while the changes it holds still await their acknowledgement', async () => {
    const assets = Array.from({ length: 6 }, (_, n) => makeAsset(n + 1));
    const backend = new FakeBackend({ assets });
    const designer = new FakeDesigner(assets);
    const acknowledgedAtEachWrite: number[] = [];
    const setAltText = designer.setAltText.bind(designer);
    designer.setAltText = (assetId, altText, localeId) => {
      acknowledgedAtEachWrite.push(backend.changes.filter((change) => change.status === 'applied').length);
      return setAltText(assetId, altText, localeId);
    };
    const finished: ApplierSummary[] = [];
    const applier = createApplier({
      backend, designer, siteId: 'site1', applierId: 'panel-test-applier', concurrency: 1, leaseLimit: 2, idleMs: 5,
      onFinished: (summary) => finished.push(summary),
    });
    await backend.recordBatch('site1', { changes: assets.map((asset) => ({ assetId: asset.id, field: 'altText' as const, before: '', after: 'x' })) });
    applier.start();
    await until(() => finished.length === 1);
    applier.dispose();
    expect(finished[0]?.applied).toBe(6);
    // The lanes never stood still for an acknowledgement: every write went out before the first.
    expect(acknowledgedAtEachWrite).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('renews its lease while a long run is still being applied', async () => {
    const assets = [makeAsset(1), makeAsset(2), makeAsset(3)];
    const backend = new FakeBackend({ assets });
    const designer = new FakeDesigner(assets);
    designer.writeDelayMs = 30;
    const finished: ApplierSummary[] = [];
    const applier = createApplier({
      backend, designer, siteId: 'site1', applierId: 'panel-test-applier', concurrency: 1, leaseSeconds: 0.04, idleMs: 5,
      onFinished: (summary) => finished.push(summary),
    });
    await backend.recordBatch('site1', { changes: assets.map((asset) => ({ assetId: asset.id, field: 'altText' as const, before: '', after: 'x' })) });
    applier.start();
    await until(() => finished.length === 1);
    applier.dispose();
    // One lease to start, renewals every 20 ms during ~90 ms of work, then the empty look that ends the run.
    expect(backend.leases.length).toBeGreaterThanOrEqual(4);
    expect(finished[0]?.applied).toBe(3);
  });

  it('summarises a run with problems as a warning that says where to look', () => {
    expect(summaryMessage({ applied: 1, conflict: 2, failed: 1 })).toEqual({
      type: 'Warning',
      message: 'Asset Desk applied 1 change; 2 conflicts and 1 failed: review them in the status bar.',
    });
  });
});
