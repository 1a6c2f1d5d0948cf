import { writeFileSync } from 'node:fs';
import { withStack, FAST_WINDOW_MS } from '../lib/stacks.ts';
import { openSession, waitForIndex } from '../lib/session.ts';
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
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  for (let run = 0; run < 3; run++) {
    await cdp.send('Profiler.start');
    await page.goto(stack.panelUrl);
    await page.waitForSelector('[role="row"][data-row-id]', { timeout: 120_000 });
    const { profile } = await cdp.send('Profiler.stop');
    writeFileSync(`/tmp/open-prof-${run}.cpuprofile`, JSON.stringify(profile));
  }
  await browser.close();
});
