/**
 * CSV export and import for scripts, through the real HTTP stack against the sandbox: export →
 * edit in a script → dry run → import → the server applier writes exactly the edited values
 * per locale on Webflow, and undo restores them; a value changed in Webflow since the export is
 * kept or reported as a conflict; bad files are refused with a clear status, never a 500.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Batch, Change, ChangesResponse, IndexResponse } from '../../src/core/api.ts';
import { csvRecord, parseCsv, unescapeFormula, UTF8_BOM } from '../../src/core/csv.ts';
import { MAX_IMPORT_BYTES } from '../../src/core/csv-import.ts';
import type { ReportResponse } from '../../src/core/report.ts';
import type { UsageSummary } from '../../src/core/usage.ts';
import type { CsvImportResponse } from '../../src/server/csv/exchange.ts';
import type { WireAsset } from '../../src/server/webflow/types.ts';
import { startStack, type Stack } from '../../src/stack/stack.ts';
import { builtIndex as builtIndexOf, sessionClient, type Client } from './backend-support.ts';
import { waitFor, wire } from './sandbox-control.ts';

let stack: Stack;
let client: Client;

beforeAll(async () => {
  stack = await startStack({ withoutPanel: true, rateLimit: { perWindow: 120, windowMs: 1000 }, demo: { assets: 60 } });
  client = await sessionClient(stack.backendUrl, stack.sandbox);
}, 120_000);
afterAll(async () => {
  await stack?.close();
});

const site = (path: string) => `/api/sites/${stack.siteId}${path}`;

function builtIndex(): Promise<IndexResponse> {
  return builtIndexOf(client, stack.siteId);
}

async function exported(): Promise<string[][]> {
  const response = await client.request(site('/csv/export'));
  expect(response.status).toBe(200);
  return parseCsv(await response.text());
}

function fileOf(records: string[][]): string {
  return UTF8_BOM + records.map((cells) => csvRecord(cells.map(unescapeFormula))).join('');
}

/** The file as a script sends it: the body, as text/csv. */
function importCsv(file: string | Uint8Array<ArrayBuffer>, query = ''): Promise<Response> {
  return fetch(`${stack.backendUrl}${site(`/csv/import${query}`)}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${client.sessionToken}`, 'content-type': 'text/csv; charset=utf-8' },
    body: file,
  });
}

/** The script's edit: the cell of `column` in the row of `assetId`. */
function edit(records: string[][], assetId: string, column: string, value: string): void {
  const header = records[0] ?? [];
  const row = records.find((cells) => cells[0] === assetId);
  if (!row) throw new Error(`No row for ${assetId}`);
  row[header.indexOf(column)] = value;
}

async function settled(batchId: string): Promise<Change[]> {
  return waitFor(`batch ${batchId} to settle`, async () => {
    const { changes } = await client.json<ChangesResponse>(site('/changes?status=pending,leased,applied,conflict,failed&limit=5000'));
    const mine = changes.filter((change) => change.batchId === batchId);
    return mine.length > 0 && mine.every((change) => change.status !== 'pending' && change.status !== 'leased') ? mine : undefined;
  }, 40_000, 200);
}

async function onWebflow(assetId: string, localeId?: string): Promise<WireAsset> {
  return (await wire<WireAsset>(stack.sandbox, stack.sandbox.info.siteToken, `/assets/${assetId}${localeId ? `?localeId=${localeId}` : ''}`)).body;
}

