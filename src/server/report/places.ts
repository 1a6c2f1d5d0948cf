/**
 * What visitors get, per page and per CMS collection and per locale, from the usage index's
 * resolved uses: each use counts once, so an image on 30 pages counts 30 times. Uses in a
 * component no page places are seen by no visitor and are left out.
 */
import type { IndexedAsset } from '../../core/api.ts';
import { lintAltText } from '../../core/alt-lint.ts';
import type { LocaleUseCoverage, PlaceCoverage, UseCoverage } from '../../core/report.ts';
import type { ResolvedUse } from '../usage/uses.ts';

interface Tally extends UseCoverage {
  assets: Set<string>;
}

function emptyTally(): Tally {
  return { uses: 0, withAlt: 0, decorative: 0, missing: 0, review: 0, assets: new Set() };
}

/** Where a use is seen: its page, or its item's collection; null for a component no page places. */
function placeOf(use: ResolvedUse['use']): { kind: 'page' | 'collection'; id: string; name: string } | null {
  const where = use.where;
  switch (where.kind) {
    case 'page':
      return { kind: 'page', id: where.pageId, name: where.pageTitle };
    case 'component':
      return where.pageId ? { kind: 'page', id: where.pageId, name: where.pageTitle ?? where.pageId } : null;
    case 'cms-image':
    case 'rich-text':
      return { kind: 'collection', id: where.collectionId, name: where.collectionName };
  }
}

function count(tally: Tally, resolved: ResolvedUse, asset: IndexedAsset | undefined): void {
  const { use } = resolved;
  tally.uses += 1;
  tally.assets.add(resolved.assetId);
  if (use.altState === 'decorative') tally.decorative += 1;
  else if (use.altState === 'missing') tally.missing += 1;
  else {
    tally.withAlt += 1;
    if (asset && lintAltText(use.altText ?? '', asset).length > 0) tally.review += 1;
  }
}

function coverageOf(tally: Tally): UseCoverage {
  return { uses: tally.uses, withAlt: tally.withAlt, decorative: tally.decorative, missing: tally.missing, review: tally.review };
}

export function placeCoverage(uses: readonly ResolvedUse[], assets: ReadonlyMap<string, IndexedAsset>): { places: PlaceCoverage[]; visitors: LocaleUseCoverage[] } {
  const places = new Map<string, { kind: 'page' | 'collection'; id: string; name: string; localeId: string | null; tally: Tally }>();
  const locales = new Map<string | null, Tally>();
  for (const resolved of uses) {
    const place = placeOf(resolved.use);
    if (!place || !resolved.seen) continue;
    const { localeId } = resolved.use;
    const asset = assets.get(resolved.assetId);
    const key = `${place.kind}|${place.id}|${localeId ?? ''}`;
    let entry = places.get(key);
    if (!entry) places.set(key, (entry = { ...place, localeId, tally: emptyTally() }));
    count(entry.tally, resolved, asset);
    let site = locales.get(localeId);
    if (!site) locales.set(localeId, (site = emptyTally()));
    count(site, resolved, asset);
  }
  return {
    places: [...places.values()]
      .map(({ tally, ...place }) => ({ ...place, ...coverageOf(tally), assets: tally.assets.size, assetIds: [...tally.assets].sort() }))
      .sort((a, b) => b.missing - a.missing || b.uses - a.uses || a.name.localeCompare(b.name)),
    visitors: [...locales].map(([localeId, tally]) => ({ localeId, ...coverageOf(tally) })),
  };
}
