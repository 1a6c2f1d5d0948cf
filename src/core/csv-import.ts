/**
 * What an imported CSV would change, worked out before anything is written: the columns by
 * their header (any order and case, extra columns ignored), each row's asset by id (or, when the
 * id is missing or unknown, by its exact URL), and each alt text checked with the same rules the
 * journal applies. Rows with a problem are left out whole and listed with their row number.
 */
import type { AltText, IndexedAsset, Locale } from './api.ts';
import { isImageType, lintAltText } from './alt-lint.ts';
import { CsvReader, CsvSyntaxError, unescapeFormula, type CsvDelimiter } from './csv.ts';
import { MAX_ALT_TEXT_CHARS, textProblem } from './text.ts';
import { EXPORTED_COLUMN, exportedFingerprint, localeColumnName, modelLocaleId, orderedLocales, readDecorative } from './csv-columns.ts';

/** The site as the import sees it: its assets and the alt text each locale has as saved. */
export interface ImportTarget {
  assets: readonly IndexedAsset[];
  locales: readonly Locale[];
  /** The saved alt text of one locale (null locale: the primary); undefined: none of its own. */
  altText(asset: IndexedAsset, localeId: string | null): AltText | undefined;
  /** True when the designer has typed alt text there and not saved it. */
  hasDraft(assetId: string, localeId: string | null): boolean;
}

interface LocaleColumns {
  locale: Locale;
  localeId: string | null;
  alt?: number;
  decorative?: number;
}

export interface ImportColumns {
  id?: number;
  url?: number;
  /** The export's fingerprints of each locale's cells (csv-columns.ts), when the file kept them. */
  exported?: number;
  locales: LocaleColumns[];
  /** Columns naming a locale the site does not have: ignored, and said so. */
  unknownLocales: string[];
}

export class ImportHeaderError extends Error {
  override name = 'ImportHeaderError';
}

const LOCALE_COLUMN = /^(alt|alt text|alttext|decorative)\s*(?::\s*(.*))?$/;

/** Reads the header row; throws {@link ImportHeaderError} saying what is wrong when it cannot be used. */
export function mapColumns(header: readonly string[], siteLocales: readonly Locale[]): ImportColumns {
  const locales = orderedLocales(siteLocales);
  const byName = new Map<string, Locale>();
  for (const locale of [...locales].reverse()) {
    for (const name of [locale.displayName, locale.id, localeColumnName(locale)]) byName.set(name.trim().toLowerCase(), locale);
  }
  const columns: ImportColumns = { locales: [], unknownLocales: [] };
  const byLocale = new Map<Locale, LocaleColumns>();
  const taken = new Map<string, number>();
  const claim = (key: string, column: number, label: string) => {
    const earlier = taken.get(key);
    if (earlier !== undefined) throw new ImportHeaderError(`Two columns are “${label}” (columns ${earlier + 1} and ${column + 1}); keep one and import again.`);
    taken.set(key, column);
  };

  header.forEach((raw, column) => {
    const name = unescapeFormula(raw).trim().toLowerCase();
    if (name === 'id' || name === 'asset id') {
      claim('id', column, 'id');
      columns.id = column;
      return;
    }
    if (name === EXPORTED_COLUMN) {
      claim(EXPORTED_COLUMN, column, EXPORTED_COLUMN);
      columns.exported = column;
      return;
    }
    if (name === 'url') {
      claim('url', column, 'url');
      columns.url = column;
      return;
    }
    const match = LOCALE_COLUMN.exec(name);
    if (!match) return; // name, folder, type, uses, and anyone's notes: not read
    const kind = match[1] === 'decorative' ? 'decorative' : 'alt';
    const localeName = match[2]?.trim();
    const locale = localeName === undefined || localeName === '' ? locales[0] : byName.get(localeName);
    if (!locale) {
      columns.unknownLocales.push(raw.trim());
      return;
    }
    claim(`${kind}:${locale.id}`, column, `${kind}:${localeColumnName(locale)}`);
    let entry = byLocale.get(locale);
    if (!entry) {
      entry = { locale, localeId: modelLocaleId(locale) };
      byLocale.set(locale, entry);
    }
    entry[kind] = column;
  });

  const found = header.map((name) => `“${name}”`).join(', ') || 'nothing';
  const expected = `an “id” (or “url”) column and an alt text column per locale, such as ${locales.map((locale) => `“alt:${localeColumnName(locale)}”`).join(', ')}`;
  if (columns.id === undefined && columns.url === undefined) {
    throw new ImportHeaderError(`The first row must name the columns: Asset Desk needs ${expected}. This file’s first row has ${found}.`);
  }
  columns.locales = locales.flatMap((locale) => byLocale.get(locale) ?? []);
  if (!columns.locales.some((entry) => entry.alt !== undefined || entry.decorative !== undefined)) {
    const unknown = columns.unknownLocales.length > 0 ? ` It names locales this site does not have: ${columns.unknownLocales.join(', ')}.` : '';
    throw new ImportHeaderError(`The file has no alt text column for this site’s locales: Asset Desk needs ${expected}.${unknown}`);
  }
  return columns;
}

