import { describe, expect, it } from 'vitest';
import { apiError } from '../../core/api.ts';
import { assetUsage, usageSummary } from '../../core/usage.ts';
import { FakeSiteContent, imageNode } from '../../../test/server/fake-site-content.ts';
import { FakeWebflow } from '../../../test/server/fake-webflow.ts';
import { fullApp, SITE } from '../../../test/server/full-app.ts';
import { siteApp } from '../../../test/server/site-app.ts';
import { testStoreKinds, useTestStore } from '../../../test/server/store-test-helpers.ts';
import { createAssetIndex } from '../services/asset-index.ts';
import { usageRoutes } from './routes.ts';
import { createUsageIndex } from './usage-index.ts';

describe.each(testStoreKinds)('usage routes on %s', (kind) => {
  const stores = useTestStore(kind);

  async function setup() {
    const webflow = new FakeWebflow();
    webflow.addSite(SITE);
    const cup = webflow.addAsset(SITE, { altText: 'A cup' });
    const bare = webflow.addAsset(SITE, { altText: '' });
    webflow.addAsset(SITE, { altText: 'Unused' });
    const content = new FakeSiteContent(webflow);
    const home = content.addPage(SITE, 'Home', [imageNode('n1', cup.id), imageNode('n2', bare.id)]);
    const getSiteToken = async (siteId: string) => webflow.tokens.get(siteId);
    await createAssetIndex({ store: stores.current(), webflow, getSiteToken }).refresh(SITE);
    const usage = createUsageIndex({ store: stores.current(), reader: content, getSiteToken });
    const app = siteApp({ userId: 'u1', siteId: SITE }, usageRoutes({ usage }));
    return { app, usage, content, cup, bare, home };
  }

  it('answers the compact summary, starting the first crawl, then the counts once it finished', async () => {
    const { app, usage, cup, bare } = await setup();
    const first = await app.request(`/api/sites/${SITE}/usage`);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toMatch(/^application\/json/);
    expect(usageSummary.parse(await first.json()).crawl.state).toBe('running');
    await usage.idle();
    const body = usageSummary.parse(await (await app.request(`/api/sites/${SITE}/usage`)).json());
    expect(body.crawl).toMatchObject({ state: 'idle', built: true });
    expect(body.columns).toEqual({ assetId: [cup.id, bare.id].sort(), pages: [1, 1], components: [0, 0], items: [0, 0], links: [0, 0], styles: [0, 0], missing: cup.id < bare.id ? [0, 1] : [1, 0] });
    expect(body.sources.read.map((s) => [s.source, s.readAt === null])).toEqual([['pages', false], ['components', false], ['cms', false], ['styles', true]]);
  });

  it('answers one asset’s uses in detail', async () => {
    const { app, usage, bare, home } = await setup();
    await usage.crawl(SITE);
    const response = await app.request(`/api/sites/${SITE}/usage/assets/${bare.id}`);
    expect(response.status).toBe(200);
    expect(assetUsage.parse(await response.json())).toEqual({
      assetId: bare.id,
      uses: [{ where: { kind: 'page', pageId: home.id, pageTitle: 'Home', nodeId: 'n2' }, localeId: `${SITE}-en`, altState: 'missing', altText: '' }],
      references: [],
      crawl: expect.objectContaining({ state: 'idle' }),
    });
  });

  it('refuses an asset id that is not an id with 400, asking Webflow nothing', async () => {
    const { app, content } = await setup();
    for (const bad of ['not%20an%20id', 'a'.repeat(65), '%00', 'x%2Fy']) {
      const response = await app.request(`/api/sites/${SITE}/usage/assets/${bad}`);
      expect(response.status, bad).toBe(400);
      expect(apiError.parse(await response.json()).error.code).toBe('validation_error');
    }
    expect(content.count()).toBe(0);
  });

  it('starts a crawl on POST /usage/crawl, once while one runs', async () => {
    const { app, usage, content } = await setup();
    const responses = await Promise.all([1, 2].map(() => app.request(`/api/sites/${SITE}/usage/crawl`, { method: 'POST' })));
    expect(responses.map((r) => r.status)).toEqual([202, 202]);
    await usage.idle();
    expect(content.count('getSite')).toBe(1);
  });
});

describe.each(testStoreKinds)('usage routes behind sessions on %s', (kind) => {
  const stores = useTestStore(kind);

  it('refuses a request without a session with 401, spending no Webflow request', async () => {
    const full = fullApp(stores.current());
    for (const path of [`/api/sites/${SITE}/usage`, `/api/sites/${SITE}/usage/assets/${'a'.repeat(24)}`]) {
      const response = await full.app.request(path);
      expect(response.status).toBe(401);
      expect(apiError.parse(await response.json()).error.code).toBe('unauthorized');
    }
    expect((await full.app.request(`/api/sites/${SITE}/usage/crawl`, { method: 'POST' })).status).toBe(401);
    await full.idle();
    expect(full.content.count()).toBe(0);
    expect(full.webflow.calls).toEqual([]);
  });

  it('refuses another site’s usage with the session of this one', async () => {
    const full = fullApp(stores.current());
    const response = await full.app.request('/api/sites/other-site/usage', { headers: { authorization: full.authorization } });
    expect(response.status).toBe(403);
    expect(full.content.count()).toBe(0);
  });

  it('serves the summary through the whole app with a session', async () => {
    const full = fullApp(stores.current());
    const response = await full.app.request(`/api/sites/${SITE}/usage`, { headers: { authorization: full.authorization } });
    expect(response.status).toBe(200);
    usageSummary.parse(await response.json());
    await full.idle();
    expect(full.logged).toEqual([]);
  });
});

