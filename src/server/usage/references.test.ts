/**
 * Uses without an alt text of their own, through `app.request`: an asset's hosted URL or id in
 * any CMS value (a link), and the background images the panel sends from the site's styles
 * (`PUT …/usage/styles`, refused whole when any part is bad), with the date each source was read.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apiError } from '../../core/api.ts';
import { assetUsage, MAX_STYLE_USES, styleUsesResponse, usageSources, usageSummary } from '../../core/usage.ts';
import { FakeSiteContent, field, imageNode } from '../../../test/server/fake-site-content.ts';
import { FakeWebflow } from '../../../test/server/fake-webflow.ts';
import { SITE } from '../../../test/server/full-app.ts';
import { siteApp } from '../../../test/server/site-app.ts';
import { testStoreKinds, useTestStore } from '../../../test/server/store-test-helpers.ts';
import { createAssetIndex } from '../services/asset-index.ts';
import { usageRoutes } from './routes.ts';
import { createUsageIndex } from './usage-index.ts';

describe.each(testStoreKinds)('links and styles on %s', (kind) => {
  const stores = useTestStore(kind);

  async function setup() {
    const webflow = new FakeWebflow();
    webflow.addSite(SITE);
    const photo = webflow.addAsset(SITE, { altText: 'A cup' });
    const brochure = webflow.addAsset(SITE, { altText: '', contentType: 'application/pdf', fileName: 'brochure.pdf' });
    const hero = webflow.addAsset(SITE, { altText: 'Hero' });
    const content = new FakeSiteContent(webflow);
    content.addPage(SITE, 'Home', [imageNode('n1', photo.id)]);
    const products = content.addCollection(SITE, 'Products', [field('Link', 'brochure'), field('PlainText', 'notes')]);
    const getSiteToken = async (siteId: string) => webflow.tokens.get(siteId);
    await createAssetIndex({ store: stores.current(), webflow, getSiteToken }).refresh(SITE);
    const assets = (await webflow.listAssets(webflow.tokens.get(SITE) ?? '', SITE, { priority: 'background', offset: 0, limit: 100 })).assets;
    const urlOf = (id: string) => assets.find((a) => a.id === id)?.hostedUrl ?? '';
    const kettle = content.addItem(products, { name: 'Kettle', brochure: urlOf(brochure.id), notes: `Related item ${'e'.repeat(24)}` });
    const usage = createUsageIndex({ store: stores.current(), reader: content, getSiteToken });
    const app = siteApp({ userId: 'u1', siteId: SITE }, usageRoutes({ usage }));
    const put = (body: unknown) => app.request(`/api/sites/${SITE}/usage/styles`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
    return { app, usage, content, photo, brochure, hero, kettle, products, urlOf, put };
  }

  const summaryOf = async (app: Awaited<ReturnType<typeof setup>>['app']) => usageSummary.parse(await (await app.request(`/api/sites/${SITE}/usage`)).json());

  it('counts a CMS value holding an asset’s hosted URL as a link, so a linked PDF is used', async () => {
    const { app, usage, brochure, kettle, products } = await setup();
    await usage.crawl(SITE);
    const { columns } = await summaryOf(app);
    const row = columns.assetId.indexOf(brochure.id);
    expect(row).toBeGreaterThanOrEqual(0);
    expect([columns.pages[row], columns.items[row], columns.links[row], columns.missing[row]]).toEqual([0, 0, 1, 0]);
    // The item id in the notes is not an asset: no row for it.
    expect(columns.assetId).not.toContain('e'.repeat(24));
    const detail = assetUsage.parse(await (await app.request(`/api/sites/${SITE}/usage/assets/${brochure.id}`)).json());
    expect(detail.uses).toEqual([]);
    expect(detail.references).toEqual([{ where: { kind: 'link', collectionId: products.id, collectionName: 'Products', itemId: kettle.id, itemName: 'Kettle', fieldSlug: 'brochure' }, localeId: `${SITE}-en` }]);
  });

  it('stores the background images the panel found, by id or URL, counts them per style, and dates the read', async () => {
    const { app, usage, hero, photo, urlOf, put } = await setup();
    await usage.crawl(SITE);
    expect((await summaryOf(app)).sources.read.find((s) => s.source === 'styles')?.readAt).toBeNull();
    const response = await put({
      uses: [
        { assetId: hero.id, styleName: 'Hero section' },
        { url: urlOf(hero.id), styleName: 'Hero section', breakpoint: 'small' },
        { url: urlOf(photo.id), styleName: 'Card', pseudo: 'hover' },
        { url: 'https://example.com/elsewhere.jpg', styleName: 'Banner' },
      ],
    });
    expect(response.status).toBe(200);
    const answer = styleUsesResponse.parse(await response.json());
    expect([answer.stored, answer.unmatched]).toEqual([3, 1]);
    expect(answer.sources.read.find((s) => s.source === 'styles')?.readAt).toEqual(expect.any(String));

    // A crawl afterwards keeps them: they come from the panel, not from the crawl.
    await usage.crawl(SITE);
    const { columns, sources } = await summaryOf(app);
    expect(columns.styles[columns.assetId.indexOf(hero.id)]).toBe(1);
    expect(columns.styles[columns.assetId.indexOf(photo.id)]).toBe(1);
    expect(usageSources.parse(await (await app.request(`/api/sites/${SITE}/usage/sources`)).json())).toEqual(sources);
    const detail = assetUsage.parse(await (await app.request(`/api/sites/${SITE}/usage/assets/${hero.id}`)).json());
    expect(detail.references.map((r) => r.where)).toEqual([
      { kind: 'style', styleName: 'Hero section', breakpoint: null, pseudo: null },
      { kind: 'style', styleName: 'Hero section', breakpoint: 'small', pseudo: null },
    ]);

    // The next read replaces the last one whole.
    expect((await put({ uses: [] })).status).toBe(200);
    const after = await summaryOf(app);
    expect(after.columns.styles.every((n) => n === 0)).toBe(true);
  });

  it('names what it cannot see, and a scope it lacks', async () => {
    const { app, content, usage } = await setup();
    content.withoutScopes.set(SITE, new Set(['cms:read']));
    await usage.crawl(SITE);
    const sources = usageSources.parse(await (await app.request(`/api/sites/${SITE}/usage/sources`)).json());
    expect(sources.notSeen[0]).toMatch(/^CMS items: .*cms:read/);
    expect(sources.notSeen.some((line) => /custom code/i.test(line))).toBe(true);
    expect(sources.notSeen.some((line) => /link to a file’s CDN URL/.test(line))).toBe(true);
  });

  it('refuses a bad styles body with 400 and the shared error, keeping the last read', async () => {
    const { app, hero, put } = await setup();
    expect((await put({ uses: [{ assetId: hero.id, styleName: 'Kept' }] })).status).toBe(200);
    const bad: unknown[] = [
      'not json',
      '{"uses": ',
      {},
      { uses: 'x' },
      { uses: [{ styleName: 'No asset' }] },
      { uses: [{ assetId: hero.id, url: 'https://x/y.jpg', styleName: 'Both' }] },
      { uses: [{ assetId: hero.id, styleName: '' }] },
      { uses: [{ assetId: 'not an id', styleName: 'S' }] },
      { uses: [{ assetId: hero.id, styleName: 'S', breakpoint: 'huge' }] },
      { uses: [{ assetId: hero.id, styleName: 'S', pseudo: 'hovered' }] },
      { uses: [{ assetId: hero.id, styleName: 'S', extra: 1 }] },
      { uses: [], more: true },
      { uses: Array.from({ length: MAX_STYLE_USES + 1 }, () => ({ assetId: hero.id, styleName: 'S' })) },
    ];
    for (const body of bad) {
      const response = await put(body);
      expect(response.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(['validation_error', 'bad_request']).toContain(apiError.parse(await response.json()).error.code);
    }
    await fc.assert(
      fc.asyncProperty(fc.anything(), async (body) => {
        fc.pre(!(typeof body === 'object' && body !== null && 'uses' in body && Array.isArray((body as { uses: unknown }).uses) && Object.keys(body).length === 1));
        const response = await put(JSON.stringify(body) ?? 'undefined');
        expect(response.status).toBe(400);
        expect(apiError.parse(await response.json()).error.message.length).toBeGreaterThan(0);
      }),
      { numRuns: 60 },
    );
    const { columns } = await summaryOf(app);
    expect(columns.styles[columns.assetId.indexOf(hero.id)]).toBe(1);
  });

  it('keeps style names as Webflow holds them, whatever text they are', async () => {
    const { app, hero, put } = await setup();
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }), async (styleName) => {
        const response = await put({ uses: [{ assetId: hero.id, styleName }] });
        expect(response.status).toBe(200);
        const detail = assetUsage.parse(await (await app.request(`/api/sites/${SITE}/usage/assets/${hero.id}`)).json());
        expect(detail.references.map((r) => (r.where.kind === 'style' ? r.where.styleName : null))).toEqual([styleName]);
      }),
      { numRuns: 25 },
    );
  });
});
