/**
 * The CMS on the sandbox's Data API: collections (`cms:read`), their items per CMS locale
 * (`cmsLocaleId`, paginated), and staged changes to one item or up to 100 at once (`cms:write`).
 * A change is checked whole against the collection's fields before anything is written
 * (world/cms.ts). Publishing (`POST …/items/publish`, `cms:write`) puts items live in CMS locales:
 * `lastPublished` becomes the time of the publish, and a draft is one no more. Deleting an item
 * (`DELETE …/items/{item_id}`) removes it in every locale.
 */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { WorldError } from '../world/errors.ts';
import type { ItemChange } from '../world/cms.ts';
import type { WorldCollection } from '../world/site-content.ts';
import type { World } from '../world/world.ts';
import { wireCollection, wireItem } from './content-wire.ts';
import { missingScope, outsideSite, type GateEnv } from './gate.ts';
import { body, objectId, pageParams } from './params.ts';

const itemFields = {
  cmsLocaleId: z.string().optional(),
  isDraft: z.boolean().optional(),
  isArchived: z.boolean().optional(),
  fieldData: z.record(z.string(), z.unknown()).optional(),
  // Read-only: a client may send back what it read; they change nothing.
  lastPublished: z.unknown().optional(),
  lastUpdated: z.unknown().optional(),
  createdOn: z.unknown().optional(),
};
// Stricter than Webflow (docs/decisions/sandbox-fidelity.md): an unknown key is refused, not
// ignored, so a client that wraps its change (`{"body": {...}}`) hears so instead of changing nothing.
const updateItemBody = z.object({ id: z.string().optional(), ...itemFields }).strict();
const updateItemsBody = z.object({ items: z.array(z.object({ id: z.string(), ...itemFields }).strict()) }).strict();

;
// `{itemIds}` publishes in the primary locale; `{items: [{id, cmsLocaleIds}]}` in the locales named.
const publishBody = z.union([
  z.object({ itemIds: z.array(z.string()) }).strict(),
  z.object({ items: z.array(z.object({ id: z.string(), cmsLocaleIds: z.array(z.string()).optional() }).strict()) }).strict(),
]);

const SORTS = ['createdOn', 'lastPublished', 'lastUpdated', 'name', 'slug'] as const;

