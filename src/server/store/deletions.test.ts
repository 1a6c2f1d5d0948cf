import { describe, expect, it } from 'vitest';
import { testStoreKinds, useTestStore } from '../../../test/server/store-test-helpers.ts';
import { findKept, keepAsset, markDeleted, markRestored, noteRestoreUpload, purgeExpired, type NewKeptAsset } from './deletions.ts';
import { markSeenUsed, readSeenUsed } from './usage.ts';

const SITE = 'site1';

function kept(overrides: Partial<NewKeptAsset> = {}): NewKeptAsset {
  return {
    siteId: SITE,
    assetId: 'a1',
    fileName: 'caf\u00e9\u0000menu.pdf',
    displayName: 'Menu \ud800',
    contentType: 'application/pdf',
    md5: 'd41d8cd98f00b204e9800998ecf8427e',
    folderId: 'f1',
    altText: null,
    localeAltText: { fr: 'La carte', de: null },
    bytes: Uint8Array.from({ length: 70_000 }, (_, i) => (i * 7) % 256),
    expiresAt: new Date(Date.now() + 30 * 86_400_000),
    ...overrides,
  };
}

describe.each(testStoreKinds)('deleted assets kept for an undo, on %s', (kind) => {
  const stores = useTestStore(kind);

  it('keeps the bytes, names (whatever they hold), folder and alt texts, and what the undo made', async () => {
    const store = stores.current();
    await keepAsset(store, kept());
    const found = await findKept(store, SITE, 'a1');
    expect(found).toMatchObject({ fileName: 'caf\u00e9\u0000menu.pdf', displayName: 'Menu \ud800', folderId: 'f1', altText: null, localeAltText: { fr: 'La carte', de: null }, deletedAt: null, restoreUploadId: null, restoredAssetId: null });
    expect(found?.bytes).toEqual(kept().bytes);
    await markDeleted(store, SITE, 'a1');
    await noteRestoreUpload(store, SITE, 'a1', 'upload-1');
    await markRestored(store, SITE, 'a1', 'a2');
    expect(await findKept(store, SITE, 'a1')).toMatchObject({ restoreUploadId: 'upload-1', restoredAssetId: 'a2', deletedAt: null });
    // Deleted again (after the undo): kept afresh, the undo's traces gone.
    await keepAsset(store, kept({ displayName: 'Menu 2' }));
    expect(await findKept(store, SITE, 'a1')).toMatchObject({ displayName: 'Menu 2', restoreUploadId: null, restoredAssetId: null });
  });

  it('forgets what is past its date, and never answers it meanwhile', async () => {
    const store = stores.current();
    await keepAsset(store, kept({ assetId: 'old', expiresAt: new Date(Date.now() - 1000) }));
    await keepAsset(store, kept({ assetId: 'new' }));
    expect(await findKept(store, SITE, 'old')).toBeUndefined();
    expect(await purgeExpired(store)).toBe(1);
    expect(await findKept(store, SITE, 'new')).toBeDefined();
  });

  it('dates when each asset was last seen used, per site', async () => {
    const store = stores.current();
    await markSeenUsed(store, SITE, ['a1', 'a1', 'a2']);
    const first = await readSeenUsed(store, SITE, ['a1', 'a2', 'a3']);
    expect([...first.keys()].sort()).toEqual(['a1', 'a2']);
    await markSeenUsed(store, SITE, ['a1']);
    const second = await readSeenUsed(store, SITE, ['a1']);
    expect(second.get('a1')?.getTime()).toBeGreaterThanOrEqual(first.get('a1')?.getTime() ?? Infinity);
    expect((await readSeenUsed(store, 'site2', ['a1'])).size).toBe(0);
  });
});
