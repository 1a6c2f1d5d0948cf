import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { csvRecord, parseCsv, unescapeFormula, UTF8_BOM } from '../../src/core/csv.ts';
import { eventually, openPanel, sandboxAsset, screenshot, startJourney, statusOf, type Journey } from './support.ts';

// A journey downloads, waits for appliers and reads the sandbox: minutes, not the unit tests' 30 s.
vi.setConfig({ testTimeout: 240_000 });

interface WireLocale {
  id: string;
  tag: string;
}
interface WireSite {
  locales?: { primary: WireLocale; secondary: WireLocale[] };
}

describe('a translator’s spreadsheet comes back into the site', () => {
  let journey: Journey;
  let folder: string;
  beforeAll(async () => {
    journey = await startJourney();
    folder = await mkdtemp(join(tmpdir(), 'asset-desk-csv-'));
  }, 180_000);
  afterAll(async () => {
    await journey?.close();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it('exports, is edited by a script, imports with a preview, reaches Webflow per locale, and one undo restores it', async () => {
    const site = (await (
      await fetch(`${journey.stack.sandbox.info.apiBaseUrl}/sites/${journey.stack.siteId}`, {
        headers: { authorization: `Bearer ${journey.stack.sandbox.info.siteToken}` },
      })
    ).json()) as WireSite;
    const secondary = site.locales?.secondary[0];
    if (!site.locales || !secondary) throw new Error('The demo site has no secondary locale.');

    const page = await openPanel(journey);
    // Below the widest layout, Export and Import fold away behind More.
    const more = page.locator('header.top-bar .more-toggle');
    if (await more.isVisible()) await more.click();
    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV…' }).click();
    await page.getByRole('dialog', { name: 'Export alt text as CSV' }).getByRole('button', { name: /^Export [\d,]+ assets$/ }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/ alt text \d{4}-\d{2}-\d{2}\.csv$/);
    const bytes = await readFile(await download.path());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);

    // The script: change the primary alt text of one image and the secondary locale's of another.
    const records = parseCsv(new TextDecoder().decode(bytes));
    const header = records[0] ?? [];
    const column = (name: string) => header.indexOf(name);
    const [id, type, primaryAlt, secondaryAlt] = [column('id'), column('type'), column(`alt:${site.locales.primary.tag}`), column(`alt:${secondary.tag}`)];
    expect(Math.min(id, type, primaryAlt, secondaryAlt)).toBeGreaterThanOrEqual(0);
    const images = records.slice(1).filter((record) => unescapeFormula(record[type] ?? '').startsWith('image/'));
    const [first, second] = images;
    if (!first || !second) throw new Error('The demo site has fewer than two images.');
    const firstId = unescapeFormula(first[id] ?? '');
    const secondId = unescapeFormula(second[id] ?? '');
    const before = { first: await sandboxAsset(journey.stack, firstId), second: await sandboxAsset(journey.stack, secondId, secondary.id) };
    const primaryText = '=A "quoted" roaster, 2 kg; beans';
    const secondaryText = 'Torréfacteur 🫘, vu de côté\nsur deux lignes';
    first[primaryAlt] = primaryText;
    second[secondaryAlt] = secondaryText;
    const edited = join(folder, 'brochure.csv');
    await writeFile(edited, UTF8_BOM + records.map((record) => csvRecord(record.map((cell, n) => (n === primaryAlt || n === secondaryAlt ? cell : unescapeFormula(cell))))).join(''));

    await page.getByRole('button', { name: 'Import CSV…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import alt text from CSV' });
    await dialog.getByLabel('CSV file').setInputFiles(edited);
    await dialog.getByText(/^brochure\.csv: [\d,]+ rows read\. Nothing has changed yet\.$/).waitFor();
    await screenshot(page, 'csv-import-preview');
    expect(await sandboxAsset(journey.stack, firstId)).toMatchObject({ altText: before.first.altText });
    await dialog.getByRole('button', { name: 'Apply 2 changes' }).click();

    await eventually(() => sandboxAsset(journey.stack, firstId), (wire) => wire.altText === primaryText);
    await eventually(() => sandboxAsset(journey.stack, secondId, secondary.id), (wire) => wire.altText === secondaryText);
    await expect.poll(() => statusOf(page).textContent()).toMatch(/Imported 2 changes from brochure\.csv/);

    await page.keyboard.press('Control+z');
    await expect.poll(() => statusOf(page).textContent()).toMatch(/undid 2 changes/i);
    await eventually(() => sandboxAsset(journey.stack, firstId), (wire) => wire.altText === before.first.altText);
    await eventually(() => sandboxAsset(journey.stack, secondId, secondary.id), (wire) => wire.altText === before.second.altText);
    await page.close();
  });
});
