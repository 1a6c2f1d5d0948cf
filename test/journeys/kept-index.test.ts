/**
 * A designer opens the panel, writes an alt text, closes the panel and opens it again in the
 * same browser: the second open shows the index kept from the first (IndexedDB) and asks only
 * what changed since its version, never the whole index, and the alt text written in between is
 * there (docs/decisions/kept-index.md). An alt text saved just before the panel closed, its
 * acknowledgement lost, shows on the next open too, and the closed panel's lease was given back
 * (docs/decisions/unapplied-on-reopen.md); so does every value of a bulk run still waiting for
 * Webflow's quota, past the listing's first page of 5,000 changes.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { KEEP_NAMES_SHIM } from '../../src/stack/chromium.ts';
import { backendSession, eventually, sandboxAsset, screenshot, useJourney, watchTrouble } from './support.ts';

vi.setConfig({ testTimeout: 240_000 });

/** How many index bodies the panel keeps in this browser. */
function keptBodies(): Promise<number> {
  return new Promise((resolve) => {
    const opening = indexedDB.open('asset-desk');
    opening.onerror = () => resolve(0);
    opening.onsuccess = () => {
      const db = opening.result;
      if (!db.objectStoreNames.contains('indexes')) {
        db.close();
        resolve(0);
        return;
      }
      const counting = db.transaction('indexes').objectStore('indexes').count();
      counting.onsuccess = () => {
        db.close();
        resolve(counting.result);
      };
    };
  });
}

