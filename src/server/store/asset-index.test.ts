import { describe, expect, it } from 'vitest';
import type { IndexedAsset } from '../../core/api.ts';
import { testStoreKinds, useTestStore } from '../../../test/server/store-test-helpers.ts';
import { ASSET_PAGE_ROWS, markRemoved, readAssetIdsByUrl, readAssetsById, upsertAssets } from './asset-index.ts';

const SITE = 'site1';
const NUL = '\u0000';
const HALF = '\uDC00';

function asset(n: number, url?: string): IndexedAsset {
  const id = n.toString(16).padStart(24, '0');
  return {
    id,
    name: `photo-${n}.jpg`,
    fileName: `photo-${n}.jpg`,
    contentType: 'image/jpeg',
    size: 1000 + n,
    url: url ?? `https://cdn.example.com/${SITE}/${id}_photo-${n}.jpg`,
    thumbUrl: null,
    folderId: null,
    createdOn: '2026-01-01T00:00:00.000Z',
    lastUpdated: '2026-01-01T00:00:00.000Z',
    altText: null,
    localeAltText: {},
    md5: null,
  };
}

describe.each(testStoreKinds)('asset index reads on %s', (kind) => {
  const stores = useTestStore(kind);

  it('reads assets by id across statements: every live one asked for, no removed one, none of another site', async () => {
    const store = stores.current();
    const docs = Array.from({ length: ASSET_PAGE_ROWS + 5 }, (_, n) => asset(n));
    await upsertAssets(store, SITE, docs, 1);
    await upsertAssets(store, 'site2', [asset(1)], 1);
    await markRemoved(store, SITE, [docs[3]!.id], 2);
    const asked = [...docs.map((doc) => doc.id), 'f'.repeat(24)];
    const found = await readAssetsById(store, SITE, asked);
    expect(found.size).toBe(docs.length - 1);
    expect(found.has(docs[3]!.id)).toBe(false);
    expect(found.get(docs.at(-1)!.id)?.doc).toEqual(docs.at(-1));
    expect(await readAssetsById(store, SITE, [])).toEqual(new Map());
  });

  it('finds an asset by a URL that names no id, NUL and half characters included, and not a removed one', async () => {
    const store = stores.current();
    const odd = asset(1, `https://files.example.com/menu${NUL}${HALF}.pdf`);
    const plain = asset(2, 'https://files.example.com/plain.jpg');
    const gone = asset(3, 'https://files.example.com/gone.jpg');
    await upsertAssets(store, SITE, [odd, plain, gone, asset(4)], 1);
    await markRemoved(store, SITE, [gone.id], 2);
    const found = await readAssetIdsByUrl(store, SITE, [odd.url, plain.url, plain.url, gone.url, 'https://elsewhere.example.com/x.jpg']);
    expect(found).toEqual(new Map([[odd.url, odd.id], [plain.url, plain.id]]));
    expect(await readAssetIdsByUrl(store, 'site2', [plain.url])).toEqual(new Map());
  });
});