describe('exporting for a script', () => {
  it('answers the whole site as a UTF-8 CSV attachment with the primary alt text Webflow holds', async () => {
    const index = await builtIndex();
    const response = await client.request(site('/csv/export'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename=".+ alt text \d{4}-\d{2}-\d{2}\.csv"/);
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    const [header, ...rows] = parseCsv(text);
    const primary = index.site.locales.find((locale) => locale.primary);
    expect(header?.slice(0, 8)).toEqual(['id', 'name', 'folder', 'url', 'type', 'uses', `alt:${primary?.tag}`, `decorative:${primary?.tag}`]);
    expect(rows).toHaveLength(index.assets.length);
    for (const row of rows.slice(0, 10)) {
      const onSandbox = await onWebflow(row[0] ?? '');
      expect([unescapeFormula(row[6] ?? ''), row[7]]).toEqual(onSandbox.altText === null ? ['', 'yes'] : [onSandbox.altText, '']);
    }
  }, 90_000);

  it('escapes alt text that a spreadsheet would run as a formula', async () => {
    const index = await builtIndex();
    const asset = index.assets[5] as IndexResponse['assets'][number];
    const formula = '=HYPERLINK("http://evil.example","click")';
    await wire(stack.sandbox, stack.sandbox.info.siteToken, `/assets/${asset.id}`, { method: 'PATCH', body: { altText: formula } });
    await client.request(site('/index/refresh'), { method: 'POST' });
    const row = await waitFor('the refreshed index', async () => (await exported()).find((cells) => cells[0] === asset.id && cells[6] === `'${formula}`));
    expect(row[6]).toBe(`'${formula}`);
  }, 90_000);
});

describe('importing from a script', () => {
  it('previews a dry run, applies one batch through the server applier, and undo restores Webflow', async () => {
    const index = await builtIndex();
    const fr = index.site.locales.find((locale) => !locale.primary);
    const en = index.site.locales.find((locale) => locale.primary);
    if (!fr || !en) throw new Error('The demo site needs two locales');
    const [a, b, c] = index.assets.slice(20, 23) as [IndexResponse['assets'][number], IndexResponse['assets'][number], IndexResponse['assets'][number]];
    const before = { a: (await onWebflow(a.id)).altText, b: (await onWebflow(b.id)).altText, bFr: (await onWebflow(b.id, fr.id)).altText, c: (await onWebflow(c.id)).altText };
    const records = await exported();
    edit(records, a.id, `alt:${en.tag}`, 'A script wrote this');
    edit(records, b.id, `alt:${fr.tag}`, 'Écrit par un script');
    edit(records, c.id, `alt:${en.tag}`, '');
    edit(records, c.id, `decorative:${en.tag}`, 'yes');
    const file = fileOf(records);

    const dry = await importCsv(file, '?dryRun=1');
    expect(dry.status).toBe(200);
    const preview = (await dry.json()) as CsvImportResponse;
    expect(preview.dryRun).toBe(true);
    expect(preview.changes.map(({ assetId, localeId, after }) => ({ assetId, localeId, after }))).toEqual(
      expect.arrayContaining([
        { assetId: a.id, localeId: null, after: 'A script wrote this' },
        { assetId: b.id, localeId: fr.id, after: 'Écrit par un script' },
        { assetId: c.id, localeId: null, after: null },
      ]),
    );
    expect(preview.changes).toHaveLength(before.c === null ? 2 : 3);
    expect(preview.invalid).toEqual([]);
    expect(preview.recorded).toBe(0);
    expect((await onWebflow(a.id)).altText).toBe(before.a);

    const applied = await importCsv(file, '?fileName=from-script.csv');
    expect(applied.status).toBe(201);
    const result = (await applied.json()) as CsvImportResponse;
    expect(result.recorded).toBe(preview.changes.length);
    const changes = await settled(result.batchId ?? '');
    expect(changes.every((change) => change.status === 'applied' && change.appliedBy === 'server')).toBe(true);
    expect((await onWebflow(a.id)).altText).toBe('A script wrote this');
    expect((await onWebflow(b.id, fr.id)).altText).toBe('Écrit par un script');
    expect((await onWebflow(b.id)).altText).toBe(before.b);
    expect((await onWebflow(c.id)).altText).toBeNull();

    const undo = await client.json<{ batch: Batch }>(site(`/batches/${result.batchId}/undo`), { method: 'POST' });
    await settled(undo.batch.id);
    expect((await onWebflow(a.id)).altText).toBe(before.a);
    expect((await onWebflow(b.id, fr.id)).altText).toBe(before.bFr);
    expect((await onWebflow(c.id)).altText).toBe(before.c);
  }, 120_000);

  it('keeps a value Webflow changed since the export, and reports one the file changed too as a conflict', async () => {
    const index = await builtIndex();
    const en = index.site.locales.find((locale) => locale.primary);
    const [kept, clash] = index.assets.slice(30, 32) as [IndexResponse['assets'][number], IndexResponse['assets'][number]];
    const records = await exported();
    for (const asset of [kept, clash]) {
      await wire(stack.sandbox, stack.sandbox.info.siteToken, `/assets/${asset.id}`, { method: 'PATCH', body: { altText: `Changed in the Designer ${asset.id}` } });
    }
    await client.request(site('/index/refresh'), { method: 'POST' });
    await waitFor('the refreshed index', async () => {
      const now = await client.json<IndexResponse>(site('/index'));
      return now.assets.find((asset) => asset.id === clash.id)?.altText === `Changed in the Designer ${clash.id}` ? now : undefined;
    });
    edit(records, clash.id, `alt:${en?.tag}`, 'From the translator');

    const preview = (await (await importCsv(fileOf(records), '?dryRun=1')).json()) as CsvImportResponse;
    expect(preview.changes).toEqual([]);
    expect(preview.keptWebflow).toBeGreaterThanOrEqual(1);
    expect(preview.conflicts).toEqual([{ line: expect.any(Number), assetId: clash.id, localeId: null, webflow: `Changed in the Designer ${clash.id}`, file: 'From the translator' }]);
  }, 120_000);

  it('applies nothing from a file with invalid rows unless asked to skip them, and says which lines', async () => {
    const index = await builtIndex();
    const asset = index.assets[40] as IndexResponse['assets'][number];
    const file = `id,alt\r\n${asset.id},Fine text\r\nnot-an-asset,Whatever\r\n${asset.id},Again\r\n`;
    const refused = await importCsv(file);
    expect(refused.status).toBe(400);
    const body = (await refused.json()) as { error: { code: string; message: string; details: { line: number; reason: string }[] } };
    expect(body.error.message).toMatch(/2 rows have problems, so nothing was applied/);
    expect(body.error.details.map((row) => row.line)).toEqual([3, 4]);
    expect((await onWebflow(asset.id)).altText).not.toBe('Fine text');

    const skipped = await importCsv(file, '?skipInvalid=1');
    expect(skipped.status).toBe(201);
    await settled(((await skipped.json()) as CsvImportResponse).batchId ?? '');
    expect((await onWebflow(asset.id)).altText).toBe('Fine text');
  }, 120_000);

  it('refuses a file over the limit with a 413 that names it', async () => {
    const big = new Uint8Array(MAX_IMPORT_BYTES + 1).fill(0x61);
    const response = await importCsv(big);
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/larger than 30 MB/);
  }, 60_000);

  it('refuses other types, Windows-1252 text and a file without a header, saying what to do', async () => {
    const wrongType = await client.request(site('/csv/import'), { method: 'POST', body: { id: 1 } });
    expect(wrongType.status).toBe(415);
    const latin1 = await importCsv(new Uint8Array([...new TextEncoder().encode('id,alt\r\nx,Caf'), 0xe9, 0x0d, 0x0a]));
    expect(latin1.status).toBe(400);
    expect(((await latin1.json()) as { error: { message: string } }).error.message).toMatch(/Windows-1252.*CSV UTF-8/);
    const empty = await importCsv('name,folder\r\nx,y\r\n');
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as { error: { message: string } }).error.message).toMatch(/needs an “id” \(or “url”\) column/);
  }, 60_000);
});