describe('opening the panel again in the same browser', () => {
  const under = useJourney();
  const contexts: BrowserContext[] = [];
  afterAll(async () => {
    for (const context of contexts) await context.close();
  });

  async function open(context: BrowserContext): Promise<{ page: Page; requests: string[]; trouble: string[] }> {
    const page = await context.newPage();
    await page.addInitScript({ content: KEEP_NAMES_SHIM });
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    const trouble = watchTrouble(page);
    await page.goto(under.journey.stack.panelUrl);
    await page.getByRole('row').filter({ has: page.getByRole('textbox') }).first().waitFor({ timeout: 60_000 });
    return { page, requests, trouble };
  }

  /** Types an alt text into the first row missing one and saves it with Enter; answers that row. */
  async function writeFirstMissing(page: Page, text: string): Promise<{ assetId: string; name: string }> {
    await page.getByRole('group', { name: 'Alt text filter' }).getByRole('button', { name: /Missing alt text/ }).click();
    await page.getByRole('grid', { name: 'Assets' }).getByRole('textbox').first().click();
    const row = await page.evaluate(() => {
      const element = document.activeElement?.closest<HTMLElement>('[data-row-id]');
      return { assetId: element?.dataset.rowId ?? '', name: element?.querySelector('strong')?.textContent ?? '' };
    });
    expect(row.assetId).not.toBe('');
    await page.keyboard.type(text);
    await page.keyboard.press('Enter');
    return row;
  }

  /** Opens a session as the panel does. */
  async function sessionHeaders(): Promise<{ authorization: string }> {
    return { authorization: `Bearer ${await backendSession(under.journey.stack)}` };
  }

  /** Waits until the backend's first refresh of the site has finished. */
  async function indexBuilt(): Promise<void> {
    const { backendUrl, siteId } = under.journey.stack;
    const bearer = await sessionHeaders();
    expect((await fetch(`${backendUrl}/api/sites/${siteId}/index`, { headers: bearer })).status).toBe(200);
    await eventually(
      async () => (await (await fetch(`${backendUrl}/api/sites/${siteId}/index/changes?since=0`, { headers: bearer })).json()) as { refresh: { state: string; finishedAt: string | null } },
      (changes) => changes.refresh.state === 'idle' && changes.refresh.finishedAt !== null,
      120_000,
    );
  }

  it('shows the kept index and asks only the changes since it, with an alt text written in between', async () => {
    const { stack } = under.journey;
    // The site's first refresh finished before the designer opens the panel (as on any day but
    // the first): the first open's whole index is the site's, and the second open's changes are
    // only what was written in between.
    await indexBuilt();
    const context = await under.journey.browser.newContext({ viewport: { width: 1100, height: 760 } });
    contexts.push(context);

    const first = await open(context);
    expect(first.requests.filter((url) => url.includes('/index?format=compact'))).toHaveLength(1);
    await expect.poll(() => first.page.evaluate(keptBodies)).toBe(1);

    // An alt text written in the first open, applied in Webflow and acknowledged to the journal.
    const acknowledged = first.page.waitForResponse((response) => response.url().includes('/changes/ack') && response.ok());
    const text = 'Barista tamping espresso, seen from above';
    const row = await writeFirstMissing(first.page, text);
    await acknowledged;
    expect((await sandboxAsset(stack, row.assetId)).altText).toBe(text);
    await first.page.close();

    const second = await open(context);
    await second.page.getByLabel('Search assets').fill(row.name);
    const field = second.page.locator(`[data-row-id="${row.assetId}"]`).getByRole('textbox');
    await expect.poll(() => field.inputValue()).toBe(text);
    await screenshot(second.page, 'kept-index-second-open');
    // The whole index was not read again: only the changes since the kept version.
    expect(second.requests.filter((url) => url.includes('/index?format=compact'))).toEqual([]);
    expect(second.requests.some((url) => /\/index\/changes\?since=\d+/.test(url))).toBe(true);
    expect([...first.trouble, ...second.trouble]).toEqual([]);
    await second.page.close();
  });

  it('shows an alt text saved just before the panel closed, before its acknowledgement reached the journal, and settles it at once', async () => {
    const { stack } = under.journey;
    const context = await under.journey.browser.newContext({ viewport: { width: 1100, height: 760 } });
    contexts.push(context);
    const first = await open(context);
    // The panel is closed after Webflow has the text and before the journal hears of it (a
    // designer closing the Designer at that moment): the panel's fetch holds the acknowledgement.
    await first.page.evaluate(() => {
      const send = window.fetch.bind(window);
      window.fetch = (input, init) => (String(input).includes('/changes/ack') ? new Promise<Response>(() => undefined) : send(input, init));
    });
    const text = 'Latte art heart in a white cup';
    const row = await writeFirstMissing(first.page, text);
    await eventually(() => sandboxAsset(stack, row.assetId), (asset) => asset.altText === text);
    await first.page.close();

    const second = await open(context);
    await second.page.getByLabel('Search assets').fill(row.name);
    const field = second.page.locator(`[data-row-id="${row.assetId}"]`).getByRole('textbox');
    await expect.poll(() => field.inputValue()).toBe(text);
    // The closing panel gave the change back: the second open's applier reads Webflow's value and
    // settles it well before the closed panel's lease (30 s) would have lapsed.
    const headers = await sessionHeaders();
    const history = await eventually(
      async () => {
        const answer = await fetch(`${stack.backendUrl}/api/sites/${stack.siteId}/assets/${row.assetId}/history`, { headers });
        return ((await answer.json()) as { changes: Array<{ after: string; status: string }> }).changes;
      },
      (changes) => changes[0]?.status === 'applied',
      15_000,
    );
    expect(history.map((change) => [change.after, change.status])).toEqual([[text, 'applied']]);
    expect(second.trouble).toEqual([]);
    await second.page.close();
  });

  it('shows every value of a bulk run still waiting for Webflow, past the first 5,000 changes', async () => {
    const { stack } = under.journey;
    await indexBuilt();
    const headers = await sessionHeaders();
    const site = `${stack.backendUrl}/api/sites/${stack.siteId}`;
    const index = (await (await fetch(`${site}/index`, { headers })).json()) as { assets: Array<{ id: string; name: string; contentType: string; altText: string | null }> };
    const seen = new Map<string, number>();
    for (const asset of index.assets) seen.set(asset.name, (seen.get(asset.name) ?? 0) + 1);
    const images = index.assets.filter((asset) => asset.contentType.startsWith('image/')).slice(0, 1000);
    expect(images.length).toBe(1000);
    // Seven rounds over 1,000 images (a CSV import and its corrections, say): the last round's
    // changes come after the first 5,000 however many the server applier has applied meanwhile.
    const rounds = 7;
    const changes = [];
    for (let round = 1; round <= rounds; round += 1) {
      for (const asset of images) {
        changes.push({ assetId: asset.id, field: 'altText', before: round === 1 ? asset.altText : `Round ${round - 1} of ${asset.name}`, after: `Round ${round} of ${asset.name}` });
      }
    }
    for (let from = 0; from < changes.length; from += 5000) {
      const recorded = await fetch(`${site}/changes`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ label: 'Bulk', changes: changes.slice(from, from + 5000) }) });
      expect(recorded.status).toBe(201);
    }

    const context = await under.journey.browser.newContext({ viewport: { width: 1100, height: 760 } });
    contexts.push(context);
    // This panel's applier asks for no work: what shows is the listing's, not what it applied.
    await context.addInitScript(() => {
      const send = window.fetch.bind(window);
      window.fetch = (input, init) => (String(input).includes('/changes/lease') ? new Promise<Response>(() => undefined) : send(input, init));
    });
    const reopened = await open(context);
    // The images whose last change is in the run's last round, named once in the site.
    for (const asset of images.filter((image) => seen.get(image.name) === 1).slice(-3)) {
      await reopened.page.getByLabel('Search assets').fill(asset.name);
      const field = reopened.page.locator(`[data-row-id="${asset.id}"]`).getByRole('textbox');
      await expect.poll(() => field.inputValue(), { timeout: 15_000 }).toBe(`Round ${rounds} of ${asset.name}`);
    }
    // The server applier is still on the early rounds: these values came from the listing.
    const pending = (await (await fetch(`${site}/changes?status=pending,leased&limit=1`, { headers })).json()) as { counts: { pending: number; leased: number } };
    expect(pending.counts.pending + pending.counts.leased).toBeGreaterThan(1000);
    expect(reopened.requests.filter((url) => /\/changes\?status=pending,leased&limit=5000&after=\d+$/.test(url)).length).toBeGreaterThanOrEqual(1);
    expect(reopened.trouble).toEqual([]);
    await reopened.page.close();
  });
});
