import { newPage } from '../../src/stack/chromium.ts';
import type { Browser, Page } from 'playwright-core';

/** Opens the panel and waits until its grid shows rows (the index has arrived and rendered). */
export async function openPanel(browser: Browser, panelUrl: string, viewport = { width: 1100, height: 760 }): Promise<Page> {
  const page = await newPage(browser, { viewport });
  await page.goto(panelUrl);
  await page.waitForSelector('[role="row"][data-row-id]', { timeout: 120_000 });
  return page;
}

/** A page on a loopback origin with only the sandbox's Designer API script: the naive baselines run there. */
export function designerOnlyPage(designerScriptUrl: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>baseline</title><script src="${designerScriptUrl}"></script></head><body></body></html>`;
}
