import { writeFileSync } from 'node:fs';
import { withStack, FAST_WINDOW_MS } from '../lib/stacks.ts';
import { openSession, waitForIndex, api } from '../lib/session.ts';
import { launchChromium, newPage } from '../../src/stack/chromium.ts';

const assets = Number(process.argv[2] ?? 10000);
await withStack({ demo: { assets }, rateLimit: { perWindow: 60, windowMs: FAST_WINDOW_MS }, designerLatencyMs: 1 }, async (stack) => {
  const token = await openSession(stack);
  await waitForIndex(stack, token, assets);
  const browser = await launchChromium();
  const page = await newPage(browser, { viewport: { width: 1100, height: 760 } });
  for (let i = 0; i < 3; i++) {
    await page.goto(stack.panelUrl);
    await page.waitForSelector('[role="row"][data-row-id]', { timeout: 120_000 });
  }
  for (let run = 0; run < 3; run++) {
    await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'blink.user_timing', 'loading', 'netlog', 'toplevel'] });
    await page.goto(stack.panelUrl);
    await page.waitForSelector('[role="row"][data-row-id]', { timeout: 120_000 });
    await page.waitForTimeout(300);
    const buf = await browser.stopTracing();
    writeFileSync(`/tmp/open-trace-${run}.json`, buf);
  }
  await browser.close();
});
