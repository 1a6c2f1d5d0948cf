import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAnnouncer } from '../models/announcer.ts';
import { createAssetsModel } from '../models/assets.ts';
import { createEditsModel } from '../models/edits.ts';
import { FakeBackend, frenchLocale, makeAsset, makeCmsUse, MemoryStorage, primaryLocale, type FakeCmsUse } from '../testing/fakes.ts';
import { createCmsImagesModel, type CmsImagesModel } from './model.ts';
import { cmsTargetOf, type CmsUse } from './uses.ts';

const gallery = (position: number, altText: string | null, localeId: string | null = null): FakeCmsUse => makeCmsUse({ position, altText, localeId, assetId: `asset${position + 1}` });
const body: FakeCmsUse = { ...gallery(0, 'Old text'), collectionId: 'posts', collectionName: 'Posts', itemId: 'post1', itemName: 'Brewing', fieldSlug: 'body', fieldType: 'RichText', assetId: 'asset3' };
const main: FakeCmsUse = { ...body, fieldSlug: 'main-image', fieldType: 'Image', position: null, altText: null };

const models: CmsImagesModel[] = [];
afterEach(() => models.splice(0).forEach((model) => model.dispose()));

async function setup() {
  const backend = new FakeBackend({
    assets: [makeAsset(1, { altText: 'Roasted beans', localeAltText: { fr: 'Grains torréfiés' } }), makeAsset(2, { altText: '' }), makeAsset(3, { altText: 'A cup' })],
    locales: [primaryLocale, frenchLocale],
  });
  backend.cmsUses = [gallery(0, null), gallery(1, 'A grinder'), gallery(0, null, 'fr'), body, main];
  const assets = createAssetsModel(backend, 'site1');
  await assets.load();
  const announcer = createAnnouncer();
  let model: CmsImagesModel | null = null;
  const edits = createEditsModel({ backend, siteId: 'site1', assets, announcer, storage: new MemoryStorage(), onRecorded: (batch) => model?.recorded(batch) });
  model = createCmsImagesModel({
    backend,
    siteId: 'site1',
    edits,
    announcer,
    watchMs: 5,
    assetAltText: (assetId, localeId) => {
      const asset = assets.byId.value.get(assetId);
      return asset ? (edits.savedAltText(asset, localeId) ?? edits.savedAltText(asset, null)) : undefined;
    },
  });
  models.push(model);
  await model.load();
  const use = (fieldSlug: string, position: number | null, localeId: string | null = null): CmsUse => {
    const found = model.uses.value.find((each) => each.fieldSlug === fieldSlug && each.position === position && each.localeId === localeId);
    if (!found) throw new Error(`no use ${fieldSlug} ${position}`);
    return found;
  };
  return { backend, edits, assets, announcer, model, use };
}

