/**
 * Auth as Webflow does it: 401 `not_authorized` without a good token, 403 `missing_scopes`
 * when a scope is missing, 404 `resource_not_found` for another site's objects.
 */
import { describe, expect, it } from 'vitest';
import { failureOf, issueToken, otherSite, sdkFor, useSandbox, withAltText } from './support.ts';

const under = useSandbox({ demo: { assets: 30 }, rateLimit: { perWindow: 10_000, windowMs: 1_000 } });

function otherSiteObjects() {
  const site = otherSite(under.sandbox);
  const asset = under.sandbox.world.listAssets(site.id)[0];
  const folder = under.sandbox.world.listFolders(site.id)[0];
  if (!asset || !folder) throw new Error('Harbour Studio should have assets and folders.');
  return { site, asset, folder };
}

describe('without a valid token', () => {
  it('answers 401 not_authorized when the Authorization header is missing', async () => {
    const response = await fetch(`${under.sandbox.info.apiBaseUrl}/sites`);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: 'not_authorized' });
  });

  it('answers 401 not_authorized to an unknown token', async () => {
    const failure = await failureOf(sdkFor(under.sandbox, 'f'.repeat(64)).sites.list());
    expect(failure.statusCode).toBe(401);
    expect(failure.body.code).toBe('not_authorized');
  });
});

describe('another user’s site', () => {
  it('is not found, nor are its assets listed', async () => {
    const { site } = otherSiteObjects();
    const calls = [() => under.webflow.sites.get(site.id), () => under.webflow.assets.list(site.id), () => under.webflow.assets.listFolders(site.id)];
    for (const call of calls) {
      const failure = await failureOf(call());
      expect(failure.statusCode).toBe(404);
      expect(failure.body.code).toBe('resource_not_found');
    }
  });

  it('has assets that cannot be read, changed or deleted', async () => {
    const { asset } = otherSiteObjects();
    const before = structuredClone(asset.altText);
    const calls = [() => under.webflow.assets.get(asset.id), () => under.webflow.assets.update(asset.id, withAltText({}, 'mine now')), () => under.webflow.assets.delete(asset.id)];
    for (const call of calls) {
      const failure = await failureOf(call());
      expect(failure.statusCode).toBe(404);
      expect(failure.body.code).toBe('resource_not_found');
    }
    expect(under.sandbox.world.asset(undefined, asset.id).altText).toEqual(before);
  });

  it('has folders that cannot be read or created in', async () => {
    const { site, folder } = otherSiteObjects();
    const read = await failureOf(under.webflow.assets.getFolder(folder.id));
    expect([read.statusCode, read.body.code]).toEqual([404, 'resource_not_found']);
    const created = await failureOf(under.webflow.assets.createFolder(site.id, { displayName: 'Intruder' }));
    expect([created.statusCode, created.body.code]).toEqual([404, 'resource_not_found']);
  });
});

describe('a token without a scope', () => {
  it('reads assets but is refused a change with 403 missing_scopes', async () => {
    const { siteId } = under.sandbox.info;
    const readOnly = sdkFor(under.sandbox, await issueToken(under.sandbox, [siteId], ['assets:read']));
    const [asset] = (await readOnly.assets.list(siteId, { limit: 1 })).assets ?? [];
    const failure = await failureOf(readOnly.assets.update(asset?.id ?? '', { displayName: 'renamed.png' }));
    expect(failure.statusCode).toBe(403);
    expect(failure.body).toMatchObject({ code: 'missing_scopes', message: expect.stringContaining('assets:write') });
  });

  it('is refused the authorizing user without authorized_user:read', async () => {
    const noUser = sdkFor(under.sandbox, await issueToken(under.sandbox, [under.sandbox.info.siteId], ['assets:read', 'sites:read']));
    const failure = await failureOf(noUser.token.authorizedBy());
    expect([failure.statusCode, failure.body.code]).toEqual([403, 'missing_scopes']);
  });
});

describe('pages, components and the CMS', () => {
  it('are refused with 403 missing_scopes, naming the scope, to a token without pages:read, components:read or cms:read', async () => {
    const { siteId } = under.sandbox.info;
    const assetsOnly = sdkFor(under.sandbox, await issueToken(under.sandbox, [siteId], ['assets:read', 'sites:read']));
    const collection = under.sandbox.world.content.listCollections(siteId)[0];
    const calls: [() => Promise<unknown>, string][] = [
      [() => assetsOnly.pages.list(siteId), 'pages:read'],
      [() => assetsOnly.components.list(siteId), 'components:read'],
      [() => assetsOnly.collections.list(siteId), 'cms:read'],
      [() => assetsOnly.collections.items.listItems(collection?.id ?? ''), 'cms:read'],
    ];
    for (const [call, scope] of calls) {
      const failure = await failureOf(call());
      expect([failure.statusCode, failure.body.code]).toEqual([403, 'missing_scopes']);
      expect(failure.body.message).toContain(scope);
    }
  });

  it('reads items but is refused a change without cms:write, which then changes nothing', async () => {
    const { siteId } = under.sandbox.info;
    const readOnly = sdkFor(under.sandbox, await issueToken(under.sandbox, [siteId], ['cms:read']));
    const collection = under.sandbox.world.content.listCollections(siteId)[0];
    const [item] = (await readOnly.collections.items.listItems(collection?.id ?? '', { limit: 1 })).items ?? [];
    const before = structuredClone(under.sandbox.world.content.item(collection?.id ?? '', item?.id ?? '').versions);
    const calls = [
      () => readOnly.collections.items.updateItem(collection?.id ?? '', item?.id ?? '', { fieldData: { name: 'Mine now' } }),
      () => readOnly.collections.items.updateItems(collection?.id ?? '', { items: [{ id: item?.id ?? '', fieldData: { name: 'Mine now' } }] }),
    ];
    for (const call of calls) {
      const failure = await failureOf(call());
      expect([failure.statusCode, failure.body.code]).toEqual([403, 'missing_scopes']);
      expect(failure.body.message).toContain('cms:write');
    }
    expect(under.sandbox.world.content.item(collection?.id ?? '', item?.id ?? '').versions).toEqual(before);
  });

  it('takes page:read, the name v2.yml’s operations give the pages scope, as pages:read', async () => {
    const { siteId } = under.sandbox.info;
    const pages = sdkFor(under.sandbox, await issueToken(under.sandbox, [siteId], ['page:read']));
    expect((await pages.pages.list(siteId, { limit: 1 })).pagination?.total).toBeGreaterThan(0);
  });

  it('does not show another user’s pages, components or collections', async () => {
    const { site } = otherSiteObjects();
    const page = under.sandbox.world.content.listPages(site.id)[0];
    const collection = under.sandbox.world.content.listCollections(site.id)[0];
    const calls = [
      () => under.webflow.pages.list(site.id),
      () => under.webflow.pages.getContent(page?.id ?? ''),
      () => under.webflow.components.list(site.id),
      () => under.webflow.collections.list(site.id),
      () => under.webflow.collections.get(collection?.id ?? ''),
      () => under.webflow.collections.items.listItems(collection?.id ?? ''),
    ];
    for (const call of calls) {
      const failure = await failureOf(call());
      expect([failure.statusCode, failure.body.code]).toEqual([404, 'resource_not_found']);
    }
  });
});
