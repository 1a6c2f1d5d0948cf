/**
 * A journal grown old: 1,000,000 settled changes of one site (three or four bulk runs over
 * 100,000 assets in three locales), in PGlite as the backend embeds it. Two reads that once
 * counted the whole history (docs/decisions/journal-counts.md):
 *
 * - the status bar's poll, every 5 s per open panel: the conflicts and failures, and every
 *   status's count. Baseline: the same answer the way it was read before, counting the journal;
 * - the report's journal half: alt-text progress per day and locale, changes per day and person,
 *   the reader's last day. Baseline: the same days and people counted from the journal.
 *
 * The changes are written with one INSERT each of a thousand, as applied (or a few discarded,
 * conflicting or failed), so the counts are kept by the trigger's insert path; a real journal
 * reaches applied through acknowledgements, whose cost the decision record measures.
 */
import type { Benchmark, Figure } from '../lib/figure.ts';
import { percentile, round } from '../lib/figure.ts';
import { migrate, openStore } from '../../src/server/store/db.ts';
import { CHANGE_COLUMNS, OPEN_STATUS } from '../../src/server/store/journal.ts';
import { allMigrations } from '../../src/server/store/migrations.ts';
import { changesByPerson, progressByDay, recentChangesBy } from '../../src/server/store/report.ts';
import { createJournal } from '../../src/server/services/journal.ts';
import { countedInFull } from '../../test/server/journal-counted-in-full.ts';

const SITE = 'site-journal-bench';

async function timed(runs: number, read: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await read();
    times.push(performance.now() - started);
  }
  return percentile(times, 50);
}

export const journal: Benchmark = {
  id: 'journal',
  async run(context) {
    const changes = context.size(1_000_000, 20_000);
    const store = await openStore('memory://');
    try {
      await migrate(store, allMigrations);
      const started = performance.now();
      const perBatch = 1000;
      for (let batch = 0; batch < changes / perBatch; batch++) {
        const [row] = await store.query<{ id: string }>(`INSERT INTO journal_batches (site_id, user_id, label) VALUES ($1, $2, 'Bulk') RETURNING id::text AS id`, [SITE, `user${batch % 3}`]);
        // Over 400 days, three locales; one in 500 discarded, one in 20,000 a conflict or a failure.
        await store.query(
          `INSERT INTO journal_changes (batch_id, site_id, asset_id, field, locale_id, before_value, after_value, status, user_id,
             created_at, applied_at, applied_by, current_known, current_value, error)
           SELECT $1::bigint, $2, 'asset' || (g % 100000), 'altText', (ARRAY['', 'fr', 'de'])[1 + g % 3],
             CASE WHEN g % 4 = 0 THEN 'Old text' ELSE '' END, 'Alt text ' || g,
             CASE WHEN g % 20000 = 7 THEN 'conflict' WHEN g % 20000 = 11 THEN 'failed' WHEN g % 500 = 3 THEN 'discarded' ELSE 'applied' END,
             $3, now() - ((g % 400) || ' days')::interval,
             CASE WHEN g % 500 = 3 OR g % 20000 IN (7, 11) THEN NULL ELSE now() - ((g % 400) || ' days')::interval END,
             CASE WHEN g % 500 = 3 OR g % 20000 IN (7, 11) THEN NULL ELSE 'server' END,
             g % 20000 = 7, CASE WHEN g % 20000 = 7 THEN 'Theirs' END, CASE WHEN g % 20000 = 11 THEN 'Webflow is down' END
           FROM generate_series($4::int, $5::int) g`,
          [row?.id, SITE, `user${batch % 3}`, batch * perBatch, (batch + 1) * perBatch - 1],
        );
      }
      await store.exec('VACUUM ANALYZE');
      const writtenMs = performance.now() - started;

      const journalService = createJournal({ store });
      const poll = () => journalService.list(SITE, ['conflict', 'failed'], 500);
      const pollBefore = async () => {
        await store.query(`SELECT ${CHANGE_COLUMNS} FROM journal_changes WHERE site_id = $1 AND ${OPEN_STATUS} = ANY($2::text[]) ORDER BY id LIMIT 500`, [SITE, ['conflict', 'failed']]);
        await store.query(`SELECT ${OPEN_STATUS} AS status, count(*) AS count FROM journal_changes WHERE site_id = $1 GROUP BY 1`, [SITE]);
      };
      const report = () => Promise.all([progressByDay(store, SITE), changesByPerson(store, SITE), recentChangesBy(store, SITE, 'user0')]);
      const reportBefore = () => Promise.all([countedInFull(store, SITE), recentChangesBy(store, SITE, 'user0')]);

      // Both answer alike: the kept counts are the journal's.
      const [kept, full, answer] = [await report(), await countedInFull(store, SITE), await poll()];
      const same = JSON.stringify(kept[0]) === JSON.stringify(full.days) && JSON.stringify(kept[1]) === JSON.stringify(full.people) && answer.counts.applied === full.applied;

      const runs = context.small ? 3 : 5;
      const pollMs = await timed(runs, poll);
      const pollBeforeMs = await timed(runs, pollBefore);
      const reportMs = await timed(runs, report);
      const reportBeforeMs = await timed(Math.min(runs, 3), reportBefore);
      const label = changes.toLocaleString('en');
      const notes = `${label} changes written in ${round(writtenMs / 1000)} s; ${answer.counts.applied.toLocaleString('en')} applied, ${answer.counts.discarded.toLocaleString('en')} discarded, ${answer.changes.length} conflicts and failures; kept counts ${same ? 'equal' : 'DIFFER from'} the full count`;
      const figure = (what: string, reads: string, value: number, baseline: number, limit: number, target: string, notes?: string): Figure => ({
        name: `${what} with ${label} changes journaled (${reads}), median`,
        value: round(value),
        unit: 'ms',
        baseline: round(baseline),
        ratio: round(baseline / Math.max(value, 0.1)),
        target: `≤ ${limit} ms${target}`,
        pass: value <= limit && same,
        command: 'npm run bench -- --only journal',
        ...(notes ? { notes } : {}),
      });
      return [
        figure("status bar's poll", "conflicts, failures, every status's count", pollMs, pollBeforeMs, 20, ' (a poll every 5 s per open panel); baseline: the journal counted in full', notes),
        figure("report's journal reads", 'days, people, the last day', reportMs, reportBeforeMs, 100, '; baseline: days and people counted from the journal'),
      ];
    } finally {
      await store.close();
    }
  },
};
