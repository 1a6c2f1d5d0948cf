/**
 * CSV export and import of alt text for scripts (`GET …/csv/export`, `POST …/csv/import`): the
 * same columns, escape and preview as the panel's (src/core/csv-*.ts), over the backend's asset
 * index. An import is read whole, previewed, and (unless a dry run) recorded as one journaled
 * batch that the server applier applies, or the panel's Designer applier when a panel is open.
 */
import type { AltText, ChangeInput, IndexedAsset, IndexResponse } from '../../core/api.ts';
import { ownAltText } from '../../core/alt-lint.ts';
import { decodeCsvBytes } from '../../core/csv.ts';
import { exportFileName, exportText } from '../../core/csv-export.ts';
import { importLabel, previewImport, type ImportPreview } from '../../core/csv-import.ts';
import { HttpError } from '../errors.ts';
import type { Journal } from '../services/journal.ts';
import type { UsageSummary } from '../../core/usage.ts';

export interface CsvExchangeDeps {
  index: { index(siteId: string): Promise<IndexResponse> };
  /** The usage summary (for the `uses` column); absent: the column stays empty. */
  usage?: { summary(siteId: string): Promise<UsageSummary> };
  journal: Pick<Journal, 'record'>;
  /** Told of a recorded batch, so the server applier looks for work now. */
  onRecorded?: (siteId: string) => void;
  /** Told of a batch about to be recorded, so the server applier reads Webflow's listing meanwhile (as for `POST …/changes`). */
  onRecording?: (siteId: string, changes: readonly ChangeInput[]) => void;
}

export interface ImportOptions {
  dryRun: boolean;
  fileName: string;
  /** Apply the valid rows of a file with invalid ones (otherwise nothing is applied). */
  skipInvalid: boolean;
  /** Write the file's value where Webflow changed it since the export too (otherwise Webflow's stays). */
  overwriteConflicts: boolean;
}

/** One row left out of an import, by its line in the file (the header is line 1). */
export interface InvalidRow {
  line: number;
  reason: string;
}

export interface CsvImportResponse {
  dryRun: boolean;
  rows: number;
  changes: Array<{ line: number; assetId: string; localeId: string | null; after: AltText }>;
  changesByLocale: Array<{ localeId: string; tag: string; count: number }>;
  unchanged: number;
  /** Values Webflow changed since the export and the file left as exported: Webflow's are kept. */
  keptWebflow: number;
  /** `webflow` absent: the locale has no alt text of its own in Webflow now. */
  conflicts: Array<{ line: number; assetId: string; localeId: string | null; webflow?: AltText; file: AltText }>;
  invalid: InvalidRow[];
  ignoredColumns: string[];
  /** The journaled batch (absent on a dry run or when there was nothing to change). */
  batchId?: string;
  recorded: number;
}

export type CsvExchange = ReturnType<typeof createCsvExchange>;

export function createCsvExchange(deps: CsvExchangeDeps) {
  async function usesOf(siteId: string): Promise<Map<string, number> | null> {
    if (!deps.usage) return null;
    const summary = await deps.usage.summary(siteId);
    if (!summary.crawl.built) return null;
    const { assetId, pages, components, items } = summary.columns;
    return new Map(assetId.map((id, i) => [id, (pages[i] ?? 0) + (components[i] ?? 0) + (items[i] ?? 0)]));
  }

  return {
    /** The whole site's alt text as the panel's Export writes it, and the file's name. */
    async exportCsv(siteId: string): Promise<{ text: string; fileName: string }> {
      const [site, uses] = await Promise.all([deps.index.index(siteId), usesOf(siteId)]);
      const text = exportText({ assets: site.assets, folders: site.folders, locales: site.site.locales, altText: ownAltText, uses });
      return { text, fileName: exportFileName(site.site.displayName, new Date()) };
    },

    async importCsv(siteId: string, userId: string, bytes: Uint8Array, options: ImportOptions): Promise<CsvImportResponse> {
      const decoded = decodeCsvBytes(bytes);
      if (!decoded.ok) throw new HttpError(400, 'validation_error', `${options.fileName}: ${decoded.reason}`);
      const site = await deps.index.index(siteId);
      const result = previewImport(decoded.text, { assets: site.assets, locales: site.site.locales, altText: ownAltText, hasDraft: () => false }, options.fileName);
      if (!result.ok) throw new HttpError(400, 'validation_error', result.reason);
      const response = responseOf(result.preview, options.dryRun);
      const chosen = [...result.preview.changes, ...(options.overwriteConflicts ? result.preview.conflicts : [])];
      if (options.dryRun || chosen.length === 0) return response;
      if (response.invalid.length > 0 && !options.skipInvalid) {
        throw new HttpError(
          400,
          'validation_error',
          `${options.fileName}: ${response.invalid.length} ${response.invalid.length === 1 ? 'row has a problem' : 'rows have problems'}, so nothing was applied. Fix ${response.invalid.length === 1 ? 'it' : 'them'}, or send skipInvalid=1 to apply the other rows.`,
          { details: response.invalid },
        );
      }
      const byId = new Map(site.assets.map((asset) => [asset.id, asset]));
      const changes: ChangeInput[] = chosen.map((change) => ({
        assetId: change.assetId,
        field: 'altText',
        localeId: change.localeId,
        before: beforeValue(byId.get(change.assetId), change.localeId),
        after: change.after,
      }));
      deps.onRecording?.(siteId, changes);
      const batch = await deps.journal.record(siteId, userId, { changes, label: importLabel(options.fileName) });
      deps.onRecorded?.(siteId);
      return { ...response, batchId: batch.id, recorded: changes.length };
    },
  };
}

/** What Webflow shows in a locale now: its own text, else the primary's (the journal's before-value). */
function beforeValue(asset: IndexedAsset | undefined, localeId: string | null): AltText {
  if (!asset) return null;
  const own = ownAltText(asset, localeId);
  return own === undefined ? asset.altText : own;
}

function responseOf(preview: ImportPreview, dryRun: boolean): CsvImportResponse {
  const invalid = [...preview.unknown, ...preview.duplicates, ...preview.problems].map((note) => ({ line: note.row, reason: note.reason })).sort((a, b) => a.line - b.line);
  return {
    dryRun,
    rows: preview.rows,
    changes: preview.changes.map((change) => ({ line: change.row, assetId: change.assetId, localeId: change.localeId, after: change.after })),
    changesByLocale: preview.changesByLocale.map(({ locale, count }) => ({ localeId: locale.id, tag: locale.tag, count })),
    unchanged: preview.unchanged,
    keptWebflow: preview.keptWebflow,
    conflicts: preview.conflicts.map((conflict) => ({
      line: conflict.row,
      assetId: conflict.assetId,
      localeId: conflict.localeId,
      ...(conflict.current === undefined ? {} : { webflow: conflict.current }),
      file: conflict.after,
    })),
    invalid,
    ignoredColumns: preview.ignoredColumns,
    recorded: 0,
  };
}
