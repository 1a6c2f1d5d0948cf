/**
 * Staged vs live, against the sandbox: the items our CMS changes were applied to wait for
 * publishing (GET …/cms/unpublished), each saying whether the wait is ours alone; publishing
 * (POST …/cms/publish) puts live only those, refuses the others with the reason, and never
 * happens by itself.
 */
import { describe, expect, it } from 'vitest';
import { publishResponse, unpublishedResponse } from '../../src/core/cms.ts';
import { cmsBackend, collectionNamed, itemOf, itemsOf, mainImageChanges, useCmsSandbox, type WireItem } from './cms-support.ts';
import { wire } from './sandbox-control.ts';
import { jsonPost } from './site-app.ts';

const cms = useCmsSandbox();
const { stores } = cms;
const live = (item: WireItem) => !item.isDraft && item.lastPublished !== null && Date.parse(item.lastPublished) >= Date.parse(item.lastUpdated);

describe('items waiting for publishing', () => {
  it('lists what our changes left staged, publishes only items whose only change is ours, and refuses the rest', async () => {
    const backend = await cmsBackend(cms.sandbox, stores.current());
    const site = `/api/sites/${cms.sandbox.info.siteId}`;
    const blog = collectionNamed(cms.sandbox, 'blog-posts');
    const published = (await itemsOf(cms.sandbox, blog.id)).filter((item) => live(item) && typeof item.fieldData['main-image'] === 'object').slice(0, 3);
    const [ours, theirs, draft] = published as [WireItem, WireItem, WireItem];
    const staged = (await itemsOf(cms.sandbox, blog.id)).find((item) => !live(item) && !item.isDraft && typeof item.fieldData['main-image'] === 'object') as WireItem;
    await backend.record(mainImageChanges(blog.id, [ours, theirs, draft, staged], (i) => `To publish ${i}`));
    await backend.applier.drain(cms.sandbox.info.siteId);
    // Never published by itself.
    expect(live(await itemOf(cms.sandbox, blog.id, ours.id))).toBe(false);
    // Meanwhile in Webflow: someone edits one item, someone makes another a draft.
    await wire(cms.sandbox, cms.sandbox.info.siteToken, `/collections/${blog.id}/items/${theirs.id}`, { method: 'PATCH', body: { fieldData: { summary: 'Their edit' } } });
    await wire(cms.sandbox, cms.sandbox.info.siteToken, `/collections/${blog.id}/items/${draft.id}`, { method: 'PATCH', body: { isDraft: true } });

    const listed = unpublishedResponse.parse(await (await backend.app.request(`${site}/cms/unpublished`)).json());
    expect(Object.fromEntries(listed.items.map((item) => [item.itemId, item.onlyOurs]))).toEqual({ [ours.id]: true, [theirs.id]: false, [draft.id]: false, [staged.id]: false });
    expect(listed.items.find((item) => item.itemId === draft.id)).toMatchObject({ isDraft: true, localeId: null, changeIds: [expect.any(String)] });

    const response = await backend.app.request(`${site}/cms/publish`, jsonPost({ itemIds: [ours.id, theirs.id, draft.id, 'ffffffffffffffffffffffff'] }));
    expect(response.status).toBe(200);
    const answer = publishResponse.parse(await response.json());
    expect(answer.published).toEqual([{ itemId: ours.id, localeId: null }]);
    expect(answer.failed).toEqual([]);
    expect(Object.fromEntries(answer.refused.map((r) => [r.itemId, r.reason]))).toEqual({
      [theirs.id]: expect.stringContaining('not Asset Desk'),
      [draft.id]: expect.stringContaining('is a draft'),
      ffffffffffffffffffffffff: expect.stringContaining('No change of Asset Desk waits'),
    });
    expect(live(await itemOf(cms.sandbox, blog.id, ours.id))).toBe(true);
    expect(live(await itemOf(cms.sandbox, blog.id, theirs.id))).toBe(false);
    expect((await itemOf(cms.sandbox, blog.id, draft.id)).isDraft).toBe(true);

    // Published items wait no more; an item published in Webflow by someone else neither.
    await wire(cms.sandbox, cms.sandbox.info.siteToken, `/collections/${blog.id}/items/publish`, { method: 'POST', body: { itemIds: [theirs.id] } });
    const after = unpublishedResponse.parse(await (await backend.app.request(`${site}/cms/unpublished`)).json());
    expect(after.items.map((item) => item.itemId).sort()).toEqual([draft.id, staged.id].sort());
  });

  it('refuses a publish request that is not a list of item ids', async () => {
    const backend = await cmsBackend(cms.sandbox, stores.current());
    const site = `/api/sites/${cms.sandbox.info.siteId}`;
    for (const body of [{}, { itemIds: [] }, { itemIds: ['not an id!'] }, { itemIds: 'abc' }]) {
      const response = await backend.app.request(`${site}/cms/publish`, jsonPost(body));
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: { code: 'validation_error' } });
    }
  });
});
