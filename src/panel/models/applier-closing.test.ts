// @vitest-environment happy-dom
/**
 * A panel closed in the middle of a run gives back what its applier holds, so the next applier
 * (the panel opened again, a colleague's, the server) takes the changes at once instead of after
 * the lease lapses, even a grant whose answer the closing page never read.
 */
import { describe, expect, it, vi } from 'vitest';
import { FakeBackend, FakeDesigner, makeAsset } from '../testing/fakes.ts';
import { createApplier } from './applier.ts';

function setup() {
  const assets = Array.from({ length: 4 }, (_, n) => makeAsset(n + 1));
  const backend = new FakeBackend({ assets });
  const designer = new FakeDesigner(assets);
  const released: string[] = [];
  const release = backend.releaseChanges.bind(backend);
  backend.releaseChanges = (siteId, applierId) => {
    released.push(applierId);
    return release(siteId, applierId);
  };
  const applier = createApplier({ backend, designer, siteId: 'site1', applierId: 'panel-closing-applier', idleMs: 5, concurrency: 1 });
  return { assets, backend, designer, applier, released };
}

describe('a panel closing while its applier holds changes', () => {
  it('gives them back as the page goes, and they go to the next applier at once', async () => {
    const { assets, backend, designer, applier, released } = setup();
    // The Designer takes its time with the first write: the panel closes meanwhile.
    const setAltText = designer.setAltText.bind(designer);
    let writing: (() => void) | null = null;
    designer.setAltText = (assetId, altText, localeId) => new Promise((resolve) => (writing = () => void setAltText(assetId, altText, localeId).then(resolve)));
    await backend.recordBatch('site1', { changes: assets.map((asset) => ({ assetId: asset.id, field: 'altText' as const, before: '', after: 'A cup' })) });
    applier.start();
    await vi.waitFor(() => expect(writing).not.toBeNull());
    expect(backend.changes.map((change) => change.status)).toEqual(['leased', 'leased', 'leased', 'leased']);

    window.dispatchEvent(new Event('pagehide'));
    await vi.waitFor(() => expect(released).toHaveLength(1));
    expect(released).toEqual(['panel-closing-applier']);
    expect(backend.changes.map((change) => change.status)).toEqual(['pending', 'pending', 'pending', 'pending']);
    const next = await backend.leaseChanges('site1', 'next-applier', 10);
    expect(next.changes).toHaveLength(4);
    applier.dispose();
  });

  it('asks as a new applier when the page comes back from the back-forward cache, and applies what it gave back', async () => {
    const { assets, backend, designer, applier, released } = setup();
    await backend.recordBatch('site1', { changes: [{ assetId: 'asset1', field: 'altText', before: '', after: 'A cup' }] });
    // Hidden before it applied anything: the Designer holds its first write.
    const setAltText = designer.setAltText.bind(designer);
    let writing: (() => void) | null = null;
    designer.setAltText = (assetId, altText, localeId) => new Promise((resolve) => (writing = () => void setAltText(assetId, altText, localeId).then(resolve)));
    applier.start();
    await vi.waitFor(() => expect(writing).not.toBeNull());
    window.dispatchEvent(new Event('pagehide'));
    await vi.waitFor(() => expect(released).toEqual(['panel-closing-applier']));
    designer.setAltText = setAltText;
    (writing as unknown as () => void)();

    // Back: the released applier would be granted nothing; a new one takes the change.
    window.dispatchEvent(Object.assign(new Event('pageshow'), { persisted: true }));
    await vi.waitFor(() => expect(backend.changes[0]?.status).toBe('applied'));
    expect(await designer.getAltText(assets[0]!.id, null)).toBe('A cup');
    expect(new Set(backend.leases).size).toBe(2);
    applier.dispose();
  });

  it('gives back a grant whose answer never came, and stops listening once disposed', async () => {
    const { backend, applier, released } = setup();
    await backend.recordBatch('site1', { changes: [{ assetId: 'asset1', field: 'altText', before: '', after: 'A cup' }] });
    // The backend grants the change, and the answer is cut off as the page closes.
    const lease = backend.leaseChanges.bind(backend);
    backend.leaseChanges = (...args) => {
      void lease(...args);
      return new Promise(() => undefined);
    };
    applier.start();
    await vi.waitFor(() => expect(backend.changes[0]?.status).toBe('leased'));
    window.dispatchEvent(new Event('pagehide'));
    await vi.waitFor(() => expect(released).toEqual(['panel-closing-applier']));
    expect(backend.changes[0]?.status).toBe('pending');

    applier.dispose();
    const afterDispose = released.length;
    window.dispatchEvent(new Event('pagehide'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(released).toHaveLength(afterDispose);
  });
});