export function cmsRoutes(world: World, baseUrl: () => string): Hono<GateEnv> {
  const app = new Hono<GateEnv>();

  /** A collection of a site the token may see; another site's collection does not exist for it. */
  const collectionOfToken = (c: Context<GateEnv>): WorldCollection => {
    const collection = world.content.collection(objectId(c.req.param('collectionId'), 'collection_id'));
    if (!c.get('token').siteIds.includes(collection.siteId)) throw new WorldError('not_found', `Collection ${collection.id} was not found.`);
    return collection;
  };
  const change = (request: z.infer<typeof updateItemBody> & { id: string }): ItemChange => ({
    id: objectId(request.id, 'id'),
    cmsLocaleId: request.cmsLocaleId,
    isDraft: request.isDraft,
    isArchived: request.isArchived,
    fieldData: request.fieldData,
  });

  app.get('/v2/sites/:siteId/collections', (c) => {
    const siteId = c.req.param('siteId');
    const refused = missingScope(c, 'cms:read') ?? outsideSite(c, siteId);
    if (refused) return refused;
    return c.json({ collections: world.content.listCollections(siteId).map((collection) => wireCollection(collection, false)) });
  });

  app.get('/v2/collections/:collectionId', (c) => {
    const refused = missingScope(c, 'cms:read');
    if (refused) return refused;
    return c.json(wireCollection(collectionOfToken(c), true));
  });

  app.get('/v2/collections/:collectionId/items', (c) => {
    const refused = missingScope(c, 'cms:read');
    if (refused) return refused;
    const collection = collectionOfToken(c);
    const locale = world.content.cmsLocale(collection.siteId, c.req.query('cmsLocaleId')).cmsLocaleId;
    const { limit, offset } = pageParams(c);
    const sortBy = c.req.query('sortBy') as (typeof SORTS)[number] | undefined;
    const sortOrder = c.req.query('sortOrder') ?? 'asc';
    if ((sortBy !== undefined && !SORTS.includes(sortBy)) || !['asc', 'desc'].includes(sortOrder)) {
      throw new WorldError('invalid', `sortBy must be one of ${SORTS.join(', ')} and sortOrder asc or desc.`, [{ param: 'sortBy', description: 'Unknown sort' }]);
    }
    const dateFilter = Object.keys(c.req.queries()).find((key) => /^(createdOn|lastPublished|lastUpdated)\b/.test(key));
    if (dateFilter) {
      // Said, not ignored: a client filtering by date would otherwise take the whole list for its answer.
      throw new WorldError('invalid', `The sandbox does not filter items by date (${dateFilter}); sort with sortBy=lastUpdated&sortOrder=desc instead.`, [{ param: dateFilter, description: 'Not supported by the sandbox' }]);
    }
    const { name, slug } = { name: c.req.query('name'), slug: c.req.query('slug') };
    let all = world.content.listItems(collection.id).map((item) => wireItem(world, collection, item, locale, baseUrl()));
    if (name !== undefined) all = all.filter((item) => item.fieldData.name === name);
    if (slug !== undefined) all = all.filter((item) => item.fieldData.slug === slug);
    if (sortBy) {
      const key = (item: (typeof all)[number]): string => String(sortBy === 'name' || sortBy === 'slug' ? item.fieldData[sortBy] : item[sortBy]);
      all = [...all].sort((a, b) => key(a).localeCompare(key(b)) * (sortOrder === 'desc' ? -1 : 1));
    }
    return c.json({ items: all.slice(offset, offset + limit), pagination: { limit, offset, total: all.length } });
  });

  // Literal before `/items/:itemId`, as the OpenAPI's paths are matched.
  app.post('/v2/collections/:collectionId/items/publish', async (c) => {
    const refused = missingScope(c, 'cms:write');
    if (refused) return refused;
    const collection = collectionOfToken(c);
    const request = await body(c, publishBody);
    const requests = 'itemIds' in request ? request.itemIds.map((id) => ({ id })) : request.items;
    return c.json(world.content.publishItems(collection.id, requests), 202);
  });

  app.delete('/v2/collections/:collectionId/items/:itemId', (c) => {
    const refused = missingScope(c, 'cms:write');
    if (refused) return refused;
    const collection = collectionOfToken(c);
    world.content.deleteItem(collection.id, objectId(c.req.param('itemId'), 'item_id'));
    return c.body(null, 204);
  });

  app.get('/v2/collections/:collectionId/items/:itemId', (c) => {
    const refused = missingScope(c, 'cms:read');
    if (refused) return refused;
    const collection = collectionOfToken(c);
    const item = world.content.item(collection.id, objectId(c.req.param('itemId'), 'item_id'));
    const locale = world.content.cmsLocale(collection.siteId, c.req.query('cmsLocaleId')).cmsLocaleId;
    return c.json(wireItem(world, collection, item, locale, baseUrl()));
  });

  app.patch('/v2/collections/:collectionId/items/:itemId', async (c) => {
    const refused = missingScope(c, 'cms:write');
    if (refused) return refused;
    const collection = collectionOfToken(c);
    const itemId = objectId(c.req.param('itemId'), 'item_id');
    const request = await body(c, updateItemBody);
    const [done] = world.content.updateItems(collection.id, [change({ ...request, id: itemId })]);
    if (!done) throw new Error('An update of one item wrote none.');
    return c.json(wireItem(world, collection, done.item, done.cmsLocaleId, baseUrl()));
  });

  app.patch('/v2/collections/:collectionId/items', async (c) => {
    const refused = missingScope(c, 'cms:write');
    if (refused) return refused;
    const collection = collectionOfToken(c);
    const request = await body(c, updateItemsBody);
    const done = world.content.updateItems(collection.id, request.items.map(change));
    return c.json({ items: done.map(({ item, cmsLocaleId }) => wireItem(world, collection, item, cmsLocaleId, baseUrl())) });
  });

  return app;
}
