/** The report's backend half: the usage index's uses by place, and the journal's progress. */
import type { IndexedAsset } from '../../core/api.ts';
import type { ReportResponse } from '../../core/report.ts';
import type { Store } from '../store/db.ts';
import { changesByPerson, progressByDay, recentChangesBy } from '../store/report.ts';
import type { ResolvedUse } from '../usage/uses.ts';
import { placeCoverage } from './places.ts';
import { latestStretch } from './progress.ts';

export interface ReportDeps {
  store: Store;
  usage: { resolvedUses(siteId: string): Promise<{ built: boolean; uses: ResolvedUse[]; assets: ReadonlyMap<string, IndexedAsset> }> };
}

export type Report = ReturnType<typeof createReport>;

export function createReport({ store, usage }: ReportDeps) {
  return {
    async report(siteId: string, userId: string): Promise<ReportResponse> {
      const [resolved, days, people, recent] = await Promise.all([
        usage.resolvedUses(siteId),
        progressByDay(store, siteId),
        changesByPerson(store, siteId),
        recentChangesBy(store, siteId, userId),
      ]);
      const { places, visitors } = resolved.built ? placeCoverage(resolved.uses, resolved.assets) : { places: [], visitors: [] };
      return {
        usageBuilt: resolved.built,
        places,
        visitors,
        days,
        people: people.map((person) => ({ ...person, you: person.userId === userId })),
        stretch: latestStretch(recent),
      };
    },
  };
}
