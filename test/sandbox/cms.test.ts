/**
 * The sandbox's CMS driven by the official SDK: collections and their fields, items per CMS
 * locale with limit/offset/total, staged PATCHes of one item and of many (up to 100), and the
 * refusals Webflow gives a bad change, every response held to Webflow's OpenAPI.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { WebflowClient } from 'webflow-api';
import type { Sandbox } from '../../src/sandbox/server.ts';
import type { WorldCollection, WorldItem } from '../../src/sandbox/world/site-content.ts';
import { failureOf, issueToken, useSandbox } from './support.ts';

const under = useSandbox({ demo: { assets: 150 }, rateLimit: { perWindow: 10_000, windowMs: 1_000 } });
let sandbox: Sandbox;
let webflow: WebflowClient;
let siteId: string;

beforeAll(() => {
  ({ sandbox, webflow } = under);
  siteId = sandbox.info.siteId;
});

function collectionNamed(slug: string): WorldCollection {
  const found = sandbox.world.content.listCollections(siteId).find((c) => c.slug === slug);
  if (!found) throw new Error(`The demo site should have the collection ${slug}.`);
  return found;
}

/** The nth item of a collection, so that no two tests change the same item. */
function itemOf(slug: string, index: number): WorldItem {
  const found = sandbox.world.content.listItems(collectionNamed(slug).id)[index];
  if (!found) throw new Error(`${slug} has no item ${index}.`);
  return found;
}

