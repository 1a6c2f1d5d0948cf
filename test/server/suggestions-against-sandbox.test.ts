/**
 * Suggestions for existing assets against the sandbox: the backend reads the demo's hosted
 * JPEGs from the sandbox CDN once, finds the XMP alt text (per locale) and EXIF description the
 * seed embedded, keeps the reading by MD5, and answers only for the session's site.
 */
import { describe, expect, it } from 'vitest';
import type { AssetSuggestions } from '../../src/core/suggestions/sources.ts';
import { upsertAssets } from '../../src/server/store/asset-index.ts';
import { suggestionsRoutes } from '../../src/server/suggestions/routes.ts';
import { createSuggestions } from '../../src/server/suggestions/service.ts';
import { createUsageIndex } from '../../src/server/usage/usage-index.ts';
import { useDemoSandbox } from './demo-sandbox.ts';
import { siteApp } from './site-app.ts';
import { testStoreKinds, useTestStore } from './store-test-helpers.ts';

const ASSETS = 90;

describe.each(testStoreKinds)('suggestions against the sandbox on %s', (kind) => {
  const stores = useTestStore(kind);
  const demoSandbox = useDemoSandbox(ASSETS);
  const { demo } = demoSandbox;

  async function setup(options: { allowLoopback?: boolean; usage?: boolean } = {}) {
    const store = stores.current();
    const { siteId, webflow, getSiteToken } = await demoSandbox.indexInto(store);
    const usage = options.usage ? createUsageIndex({ store, reader: webflow, getSiteToken }) : undefined;
    if (usage) await usage.crawl(siteId);
    const fetched: string[] = [];
    const suggestions = createSuggestions({
      store,
      ...(usage ? { usage } : {}),
      allowLoopback: options.allowLoopback ?? true,
      fetch: (url, init) => {
        fetched.push(url);
        return fetch(url, init);
      },
    });
    const app = siteApp({ userId: 'u1', siteId }, suggestionsRoutes({ suggestions }));
    const ask = async (assetId: string) => app.request(`/api/sites/${siteId}/suggestions/assets/${assetId}`);
    return { store, siteId, app, ask, fetched };
  }

  /** The demo's photos whose primary alt text is the good one the seed also embedded as XMP (every third asset). */
  const jpegsWithXmp = () =>
    demo.assets.filter((asset, index) => index % 3 === 0 && asset.file.contentType === 'image/jpeg' && (asset.altText[demo.site.locales.primary.id] ?? '').length > 0);

  it("suggests the XMP alt text the file carries, exactly, and each language's to its locale", async () => {
    const { ask, fetched } = await setup();
    const [fr, de] = demo.site.locales.secondary;
    const withXmp = jpegsWithXmp();
    expect(withXmp.length).toBeGreaterThan(0);
    let translated = 0;
    for (const asset of withXmp) {
      const response = await ask(asset.id);
      expect(response.status).toBe(200);
      const body = (await response.json()) as AssetSuggestions;
      expect(body.unread).toEqual([]);
      const fromXmp = body.suggestions.filter((s) => s.detail?.startsWith('XMP Iptc4xmpCore:AltTextAccessibility'));
      const primary = fromXmp.find((s) => s.localeId === undefined);
      expect(primary).toMatchObject({ source: 'metadata', confidence: 0.95 });
      if (demo.assets.indexOf(asset) % 9 === 0) {
        translated += 1;
        expect(fromXmp.map((s) => s.localeId)).toEqual([undefined, fr?.id, de?.id]);
      } else {
        expect(fromXmp).toHaveLength(1);
      }
    }
    expect(translated).toBeGreaterThan(0);
    expect(new Set(fetched).size).toBe(fetched.length);
  });

  it('gives a good alt text from the file where the seed wrote the same one into the site', async () => {
    const { ask } = await setup();
    const primaryId = demo.site.locales.primary.id;
    const good = jpegsWithXmp().filter((asset) => /^(Bag of|Portrait of|Steaming)/.test(asset.altText[primaryId] ?? ''));
    expect(good.length).toBeGreaterThan(0);
    for (const asset of good) {
      const body = (await (await ask(asset.id)).json()) as AssetSuggestions;
      expect(body.suggestions[0]).toMatchObject({ text: asset.altText[primaryId], source: 'metadata', detail: 'XMP Iptc4xmpCore:AltTextAccessibility' });
    }
  });

  it('reads a file once: the second ask uses the reading kept by MD5, and the index learns the MD5', async () => {
    const { ask, fetched, store, siteId } = await setup();
    const asset = jpegsWithXmp()[0];
    if (!asset) throw new Error('the demo has no JPEG with XMP');
    const first = await (await ask(asset.id)).json();
    expect(fetched).toHaveLength(1);
    expect(await (await ask(asset.id)).json()).toEqual(first);
    expect(fetched).toHaveLength(1);
    const rows = await store.query<{ md5: string | null }>(`SELECT md5 FROM index_assets WHERE site_id = $1 AND asset_id = $2`, [siteId, asset.id]);
    expect(rows[0]?.md5).toMatch(/^[0-9a-f]{32}$/);
  });

  it('offers the EXIF ImageDescription of a photo without XMP, and nothing from a PNG without metadata but its name', async () => {
    const { ask } = await setup();
    const exifOnly = demo.assets.find((asset, index) => index % 3 === 1 && asset.file.contentType === 'image/jpeg');
    if (!exifOnly) throw new Error('the demo has no JPEG with EXIF only');
    const body = (await (await ask(exifOnly.id)).json()) as AssetSuggestions;
    expect(body.suggestions.filter((s) => s.source === 'metadata').map((s) => s.detail)).toEqual(['EXIF ImageDescription']);
    const png = demo.assets.find((asset) => asset.file.contentType === 'image/png');
    if (!png) throw new Error('the demo has no PNG');
    const pngBody = (await (await ask(png.id)).json()) as AssetSuggestions;
    expect(pngBody.suggestions.every((s) => s.source === 'file-name')).toBe(true);
  });

  it("answers 404 for another site's asset and an unknown one, and 400 for a bad id", async () => {
    const { ask, store } = await setup();
    const other = demo.assets[0];
    if (!other) throw new Error('no demo asset');
    await upsertAssets(store, 'another-site', [{ id: 'a'.repeat(24), name: 'x.jpg', fileName: 'x.jpg', contentType: 'image/jpeg', size: 10, url: `${demoSandbox.sandbox().url}/x.jpg`, thumbUrl: null, folderId: null, createdOn: '', lastUpdated: '', altText: '', localeAltText: {}, md5: null }], 1);
    expect((await ask('a'.repeat(24))).status).toBe(404);
    expect((await ask('b'.repeat(24))).status).toBe(404);
    expect((await ask('not%20an%20id')).status).toBe(400);
  });

  it('does not read a file off Webflow’s CDN when loopback is not allowed, and says the metadata went unread', async () => {
    const { ask, fetched } = await setup({ allowLoopback: false });
    const asset = jpegsWithXmp()[0];
    if (!asset) throw new Error('the demo has no JPEG with XMP');
    const body = (await (await ask(asset.id)).json()) as AssetSuggestions;
    expect(body.unread).toEqual(['metadata']);
    expect(fetched).toEqual([]);
  });

  it('suggests from where an image is used: the heading above it on its page, per use and in each locale', async () => {
    const { ask } = await setup({ usage: true });
    const [fr] = demo.site.locales.secondary;
    // A photo placed directly on a static page, whose heading (the page's <h1>) the crawl kept.
    const page = demo.content.pages.find((p) => p.collectionId === null && p.nodes.some((n) => n.type === 'image'));
    const image = page?.nodes.find((n) => n.type === 'image');
    if (!page || !image || image.type !== 'image') throw new Error('the demo has no page with an image');
    const title = page.title[demo.site.locales.primary.id] ?? '';
    const body = (await (await ask(image.assetId)).json()) as AssetSuggestions;
    const onPage = body.uses.filter((use) => use.where.kind === 'page' && use.where.pageId === page.id);
    expect(onPage.length).toBeGreaterThan(0);
    const primary = onPage.find((use) => use.localeId === demo.site.locales.primary.id);
    expect(primary?.suggestions).toContainEqual({ text: title, source: 'usage', confidence: 0.4, detail: `heading near the image on page “${title}”` });
    const french = onPage.find((use) => use.localeId === fr?.id);
    const frenchTitle = page.title[fr?.id ?? ''];
    if (frenchTitle) expect(french?.suggestions[0]).toMatchObject({ text: frenchTitle, source: 'usage', localeId: fr?.id });
  });

  it('says which sources run (no vision model: nothing is sent), and refuses a locale the site lacks', async () => {
    const { app, siteId, ask } = await setup({ usage: true });
    const response = await app.request(`/api/sites/${siteId}/suggestions/sources`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ metadata: { active: true }, ocr: { active: false, languages: ['en', 'fr', 'de'], notRead: [] }, usage: { active: true }, vision: { active: false } });
    const asset = jpegsWithXmp()[0];
    if (!asset) throw new Error('the demo has no JPEG with XMP');
    const unknown = await app.request(`/api/sites/${siteId}/suggestions/assets/${asset.id}?localeId=${'f'.repeat(24)}`);
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toContain('no locale');
    expect((await app.request(`/api/sites/${siteId}/suggestions/assets/${asset.id}?localeId=%00`)).status).toBe(400);
    expect((await ask(asset.id)).status).toBe(200);
  });
});
