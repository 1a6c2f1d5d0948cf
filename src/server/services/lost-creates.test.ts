import { describe, expect, it } from 'vitest';
import { FakeWebflow } from '../../../test/server/fake-webflow.ts';
import { testStoreKinds, useTestStore } from '../../../test/server/store-test-helpers.ts';
import { assignUploadAsset, findUpload, insertCreatingUpload } from '../store/uploads.ts';
import { WebflowError } from '../webflow/types.ts';
import { createAssetIndex } from './asset-index.ts';
import { createFolders } from './folders.ts';
import { findLostFolder } from './lost-creates.ts';
import { createUploads } from './uploads.ts';

const SITE = 'site1';
const lost = () => new WebflowError(0, 'network', 'Creating: Webflow could not be reached (fetch failed)');

describe.each(testStoreKinds)('creates whose answer was lost, on %s', (kind) => {
  const stores = useTestStore(kind);

  function setup() {
    const webflow = new FakeWebflow();
    webflow.addSite(SITE);
    const getSiteToken = async (siteId: string) => webflow.tokens.get(siteId);
    const index = createAssetIndex({ store: stores.current(), webflow, getSiteToken });
    const uploads = createUploads({ store: stores.current(), webflow, index, getSiteToken });
    const folders = createFolders({ webflow, index, getSiteToken });
    return { webflow, uploads, folders };
  }

  it('sends an asset create once more after looking, when the lost one made nothing', async () => {
    const { webflow, uploads } = setup();
    webflow.failNext('createAsset', lost());

    const answer = await uploads.create({ userId: 'u1', siteId: SITE }, { fileName: 'hero.png', fileHash: 'a'.repeat(32), size: 100, contentType: 'image/png' });

    expect(answer.status).toBe('created');
    expect(webflow.assets.filter((a) => a.fileName === 'hero.png')).toHaveLength(1);
    expect(webflow.count('createAsset')).toBe(2);
    expect(webflow.count('deleteAsset')).toBe(0);
  });

  it('does not send an asset create again when the look itself fails: the sweeper settles it', async () => {
    const { webflow, uploads } = setup();
    webflow.failNext('createAsset', lost());
    webflow.failNext('listAssets', new WebflowError(503, 'internal_error', 'Listing assets: Webflow answered 503'));

    await expect(uploads.create({ userId: 'u1', siteId: SITE }, { fileName: 'hero.png', fileHash: 'a'.repeat(32), size: 100, contentType: 'image/png' })).rejects.toMatchObject({
      status: 502,
      message: expect.stringMatching(/will remove the asset if Webflow made one/),
    });
    expect(webflow.count('createAsset')).toBe(1);
  });

  it('refuses an asset create Webflow refused without looking or sending it again', async () => {
    const { webflow, uploads } = setup();
    webflow.failNext('createAsset', new WebflowError(400, 'validation_error', 'Creating an asset: Webflow answered 400 validation_error'));

    await expect(uploads.create({ userId: 'u1', siteId: SITE }, { fileName: 'hero.png', fileHash: 'a'.repeat(32), size: 100, contentType: 'image/png' })).rejects.toMatchObject({ status: 502 });
    expect(webflow.count('createAsset')).toBe(1);
    expect(webflow.count('listAssets')).toBe(0);
  });

  it("records a refusal whatever Webflow's words hold (a NUL, a lone surrogate)", async () => {
    const { webflow, uploads } = setup();
    webflow.failNext('createAsset', new WebflowError(400, 'validation_error', 'Creating an asset: bad name \u0000 \ud800'));

    await expect(uploads.create({ userId: 'u1', siteId: SITE }, { fileName: 'hero.png', fileHash: 'a'.repeat(32), size: 100, contentType: 'image/png' })).rejects.toMatchObject({ status: 502 });
  });

  it('keeps tracking an expired upload whose asset the sweeper could not remove', async () => {
    const { webflow, uploads } = setup();
    const asset = webflow.addAsset(SITE, { fileName: 'late.png', size: 0 });
    const record = await insertCreatingUpload(stores.current(), { upload_id: 'up-1', site_id: SITE, md5: 'b'.repeat(32), file_name: 'late.png', folder_id: null, user_id: 'u1', lookBy: new Date() });
    await assignUploadAsset(stores.current(), record.upload_id, asset.id, new Date(Date.now() - 1000));
    webflow.failNext('deleteAsset', new WebflowError(0, 'timeout', 'Deleting an asset: Webflow did not answer in time'));

    expect(await uploads.sweep()).toBe(0);

    expect(webflow.assets.map((a) => a.id)).toContain(asset.id);
    expect(await findUpload(stores.current(), SITE, 'up-1')).toMatchObject({ status: 'pending', asset_id: asset.id });
  });

  it('takes a delete whose answer was lost as done when the asset is gone', async () => {
    const { webflow, uploads } = setup();
    const asset = webflow.addAsset(SITE, { fileName: 'gone.png', size: 0 });
    const record = await insertCreatingUpload(stores.current(), { upload_id: 'up-2', site_id: SITE, md5: 'c'.repeat(32), file_name: 'gone.png', folder_id: null, user_id: 'u1', lookBy: new Date() });
    await assignUploadAsset(stores.current(), record.upload_id, asset.id, new Date(Date.now() - 1000));
    // Webflow deleted it, then the answer was lost.
    const deleteAsset = webflow.deleteAsset.bind(webflow);
    webflow.deleteAsset = async (token, assetId, options) => {
      await deleteAsset(token, assetId, options);
      throw new WebflowError(502, 'internal_error', 'Deleting an asset: Webflow answered 502');
    };

    expect(await uploads.sweep()).toBe(1);

    expect(webflow.assets.map((a) => a.id)).not.toContain(asset.id);
    expect(await findUpload(stores.current(), SITE, 'up-2')).toMatchObject({ status: 'expired' });
  });

  it('sends a folder create once more after looking, when the lost one made nothing', async () => {
    const { webflow, folders } = setup();
    webflow.failNext('createFolder', lost());

    const folder = await folders.create(SITE, { name: 'Campaigns' });

    expect(folder.name).toBe('Campaigns');
    expect(webflow.folders.filter((f) => f.displayName === 'Campaigns')).toHaveLength(1);
    expect(webflow.count('createFolder')).toBe(2);
  });
});

describe('finding the folder a lost create made', () => {
  const at = (iso: string) => ({ siteId: SITE, assets: [], createdOn: iso, lastUpdated: iso });

  it('takes the newest folder of that name and parent that was not known before, and no other', () => {
    const known = { id: 'f1', name: 'Spring', parentId: 'p' };
    const folders = [
      { id: 'f1', displayName: 'Spring', parentFolder: 'p', ...at('2026-01-01T00:00:00Z') },
      { id: 'f2', displayName: 'Spring', parentFolder: null, ...at('2026-01-02T00:00:00Z') },
      { id: 'f3', displayName: 'Spring', parentFolder: 'p', ...at('2026-01-03T00:00:00Z') },
      { id: 'f4', displayName: 'Summer', parentFolder: 'p', ...at('2026-01-04T00:00:00Z') },
    ];

    expect(findLostFolder(folders, { name: ' Spring ', parentId: 'p' }, [known])?.id).toBe('f3');
    expect(findLostFolder(folders, { name: 'Spring', parentId: 'q' }, [known])).toBeUndefined();
    expect(findLostFolder(folders.slice(0, 1), { name: 'Spring', parentId: 'p' }, [known])).toBeUndefined();
  });
});
