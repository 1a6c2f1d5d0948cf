/** The session user's latest stretch of work, from their recent changes (newest first). */
import { STRETCH_GAP_MINUTES, type WorkStretch } from '../../core/report.ts';
import type { RecentChange } from '../store/report.ts';

export function latestStretch(changes: readonly RecentChange[], gapMinutes = STRETCH_GAP_MINUTES): WorkStretch | null {
  const newest = changes[0];
  if (!newest) return null;
  const gapMs = gapMinutes * 60_000;
  let oldest = newest;
  const fixed = new Set<string>();
  const assets = new Set<string>();
  let count = 0;
  for (const change of changes) {
    if (oldest.createdAt.getTime() - change.createdAt.getTime() > gapMs) break;
    oldest = change;
    count += 1;
    assets.add(change.assetId);
    if (change.fixes) fixed.add(change.assetId);
  }
  return { startedAt: oldest.createdAt.toISOString(), endedAt: newest.createdAt.toISOString(), changes: count, fixedImages: fixed.size, assets: assets.size };
}
