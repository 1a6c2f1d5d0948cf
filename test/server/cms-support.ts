/**
 * CMS changes through the backend against the sandbox in this process: the changes and CMS
 * routes on `app.request` (a session of the demo site), the journal, and the server applier with
 * its CMS part over the real quota-aware client. The sandbox's items are read raw from its Data
 * API (what Webflow holds), and the world is changed directly where a person would change it in
 * Webflow (a field renamed, an item deleted).
 */
import type { Hono } from 'hono';
import { afterAll, beforeAll } from 'vitest';
import type { Batch, ChangeInput, CmsTarget } from '../../src/core/api.ts';
import { createSandbox, type Sandbox } from '../../src/sandbox/server.ts';
import type { WorldCollection } from '../../src/sandbox/world/site-content.ts';
import { createCmsApplier } from '../../src/server/cms/applier.ts';
import { createCmsPublishing } from '../../src/server/cms/publishing.ts';
import { cmsRoutes } from '../../src/server/cms/routes.ts';
import type { AppEnv } from '../../src/server/env.ts';
import { changesRoutes } from '../../src/server/routes/changes.ts';
import { createJournal, type Journal } from '../../src/server/services/journal.ts';
import { createServerApplier, type ServerApplier } from '../../src/server/services/server-applier.ts';
import type { Store } from '../../src/server/store/db.ts';
import { findImages } from '../../src/server/usage/rich-text.ts';
import { createWebflowClient, type QuotaAwareClient } from '../../src/server/webflow/client.ts';
import { wire } from './sandbox-control.ts';
import { jsonPost, siteApp } from './site-app.ts';
import { useTestStore } from './store-test-helpers.ts';

export const WINDOW_MS = 1000;

/**
 * The set-up of a CMS test file: the demo sandbox (150 assets, a quota the tests never meet)
 * started before its tests and closed after them, and a PGlite store of its own for each test.
 */
export function useCmsSandbox(): { readonly sandbox: Sandbox; stores: { current(): Store } } {
  let sandbox: Sandbox | undefined;
  beforeAll(async () => {
    sandbox = await createSandbox({ port: 0, demo: { assets: 150 }, rateLimit: { perWindow: 10_000, windowMs: WINDOW_MS } });
  });
  afterAll(async () => {
    await sandbox?.close();
  });
  const stores = useTestStore('pglite');
  return {
    get sandbox() {
      if (!sandbox) throw new Error('The sandbox starts in beforeAll: read it inside a test.');
      return sandbox;
    },
    stores,
  };
}

export interface CmsBackend {
  app: Hono<AppEnv>;
  journal: Journal;
  applier: ServerApplier;
  webflow: QuotaAwareClient;
  token: string;
  /** Records a batch through the changes route. */
  record(changes: ChangeInput[], label?: string): Promise<Batch>;
  undo(batchId: string): Promise<Batch>;
}