function patch(path: string, body: unknown): Promise<Response> {
  return fetch(`${sandbox.info.apiBaseUrl}${path}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${sandbox.info.siteToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

function cmsLocales() {
  const { primary, secondary } = sandbox.world.site(siteId).locales;
  return { primary: primary.cmsLocaleId, fr: secondary[0]?.cmsLocaleId ?? '', de: secondary[1]?.cmsLocaleId ?? '' };
}

describe('collections', () => {
  it('lists the site’s three collections and gets one with its typed fields', async () => {
    const { collections = [] } = await webflow.collections.list(siteId);
    expect(collections.map((c) => c.displayName)).toEqual(['Blog Posts', 'Products', 'Team Members']);
    const blog = await webflow.collections.get(collectionNamed('blog-posts').id);
    expect(blog.fields.map((f) => [f.slug, f.type])).toEqual([
      ['name', 'PlainText'],
      ['slug', 'PlainText'],
      ['summary', 'PlainText'],
      ['main-image', 'Image'],
      ['body', 'RichText'],
      ['featured', 'Switch'],
    ]);
    const products = await webflow.collections.get(collectionNamed('products').id);
    expect(products.fields.find((f) => f.slug === 'gallery')?.type).toBe('MultiImage');
  });
});

describe('listing items', () => {
  it('pages with limit and offset, saying the total', async () => {
    const blog = collectionNamed('blog-posts');
    const total = sandbox.world.content.listItems(blog.id).length;
    const first = await webflow.collections.items.listItems(blog.id, { limit: 100 });
    const second = await webflow.collections.items.listItems(blog.id, { limit: 100, offset: 100 });
    expect(first.pagination).toEqual({ limit: 100, offset: 0, total });
    expect((first.items?.length ?? 0) + (second.items?.length ?? 0)).toBe(total);
    expect(new Set([...(first.items ?? []), ...(second.items ?? [])].map((i) => i.id)).size).toBe(total);
    const tooMany = await failureOf(webflow.collections.items.listItems(blog.id, { limit: 101 }));
    expect([tooMany.statusCode, tooMany.body.code]).toEqual([400, 'validation_error']);
  });

  it('shows each item in the CMS locale asked for: its own version, else the primary’s', async () => {
    const { primary, fr } = cmsLocales();
    const blog = collectionNamed('blog-posts');
    const items = sandbox.world.content.listItems(blog.id);
    const translated = items.find((i) => i.versions[fr]);
    const untranslated = items.find((i) => !i.versions[fr]);
    const french = await webflow.collections.items.listItems(blog.id, { cmsLocaleId: fr, limit: 100 });
    const english = await webflow.collections.items.listItems(blog.id, { limit: 100 });
    const name = (list: typeof french, id: string | undefined) => list.items?.find((i) => i.id === id)?.fieldData?.name;
    expect(french.items?.every((i) => i.cmsLocaleId === fr)).toBe(true);
    expect(english.items?.every((i) => i.cmsLocaleId === primary)).toBe(true);
    expect(name(french, translated?.id)).toBe(translated?.versions[fr]?.fieldData.name);
    expect(name(french, translated?.id)).not.toBe(name(english, translated?.id));
    expect(name(french, untranslated?.id)).toBe(name(english, untranslated?.id));
    const unknown = await failureOf(webflow.collections.items.listItems(blog.id, { cmsLocaleId: 'ffffffffffffffffffffffff' }));
    expect([unknown.statusCode, unknown.body.code]).toEqual([400, 'validation_error']);
  });

  it('gives Image, MultiImage and Rich Text values with the assets’ hosted URLs', async () => {
    const products = collectionNamed('products');
    const item = await webflow.collections.items.getItem(products.id, itemOf('products', 0).id);
    const gallery = item.fieldData?.gallery as { fileId: string; url: string; alt: string | null }[];
    expect(gallery.length).toBeGreaterThanOrEqual(3);
    for (const image of gallery) expect(image.url).toMatch(new RegExp(`^${sandbox.url}/cdn/${siteId}/${image.fileId}_`));
    const post = await webflow.collections.items.getItem(collectionNamed('blog-posts').id, itemOf('blog-posts', 0).id);
    expect(post.fieldData?.body).toMatch(new RegExp(`<img src="${sandbox.url}/cdn/${siteId}/[a-f0-9]{24}_`));
    expect(post.fieldData?.body).not.toContain('@asset/');
  });

  it('answers a Link field and pasted text with the hosted URL, and keeps one sent back as the asset, whatever the sandbox’s address', async () => {
    const products = collectionNamed('products');
    expect((await webflow.collections.get(products.id)).fields.find((f) => f.slug === 'brochure')?.type).toBe('Link');
    const linked = sandbox.world.content.listItems(products.id).find((i) => typeof i.versions[sandbox.world.site(siteId).locales.primary.cmsLocaleId]?.fieldData.brochure === 'string');
    if (!linked) throw new Error('Some product should link a brochure.');
    const item = await webflow.collections.items.getItem(products.id, linked.id);
    const brochure = String(item.fieldData?.brochure);
    expect(brochure).toMatch(new RegExp(`^${sandbox.url}/cdn/${siteId}/[a-f0-9]{24}_.*\\.pdf$`));

    // Sent back from another host (a copy of the URL) into Link and Plain Text: kept as that asset.
    const copied = brochure.replace(sandbox.url, 'https://cdn.example.com');
    const target = itemOf('products', 7);
    await webflow.collections.items.updateItem(products.id, target.id, { fieldData: { brochure: copied, description: `Download the brochure: ${copied} (PDF)` } });
    const fieldData = sandbox.world.content.item(products.id, target.id).versions[sandbox.world.site(siteId).locales.primary.cmsLocaleId]?.fieldData;
    const assetId = /\/([a-f0-9]{24})_/.exec(brochure)?.[1];
    expect([fieldData?.brochure, fieldData?.description]).toEqual([`@asset/${assetId}`, `Download the brochure: @asset/${assetId} (PDF)`]);
    const after = await webflow.collections.items.getItem(products.id, target.id);
    expect([after.fieldData?.brochure, after.fieldData?.description]).toEqual([brochure, `Download the brochure: ${brochure} (PDF)`]);
  });
});

describe('filtering and sorting items', () => {
  it('finds an item by slug, sorts by name, and refuses a date filter it would otherwise ignore', async () => {
    const team = collectionNamed('team-members');
    const wanted = itemOf('team-members', 3);
    const slug = wanted.versions[cmsLocales().primary]?.fieldData.slug as string;
    const found = await webflow.collections.items.listItems(team.id, { slug });
    expect(found.items?.map((i) => i.id)).toEqual([wanted.id]);
    const sorted = await webflow.collections.items.listItems(team.id, { sortBy: 'name', sortOrder: 'desc', limit: 100 });
    const names = sorted.items?.map((i) => String(i.fieldData?.name)) ?? [];
    expect(names).toEqual([...names].sort((a, b) => b.localeCompare(a)));
    const response = await fetch(`${sandbox.info.apiBaseUrl}/collections/${team.id}/items?lastUpdated[gte]=2025-01-01T00:00:00.000Z`, { headers: { authorization: `Bearer ${sandbox.info.siteToken}` } });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'validation_error', message: expect.stringContaining('does not filter items by date') });
  });
});

