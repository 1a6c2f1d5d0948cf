/**
 * The report's progress over time, from the journal's alt-text changes per day: images missing
 * alt text at the end of each day, counted back from today's figure (the grid's) with the fixes
 * and emptyings Asset Desk applied each day. Changes made elsewhere in Webflow, and uploads, are
 * not in the journal, so the line is "as far as Asset Desk knows" (docs/decisions/report.md).
 */
import type { DayProgress, PersonDay, WorkStretch } from '../../core/report.ts';
import { formatCount } from '../components/format.ts';

export interface MissingDay {
  day: string;
  /** Missing at the end of the day, by journal locale key ('' for the primary). */
  missing: Map<string, number>;
  fixed: number;
  emptied: number;
  changes: number;
}

/** `missingNow` by journal locale key ('' the primary); `today` as YYYY-MM-DD (UTC). */
export function missingByDay(days: readonly DayProgress[], missingNow: ReadonlyMap<string, number>, today: string): MissingDay[] {
  const byDay = new Map<string, DayProgress[]>();
  for (const entry of days) byDay.set(entry.day, [...(byDay.get(entry.day) ?? []), entry]);
  const ordered = [...new Set([...byDay.keys(), today])].sort().reverse();
  const current = new Map(missingNow);
  const result: MissingDay[] = [];
  for (const day of ordered) {
    const entries = byDay.get(day) ?? [];
    result.push({
      day,
      missing: new Map(current),
      fixed: entries.reduce((sum, entry) => sum + entry.fixed, 0),
      emptied: entries.reduce((sum, entry) => sum + entry.emptied, 0),
      changes: entries.reduce((sum, entry) => sum + entry.changes, 0),
    });
    // Before this day's changes, each locale missed what its fixes gave text, less what was emptied.
    for (const entry of entries) current.set(entry.localeId, Math.max(0, (current.get(entry.localeId) ?? 0) + entry.fixed - entry.emptied));
  }
  return result.reverse();
}

/** Who changed how much each day: "You", or a person by the end of their Webflow user id. */
export function personName(person: Pick<PersonDay, 'you' | 'userId'>): string {
  return person.you ? 'You' : `Another person (user …${person.userId.slice(-4)})`;
}

/** "You fixed 143 images in 52 minutes", in the words of the brief of the report. */
export function stretchSentence(stretch: WorkStretch | null): string {
  if (!stretch) return 'You have made no changes in the last day.';
  const minutes = Math.max(1, Math.round((Date.parse(stretch.endedAt) - Date.parse(stretch.startedAt)) / 60_000));
  const time = `${minutes} ${minutes === 1 ? 'minute' : 'minutes'}`;
  const changes = `${formatCount(stretch.changes)} ${stretch.changes === 1 ? 'change' : 'changes'}`;
  if (stretch.fixedImages > 0) {
    return `You fixed ${formatCount(stretch.fixedImages)} ${stretch.fixedImages === 1 ? 'image' : 'images'} in ${time} (${changes} in all).`;
  }
  return `Your last stretch of work: ${changes} to ${formatCount(stretch.assets)} ${stretch.assets === 1 ? 'asset' : 'assets'} in ${time}.`;
}