/** A token of the demo site with every scope: a rate window of its own. */
export async function cmsToken(sandbox: Sandbox): Promise<string> {
  const response = await fetch(`${sandbox.url}/_sandbox/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ siteIds: [sandbox.info.siteId], scopes: ['assets:read', 'assets:write', 'sites:read', 'authorized_user:read', 'pages:read', 'components:read', 'cms:read', 'cms:write'] }),
  });
  return ((await response.json()) as { token: string }).token;
}

export async function cmsBackend(sandbox: Sandbox, store: Store, options: { unavailableTries?: number; rateLimitedTries?: number } = {}): Promise<CmsBackend> {
  const token = await cmsToken(sandbox);
  const tries = options.unavailableTries ?? 8;
  const webflow = createWebflowClient({ apiBaseUrl: sandbox.info.apiBaseUrl, betaBaseUrl: sandbox.info.betaBaseUrl, store, rateWindowMs: WINDOW_MS, unavailableTries: { interactive: tries, background: tries }, ...(options.rateLimitedTries !== undefined ? { rateLimitedTries: options.rateLimitedTries } : {}) });
  await webflow.introspect(token);
  const journal = createJournal({ store });
  const getSiteToken = async () => token;
  const applier = createServerApplier({ journal, webflow, getSiteToken, cms: (context) => createCmsApplier({ ...context, store, webflow }) });
  const publishing = createCmsPublishing({ store, webflow, getSiteToken });
  const app = siteApp({ userId: 'u1', siteId: sandbox.info.siteId }, changesRoutes({ journal }), cmsRoutes({ publishing }));
  const site = `/api/sites/${sandbox.info.siteId}`;
  return {
    app,
    journal,
    applier,
    webflow,
    token,
    async record(changes, label) {
      const response = await app.request(`${site}/changes`, jsonPost({ changes, ...(label ? { label } : {}) }));
      if (response.status !== 201) throw new Error(`Recording failed: ${response.status} ${await response.text()}`);
      return ((await response.json()) as { batch: Batch }).batch;
    },
    async undo(batchId) {
      const response = await app.request(`${site}/batches/${batchId}/undo`, { method: 'POST' });
      if (response.status !== 201) throw new Error(`Undo failed: ${response.status} ${await response.text()}`);
      return ((await response.json()) as { batch: Batch }).batch;
    },
  };
}

/** What the raw reads need of a sandbox, in this process or in its own. */
type SandboxAddress = Pick<Sandbox, 'url' | 'info'>;

export type WireItem = { id: string; lastUpdated: string; lastPublished: string | null; isDraft: boolean; fieldData: Record<string, unknown> };
type Image = { fileId: string; url: string; alt: string | null };

export function collectionNamed(sandbox: Sandbox, slug: string): WorldCollection {
  const found = sandbox.world.content.listCollections(sandbox.info.siteId).find((c) => c.slug === slug);
  if (!found) throw new Error(`The demo site has no collection ${slug}.`);
  return found;
}

/** A collection of the demo site by its slug, as the Data API lists it. */
export async function collectionIdOf(sandbox: SandboxAddress, slug: string): Promise<string> {
  const { body } = await wire<{ collections: Array<{ id: string; slug: string }> }>(sandbox, sandbox.info.siteToken, `/sites/${sandbox.info.siteId}/collections`);
  const found = body.collections.find((c) => c.slug === slug);
  if (!found) throw new Error(`The demo site has no collection ${slug}.`);
  return found.id;
}

/** Every item of a collection as the Data API shows it (staged, primary locale). */
export async function itemsOf(sandbox: SandboxAddress, collectionId: string): Promise<WireItem[]> {
  const items: WireItem[] = [];
  for (let offset = 0; ; offset += 100) {
    const { status, body } = await wire<{ items: WireItem[]; pagination: { total: number } }>(sandbox, sandbox.info.siteToken, `/collections/${collectionId}/items?limit=100&offset=${offset}`);
    if (status !== 200) throw new Error(`Listing the items of ${collectionId} answered ${status}`);
    items.push(...body.items);
    if (offset + 100 >= body.pagination.total) return items;
  }
}

export async function itemOf(sandbox: SandboxAddress, collectionId: string, itemId: string): Promise<WireItem> {
  return (await wire<WireItem>(sandbox, sandbox.info.siteToken, `/collections/${collectionId}/items/${itemId}`)).body;
}

/** A change of one use, as the panel would record it from the usage index. */
export function cmsChange(target: Omit<CmsTarget, 'kind'>, assetId: string, before: string | null, after: string | null): ChangeInput {
  return { assetId, field: 'altText', localeId: null, target: { kind: 'cms', ...target }, before, after };
}

/** Image `position` of each product gallery that has one, as changes. */
export function galleryChanges(collectionId: string, items: readonly WireItem[], position: number, after: (i: number) => string): ChangeInput[] {
  return items
    .filter((item) => Array.isArray(item.fieldData.gallery) && (item.fieldData.gallery as Image[]).length > position)
    .map((item, i) => {
      const image = (item.fieldData.gallery as Image[])[position] as Image;
      return cmsChange({ collectionId, itemId: item.id, fieldSlug: 'gallery', fieldType: 'MultiImage', position }, image.fileId, image.alt ?? null, after(i));
    });
}

/** The first inline image of blog bodies that have one (every inline image with `every`), as changes. */
export function richTextChanges(collectionId: string, items: readonly WireItem[], after: (i: number) => string | null, every = false): ChangeInput[] {
  const changes: ChangeInput[] = [];
  for (const item of items) {
    const body = item.fieldData.body;
    if (typeof body !== 'string') continue;
    for (const image of findImages(body).slice(0, every ? undefined : 1)) {
      const assetId = image.src && /\/([a-f0-9]{24})_/.exec(image.src)?.[1];
      if (!assetId) continue;
      changes.push(cmsChange({ collectionId, itemId: item.id, fieldSlug: 'body', fieldType: 'RichText', position: image.position }, assetId, image.alt, after(changes.length)));
    }
  }
  return changes;
}

/** Blog posts' main images, as changes. */
export function mainImageChanges(collectionId: string, items: readonly WireItem[], after: (i: number) => string | null): ChangeInput[] {
  return items
    .filter((item) => typeof item.fieldData['main-image'] === 'object')
    .map((item, i) => {
      const image = item.fieldData['main-image'] as Image;
      return cmsChange({ collectionId, itemId: item.id, fieldSlug: 'main-image', fieldType: 'Image', position: null }, image.fileId, image.alt ?? null, after(i));
    });
}

/**
 * The item as it should be after these alt changes and nothing else: every other field, gallery
 * image and byte of HTML as it was (`lastUpdated` and `lastPublished` aside).
 */
export function expectedAfter(item: WireItem, changes: ReadonlyArray<{ target?: ChangeInput['target']; after: string | null }>): unknown {
  const fieldData = structuredClone(item.fieldData);
  for (const change of changes) {
    const target = change.target;
    if (target?.kind !== 'cms' || target.itemId !== item.id) continue;
    const value = fieldData[target.fieldSlug];
    if (target.fieldType === 'Image') (value as Image).alt = change.after;
    else if (target.fieldType === 'MultiImage') ((value as Image[])[target.position ?? 0] as Image).alt = change.after;
    else fieldData[target.fieldSlug] = setInlineAlt(value as string, target.position ?? 0, change.after);
  }
  return comparable({ ...item, fieldData });
}

/** What a byte-for-byte comparison looks at: everything but the dates a write moves. */
export function comparable(item: WireItem): unknown {
  const { lastUpdated: _updated, lastPublished: _published, ...rest } = item;
  return JSON.parse(JSON.stringify(rest)) as unknown;
}

/**
 * The demo's inline images, written `<img src="…" alt="…">` or without alt: the expected HTML
 * is worked out here with plain string surgery, independently of the backend's rewrite.
 */
function setInlineAlt(html: string, position: number, alt: string | null): string {
  let seen = -1;
  return html.replace(/<img\b[^>]*>/g, (tag) => {
    seen += 1;
    if (seen !== position) return tag;
    const escaped = alt?.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
    if (/\salt="[^"]*"/.test(tag)) return alt === null ? tag.replace(/\salt="[^"]*"/, '') : tag.replace(/(\salt=")[^"]*"/, `$1${escaped}"`);
    return alt === null ? tag : tag.replace(/^<img/, `<img alt="${escaped}"`);
  });
}
