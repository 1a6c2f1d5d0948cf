/**
 * `npm start` again with `.data/` kept and other ports (SANDBOX_PORT changed): the panel's
 * thumbnails load from where the sandbox serves files now, without pressing Refresh (the backend
 * reads a photo's file there for its small thumbnail; an SVG's the panel loads itself). The first
 * open is also the journey's clean opening: no console error, no failed request, no axe finding.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { newPage } from '../../src/stack/chromium.ts';
import { axeFindings, screenshot, startJourney, watchTrouble, type Journey } from './support.ts';

vi.setConfig({ testTimeout: 240_000 });

interface Thumbnails {
  /** Visible rows that show an image (documents show a type label instead). */
  rows: number;
  /** Of those, images loaded and decoded (naturalWidth > 0). */
  loaded: number;
  sources: string[];
}

/** The thumbnails of the rows on screen, as the designer sees them. */
function visibleThumbnails(): Thumbnails {
  const grid = document.querySelector('[role="grid"]');
  if (!grid) return { rows: 0, loaded: 0, sources: [] };
  const view = grid.getBoundingClientRect();
  const rows = Array.from(grid.querySelectorAll<HTMLElement>('[role="row"][data-row-id]')).filter((row) => {
    const box = row.getBoundingClientRect();
    return box.bottom > view.top && box.top < view.bottom && !row.querySelector('.doc-icon');
  });
  const images = rows.map((row) => row.querySelector<HTMLImageElement>('img.thumb'));
  return {
    rows: rows.length,
    loaded: images.filter((image) => image?.complete && image.naturalWidth > 0).length,
    sources: images.map((image) => image?.src ?? ''),
  };
}

/**
 * A photo's thumbnail is the backend's small one (it loaded only if the backend read the file
 * where the sandbox serves it now); an SVG's is the CDN's file, at the sandbox's address.
 */
function shownFrom(source: string, stack: Journey['stack']): boolean {
  return source.startsWith(`${stack.backendUrl}/api/thumbnails/`) || source.startsWith(`${stack.sandbox.url}/`);
}

async function openAndWaitForThumbnails(journey: Journey): Promise<{ page: Page; thumbnails: Thumbnails; trouble: string[] }> {
  const page = await newPage(journey.browser, { viewport: { width: 1100, height: 760 } });
  const trouble = watchTrouble(page);
  await page.goto(journey.stack.panelUrl);
  // Every visible image row's thumbnail loaded: a condition, however long the refresh takes.
  await expect
    .poll(() => page.evaluate(visibleThumbnails), { timeout: 120_000, interval: 100 })
    .toSatisfy((thumbnails: Thumbnails) => thumbnails.rows > 0 && thumbnails.loaded === thumbnails.rows);
  return { page, thumbnails: await page.evaluate(visibleThumbnails), trouble };
}

describe('a restart on other ports with the data folder kept', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'asset-desk-restart-'));
  let journey: Journey | undefined;
  afterAll(async () => {
    await journey?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('opens cleanly the first time, and after the restart every visible thumbnail loads from the new address', async () => {
    journey = await startJourney({ dataDir, demo: { assets: 60 } });
    const first = await openAndWaitForThumbnails(journey);
    const firstSandbox = journey.stack.sandbox.url;
    // The favicon included: the first open logs no error, and no request fails or answers ≥ 400.
    expect(first.trouble).toEqual([]);
    expect(await axeFindings(first.page)).toEqual([]);
    expect(first.thumbnails.sources.every((source) => journey !== undefined && shownFrom(source, journey.stack))).toBe(true);
    expect(first.thumbnails.sources.some((source) => source.includes('/api/thumbnails/'))).toBe(true);
    await first.page.close();
    await journey.close();
    journey = undefined;

    journey = await startJourney({ dataDir });
    expect(journey.stack.sandbox.url).not.toBe(firstSandbox);
    const second = await openAndWaitForThumbnails(journey);
    await screenshot(second.page, 'restart-on-other-ports');
    expect(second.thumbnails.rows).toBeGreaterThan(5);
    expect(second.thumbnails.sources.every((source) => journey !== undefined && shownFrom(source, journey.stack))).toBe(true);
    await second.page.close();
  });
});
