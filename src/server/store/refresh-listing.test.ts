import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { testStoreKinds, useTestStore } from '../../../test/server/store-test-helpers.ts';
import { markRemoved, readAssets, saveMd5, upsertAssets } from './asset-index.ts';
import { addListed, clearSiteListing, commitListing, dropListing, listedIds, type ListedAsset, type ListingRun } from './refresh-listing.ts';

const SITE = 'site1';
const RUN = 'run1';

function listed(id: string, altText: string | null = null, more: Partial<ListedAsset> = {}): ListedAsset {
  return {
    id, name: `${id}.jpg`, fileName: `${id}.jpg`, contentType: 'image/jpeg', size: 10, url: `https://cdn/${id}.jpg`, thumbUrl: `https://cdn/${id}-100.jpg`,
    folderId: null, createdOn: '2026-01-01T00:00:00.000Z', lastUpdated: '2026-01-01T00:00:00.000Z', altText, localeAltText: {}, ...more,
  };
}

/** Any UTF-16 text, NUL, lone surrogates, the store's escape, RTL marks and emoji sequences included. */
const anyText = fc.string({
  unit: fc.oneof(fc.integer({ min: 0, max: 0xffff }).map((u) => String.fromCharCode(u)), fc.constantFrom('\u0000', '\uE000', '\uD800', '\uDC00', '\u200F', '👩‍👩‍👧', 'a', ' ')),
  maxLength: 40,
});

describe.each(testStoreKinds)('a refresh listing kept in the store, on %s', (kind) => {
  const stores = useTestStore(kind);

  /** A run of `siteId` that began at `startVersion`. */
  const run = (startVersion: number, runId = RUN, siteId = SITE): ListingRun => ({ siteId, runId, startVersion });
  const index = async () => new Map((await readAssets(stores.current(), SITE, { includeRemoved: true })).map((a) => [a.doc.id, a]));

  it('writes what it holds but for rows written since the refresh began, keeps known hashes, and removes the unlisted', async () => {
    const store = stores.current();
    await upsertAssets(store, SITE, ['same', 'edited', 'gone', 'newer', 'back', 'reuploaded'].map((id) => ({ ...listed(id, `alt ${id}`), md5: null })), 1);
    await saveMd5(store, SITE, 'edited', 'd41d8cd98f00b204e9800998ecf8427e');
    await markRemoved(store, SITE, ['back'], 2);
    // Written after the refresh began (version 2): a mirrored change, an upload, one the listing missed.
    await upsertAssets(store, SITE, [{ ...listed('newer', 'mirrored'), md5: null }, { ...listed('uploaded'), md5: null }, { ...listed('reuploaded', 'again'), md5: null }], 3);

    await addListed(store, run(2), [listed('edited', 'new words'), listed('newer', 'stale listing'), listed('back', 'alt back'), listed('fresh')]);
    expect(await commitListing(store, run(2), 4, ['gone', 'reuploaded'])).toEqual({ written: 3, removed: 1 });

    const after = await index();
    expect(after.get('same')?.version).toBe(1);
    expect(after.get('edited')).toMatchObject({ version: 4, doc: { altText: 'new words', md5: 'd41d8cd98f00b204e9800998ecf8427e' } });
    expect(after.get('fresh')).toMatchObject({ version: 4, removed: false, doc: { md5: null } });
    expect(after.get('back')).toMatchObject({ version: 4, removed: false, doc: { altText: 'alt back' } });
    expect(after.get('gone')).toMatchObject({ version: 4, removed: true });
    expect(after.get('newer')).toMatchObject({ version: 3, doc: { altText: 'mirrored' } });
    expect(after.get('uploaded')).toMatchObject({ version: 3, removed: false });
    expect(after.get('reuploaded')).toMatchObject({ version: 3, removed: false, doc: { altText: 'again' } });
  });

  it('keeps one row per asset, the last listing of it', async () => {
    const store = stores.current();
    await addListed(store, run(0), [listed('a', 'first'), listed('b'), listed('a', 'second')]);
    await addListed(store, run(0), [listed('b', 'later')]);
    expect(await listedIds(store, RUN)).toEqual(['a', 'b']);
    expect(await commitListing(store, run(0), 1, [])).toEqual({ written: 2, removed: 0 });
    const after = await index();
    expect([after.get('a')?.doc.altText, after.get('b')?.doc.altText]).toEqual(['second', 'later']);
  });

  it('keeps each run apart, and a site’s clearing takes every run of that site only', async () => {
    const store = stores.current();
    await addListed(store, run(0), [listed('a')]);
    await addListed(store, run(0, 'run2'), [listed('b')]);
    await addListed(store, run(0, 'run3', 'site2'), [listed('c')]);
    expect(await commitListing(store, run(0), 1, [])).toEqual({ written: 1, removed: 0 });
    await clearSiteListing(store, SITE);
    expect([...(await listedIds(store, RUN)), ...(await listedIds(store, 'run2'))]).toEqual([]);
    expect(await listedIds(store, 'run3')).toEqual(['c']);
    await dropListing(store, 'run3');
    expect(await listedIds(store, 'run3')).toEqual([]);
  });

  it('gives back every text byte for byte, ids included, and removes by the ids it was given', async () => {
    const store = stores.current();
    let version = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.record({ id: anyText.filter((id) => id.length > 0), name: anyText, alt: fc.option(anyText, { nil: null }), fr: fc.option(anyText, { nil: null }) }), { selector: (r) => r.id, minLength: 2, maxLength: 8 }),
        async (rows) => {
          await store.query(`DELETE FROM index_assets`);
          await dropListing(store, RUN);
          version += 2;
          const docs = rows.map((row) => listed(row.id, row.alt, { name: row.name, localeAltText: row.fr === row.alt ? {} : { fr: row.fr } }));
          await addListed(store, run(version - 2), docs);
          expect(await commitListing(store, run(version - 2), version - 1, [])).toEqual({ written: rows.length, removed: 0 });
          const after = await index();
          for (const doc of docs) expect(after.get(doc.id)?.doc).toEqual({ ...doc, md5: null });
          await dropListing(store, RUN);
          expect(await commitListing(store, run(version - 1), version, [rows[0]!.id])).toEqual({ written: 0, removed: 1 });
          expect((await index()).get(rows[0]!.id)?.removed).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });
});
