/**
 * CMS alt-text changes through the one journal, applied by the server applier against the
 * sandbox: galleries, main images and inline Rich Text images written with every other field,
 * gallery image and byte of HTML untouched; conflicts instead of overwrites; undo; more items than
 * one PATCH takes; a schema or an item changed in Webflow meanwhile; the usage index told at once.
 */
import { describe, expect, it } from 'vitest';
import { changesResponse, type Change } from '../../src/core/api.ts';
import { createUsageIndex } from '../../src/server/usage/usage-index.ts';
import { type CmsBackend, cmsBackend, cmsChange, collectionNamed, comparable, expectedAfter, galleryChanges, itemOf, itemsOf, mainImageChanges, richTextChanges, useCmsSandbox } from './cms-support.ts';
import { resetStats, statsOf } from './sandbox-control.ts';

const cms = useCmsSandbox();
const { stores } = cms;

async function statusesOf(backend: CmsBackend, batchChanges: readonly Change[]): Promise<Change[]> {
  const site = `/api/sites/${cms.sandbox.info.siteId}`;
  const answer = changesResponse.parse(await (await backend.app.request(`${site}/changes?status=pending,leased,applied,conflict,failed,discarded&limit=5000`)).json());
  const ids = new Set(batchChanges.map((c) => c.id));
  return answer.changes.filter((c) => ids.has(c.id));
}

const patchesOf = (stats: { byRoute: Record<string, number> }) => stats.byRoute['PATCH /v2/collections/:id/items'] ?? 0;

