/**
 * The quota-aware client's usage-index reads through the official SDK, against a small server
 * answering in the wire shapes of Webflow's OpenAPI: the paths and query parameters the SDK
 * sends, and what comes back in wire shape (ISO dates, an Image node's null alt kept, Webflow's
 * errors as WebflowError). The sandbox serves these endpoints once issue 16's sandbox part lands.
 */
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebflowClient } from '../../src/server/webflow/client.ts';
import { WebflowError } from '../../src/server/webflow/types.ts';
import { useTestStore } from './store-test-helpers.ts';

const seen: string[] = [];
let server: ServerType;
let base = '';
const at = '2026-03-01T10:00:00.000Z';
const pagination = (offset: number, total: number, limit = 100) => ({ limit, offset, total });

beforeAll(async () => {
  const app = new Hono();
  app.use('*', async (c, next) => {
    const url = new URL(c.req.url);
    seen.push(`${c.req.method} ${url.pathname}${url.search}`);
    await next();
  });
  app.get('/v2/sites/s1/pages', (c) =>
    c.json({ pages: [{ id: 'p1', siteId: 's1', title: 'Home', slug: 'home', parentId: null, collectionId: null, createdOn: at, lastUpdated: at, archived: false, draft: false, localeId: c.req.query('localeId') ?? null, publishedPath: '/home' }], pagination: pagination(Number(c.req.query('offset')), 1) }),
  );
  app.get('/v2/pages/p1/dom', (c) =>
    c.json({
      pageId: 'p1',
      nodes: [
        { id: 'n1', type: 'image', image: { alt: null, assetId: 'a1' }, attributes: {} },
        { id: 'n2', type: 'image', image: { alt: '', assetId: 'a2' }, attributes: {} },
        { id: 'n3', type: 'component-instance', componentId: 'c1', propertyOverrides: [] },
        { id: 'n4', type: 'text', text: { html: '<p>Hi</p>', text: 'Hi' }, attributes: {} },
      ],
      pagination: pagination(Number(c.req.query('offset')), 4),
      lastUpdated: at,
    }),
  );
  app.get('/v2/sites/s1/components', (c) => c.json({ components: [{ id: 'c1', name: 'Hero', group: 'Sections', description: '', readonly: false }], pagination: pagination(0, 1) }));
  app.get('/v2/sites/s1/components/c1/dom', (c) => c.json({ componentId: 'c1', nodes: [{ id: 'h1', type: 'image', image: { alt: 'Logo', assetId: 'a3' }, attributes: {} }], pagination: pagination(0, 1) }));
  app.get('/v2/sites/s1/collections', (c) => c.json({ collections: [{ id: 'k1', displayName: 'Posts', singularName: 'Post', slug: 'posts', createdOn: at, lastUpdated: at }] }));
  app.get('/v2/collections/k1', (c) =>
    c.json({ id: 'k1', displayName: 'Posts', singularName: 'Post', slug: 'posts', createdOn: at, lastUpdated: at, fields: [{ id: 'f1', isRequired: false, isEditable: true, type: 'MultiImage', slug: 'gallery', displayName: 'Gallery', helpText: null }] }),
  );
  app.get('/v2/collections/k1/items', (c) =>
    c.json({
      items: [{ id: 'i1', cmsLocaleId: c.req.query('cmsLocaleId') ?? null, lastPublished: null, lastUpdated: at, createdOn: at, isArchived: false, isDraft: false, fieldData: { name: 'Post', slug: 'post', gallery: [{ fileId: 'a1', url: 'https://cdn/x/a1_x.jpg', alt: null }] } }],
      pagination: pagination(Number(c.req.query('offset')), 1),
    }),
  );
  app.get('/v2/collections/k2', (c) => c.json({ message: 'OAuthForbidden: You are missing the following scopes - cms:read', code: 'missing_scopes', externalReference: null, details: [] }, 403));
  server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('the usage index reads through the SDK', () => {
  const stores = useTestStore('pglite');
  const client = () => createWebflowClient({ apiBaseUrl: `${base}/v2`, betaBaseUrl: `${base}/beta`, store: stores.current(), rateWindowMs: 1000 });
  const background = { priority: 'background' as const };

  it('sends the paths and parameters of the OpenAPI and returns the wire shapes', async () => {
    const webflow = client();
    seen.length = 0;
    const pages = await webflow.listPages('t', 's1', { ...background, offset: 0, limit: 100, localeId: 'fr' });
    expect(pages.pages[0]).toMatchObject({ id: 'p1', title: 'Home', lastUpdated: at, localeId: 'fr' });
    expect(pages.pagination).toEqual({ limit: 100, offset: 0, total: 1 });
    const dom = await webflow.getPageDom('t', 'p1', { ...background, offset: 0, limit: 100, localeId: 'fr' });
    expect(dom.nodes.slice(0, 3)).toEqual([
      { id: 'n1', type: 'image', image: { alt: null, assetId: 'a1' }, attributes: {} },
      { id: 'n2', type: 'image', image: { alt: '', assetId: 'a2' }, attributes: {} },
      { id: 'n3', type: 'component-instance', componentId: 'c1', propertyOverrides: [] },
    ]);
    expect((await webflow.listComponents('t', 's1', { ...background, offset: 0, limit: 100 })).components).toEqual([{ id: 'c1', name: 'Hero', group: 'Sections', description: '', readonly: false }]);
    expect((await webflow.getComponentDom('t', 's1', 'c1', { ...background, offset: 0, limit: 100, localeId: 'fr' })).nodes[0]).toMatchObject({ image: { alt: 'Logo', assetId: 'a3' } });
    expect(await webflow.listCollections('t', 's1', background)).toEqual([{ id: 'k1', displayName: 'Posts', singularName: 'Post', slug: 'posts', createdOn: at, lastUpdated: at }]);
    const collection = await webflow.getCollection('t', 'k1', background);
    expect(collection.fields.map((f) => [f.slug, f.type])).toEqual([['gallery', 'MultiImage']]);
    expect(collection.createdOn).toBe(at);
    const items = await webflow.listItems('t', 'k1', { ...background, offset: 0, limit: 100, cmsLocaleId: 'cms-fr' });
    expect(items.items[0]).toMatchObject({ id: 'i1', lastUpdated: at, fieldData: { gallery: [{ fileId: 'a1', url: 'https://cdn/x/a1_x.jpg' }] } });

    const queryOf = (path: string) => new URLSearchParams(seen.find((s) => s.startsWith(`GET ${path}?`))?.split('?')[1]);
    expect(Object.fromEntries(queryOf('/v2/sites/s1/pages'))).toEqual({ localeId: 'fr', limit: '100', offset: '0' });
    expect(Object.fromEntries(queryOf('/v2/pages/p1/dom'))).toEqual({ localeId: 'fr', limit: '100', offset: '0' });
    expect(Object.fromEntries(queryOf('/v2/sites/s1/components/c1/dom'))).toEqual({ localeId: 'fr', limit: '100', offset: '0' });
    expect(Object.fromEntries(queryOf('/v2/collections/k1/items'))).toEqual({ cmsLocaleId: 'cms-fr', offset: '0', limit: '100' });
  });

  it('turns a missing scope into a WebflowError with its code', async () => {
    const error = await client().getCollection('t', 'k2', background).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebflowError);
    expect(error).toMatchObject({ status: 403, code: 'missing_scopes' });
  });
});