describe('changing items', () => {
  it('stages a change to one item: new lastUpdated, same lastPublished, other fields kept', async () => {
    const team = collectionNamed('team-members');
    const before = await webflow.collections.items.getItem(team.id, itemOf('team-members', 1).id);
    const photo = before.fieldData?.photo as { fileId: string; url: string };
    const after = await webflow.collections.items.updateItem(team.id, before.id ?? '', { fieldData: { photo: { ...photo, alt: 'Portrait of the head roaster, smiling' } } });
    expect(after.fieldData?.photo).toEqual({ ...photo, alt: 'Portrait of the head roaster, smiling' });
    expect(after.fieldData?.name).toBe(before.fieldData?.name);
    expect(after.lastPublished).toBe(before.lastPublished);
    expect(Date.parse(after.lastUpdated ?? '')).toBeGreaterThan(Date.parse(before.lastUpdated ?? ''));
    expect((await webflow.collections.items.getItem(team.id, before.id ?? '')).fieldData?.photo).toEqual(after.fieldData?.photo);
  });

  it('changes several items at once, each in its locale, and keeps the gallery’s other images', async () => {
    const { fr } = cmsLocales();
    const products = collectionNamed('products');
    const [a, b] = [itemOf('products', 2), itemOf('products', 3)];
    const gallery = (await webflow.collections.items.getItem(products.id, a.id)).fieldData?.gallery as { fileId: string; url: string; alt: string | null }[];
    const changed = gallery.map((image, i) => (i === 0 ? { ...image, alt: 'Bag of beans, front' } : image));
    const answer = await webflow.collections.items.updateItems(products.id, {
      items: [
        { id: a.id, fieldData: { gallery: changed } },
        { id: b.id, cmsLocaleId: fr, fieldData: { description: 'Un café d’origine, 250 g.' } },
      ],
    });
    expect((answer as { items?: { id?: string }[] }).items?.map((i) => i.id)).toEqual([a.id, b.id]);
    expect((await webflow.collections.items.getItem(products.id, a.id)).fieldData?.gallery).toEqual(changed);
    expect((await webflow.collections.items.getItem(products.id, b.id, { cmsLocaleId: fr })).fieldData?.description).toBe('Un café d’origine, 250 g.');
    expect((await webflow.collections.items.getItem(products.id, b.id)).fieldData?.description).not.toBe('Un café d’origine, 250 g.');
  });

  it('takes inline images back by their hosted URL and changes only that alt attribute', async () => {
    const blog = collectionNamed('blog-posts');
    const id = itemOf('blog-posts', 4).id;
    const body = (await webflow.collections.items.getItem(blog.id, id)).fieldData?.body as string;
    const fixed = body.replace(/<img src="([^"]+)"[^>]*>/, '<img src="$1" alt="Beans drying in the sun">');
    await webflow.collections.items.updateItem(blog.id, id, { fieldData: { body: fixed } });
    expect((await webflow.collections.items.getItem(blog.id, id)).fieldData?.body).toBe(fixed);
    expect(JSON.stringify(sandbox.world.content.item(blog.id, id).versions)).not.toContain(sandbox.url);
  });

  it('changes 100 items in one request, the most Webflow takes', async () => {
    const blog = collectionNamed('blog-posts');
    const posts = sandbox.world.content.listItems(blog.id).slice(-100).map((item) => ({ id: item.id, fieldData: { summary: 'Hundred' } }));
    const answer = (await webflow.collections.items.updateItems(blog.id, { items: posts })) as { items?: { fieldData?: { summary?: string } }[] };
    expect(answer.items?.filter((i) => i.fieldData?.summary === 'Hundred')).toHaveLength(100);
  });

  it('refuses more than 100 items in one request, changing none', async () => {
    const blog = collectionNamed('blog-posts');
    const items = sandbox.world.content.listItems(blog.id).slice(0, 101).map((item) => ({ id: item.id, fieldData: { summary: 'Bulk' } }));
    const failure = await failureOf(webflow.collections.items.updateItems(blog.id, { items }));
    expect([failure.statusCode, failure.body.code]).toEqual([400, 'validation_error']);
    expect(failure.body.message).toContain('At most 100 items');
    expect(sandbox.world.content.listItems(blog.id).some((item) => Object.values(item.versions).some((v) => v.fieldData.summary === 'Bulk'))).toBe(false);
  });

  it('refuses a wrong field type, an unknown field, an unknown asset and text with NUL, naming the field', async () => {
    const team = collectionNamed('team-members');
    const id = itemOf('team-members', 5).id;
    const bad: [Record<string, unknown>, string][] = [
      [{ photo: 'portrait.jpg' }, 'fieldData.photo'],
      [{ name: 42 }, 'fieldData.name'],
      [{ nickname: 'Bean' }, 'fieldData'],
      [{ photo: { fileId: 'ffffffffffffffffffffffff', alt: 'x' } }, 'fieldData.photo'],
      [{ role: 'Head\u0000roaster' }, 'fieldData.role'],
      [{ slug: 'Not A Slug' }, 'fieldData.slug'],
      [{ name: null }, 'fieldData.name'],
      [{ role: 'Head \uD800roaster' }, 'fieldData.role'],
      [{ photo: { fileId: itemOf('team-members', 0).id, alt: 'x' } }, 'fieldData.photo'],
    ];
    const products = collectionNamed('products');
    const product = itemOf('products', 9).id;
    for (const brochure of [42, { url: 'x' }, 'a\u0000b']) {
      const response = await patch(`/collections/${products.id}/items/${product}`, { fieldData: { brochure } });
      const answer = (await response.json()) as { code?: string; details?: { param?: string }[] };
      expect([response.status, answer.code, answer.details?.[0]?.param]).toEqual([400, 'validation_error', 'fieldData.brochure']);
    }
    const before = structuredClone(sandbox.world.content.item(team.id, id).versions);
    for (const [fieldData, param] of bad) {
      // Raw requests: the SDK refuses some of these itself before sending them.
      const response = await patch(`/collections/${team.id}/items/${id}`, { fieldData });
      const answer = (await response.json()) as { code?: string; details?: { param?: string }[] };
      expect([response.status, answer.code, answer.details?.[0]?.param]).toEqual([400, 'validation_error', param]);
    }
    expect(sandbox.world.content.item(team.id, id).versions).toEqual(before);
  });

  it('does not find an unknown item, and changes no other item of the same request', async () => {
    const blog = collectionNamed('blog-posts');
    const known = itemOf('blog-posts', 6);
    const before = structuredClone(known.versions);
    const failure = await failureOf(
      webflow.collections.items.updateItems(blog.id, {
        items: [
          { id: known.id, fieldData: { summary: 'Changed' } },
          { id: 'ffffffffffffffffffffffff', fieldData: { summary: 'Nobody' } },
        ],
      }),
    );
    expect([failure.statusCode, failure.body.code]).toEqual([404, 'resource_not_found']);
    expect(known.versions).toEqual(before);
    const one = await failureOf(webflow.collections.items.getItem(blog.id, 'ffffffffffffffffffffffff'));
    expect([one.statusCode, one.body.code]).toEqual([404, 'resource_not_found']);
  });

  it('refuses a change wrapped in another object instead of changing nothing', async () => {
    const team = collectionNamed('team-members');
    const response = await patch(`/collections/${team.id}/items/${itemOf('team-members', 8).id}`, { body: { isDraft: true } });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'validation_error' });
  });

  it('sets draft and archived state', async () => {
    const team = collectionNamed('team-members');
    const id = itemOf('team-members', 7).id;
    const answer = await webflow.collections.items.updateItem(team.id, id, { isDraft: true, isArchived: true });
    expect(answer).toMatchObject({ isDraft: true, isArchived: true });
  });
});

