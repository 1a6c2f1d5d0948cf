import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvCell, csvRecord, CsvReader, CsvSyntaxError, decodeCsvBytes, decodeCsvSteps, detectDelimiter, escapeFormula, parseCsv, unescapeFormula, UTF8_BOM } from './csv.ts';

/** Strings with what breaks CSV: delimiters, quotes, line breaks, formula starts, emoji, accents. */
const tricky = fc.oneof(
  fc.string({ unit: fc.constantFrom(',', ';', '"', '\r', '\n', '\t', '=', '+', '-', '@', "'", ' ', 'a', 'é', '😀', 'ß') }),
  fc.string({ unit: 'grapheme' }),
  fc.string(),
);

describe('writing and reading CSV', () => {
  it('reads back exactly what it wrote, whatever the cells hold', () => {
    fc.assert(
      fc.property(fc.array(fc.array(tricky, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 8 }), (records) => {
        // A record of one empty cell is a blank line, which readers skip: give it a second cell.
        const written = records.map((record) => (record.length === 1 && record[0] === '' ? [...record, 'x'] : record));
        const text = UTF8_BOM + written.map(csvRecord).join('');
        const read = parseCsv(text).map((record) => record.map(unescapeFormula));
        expect(read).toEqual(written);
      }),
    );
  });

  it('never lets a cell start a formula in a spreadsheet', () => {
    fc.assert(
      fc.property(tricky, (value) => {
        const cell = csvCell(value);
        const shown = cell.startsWith('"') ? cell.slice(1) : cell;
        expect(shown).not.toMatch(/^[=+\-@\t\r]/);
      }),
    );
  });

  it('undoes its formula escape only where it made one', () => {
    expect(escapeFormula('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(escapeFormula('-5 degrees')).toBe("'-5 degrees");
    expect(escapeFormula("'=x")).toBe("''=x");
    expect(escapeFormula("'Tis the season")).toBe("'Tis the season");
    expect(unescapeFormula("'Tis the season")).toBe("'Tis the season");
    expect(unescapeFormula("''=x")).toBe("'=x");
    expect(unescapeFormula("'@home")).toBe('@home');
  });

  it('quotes commas, semicolons, quotes, line breaks and edge spaces, and ends records with CRLF', () => {
    expect(csvRecord(['a,b', 'say "hi"', 'two\nlines', ' x', 'plain', 'a;b'])).toBe('"a,b","say ""hi""","two\nlines"," x",plain,"a;b"\r\n');
  });

  it('reads the semicolons a French or German Excel writes, and mixed line endings', () => {
    const text = 'id;alt:fr\r\nasset1;"Un vélo; rouge"\nasset2;Deux\rasset3;"sur\r\ndeux lignes"';
    expect(detectDelimiter(text)).toBe(';');
    expect(parseCsv(text)).toEqual([
      ['id', 'alt:fr'],
      ['asset1', 'Un vélo; rouge'],
      ['asset2', 'Deux'],
      ['asset3', 'sur\r\ndeux lignes'],
    ]);
    expect(detectDelimiter('id,alt:en\r\n')).toBe(',');
    expect(detectDelimiter('id\talt:en\n')).toBe('\t');
  });

  it('says which row holds a quote that is never closed', () => {
    const reader = new CsvReader('id,alt\nasset1,"fine"\nasset2,"never closed\n');
    expect(reader.next()).toEqual(['id', 'alt']);
    expect(reader.next()).toEqual(['asset1', 'fine']);
    expect(() => reader.next()).toThrow(CsvSyntaxError);
    expect(() => parseCsv('a\n"b')).toThrow(/Row 2: a quoted value is never closed/);
  });

  it('never hangs or throws anything but a syntax error on any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(',', ';', '"', '\r', '\n', 'a', ' ') }), (text) => {
        try {
          parseCsv(text);
        } catch (failure) {
          expect(failure).toBeInstanceOf(CsvSyntaxError);
        }
      }),
    );
  });
});

describe('decoding a file', () => {
  const bytes = (...values: number[]) => Uint8Array.from(values);
  it('reads UTF-8 with or without its byte order mark', () => {
    expect(decodeCsvBytes(new TextEncoder().encode('id,alt\r\nx,Café'))).toEqual({ ok: true, text: 'id,alt\r\nx,Café' });
    const decoded = decodeCsvBytes(bytes(0xef, 0xbb, 0xbf, 0x61));
    expect(decoded.ok && parseCsv(decoded.text)).toEqual([['a']]);
  });
  it('decodes a slice at a time exactly as in one go, characters cut at a slice’s end included', () => {
    const whole = (steps: Generator<number, unknown>) => {
      const pauses: number[] = [];
      for (let step = steps.next(); ; step = steps.next()) {
        if (step.done) return { value: step.value, pauses };
        pauses.push(step.value);
      }
    };
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), fc.integer({ min: 1, max: 9 }), fc.boolean(), (text, slice, bom) => {
        const encoded = new TextEncoder().encode(`id,alt\n${text}`);
        const bytes = bom ? Uint8Array.from([0xef, 0xbb, 0xbf, ...encoded]) : encoded;
        const { value, pauses } = whole(decodeCsvSteps(bytes, slice));
        expect(value).toEqual(decodeCsvBytes(bytes));
        expect(value).toEqual({ ok: true, text: `id,alt\n${text}` });
        expect(pauses).toHaveLength(Math.ceil(bytes.length / slice) - 1);
      }),
    );
    // Not UTF-8 in a later slice: refused as in one go.
    const cafe = Uint8Array.from([...new TextEncoder().encode('id,alt\nx,'), 0x43, 0x61, 0x66, 0xe9]);
    expect(whole(decodeCsvSteps(cafe, 4)).value).toMatchObject({ ok: false, reason: expect.stringMatching(/Windows-1252/) });
  });
  it('keeps a stray NUL in a text file for the import to report against its row', () => {
    expect(decodeCsvBytes(new TextEncoder().encode('id,alt\nx,a\u0000b'))).toEqual({ ok: true, text: 'id,alt\nx,a\u0000b' });
  });
  it('refuses empty, binary, workbook and Windows-1252 files, saying what to do', () => {
    expect(decodeCsvBytes(bytes())).toEqual({ ok: false, reason: 'The file is empty.' });
    expect(decodeCsvBytes(bytes(0x50, 0x4b, 0x03, 0x04, 0x14))).toMatchObject({ ok: false, reason: expect.stringMatching(/workbook.*CSV UTF-8/) });
    const png = bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52);
    expect(decodeCsvBytes(png)).toMatchObject({ ok: false, reason: expect.stringMatching(/not a text file/) });
    expect(decodeCsvBytes(bytes(0xff, 0xfe, 0x69, 0x00))).toMatchObject({ ok: false, reason: expect.stringMatching(/UTF-16.*CSV UTF-8/) });
    // "Café" as Windows-1252
    expect(decodeCsvBytes(bytes(0x43, 0x61, 0x66, 0xe9))).toMatchObject({ ok: false, reason: expect.stringMatching(/Windows-1252.*CSV UTF-8/) });
  });
});

describe('the delimiter of what Asset Desk writes', () => {
  it('is always found to be the comma, whatever the first row holds', () => {
    fc.assert(
      fc.property(fc.array(tricky, { minLength: 2, maxLength: 6 }), (record) => {
        expect(detectDelimiter(UTF8_BOM + csvRecord(record))).toBe(',');
      }),
    );
  });
});
