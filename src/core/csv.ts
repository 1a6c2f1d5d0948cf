/**
 * CSV as spreadsheets exchange it (RFC 4180): writing with CRLF, quotes where needed and the
 * formula-injection escape; reading with either delimiter Excel writes (`,`, or `;` where the
 * decimal separator is a comma), quoted newlines, mixed line endings and a BOM.
 *
 * The formula escape (OWASP, "CSV Injection"): a cell starting with `=`, `+`, `-`, `@`, a tab
 * or a carriage return is run as a formula by spreadsheet programs, so it is written with a
 * leading apostrophe. To make the escape undoable exactly, a value that starts with apostrophes
 * followed by one of those characters gets one more apostrophe; reading takes one off such a
 * cell and leaves every other cell as it is (alt text like "'Tis the season" stays).
 */

const FORMULA_START = /^'*[=+\-@\t\r]/;
const ESCAPED_FORMULA = /^'+[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",;\t\r\n]/;
const SPACE = /\s/;

export function escapeFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

export function unescapeFormula(cell: string): string {
  return ESCAPED_FORMULA.test(cell) ? cell.slice(1) : cell;
}

/** One cell: escaped against formulas, quoted when it holds a delimiter, a quote, a line break or edge spaces. */
export function csvCell(value: string): string {
  if (value === '') return value;
  const escaped = escapeFormula(value);
  // Spaces at either end are quoted too: some programs trim them from unquoted cells.
  const quoted = NEEDS_QUOTES.test(escaped) || SPACE.test(escaped[0] as string) || SPACE.test(escaped.at(-1) as string);
  return quoted ? `"${escaped.replaceAll('"', '""')}"` : escaped;
}

/** One record with its CRLF. */
export function csvRecord(values: readonly string[]): string {
  let line = '';
  for (let column = 0; column < values.length; column += 1) {
    if (column > 0) line += ',';
    line += csvCell(values[column] ?? '');
  }
  return `${line}\r\n`;
}

/** Excel reads a CSV as UTF-8 (accents and all) only when it starts with this mark. */
export const UTF8_BOM = '\uFEFF';

// ------------------------------------------------------------------------------------ reading

export type CsvDelimiter = ',' | ';' | '\t';

export class CsvSyntaxError extends Error {
  override name = 'CsvSyntaxError';
  constructor(
    message: string,
    /** The record (row, counting the header as 1) where the problem starts. */
    readonly row: number,
  ) {
    super(message);
  }
}

/**
 * The delimiter of a file, from its first record: the one of `,`, `;` and tab that occurs most
 * outside quotes (a comma wins ties: it is the standard's).
 */
export function detectDelimiter(text: string): CsvDelimiter {
  const counts: Record<CsvDelimiter, number> = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (let at = text.startsWith(UTF8_BOM) ? 1 : 0; at < text.length; at += 1) {
    const char = text[at];
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\n' || char === '\r')) break;
    else if (!quoted && (char === ',' || char === ';' || char === '\t')) counts[char] += 1;
  }
  if (counts[';'] > counts[','] && counts[';'] >= counts['\t']) return ';';
  if (counts['\t'] > counts[','] && counts['\t'] > counts[';']) return '\t';
  return ',';
}

/**
 * Reads records one at a time, so a caller can stop every few thousand to let the panel paint.
 * Cells come back as written (quotes removed, `""` made `"`), formula escape not yet undone.
 */
export class CsvReader {
  private at: number;
  /** Records read so far: the number of the last one returned. */
  row = 0;

  constructor(
    private readonly text: string,
    readonly delimiter: CsvDelimiter = detectDelimiter(text),
  ) {
    this.at = text.startsWith(UTF8_BOM) ? 1 : 0;
  }

  get done(): boolean {
    return this.at >= this.text.length;
  }

  /** The next record, or null at the end. Blank lines are records of one empty cell. */
  next(): string[] | null {
    const { text, delimiter } = this;
    if (this.at >= text.length) return null;
    this.row += 1;
    const cells: string[] = [];
    let at = this.at;
    for (;;) {
      let cell = '';
      if (text[at] === '"') {
        at += 1;
        for (;;) {
          const quote = text.indexOf('"', at);
          if (quote === -1) throw new CsvSyntaxError(`Row ${this.row}: a quoted value is never closed (a " is missing).`, this.row);
          cell += text.slice(at, quote);
          if (text[quote + 1] === '"') {
            cell += '"';
            at = quote + 2;
          } else {
            at = quote + 1;
            break;
          }
        }
        // Text after the closing quote (`"a"b`): kept as written, as spreadsheets do.
        const end = this.cellEnd(at);
        cell += text.slice(at, end);
        at = end;
      } else {
        const end = this.cellEnd(at);
        cell = text.slice(at, end);
        at = end;
      }
      cells.push(cell);
      const char = text[at];
      if (char === delimiter) {
        at += 1;
        continue;
      }
      if (char === '\r') at += text[at + 1] === '\n' ? 2 : 1;
      else if (char === '\n') at += 1;
      this.at = at;
      return cells;
    }
  }