describe('the CMS images model', () => {
  it('journals a saved alt text as a change of that use, shows it pending, never leases it to the Designer, and shows the value the server applied', async () => {
    const { backend, edits, assets, model, use } = await setup();
    const first = use('gallery', 0);
    model.setDraft(first.key, 'Beans in a scoop');
    expect(await model.save(first.key)).toBe(true);
    const [change] = backend.changes;
    expect(change).toMatchObject({ assetId: 'asset1', field: 'altText', localeId: null, before: null, after: 'Beans in a scoop', status: 'pending' });
    expect(cmsTargetOf(change!)).toEqual({ kind: 'cms', collectionId: 'products', itemId: 'espresso', fieldSlug: 'gallery', fieldType: 'MultiImage', position: 0 });
    expect(model.isPending(first.key)).toBe(true);
    expect(model.fieldValue(first)).toBe('Beans in a scoop');
    expect((await backend.leaseChanges('site1', 'panel-designer', 100)).changes).toEqual([]);

    backend.applyCmsChanges();
    await vi.waitFor(() => expect(model.isPending(first.key)).toBe(false));
    expect(model.altText(first)).toBe('Beans in a scoop');
    expect(model.problem(first.key)).toBeNull();
    // Only that image of the gallery changed.
    expect(backend.cmsUses.map((each) => each.altText)).toEqual(['Beans in a scoop', 'A grinder', null, 'Old text', null]);
    // The asset's own alt text is not the use's: the grid still shows the asset's.
    expect(edits.savedAltText(assets.byId.value.get('asset1')!, null)).toBe('Roasted beans');
  });

  it('keeps each locale’s use apart', async () => {
    const { backend, model, use } = await setup();
    const french = use('gallery', 0, 'fr');
    model.setDraft(french.key, 'Des grains');
    await model.save(french.key);
    expect(backend.changes[0]).toMatchObject({ localeId: 'fr', after: 'Des grains' });
    expect(model.fieldValue(use('gallery', 0))).toBe('');
  });

  it('shows a conflict with Webflow’s value and why, when the use changed meanwhile', async () => {
    const { backend, model, use } = await setup();
    const second = use('gallery', 1);
    model.setDraft(second.key, 'A burr grinder');
    await model.save(second.key);
    backend.cmsUses[1]!.altText = 'Someone else’s text';
    backend.applyCmsChanges();
    await vi.waitFor(() => expect(model.problem(second.key)).toMatch(/changed in Webflow meanwhile \(it is “Someone else’s text”\)/));
    expect(model.altText(second)).toBe('Someone else’s text');
    expect(model.isPending(second.key)).toBe(false);
  });

  it('undoes a saved change with the asset changes’ undo: the use goes back to what it held', async () => {
    const { backend, edits, model, use } = await setup();
    const second = use('gallery', 1);
    model.setDraft(second.key, 'A burr grinder');
    await model.save(second.key);
    backend.applyCmsChanges();
    await vi.waitFor(() => expect(model.isPending(second.key)).toBe(false));
    expect(await edits.undoLast()).toBe(true);
    expect(model.isPending(second.key)).toBe(true);
    expect(model.fieldValue(second)).toBe('A grinder');
    backend.applyCmsChanges();
    await vi.waitFor(() => expect(model.isPending(second.key)).toBe(false));
    expect(backend.cmsUses[1]?.altText).toBe('A grinder');
    expect(model.altText(second)).toBe('A grinder');
  });

  it('undoes a change the server had not applied yet: discarded, the read value shows, nothing left watched', async () => {
    const { backend, edits, model, use } = await setup();
    const second = use('gallery', 1);
    model.setDraft(second.key, 'A burr grinder');
    await model.save(second.key);
    await edits.undoLast();
    expect(model.isPending(second.key)).toBe(false);
    expect(model.altText(second)).toBe('A grinder');
    expect(backend.applyCmsChanges()).toEqual([]);
  });

  it('marks only a Rich Text image decorative (alt=""), journaling nothing for an Image field', async () => {
    const { backend, model, use } = await setup();
    expect(await model.markDecorative(use('main-image', null).key)).toBe(false);
    expect(backend.changes).toEqual([]);
    expect(await model.markDecorative(use('body', 0).key)).toBe(true);
    expect(backend.changes[0]).toMatchObject({ before: 'Old text', after: '' });
  });

  it('offers the asset’s alt text in the use’s locale, unless the field holds it already', async () => {
    const { model, use } = await setup();
    expect(model.suggestion(use('gallery', 0))).toBe('Roasted beans');
    expect(model.suggestion(use('gallery', 0, 'fr'))).toBe('Grains torréfiés');
    // asset2 has no alt text: nothing to offer.
    expect(model.suggestion(use('gallery', 1))).toBeNull();
    const main = use('main-image', null);
    model.setDraft(main.key, 'A cup');
    expect(model.suggestion(main)).toBeNull();
  });

  it('saves nothing for an emptied field of a use that has no alt text, and keeps the draft when the journal refuses', async () => {
    const { backend, model, use, announcer } = await setup();
    const main = use('main-image', null);
    model.setDraft(main.key, '');
    expect(await model.save(main.key)).toBe(true);
    expect(backend.changes).toEqual([]);
    const first = use('gallery', 0);
    model.setDraft(first.key, 'Beans');
    const { BackendError } = await import('../ports/backend.ts');
    backend.failNext.recordBatch = new BackendError(0, 'network', 'The backend could not be reached.');
    expect(await model.save(first.key)).toBe(false);
    expect(model.drafts.value.get(first.key)).toBe('Beans');
    expect(announcer.current.value?.message).toMatch(/Not saved: The backend could not be reached/);
  });

  it('filters as told; another collection starts with all its fields', async () => {
    const { model } = await setup();
    model.setFilters({ fieldSlug: 'gallery' });
    expect(model.shown.value).toHaveLength(3);
    model.setFilters({ collectionId: 'posts' });
    expect(model.filters.value.fieldSlug).toBe('all');
    expect(model.shown.value.map((each) => each.fieldSlug)).toEqual(['body', 'main-image']);
  });
});
