/**
 * What an imported CSV would change, worked out before anything is written: the columns by
 * their header (any order and case, extra columns ignored), each row's asset by id (or, when the
 * id is missing or unknown, by its exact URL), and each alt text checked with the same rules the
 * journal applies. Rows with a problem are left out whole and listed with their row number.
 */
import type { AltText, IndexedAsset, Locale } from '../../core/api.ts';
import { isImageType, lintAltText } from '../../core/alt-lint.ts';
import { unescapeFormula } from '../../core/csv.ts';
import { MAX_ALT_TEXT_CHARS, textProblem } from '../../core/text.ts';
import { localeColumnName, modelLocaleId, orderedLocales, readDecorative } from './columns.ts';

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

  constructor(
    private readonly target: ImportTarget,
    private readonly columns: ImportColumns,
  ) {
    this.byId = new Map(target.assets.map((asset) => [asset.id, asset]));
    this.byUrl = new Map(target.assets.map((asset) => [asset.url, asset]));
    this.preview = {
      rows: 0,
      changes: [],
      changesByLocale: [],
      unchanged: 0,
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
    const reasons: string[] = [];
    for (const entry of columns.locales) {
      const outcome = this.readLocale(asset, entry, cell(entry.alt), entry.decorative === undefined ? undefined : cell(entry.decorative));
      if (typeof outcome === 'string') reasons.push(outcome);
      else if (outcome) changes.push({ row, assetId: asset.id, localeId: entry.localeId, after: outcome.after });
    }
    if (reasons.length > 0) {
      preview.problems.push({ row, reason: `${asset.name}: ${reasons.join('; ')}` });
      return;
    }
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
