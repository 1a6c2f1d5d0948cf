/** The Designer applier with page element changes: only on the open page, compared by what the element shows. */
import { describe, expect, it } from 'vitest';
import type { Change, ChangeInput } from '../../core/api.ts';
import { BackendError, type LeaseOptions } from '../ports/backend.ts';
import { createApplier } from '../models/applier.ts';
import { designerWithCanvas } from '../testing/canvas-fakes.ts';
import { FakeBackend, FakeDesigner, makeAsset } from '../testing/fakes.ts';

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !condition(); i += 1) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(condition()).toBe(true);
}

const element = (elementId: string, before: string | null, after: string | null, pageId = 'home'): ChangeInput => ({
  assetId: 'asset1',
  field: 'altText',
  target: { kind: 'element', pageId, elementId },
  before,
  after,
});

function setup(backend = new FakeBackend({ assets: [makeAsset(1, { altText: 'A red door' })] })) {
  const { designer, canvas } = designerWithCanvas(new FakeDesigner(backend.assets), [
    { id: 'home', name: 'Home', elements: [{ elementId: 'hero', assetId: 'asset1', alt: null }, { elementId: 'side', assetId: 'asset1', alt: 'Side door' }] },
    { id: 'about', name: 'About', elements: [{ elementId: 'office', assetId: 'asset1', alt: null }] },
  ]);
  const settled: Change[] = [];
  const open = { pageId: 'home' as string | null };
  const applier = createApplier({ backend, designer, siteId: 'site1', idleMs: 5, onSettled: (change) => settled.push(change), openPageId: () => open.pageId });
  return { backend, designer, canvas, applier, settled, open };
}

describe('the Designer applier with page elements', () => {
  it('sets an element’s alt text, and back to the asset’s with null', async () => {
    const { backend, canvas, applier, settled } = setup();
    await backend.recordBatch('site1', { changes: [element('hero', null, 'Front door'), element('side', 'Side door', null)] });
    applier.start();
    await until(() => settled.length === 2);
    applier.dispose();
    expect(settled.map((change) => change.status)).toEqual(['applied', 'applied']);
    expect(canvas.image('hero').alt).toBe('Front door');
    expect(canvas.image('side').alt).toBeNull();
  });

  it('reports a conflict with the element’s setting, "uses the asset’s" as null, and writes nothing', async () => {
    const { backend, canvas, applier, settled } = setup();
    await backend.recordBatch('site1', { changes: [element('hero', 'Was an override', 'Front door'), element('side', null, 'Mine')] });
    applier.start();
    await until(() => settled.length === 2);
    applier.dispose();
    expect(settled.map((change) => [change.status, change.current])).toEqual([
      ['conflict', null],
      ['conflict', 'Side door'],
    ]);
    expect(canvas.calls.get('setAltText')).toBeUndefined();
  });

  it('counts an element already showing the after-value as applied, without writing again', async () => {
    const { backend, canvas, applier, settled } = setup();
    await backend.recordBatch('site1', { changes: [element('side', 'Old', 'Side door')] });
    applier.start();
    await until(() => settled.length === 1);
    applier.dispose();
    expect(settled[0]?.status).toBe('applied');
    expect(canvas.calls.get('setAltText')).toBeUndefined();
  });

  it('leaves another page’s changes for when it is open', async () => {
    class CountingBackend extends FakeBackend {
      answeredLeases = 0;
      override async leaseChanges(...args: Parameters<FakeBackend['leaseChanges']>) {
        const lease = await super.leaseChanges(...args);
        this.answeredLeases += 1;
        return lease;
      }
    }
    const backend = new CountingBackend({ assets: [makeAsset(1, { altText: 'A red door' })] });
    const { canvas, applier, settled, open } = setup(backend);
    await backend.recordBatch('site1', { changes: [element('office', null, 'Office', 'about')] });
    applier.start();
    // A second lease is asked only once the first one's pass is over: the applier has looked.
    await until(() => backend.answeredLeases >= 2);
    expect(settled).toEqual([]);
    expect(backend.changes[0]?.status).toBe('pending');
    canvas.openPage('about');
    open.pageId = 'about';
    applier.wake();
    await until(() => settled.length === 1);
    applier.dispose();
    expect(canvas.image('office').alt).toBe('Office');
  });

  it('ends a long poll when woken, and asks again with the page now open', async () => {
    class HoldingBackend extends FakeBackend {
      asked: Array<string | null | undefined> = [];
      override async leaseChanges(siteId: string, applierId: string, limit: number, seconds?: number, waitSeconds = 0, options: LeaseOptions = {}) {
        this.asked.push(options.pageId);
        if (waitSeconds > 0) {
          await new Promise<void>((_resolve, reject) =>
            options.signal?.addEventListener('abort', () => reject(new BackendError(0, 'aborted', 'cancelled'))),
          );
        }
        return super.leaseChanges(siteId, applierId, limit, seconds, 0, options);
      }
    }
    const backend = new HoldingBackend({ assets: [makeAsset(1, { altText: 'A red door' })] });
    const { applier, open } = setup(backend);
    applier.start();
    await until(() => backend.asked.length === 1);
    open.pageId = 'about';
    applier.wake();
    await until(() => backend.asked.length >= 2);
    applier.dispose();
    expect(backend.asked.slice(0, 2)).toEqual(['home', 'about']);
    expect(applier.error.value).toBeNull();
  });
});
