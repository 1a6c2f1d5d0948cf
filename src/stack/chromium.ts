/**
 * Debian's Chromium driven by playwright-core, for the journeys and the benchmarks. Playwright's
 * own browser download cannot work on this network, so the system browser is used with the flags
 * that keep it from calling home.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM_PATH}: run \`apt-get install -y chromium\` (or set CHROMIUM_PATH).`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/**
 * tsx compiles functions handed to `page.evaluate` with esbuild's keepNames, which wraps named
 * inner functions in a `__name(…)` helper that exists in Node, not in the page: define it there.
 */
export const KEEP_NAMES_SHIM = 'globalThis.__name = globalThis.__name || ((target) => target);';

/** A page whose evaluated functions may name inner functions (see {@link KEEP_NAMES_SHIM}). */
export async function newPage(browser: Browser, options: Parameters<Browser['newPage']>[0] = {}): Promise<Page> {
  const page = await browser.newPage(options);
  await page.addInitScript({ content: KEEP_NAMES_SHIM });
  return page;
}
