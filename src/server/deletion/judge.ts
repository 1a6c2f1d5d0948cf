/**
 * Which selected assets may be deleted (docs/decisions/asset-deletion.md): only when the usage
 * index is fresh (a complete crawl within `freshMinutes`) and the site's styles were read; then
 * an asset that is indexed, not being deleted already, used nowhere (no use, no link, no style),
 * not seen used and not uploaded within `graceDays`. Pure: the service gathers the facts.
 */
import type { IndexedAsset } from '../../core/api.ts';
import type { DeletionCheck, HeldBackAsset } from '../../core/deletion.ts';
import { KEEP_DAYS } from '../../core/deletion.ts';
import type { AssetReference, AssetUse, UsageCrawlState, UsageSources } from '../../core/usage.ts';

export interface DeletionFacts {
  assetIds: readonly string[];
  assets: ReadonlyMap<string, IndexedAsset>;
  used: ReadonlyMap<string, { uses: AssetUse[]; references: AssetReference[] }>;
  seenUsed: ReadonlyMap<string, Date>;
  pending: ReadonlySet<string>;
  crawl: UsageCrawlState;
  sources: UsageSources;
  now: Date;
  graceDays: number;
  freshMinutes: number;
}

const day = (date: Date) => date.toLocaleDateString('en', { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' });

export function judgeDeletions(facts: DeletionFacts): DeletionCheck {
  const readAt = (source: string) => facts.sources.read.find((read) => read.source === source)?.readAt ?? null;
  const crawledAt = readAt('pages');
  const notReady: string[] = [];
  if (facts.crawl.state === 'needs_scopes') notReady.push('Asset Desk lacks permissions to read pages, components or the CMS: install it again.');
  if (!crawledAt) notReady.push('Where assets are used has not been read completely yet.');
  else if (facts.now.getTime() - Date.parse(crawledAt) > facts.freshMinutes * 60_000) {
    notReady.push(`Where assets are used was last read more than ${facts.freshMinutes} minutes ago: check again first.`);
  }
  if (!readAt('styles')) notReady.push('The site’s styles (background images) have never been read: open the panel in the Designer so it reads them.');

  const graceMs = facts.graceDays * 86_400_000;
  const recent = (date: Date) => facts.now.getTime() - date.getTime() < graceMs;
  const deletable: DeletionCheck['deletable'] = [];
  const heldBack: HeldBackAsset[] = [];
  for (const assetId of facts.assetIds) {
    const asset = facts.assets.get(assetId);
    const name = asset?.name ?? assetId;
    const hold = (reason: HeldBackAsset['reason'], detail: string, extra: Partial<HeldBackAsset> = {}) => heldBack.push({ assetId, name, reason, detail, ...extra });
    const used = facts.used.get(assetId);
    const seen = facts.seenUsed.get(assetId);
    const created = asset ? new Date(asset.createdOn) : undefined;
    if (!asset) hold('not_indexed', 'Not in the asset list (deleted already, or not read yet).');
    else if (facts.pending.has(assetId)) hold('pending', 'Its deletion is already under way.');
    else if (used) hold('in_use', usedWords(used), { uses: used.uses, references: used.references });
    else if (seen && recent(seen)) hold('recently_used', `Seen used on ${day(seen)}, within the last ${facts.graceDays} days.`);
    else if (created && Number.isFinite(created.getTime()) && recent(created)) hold('recently_uploaded', `Uploaded on ${day(created)}, within the last ${facts.graceDays} days.`);
    else deletable.push({ assetId, name: asset.name, size: asset.size });
  }
  return {
    ready: notReady.length === 0,
    notReady,
    crawlFinishedAt: crawledAt,
    freshMinutes: facts.freshMinutes,
    graceDays: facts.graceDays,
    keepDays: KEEP_DAYS,
    sources: facts.sources,
    deletable,
    heldBack,
  };
}

function usedWords(used: { uses: AssetUse[]; references: AssetReference[] }): string {
  const places = [...used.uses.map((use) => placeOf(use.where)), ...used.references.map((reference) => placeOf(reference.where))];
  const distinct = [...new Set(places)];
  const shown = distinct.slice(0, 3).join('; ');
  return `Used: ${shown}${distinct.length > 3 ? ` and ${distinct.length - 3} more` : ''}.`;
}

function placeOf(where: AssetUse['where'] | AssetReference['where']): string {
  switch (where.kind) {
    case 'page':
      return `page “${where.pageTitle}”`;
    case 'component':
      return `component “${where.componentName}”${where.pageTitle ? ` on “${where.pageTitle}”` : ''}`;
    case 'cms-image':
    case 'rich-text':
      return `CMS item “${where.itemName}” (${where.collectionName})`;
    case 'link':
      return `linked from CMS item “${where.itemName}” (${where.collectionName})`;
    case 'style':
      return `background image of style “${where.styleName}”`;
  }
}
