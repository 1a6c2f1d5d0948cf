import { describe, expect, it } from 'vitest';
import { apiError } from '../../core/api.ts';
import { cmsImages } from '../../core/cms-images.ts';
import { FakeSiteContent, field, imageNode } from '../../../test/server/fake-site-content.ts';
import { FakeWebflow, wireLocale } from '../../../test/server/fake-webflow.ts';
import { fullApp } from '../../../test/server/full-app.ts';
import { siteApp } from '../../../test/server/site-app.ts';
import { testStoreKinds, useTestStore } from '../../../test/server/store-test-helpers.ts';
import { createAssetIndex } from '../services/asset-index.ts';
import { usageRoutes } from './routes.ts';
import { createUsageIndex } from './usage-index.ts';

const SITE = 'site1';

describe.each(testStoreKinds)('GET /usage/cms-images on %s', (kind) => {
  const stores = useTestStore(kind);

  async function setup() {
    const webflow = new FakeWebflow();
    webflow.addSite(SITE, { secondary: [wireLocale('fr', 'fr')] });
    const cup = webflow.addAsset(SITE, { altText: 'A cup' });
    const beans = webflow.addAsset(SITE, { altText: 'Beans' });
    const content = new FakeSiteContent(webflow);
    content.addPage(SITE, 'Home', [imageNode('n1', cup.id)]);
    const posts = content.addCollection(SITE, 'Posts', [field('Image', 'main-image'), field('RichText', 'body')]);
    const post = content.addItem(posts, {
      name: 'Brewing',
      'main-image': { fileId: cup.id, url: `https://cdn.example.test/${SITE}/${cup.id}_cup.jpg`, alt: 'Our cup' },
      body: `<p>x</p><img alt="" src="https://cdn.example.test/${SITE}/${beans.id}_beans.jpg"><img src="https://cdn.example.test/${SITE}/${cup.id}_cup.jpg">`,
    });
    const products = content.addCollection(SITE, 'Products', [field('MultiImage', 'gallery')]);
    const product = content.addItem(
      products,
      { name: 'Espresso', gallery: [{ fileId: beans.id, url: 'x', alt: 'Beans' }, { fileId: cup.id, url: 'y', alt: null }] },
      { 'cms-fr': { name: 'A Espresso (fr)', gallery: [{ fileId: beans.id, url: 'x', alt: 'Grains' }, { fileId: cup.id, url: 'y', alt: 'Tasse' }] } },
    );
    const getSiteToken = async (siteId: string) => webflow.tokens.get(siteId);
    await createAssetIndex({ store: stores.current(), webflow, getSiteToken }).refresh(SITE);
    const usage = createUsageIndex({ store: stores.current(), reader: content, getSiteToken });
    const app = siteApp({ userId: 'u1', siteId: SITE }, usageRoutes({ usage }));
    return { app, usage, cup, beans, post, product, posts, products };
  }

  it('lists every CMS image use by column, grouped by collection and item, the primary locale as null', async () => {
    const { app, usage, cup, beans, post, product, posts, products } = await setup();
    await usage.crawl(SITE);
    const response = await app.request(`/api/sites/${SITE}/usage/cms-images`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('private, no-cache');
    const body = cmsImages.parse(await response.json());
    expect(body.crawl).toMatchObject({ state: 'idle', built: true });
    expect(body.collections).toEqual([
      { id: posts.id, name: 'Posts' },
      { id: products.id, name: 'Products' },
    ]);
    const rows = body.columns.itemId.map((itemId, i) => [
      body.columns.collection[i],
      itemId,
      body.columns.fieldSlug[i],
      body.columns.fieldType[i],
      body.columns.position[i],
      body.columns.localeId[i],
      body.columns.assetId[i],
      body.columns.altState[i],
      body.columns.altText[i],
    ]);
    // The page's image is not a CMS use; each item is listed in both locales.
    expect(rows).toEqual([
      [0, post.id, 'body', 'RichText', 0, null, beans.id, 'missing', ''],
      [0, post.id, 'body', 'RichText', 0, 'fr', beans.id, 'missing', ''],
      [0, post.id, 'body', 'RichText', 1, null, cup.id, 'missing', null],
      [0, post.id, 'body', 'RichText', 1, 'fr', cup.id, 'missing', null],
      [0, post.id, 'main-image', 'Image', null, null, cup.id, 'overridden', 'Our cup'],
      [0, post.id, 'main-image', 'Image', null, 'fr', cup.id, 'overridden', 'Our cup'],
      [1, product.id, 'gallery', 'MultiImage', 0, null, beans.id, 'overridden', 'Beans'],
      [1, product.id, 'gallery', 'MultiImage', 0, 'fr', beans.id, 'overridden', 'Grains'],
      [1, product.id, 'gallery', 'MultiImage', 1, null, cup.id, 'missing', null],
      [1, product.id, 'gallery', 'MultiImage', 1, 'fr', cup.id, 'overridden', 'Tasse'],
    ]);
    // The French name would sort first; the item's uses stay together, placed by its primary name.
    expect(body.columns.itemName.slice(6)).toEqual(['Espresso', 'A Espresso (fr)', 'Espresso', 'A Espresso (fr)']);
  });

  it('starts the first crawl and answers no uses while it runs', async () => {
    const { app, usage } = await setup();
    const body = cmsImages.parse(await (await app.request(`/api/sites/${SITE}/usage/cms-images`)).json());
    expect(body.crawl.state).toBe('running');
    expect(body.columns.itemId).toEqual([]);
    await usage.idle();
  });
});

describe.each(testStoreKinds)('GET /usage/cms-images behind sessions on %s', (kind) => {
  const stores = useTestStore(kind);

  it('refuses a caller without a session (401) or with another site’s (403), asking Webflow nothing', async () => {
    const full = fullApp(stores.current());
    const anonymous = await full.app.request(`/api/sites/${SITE}/usage/cms-images`);
    expect(anonymous.status).toBe(401);
    expect(apiError.parse(await anonymous.json()).error.code).toBe('unauthorized');
    const other = await full.app.request('/api/sites/other-site/usage/cms-images', { headers: { authorization: full.authorization } });
    expect(other.status).toBe(403);
    await full.idle();
    expect(full.content.count()).toBe(0);
  });
});