  /** Where an unquoted stretch ends: the delimiter, a line break, or the end. */
  private cellEnd(from: number): number {
    const { text, delimiter } = this;
    let at = from;
    while (at < text.length) {
      const char = text[at];
      if (char === delimiter || char === '\n' || char === '\r') break;
      at += 1;
    }
    return at;
  }
}

/** The whole text's records, for small inputs and tests. */
export function parseCsv(text: string, delimiter?: CsvDelimiter): string[][] {
  const reader = new CsvReader(text, delimiter);
  const records: string[][] = [];
  for (let record = reader.next(); record; record = reader.next()) records.push(record);
  return records;
}

// ----------------------------------------------------------------------------------- decoding

export type DecodedCsv = { ok: true; text: string } | { ok: false; reason: string };

/**
 * The text of a file's bytes, or why it is not a CSV Asset Desk can read: binary files and
 * workbooks are refused, and so is text that is not UTF-8 (a Windows-1252 export from an older
 * Excel would turn every accent into a wrong character without a word).
 */
export function decodeCsvBytes(bytes: Uint8Array): DecodedCsv {
  const steps = decodeCsvSteps(bytes);
  for (let step = steps.next(); ; step = steps.next()) if (step.done) return step.value;
}

/** Bytes decoded between two pauses: a few milliseconds of work on a slow machine. */
export const DECODE_SLICE_BYTES = 256 * 1024;

/**
 * `decodeCsvBytes` a slice at a time: yields the bytes decoded so far after each slice, so the
 * panel can pause between slices (one TextDecoder call over a 2.3 MB file held the panel's main
 * thread 166 ms on a busy machine). A character cut at a slice's end is completed by the next.
 */
export function* decodeCsvSteps(bytes: Uint8Array, sliceBytes = DECODE_SLICE_BYTES): Generator<number, DecodedCsv> {
  if (bytes.length === 0) return { ok: false, reason: 'The file is empty.' };
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) {
    return { ok: false, reason: 'This is a workbook (.xlsx or .ods), not CSV. In your spreadsheet, choose Save As → “CSV UTF-8”, then import that file.' };
  }
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return { ok: false, reason: 'This file is UTF-16 (“Unicode Text”), not UTF-8. In your spreadsheet, choose Save As → “CSV UTF-8”, then import that file.' };
  }
  if (looksBinary(bytes)) {
    return { ok: false, reason: 'This is not a text file (it holds control bytes text never has): choose a CSV file exported from a spreadsheet or from Asset Desk.' };
  }
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const parts: string[] = [];
  for (let at = 0; at < bytes.length; at += sliceBytes) {
    const last = at + sliceBytes >= bytes.length;
    try {
      parts.push(decoder.decode(bytes.subarray(at, at + sliceBytes), { stream: !last }));
    } catch {
      const hint = looksLikeWindows1252(bytes) ? ' It looks like Windows-1252 (what older Excel writes).' : '';
      return {
        ok: false,
        reason: `The file is not UTF-8 text.${hint} In your spreadsheet, choose Save As → “CSV UTF-8” and import that file, so accents come through right.`,
      };
    }
    if (!last) yield at + sliceBytes;
  }
  return { ok: true, text: parts.join('') };
}

/**
 * Control bytes (other than tab, line breaks and form feed) at the start of the file: an image
 * or a program has them by the dozen. One or two stray NULs in a text file are left for the
 * import to report against their row, with the rest of the file still usable.
 */
function looksBinary(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, 8192);
  let controls = 0;
  for (const byte of sample) if (byte < 0x09 || (byte > 0x0d && byte < 0x20)) controls += 1;
  return controls >= 3;
}

/** Bytes above 0x7F that are letters and punctuation in Windows-1252 (accents, curly quotes), none of its holes. */
function looksLikeWindows1252(bytes: Uint8Array): boolean {
  let high = 0;
  for (const byte of bytes) {
    if (byte === 0x81 || byte === 0x8d || byte === 0x8f || byte === 0x90 || byte === 0x9d) return false;
    if (byte > 0x7f) high += 1;
  }
  return high > 0;
}
