/** The report as a CSV file for a client's spreadsheet: every table of the view, one section per block of rows. */
import { csvRecord, UTF8_BOM } from '../../core/csv.ts';
import type { PlaceCoverage, LocaleUseCoverage } from '../../core/report.ts';
import type { FolderCoverage, LocaleCoverage } from './coverage.ts';
import type { MissingDay } from './progress.ts';

export interface ReportTables {
  locales: LocaleCoverage[];
  /** The folder table's locale, and its rows with each folder's path. */
  folders: { localeName: string; rows: Array<FolderCoverage & { path: string }> };
  visitors: Array<LocaleUseCoverage & { localeName: string }>;
  places: Array<PlaceCoverage & { localeName: string }>;
  days: MissingDay[];
  localeNames: ReadonlyMap<string, string>;
}

const HEADER = ['section', 'name', 'locale', 'total', 'alt text', 'decorative', 'missing', 'needs review'];

export function reportCsv(tables: ReportTables): string {
  const rows: string[][] = [HEADER];
  for (const row of tables.locales) rows.push(['images by locale', row.locale.displayName, row.locale.displayName, ...counts(row.images, row)]);
  for (const row of tables.folders.rows) rows.push(['images by folder', row.path, tables.folders.localeName, ...counts(row.images, row)]);
  for (const row of tables.visitors) rows.push(['uses seen by visitors', 'whole site', row.localeName, ...counts(row.uses, row)]);
  for (const row of tables.places) rows.push([row.kind === 'page' ? 'uses by page' : 'uses by CMS collection', row.name, row.localeName, ...counts(row.uses, row)]);
  for (const day of tables.days) {
    for (const [key, missing] of day.missing) rows.push(['missing by day', day.day, tables.localeNames.get(key) ?? key, '', '', '', String(missing), '']);
  }
  return UTF8_BOM + rows.map(csvRecord).join('');
}

function counts(total: number, row: { withAlt: number; decorative: number; missing: number; review: number }): string[] {
  return [total, row.withAlt, row.decorative, row.missing, row.review].map(String);
}
