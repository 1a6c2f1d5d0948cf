/**
 * The CSV routes through the whole app (edge, session, real services on a test store) given
 * generated files: bytes of any kind, text with NUL and broken UTF-8 (lone surrogates written as
 * bytes), formulas and delimiters. Never a 500, every refusal in the one error shape, a dry run
 * never journals, and alt text that a spreadsheet would run comes out escaped and reads back as is.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apiError, type ChangesResponse } from '../../src/core/api.ts';
import { parseCsv, unescapeFormula } from '../../src/core/csv.ts';
import type { CsvImportResponse } from '../../src/server/csv/exchange.ts';
import { fullApp, SITE, type FullApp } from './full-app.ts';
import { testStoreKinds, useTestStore } from './store-test-helpers.ts';

const site = `/api/sites/${SITE}`;

function importCsv(full: FullApp, body: Uint8Array<ArrayBuffer> | string, query = '?dryRun=1'): Promise<Response> {
  return Promise.resolve(
    full.app.request(`${site}/csv/import${query}`, { method: 'POST', headers: { authorization: full.authorization, 'content-type': 'text/csv' }, body }),
  );
}

async function expectRefusalOrPreview(response: Response, what: string): Promise<void> {
  expect(response.status, what).toBeLessThan(500);
  expect(response.headers.get('content-type'), what).toMatch(/^application\/json/);
  const body: unknown = await response.json();
  if (response.status >= 400) expect(apiError.strict().safeParse(body).success, what).toBe(true);
  else expect((body as CsvImportResponse).recorded, what).toBe(0);
}

/** Text as a spreadsheet might hold it: delimiters, quotes, line breaks, NUL, formulas, letters. */
const cellText = fc.string({ unit: fc.constantFrom(',', ';', '\t', '"', '\r', '\n', '\u0000', '=', '+', '-', '@', "'", ' ', 'a', 'é', '😀', '\uFEFF') });

/** Lone surrogates as a careless encoder writes them (CESU-8 bytes), which UTF-8 does not allow. */
const LONE_SURROGATE = [0xed, 0xa0, 0x80];

describe.each(testStoreKinds)('generated CSV files on %s', (kind) => {
  const stores = useTestStore(kind);

  async function ready(): Promise<{ full: FullApp; assetId: string }> {
    const full = fullApp(stores.current());
    await full.app.request(`${site}/index`, { headers: { authorization: full.authorization } });
    await full.idle();
    const assetId = full.webflow.assets.find((asset) => asset.siteId === SITE)?.id ?? '';
    return { full, assetId };
  }

  it('previews or refuses any bytes, never with a 500, and a dry run journals nothing', async () => {
    const { full, assetId } = await ready();
    const file = fc.oneof(
      fc.uint8Array({ maxLength: 600 }).map((bytes) => new Uint8Array(bytes)),
      fc.array(fc.tuple(cellText, cellText), { maxLength: 6 }).map((rows) => `id,alt\r\n${rows.map(([a, b]) => `${a},${b}`).join('\r\n')}`),
      fc.tuple(cellText, fc.boolean()).map(([alt, broken]) => {
        const head = new TextEncoder().encode(`id,alt\r\n${assetId},${alt}`);
        return new Uint8Array([...head, ...(broken ? LONE_SURROGATE : [])]);
      }),
    );
    await fc.assert(
      fc.asyncProperty(file, async (body) => {
        await expectRefusalOrPreview(await importCsv(full, body), JSON.stringify(typeof body === 'string' ? body : [...body]).slice(0, 300));
      }),
      { numRuns: 100 },
    );
    const changes = (await (await full.app.request(`${site}/changes?status=pending,leased,applied,conflict,failed`, { headers: { authorization: full.authorization } })).json()) as ChangesResponse;
    expect(changes.changes).toEqual([]);
    expect(full.logged).toEqual([]);
  }, 240_000);

  it('reports a row whose alt text holds NUL against its line, and refuses a lone surrogate as not UTF-8', async () => {
    const { full, assetId } = await ready();
    const nul = (await (await importCsv(full, `id,alt\r\n${assetId},A\u0000B\r\n`)).json()) as CsvImportResponse;
    expect(nul.invalid).toEqual([{ line: 2, reason: expect.stringMatching(/NUL/) }]);
    const surrogate = await importCsv(full, new Uint8Array([...new TextEncoder().encode(`id,alt\r\n${assetId},A`), ...LONE_SURROGATE]));
    expect(surrogate.status).toBe(400);
    expect(((await surrogate.json()) as { error: { message: string } }).error.message).toMatch(/not UTF-8/);
  });

  it('escapes alt text a spreadsheet would run as a formula, and the cell reads back as Webflow holds it', async () => {
    const full = fullApp(stores.current());
    const formulas = fc.tuple(fc.constantFrom('=', '+', '-', '@', '\t', "'=", "''+"), fc.string({ maxLength: 20 })).map(([start, rest]) => `${start}${rest}`.replaceAll('\u0000', ''));
    const texts = fc.sample(formulas, { numRuns: 25 });
    const ids = texts.map((text) => full.webflow.addAsset(SITE, { altText: text }).id);
    await full.app.request(`${site}/index`, { headers: { authorization: full.authorization } });
    await full.idle();
    const response = await full.app.request(`${site}/csv/export`, { headers: { authorization: full.authorization } });
    expect(response.status).toBe(200);
    const rows = parseCsv(await response.text());
    texts.forEach((text, i) => {
      const cell = rows.find((cells) => cells[0] === ids[i])?.[6] ?? '';
      expect(cell.startsWith("'"), JSON.stringify(text)).toBe(true);
      expect(unescapeFormula(cell)).toBe(text);
    });
  }, 60_000);
});