export interface ImportChange {
  /** The file's row (the header is row 1). */
  row: number;
  assetId: string;
  localeId: string | null;
  after: AltText;
}

/**
 * A value Webflow changed since the export that the file changes too: whichever is written, one
 * person's work is lost, so neither is chosen without the person who imports.
 */
export interface ImportConflict extends ImportChange {
  assetName: string;
  localeName: string;
  /** Webflow's value now. */
  current: AltText | undefined;
}

export interface RowNote {
  row: number;
  reason: string;
}

export interface LintNote {
  row: number;
  assetName: string;
  localeName: string;
  messages: string[];
}

export interface ImportPreview {
  /** Data rows read (blank lines left out). */
  rows: number;
  changes: ImportChange[];
  /** Changes per locale, in the site's order (primary first). */
  changesByLocale: Array<{ locale: Locale; count: number }>;
  /** Rows whose values all match the site's. */
  unchanged: number;
  /** Values that Webflow changed since the export and the file left as exported: Webflow's are kept. */
  keptWebflow: number;
  /** Values that both Webflow (since the export) and the file changed: not in `changes`. */
  conflicts: ImportConflict[];
  unknown: RowNote[];
  duplicates: RowNote[];
  problems: RowNote[];
  /** Column headers that name a locale the site does not have. */
  ignoredColumns: string[];
  /** The lint's findings on new alt text. */
  lint: LintNote[];
  /** Changes to alt text the designer is editing in the grid and has not saved. */
  draftClashes: ImportChange[];
}