describe('publishing and deleting items', () => {
  type Published = { publishedItemIds: string[]; errors: string[] };
  const publish = (collectionId: string, body: unknown) =>
    fetch(`${sandbox.info.apiBaseUrl}/collections/${collectionId}/items/publish`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sandbox.info.siteToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('publishes staged changes: lastPublished moves to the publish, a draft is one no more', async () => {
    const team = collectionNamed('team-members');
    const [a, b] = [itemOf('team-members', 20), itemOf('team-members', 21)];
    await webflow.collections.items.updateItems(team.id, { items: [{ id: a.id, isDraft: true, fieldData: { role: 'Roaster' } }, { id: b.id, fieldData: { role: 'Barista' } }] });
    const staged = await webflow.collections.items.getItem(team.id, a.id);
    expect(staged.isDraft).toBe(true);
    expect(Date.parse(String(staged.lastPublished))).toBeLessThan(Date.parse(String(staged.lastUpdated)));

    const answer = (await webflow.collections.items.publishItem(team.id, { itemIds: [a.id, b.id] })) as Published;
    expect(answer).toEqual({ publishedItemIds: [a.id, b.id], errors: [] });
    for (const id of [a.id, b.id]) {
      const live = await webflow.collections.items.getItem(team.id, id);
      expect(live.isDraft).toBe(false);
      expect(Date.parse(String(live.lastPublished))).toBeGreaterThanOrEqual(Date.parse(String(live.lastUpdated)));
    }
  });

  it('publishes one CMS locale of an item, leaving the others’ staged changes waiting', async () => {
    const blog = collectionNamed('blog-posts');
    const { primary, fr } = cmsLocales();
    const item = itemOf('blog-posts', 30);
    await webflow.collections.items.updateItems(blog.id, { items: [{ id: item.id, cmsLocaleId: fr, fieldData: { summary: 'Résumé' } }, { id: item.id, fieldData: { summary: 'Summary' } }] });
    const response = await publish(blog.id, { items: [{ id: item.id, cmsLocaleIds: [fr] }] });
    expect(response.status).toBe(202);
    const [french, english] = await Promise.all([
      webflow.collections.items.getItem(blog.id, item.id, { cmsLocaleId: fr }),
      webflow.collections.items.getItem(blog.id, item.id, { cmsLocaleId: primary }),
    ]);
    expect(Date.parse(String(french.lastPublished))).toBeGreaterThanOrEqual(Date.parse(String(french.lastUpdated)));
    expect(Date.parse(String(english.lastPublished))).toBeLessThan(Date.parse(String(english.lastUpdated)));
  });

  it('tells an unknown item in errors and still publishes the others (202)', async () => {
    const team = collectionNamed('team-members');
    const known = itemOf('team-members', 22).id;
    const response = await publish(team.id, { itemIds: [known, 'ffffffffffffffffffffffff'] });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ publishedItemIds: [known], errors: ['Staging item ID ffffffffffffffffffffffff not found.'] });
  });

  it('refuses more than 100 items, an empty list, a malformed body and a token without cms:write', async () => {
    const blog = collectionNamed('blog-posts');
    const ids = sandbox.world.content.listItems(blog.id).slice(0, 101).map((item) => item.id);
    const before = sandbox.world.content.listItems(blog.id).map((item) => item.lastPublished);
    for (const body of [{ itemIds: ids }, { itemIds: [] }, { ids: [ids[0]] }]) {
      const response = await publish(blog.id, body);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ code: 'validation_error' });
    }
    expect(sandbox.world.content.listItems(blog.id).map((item) => item.lastPublished)).toEqual(before);
    const readOnly = await issueToken(sandbox, [siteId], ['cms:read']);
    const refused = await fetch(`${sandbox.info.apiBaseUrl}/collections/${blog.id}/items/publish`, {
      method: 'POST',
      headers: { authorization: `Bearer ${readOnly}`, 'content-type': 'application/json' },
      body: JSON.stringify({ itemIds: [ids[0]] }),
    });
    expect(refused.status).toBe(403);
  });

  it('deletes an item in every locale; it is then not found', async () => {
    const team = collectionNamed('team-members');
    const id = itemOf('team-members', 39).id;
    await webflow.collections.items.deleteItem(team.id, id);
    const gone = await failureOf(webflow.collections.items.getItem(team.id, id));
    expect([gone.statusCode, gone.body.code]).toEqual([404, 'resource_not_found']);
    const again = await failureOf(webflow.collections.items.deleteItem(team.id, id));
    expect(again.statusCode).toBe(404);
  });
});