describe('the report after an import', () => {
  it('counts the images the import gave alt text as fixed today, by you, in your stretch of work', async () => {
    const index = await builtIndex();
    const missing = index.assets.filter((asset) => asset.contentType.startsWith('image/') && asset.altText === '').slice(-3);
    expect(missing.length).toBe(3);
    const before = await client.json<ReportResponse>(site('/report'));
    const today = new Date().toISOString().slice(0, 10);
    const fixedToday = (report: ReportResponse) => report.days.filter((day) => day.day === today && day.localeId === '').reduce((sum, day) => sum + day.fixed, 0);

    const file = `id,alt\r\n${missing.map((asset, i) => `${asset.id},Fixed by the report test ${i}`).join('\r\n')}\r\n`;
    const result = (await (await importCsv(file)).json()) as CsvImportResponse;
    await settled(result.batchId ?? '');
    const after = await client.json<ReportResponse>(site('/report'));

    expect(fixedToday(after) - fixedToday(before)).toBe(3);
    expect(after.people.some((person) => person.you && person.day === today && person.changes >= 3)).toBe(true);
    expect(after.stretch?.fixedImages).toBeGreaterThanOrEqual(3);
  }, 120_000);

  it('weighs what visitors see by use: its missing uses are the usage index’s, summed', async () => {
    const summary = await waitFor('the usage crawl', async () => {
      const answer = await client.json<UsageSummary>(site('/usage'));
      return answer.crawl.built && answer.crawl.state !== 'running' ? answer : undefined;
    }, 60_000, 300);
    const report = await client.json<ReportResponse>(site('/report'));
    expect(report.usageBuilt).toBe(true);
    const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
    expect(sum(report.visitors.map((locale) => locale.missing))).toBe(sum(summary.columns.missing));
    expect(sum(report.places.map((place) => place.uses))).toBe(sum(report.visitors.map((locale) => locale.uses)));
    expect(report.places.length).toBeGreaterThan(0);
  }, 120_000);
});