/** A cell quoted back in a note: a file may hold anything, the note stays a line. */
function shorten(text: string): string {
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

/** Builds a preview a record at a time, so the reader can pause between slices of a large file. */
export class ImportPreviewBuilder {
  private readonly byId: Map<string, IndexedAsset>;
  private readonly byUrl: Map<string, IndexedAsset>;
  private readonly firstRowOf = new Map<string, number>();
  private readonly preview: ImportPreview;
  /** The site's locale ids in the export's order, primary first. */
  private readonly localeOrder: string[];

  constructor(
    private readonly target: ImportTarget,
    private readonly columns: ImportColumns,
  ) {
    this.byId = new Map(target.assets.map((asset) => [asset.id, asset]));
    this.byUrl = new Map(target.assets.map((asset) => [asset.url, asset]));
    this.localeOrder = orderedLocales(target.locales).map((locale) => locale.id);
    this.preview = {
      rows: 0,
      changes: [],
      changesByLocale: [],
      unchanged: 0,
      keptWebflow: 0,
      conflicts: [],
      unknown: [],
      duplicates: [],
      problems: [],
      ignoredColumns: columns.unknownLocales,
      lint: [],
      draftClashes: [],
    };
  }

  add(cells: readonly string[], row: number): void {
    if (cells.length === 1 && cells[0]?.trim() === '') return; // a blank line
    const { preview, columns } = this;
    preview.rows += 1;
    const cell = (column: number | undefined) => (column === undefined ? '' : unescapeFormula(cells[column] ?? ''));
    const id = cell(columns.id).trim();
    const url = cell(columns.url).trim();
    const asset = this.byId.get(id) ?? this.byUrl.get(url);
    if (!asset) {
      const what = id ? `id ${shorten(id)}` : url ? `URL ${shorten(url)}` : 'no id or URL';
      preview.unknown.push({ row, reason: `${what}: no such asset on this site` });
      return;
    }
    const first = this.firstRowOf.get(asset.id);
    if (first !== undefined) {
      preview.duplicates.push({ row, reason: `${asset.name} is already in row ${first}; only that row is read` });
      return;
    }
    this.firstRowOf.set(asset.id, row);

    const changes: ImportChange[] = [];
    const conflicts: ImportConflict[] = [];
    const reasons: string[] = [];
    let keptWebflow = 0;
    const exported = this.exportedFingerprints(cell(columns.exported));
    for (const entry of columns.locales) {
      const altCell = cell(entry.alt);
      const decorativeCell = entry.decorative === undefined ? undefined : cell(entry.decorative);
      const outcome = this.readLocale(asset, entry, altCell, decorativeCell);
      if (typeof outcome === 'string') {
        reasons.push(outcome);
        continue;
      }
      const since = this.sinceExport(asset, entry, exported, altCell, decorativeCell);
      if (since === 'webflow') keptWebflow += 1;
      else if (!outcome) continue;
      else if (since === 'both') {
        const current = this.target.altText(asset, entry.localeId);
        conflicts.push({ row, assetId: asset.id, localeId: entry.localeId, after: outcome.after, current, assetName: asset.name, localeName: entry.locale.displayName });
      } else changes.push({ row, assetId: asset.id, localeId: entry.localeId, after: outcome.after });
    }
    if (reasons.length > 0) {
      preview.problems.push({ row, reason: `${asset.name}: ${reasons.join('; ')}` });
      return;
    }
    preview.keptWebflow += keptWebflow;
    preview.conflicts.push(...conflicts);
    if (changes.length === 0) {
      preview.unchanged += 1;
      return;
    }
    for (const change of changes) {
      preview.changes.push(change);
      if (this.target.hasDraft(change.assetId, change.localeId)) preview.draftClashes.push(change);
      if (typeof change.after === 'string' && change.after.trim() && isImageType(asset.contentType)) {
        const findings = lintAltText(change.after, asset);
        if (findings.length > 0) {
          const locale = columns.locales.find((entry) => entry.localeId === change.localeId)?.locale;
          preview.lint.push({ row, assetName: asset.name, localeName: locale?.displayName ?? '', messages: findings.map((finding) => finding.message) });
        }
      }
    }
  }

  /** The row's `exported` fingerprints by locale column, when the file has them for this site's locales. */
  private exportedFingerprints(cell: string): string[] | null {
    const parts = cell.trim().split('.');
    return parts.length === this.localeOrder.length && parts.every((part) => /^[0-9a-z]{1,7}$/.test(part)) ? parts : null;
  }


  /**
   * What changed since the export, by the row's fingerprints: `webflow` when only Webflow's value
   * did (the file's cells are as exported), `both` when the cells were edited too, `file` when
   * Webflow's value is still the exported one, or when the file cannot tell (no fingerprints,
   * or a locale's decorative or alt column left out).
   */
  private sinceExport(asset: IndexedAsset, entry: LocaleColumns, exported: string[] | null, altCell: string, decorativeCell: string | undefined): 'file' | 'webflow' | 'both' {
    const fingerprint = exported?.[this.localeOrder.indexOf(entry.locale.id)];
    if (fingerprint === undefined || entry.alt === undefined || decorativeCell === undefined) return 'file';
    const current = this.target.altText(asset, entry.localeId);
    if (exportedFingerprint(current ?? '', current === null) === fingerprint) return 'file';
    return exportedFingerprint(altCell, readDecorative(decorativeCell) === true) === fingerprint ? 'webflow' : 'both';
  }

  /** The change one locale's cells ask for, null for none, or what is wrong with them. */
  private readLocale(asset: IndexedAsset, entry: LocaleColumns, altCell: string, decorativeCell: string | undefined): { after: AltText } | null | string {
    const column = localeColumnName(entry.locale);
    const decorative = decorativeCell === undefined ? undefined : readDecorative(decorativeCell);
    if (decorativeCell !== undefined && decorative === undefined) {
      return `decorative:${column} says “${decorativeCell.slice(0, 40)}”; write “yes” or leave it empty`;
    }
    if (decorative && altCell.trim()) return `${column} has alt text and is marked decorative; keep one`;
    const current = this.target.altText(asset, entry.localeId);
    let after: AltText;
    if (decorative) after = null;
    else if (altCell !== '') after = altCell;
    // An empty cell never invents a value a locale does not have, and keeps an image decorative
    // unless a decorative column says it no longer is.
    else if (current === undefined) return null;
    else if (current === null) after = decorative === false ? '' : null;
    else after = entry.alt === undefined ? current : '';
    // Only what would be written is checked: a value Webflow already holds, whatever it is, is unchanged.
    if (after === current) return null;
    if (after === null) return { after };
    const problem = textProblem(after);
    if (problem) return `alt:${column} ${problem}`;
    if (after.length > MAX_ALT_TEXT_CHARS) {
      return `alt:${column} has ${after.length.toLocaleString('en')} characters; Webflow alt text takes at most ${MAX_ALT_TEXT_CHARS.toLocaleString('en')}`;
    }
    return { after };
  }

  result(): ImportPreview {
    const counts = new Map<string | null, number>();
    for (const change of this.preview.changes) counts.set(change.localeId, (counts.get(change.localeId) ?? 0) + 1);
    return {
      ...this.preview,
      changesByLocale: this.columns.locales.map((entry) => ({ locale: entry.locale, count: counts.get(entry.localeId) ?? 0 })),
    };
  }
}

// ------------------------------------------------------------------------------- whole file

/** Larger than any site's alt text (100,000 assets × 3 locales at 60 characters is about 20 MB). */
export const MAX_IMPORT_BYTES = 30 * 1024 * 1024;
export const MAX_IMPORT_ROWS = 200_000;

const MB = 1024 * 1024;

/** Why a file of this size is refused, or null when it is not too large. */
export function importTooLarge(fileName: string, bytes: number): string | null {
  if (bytes <= MAX_IMPORT_BYTES) return null;
  return `${fileName} is ${(bytes / MB).toFixed(1)} MB; Asset Desk imports files of at most ${MAX_IMPORT_BYTES / MB} MB. Split it into smaller files, or leave out columns other than id and alt text.`;
}

export type ImportResult = { ok: true; preview: ImportPreview; delimiter: CsvDelimiter } | { ok: false; reason: string };

/**
 * Reads a whole file's text into a preview, yielding the rows read so far every `rowsPerYield`
 * rows: the panel pauses there to let a frame through, the backend runs it straight through.
 */
export function* importSteps(text: string, target: ImportTarget, fileName = 'The file', rowsPerYield = 50): Generator<number, ImportResult, undefined> {
  const reader = new CsvReader(text);
  try {
    const header = reader.next();
    if (!header || header.every((cell) => cell.trim() === '')) return { ok: false, reason: `${fileName} has no header row: it is empty.` };
    const builder = new ImportPreviewBuilder(target, mapColumns(header, target.locales));
    for (let record = reader.next(); record; record = reader.next()) {
      if (reader.row - 1 > MAX_IMPORT_ROWS) {
        return { ok: false, reason: `${fileName} has more than ${MAX_IMPORT_ROWS.toLocaleString('en')} rows; split it into smaller files.` };
      }
      builder.add(record, reader.row);
      if (reader.row % rowsPerYield === 0) yield reader.row - 1;
    }
    const preview = builder.result();
    if (preview.rows === 0) return { ok: false, reason: `${fileName} has a header row but no rows of assets.` };
    return { ok: true, preview, delimiter: reader.delimiter };
  } catch (failure) {
    if (failure instanceof CsvSyntaxError || failure instanceof ImportHeaderError) return { ok: false, reason: `${fileName}: ${failure.message}` };
    throw failure;
  }
}

/** {@link importSteps} run to the end at once. */
export function previewImport(text: string, target: ImportTarget, fileName?: string): ImportResult {
  const steps = importSteps(text, target, fileName, Number.MAX_SAFE_INTEGER);
  for (let step = steps.next(); ; step = steps.next()) if (step.done) return step.value;
}

/**
 * The journal batch's label: at most 200 UTF-16 units are taken (with " (part 2 of 3)" added
 * past 5,000 changes), and a file name may have 255, so a long one is cut, never inside a pair.
 */
export function importLabel(fileName: string): string {
  if (fileName.length <= MAX_LABEL_NAME) return `Import alt text from ${fileName}`;
  const cut = /[\uD800-\uDBFF]/.test(fileName[MAX_LABEL_NAME - 2] ?? '') ? MAX_LABEL_NAME - 2 : MAX_LABEL_NAME - 1;
  return `Import alt text from ${fileName.slice(0, cut)}…`;
}

const MAX_LABEL_NAME = 120;
