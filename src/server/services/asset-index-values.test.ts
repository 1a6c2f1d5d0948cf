import { describe, expect, it } from 'vitest';
import { indexResponse } from '../../core/api.ts';
import { encodeCompactIndex, decodeCompactIndex } from '../../core/compact-index.ts';
import { FakeWebflow } from '../../../test/server/fake-webflow.ts';
import { testStoreKinds, useTestStore } from '../../../test/server/store-test-helpers.ts';
import type { WireFolder } from '../webflow/types.ts';
import { createAssetIndex } from './asset-index.ts';

const SITE = 'site1';
const NUL = '\u0000';
const HALF = '\uDC00';

describe.each(testStoreKinds)('values from Webflow in the index on %s', (kind) => {
  const stores = useTestStore(kind);

  function setup() {
    const webflow = new FakeWebflow();
    webflow.addSite(SITE, { displayName: `Roasters${NUL}` });
    const errors: unknown[] = [];
    const index = createAssetIndex({ store: stores.current(), webflow, getSiteToken: async (siteId) => webflow.tokens.get(siteId), onError: (error) => errors.push(error) });
    return { webflow, index, errors };
  }

  it('indexes a NUL-named folder and a half-character asset name as Webflow holds them, byte for byte', async () => {
    const { webflow, index, errors } = setup();
    const folder = webflow.addFolder(SITE, `Logos${NUL}`);
    const odd = webflow.addAsset(SITE, { displayName: `Menu ${HALF}`, fileName: `menu${HALF}.png`, folderId: folder.id, altText: `Cup${NUL}of coffee` });
    // The private-use character the store escapes with is itself kept as it is.
    const escapeLike = webflow.addAsset(SITE, { displayName: '\uE0000041 icon' });
    webflow.addAsset(SITE, { displayName: 'plain.jpg' });

    await index.refresh(SITE);

    const whole = indexResponse.parse(await index.index(SITE));
    expect(errors).toEqual([]);
    expect(whole.refresh).toMatchObject({ state: 'idle', error: null });
    expect(whole.refresh.skipped).toBeUndefined();
    expect(whole.site.displayName).toBe(`Roasters${NUL}`);
    expect(whole.folders).toEqual([{ id: folder.id, name: `Logos${NUL}`, parentId: null }]);
    expect(whole.assets.find((a) => a.id === odd.id)).toMatchObject({ name: `Menu ${HALF}`, fileName: `menu${HALF}.png`, altText: `Cup${NUL}of coffee`, folderId: folder.id });
    expect(whole.assets.find((a) => a.id === escapeLike.id)?.name).toBe('\uE0000041 icon');
    // The panel's compact layout carries them too.
    expect(decodeCompactIndex(JSON.parse(JSON.stringify(encodeCompactIndex(whole)))).assets.find((a) => a.id === odd.id)?.fileName).toBe(`menu${HALF}.png`);

    // A second refresh finds nothing changed: what was stored compares equal to what Webflow lists.
    const version = whole.version;
    await index.refresh(SITE);
    expect((await index.state(SITE)).version).toBe(version);
  });

  it('skips an asset and a folder Webflow lists without what the index needs, names them, and indexes the rest', async () => {
    const { webflow, index } = setup();
    webflow.addAsset(SITE, { displayName: 'ok.jpg' });
    const broken = webflow.addAsset(SITE, { displayName: `Broken${NUL}.jpg` });
    // A listing without a content type: the index cannot tell an image from a document.
    Object.assign(broken, { contentType: null });
    webflow.folders.push({ id: 'f'.repeat(24), displayName: null, parentFolder: null, assets: [], siteId: SITE, createdOn: '', lastUpdated: '' } as unknown as WireFolder);

    await index.refresh(SITE);

    const whole = indexResponse.parse(await index.index(SITE));
    expect(whole.refresh.state).toBe('idle');
    expect(whole.assets.map((a) => a.name)).toEqual(['ok.jpg']);
    expect(whole.refresh.skipped).toEqual([
      { kind: 'folder', id: 'f'.repeat(24), name: '(no name)' },
      { kind: 'asset', id: broken.id, name: `Broken${NUL}.jpg` },
    ]);

    // Once Webflow's value is whole again, the next refresh indexes it and names nothing.
    Object.assign(broken, { contentType: 'image/jpeg' });
    webflow.folders.pop();
    await index.refresh(SITE);
    const again = indexResponse.parse(await index.index(SITE));
    expect(again.assets).toHaveLength(2);
    expect(again.refresh.skipped).toBeUndefined();
  });

  it('reports a failure in its own words, never the database’s', async () => {
    const { webflow, index, errors } = setup();
    webflow.addAsset(SITE, {});
    const store = stores.current();
    await store.exec('CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION \'unsupported Unicode escape sequence\'; END $$ LANGUAGE plpgsql');
    await index.refresh(SITE); // creates the tables' rows, then the trigger makes the next write fail
    await store.exec('CREATE TRIGGER refuse BEFORE INSERT OR UPDATE ON index_assets FOR EACH ROW EXECUTE FUNCTION refuse()');
    webflow.addAsset(SITE, {});

    await index.refresh(SITE);

    const { refresh } = await index.state(SITE);
    expect(refresh.state).toBe('failed');
    expect(refresh.error).toBe('The refresh could not save what it read from Webflow; refresh again. If it keeps failing, the backend’s log says why.');
    expect(String(errors.at(-1))).toMatch(/unsupported Unicode escape sequence/);
  });
});