describe('CMS changes applied by the server applier', () => {
  it('writes a gallery image, a main image and an inline image, leaving every other byte as it was', async () => {
    const backend = await cmsBackend(cms.sandbox, stores.current());
    const products = collectionNamed(cms.sandbox, 'products');
    const blog = collectionNamed(cms.sandbox, 'blog-posts');
    const [productItems, blogItems] = await Promise.all([itemsOf(cms.sandbox, products.id), itemsOf(cms.sandbox, blog.id)]);
    const gallery = galleryChanges(products.id, productItems.slice(0, 6), 1, (i) => `Gallery image ${i} & "more"`);
    const inline = richTextChanges(blog.id, blogItems.slice(0, 10), (i) => `Inline <${i}> 'quoted'`);
    const main = mainImageChanges(blog.id, blogItems.slice(0, 10), (i) => `Main image ${i}`);
    const changes = [...gallery, ...inline, ...main];
    expect(gallery.length).toBeGreaterThan(2);
    expect(inline.length).toBeGreaterThan(2);
    const touched = [...productItems.slice(0, 6), ...blogItems.slice(0, 10)];
    await resetStats(cms.sandbox);

    const batch = await backend.record(changes, 'Fix CMS alt text');
    await backend.applier.drain(cms.sandbox.info.siteId);

    expect((await statusesOf(backend, batch.changes)).map((c) => c.status)).toEqual(changes.map(() => 'applied'));
    for (const before of touched) {
      const collectionId = productItems.includes(before) ? products.id : blog.id;
      expect(comparable(await itemOf(cms.sandbox, collectionId, before.id))).toEqual(expectedAfter(before, changes));
    }
    // One PATCH per collection: an item's changes (main image and body) go in one update.
    expect(patchesOf(await statsOf(cms.sandbox))).toBe(2);
  });

  it('marks a change as conflicting when Webflow changed the alt meanwhile, and writes nothing', async () => {
    const backend = await cmsBackend(cms.sandbox, stores.current());
    const products = collectionNamed(cms.sandbox, 'products');
    const [item] = (await itemsOf(cms.sandbox, products.id)).slice(10, 11);
    const [change] = galleryChanges(products.id, [item!], 0, () => 'Mine');
    await backend.record([{ ...change!, before: 'What the panel saw long ago' }]);
    const before = await itemOf(cms.sandbox, products.id, item!.id);

    await backend.applier.drain(cms.sandbox.info.siteId);

    const [settled] = (await backend.journal.list(cms.sandbox.info.siteId, ['conflict'], 10)).changes;
    expect(settled).toMatchObject({ status: 'conflict', current: (before.fieldData.gallery as { alt: string | null }[])[0]?.alt ?? null });
    expect(await itemOf(cms.sandbox, products.id, item!.id)).toEqual(before);
  });

  it('undoes a batch: every alt back to what it was, byte for byte', async () => {
    const backend = await cmsBackend(cms.sandbox, stores.current());
    const blog = collectionNamed(cms.sandbox, 'blog-posts');
    const items = (await itemsOf(cms.sandbox, blog.id)).slice(20, 30);
    const changes = [...richTextChanges(blog.id, items, () => 'Temporary'), ...mainImageChanges(blog.id, items, () => null)];
    const batch = await backend.record(changes);
    await backend.applier.drain(cms.sandbox.info.siteId);
    expect(comparable(await itemOf(cms.sandbox, blog.id, items[0]!.id))).toEqual(expectedAfter(items[0]!, changes));

    const undo = await backend.undo(batch.id);
    await backend.applier.drain(cms.sandbox.info.siteId);

    expect((await statusesOf(backend, undo.changes)).every((c) => c.status === 'applied')).toBe(true);
    for (const item of items) expect(comparable(await itemOf(cms.sandbox, blog.id, item.id))).toEqual(comparable(item));
  });

  it('sends 150 items in two PATCHes of at most 100, and applies each change once', async () => {
    const backend = await cmsBackend(cms.sandbox, stores.current());
    const blog = collectionNamed(cms.sandbox, 'blog-posts');
    const items = await itemsOf(cms.sandbox, blog.id);
    const changes = mainImageChanges(blog.id, items, (i) => `Post picture ${i}`);
    expect(changes.length).toBeGreaterThan(100);
    await resetStats(cms.sandbox);

    const batch = await backend.record(changes);
    await backend.applier.drain(cms.sandbox.info.siteId);

    expect((await statusesOf(backend, batch.changes)).filter((c) => c.status === 'applied')).toHaveLength(changes.length);
    expect(patchesOf(await statsOf(cms.sandbox))).toBe(Math.ceil(changes.length / 100));
  });

  it('fails a change whose field was renamed or whose item was deleted, and applies the rest', async () => {
    const backend = await cmsBackend(cms.sandbox, stores.current());
    const team = collectionNamed(cms.sandbox, 'team-members');
    const products = collectionNamed(cms.sandbox, 'products');
    const teamItems = (await itemsOf(cms.sandbox, team.id)).filter((item) => typeof item.fieldData.photo === 'object').slice(0, 3);
    const productItems = (await itemsOf(cms.sandbox, products.id)).slice(20, 24);
    const photos = teamItems.map((item) => {
      const photo = item.fieldData.photo as { fileId: string; alt: string | null };
      return cmsChange({ collectionId: team.id, itemId: item.id, fieldSlug: 'photo', fieldType: 'Image', position: null }, photo.fileId, photo.alt, 'Portrait');
    });
    const gallery = galleryChanges(products.id, productItems, 0, () => 'Front view');
    await backend.record([...photos, ...gallery]);
    // Meanwhile, in Webflow: the photo field renamed, one product deleted.
    const field = team.fields.find((f) => f.slug === 'photo')!;
    field.slug = 'portrait';
    const deleted = productItems[1]!;
    cms.sandbox.world.content.deleteItem(products.id, deleted.id);
    try {
      await backend.applier.drain(cms.sandbox.info.siteId);
    } finally {
      field.slug = 'photo';
    }

    const { changes } = await backend.journal.list(cms.sandbox.info.siteId, ['applied', 'failed'], 100);
    const failed = changes.filter((c) => c.status === 'failed');
    expect(failed.filter((c) => c.cmsTarget?.fieldSlug === 'photo').map((c) => c.error)).toEqual(photos.map(() => expect.stringContaining('schema changed')));
    expect(failed.find((c) => c.cmsTarget?.itemId === deleted.id)?.error).toMatch(/no longer in collection “Products” \(deleted in Webflow\)/);
    const applied = changes.filter((c) => c.status === 'applied').map((c) => (c.cmsTarget?.itemId ?? ''));
    expect(applied.sort()).toEqual(productItems.filter((item) => item !== deleted && Array.isArray(item.fieldData.gallery)).map((item) => item.id).sort());
  });

  it('shows the new alt in the usage index at once, without a crawl', async () => {
    const store = stores.current();
    const backend = await cmsBackend(cms.sandbox, store);
    const usage = createUsageIndex({ store, reader: backend.webflow, getSiteToken: async () => backend.token });
    await usage.crawl(cms.sandbox.info.siteId);
    const products = collectionNamed(cms.sandbox, 'products');
    const [item] = (await itemsOf(cms.sandbox, products.id)).slice(30, 31);
    const [change] = galleryChanges(products.id, [item!], 0, () => 'Seen at once');
    await backend.record([change!]);
    await resetStats(cms.sandbox);

    await backend.applier.drain(cms.sandbox.info.siteId);

    const uses = (await usage.assetUsage(cms.sandbox.info.siteId, change!.assetId)).uses;
    const use = uses.find((u) => u.where.kind === 'cms-image' && u.where.itemId === item!.id && u.where.index === 0 && u.localeId === cms.sandbox.world.site(cms.sandbox.info.siteId).locales.primary.id);
    expect(use?.altText).toBe('Seen at once');
    expect((await statsOf(cms.sandbox)).byRoute['GET /v2/sites/:id/pages']).toBeUndefined();
  });
});
