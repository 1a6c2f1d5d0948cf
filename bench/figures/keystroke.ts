/**
 * Typing in the search box of a site of 20,000 assets (`--size N` for another size), in Chromium.
 * Five figures, each beside the same measurement of a page with nothing but a search box, in the
 * same browser and run:
 *
 * - what the panel adds to the frame floor: the p95 of the time from a keystroke's input event to
 *   the frame after it was painted, minus the empty page's p95. Frames come at 60 Hz, so a
 *   keystroke waits for the next one whatever the page does (docs/decisions/keystroke-frame-floor.md);
 * - the main thread's work per keystroke (script, style, layout, paint: every task the renderer's
 *   main thread ran from one keystroke to the next, in thread time from a trace, so that another
 *   program on the same cores does not count), p95; and the same in the first row's alt-text
 *   field, where a bulk session types most;
 * - the longest frames while typing, pausing (thumbnails load and decode) and scrolling the grid:
 *   the p99 of the gaps between animation frames;
 * - the panel's JS heap with the whole index loaded.
 */
import type { Browser, Locator, Page } from 'playwright-core';
import type { Benchmark, Figure } from '../lib/figure.ts';
import { percentile, round } from '../lib/figure.ts';
import { openPanel } from '../lib/panel-page.ts';
import { openSession, waitForIndex } from '../lib/session.ts';
import { FAST_WINDOW_MS, withStack } from '../lib/stacks.ts';
import { launchChromium, newPage } from '../../src/stack/chromium.ts';

/** A page with a search box that shows what was typed, and a long list to scroll. */
const EMPTY_PAGE = `<!doctype html><meta charset="utf-8"><input type="search" aria-label="Search assets"><output></output>
<div role="grid" style="height:600px;overflow:auto"><div style="height:100000px"></div></div>
<script>document.querySelector('input').addEventListener('input', (event) => { document.querySelector('output').textContent = event.target.value; });</script>`;

const WORDS = ['coffee', 'team photo', 'hero', 'logo dark', 'screenshot', 'ethiopia', 'blog cover', 'menu'];

function listenForLatency(): void {
  const w = window as unknown as { latencies: number[] };
  w.latencies = [];
  const box = document.querySelector<HTMLInputElement>('input[aria-label="Search assets"]');
  if (!box) throw new Error('No search box.');
  box.addEventListener(
    'input',
    (event) => {
      const started = event.timeStamp;
      requestAnimationFrame(() => {
        // A message posted from requestAnimationFrame is handled after that frame is painted.
        const channel = new MessageChannel();
        channel.port1.onmessage = () => w.latencies.push(performance.now() - started);
        channel.port2.postMessage(null);
      });
    },
    { capture: true },
  );
}

/** Types `count` keystrokes into `box` (the search box unless told): words and their backspaces, 20 ms apart. */
async function typeKeystrokes(
  page: Page,
  count: number,
  pauseAfterWord: (word: string) => Promise<void> = async () => {},
  box: Locator = page.getByLabel('Search assets'),
): Promise<void> {
  await box.click();
  let typed = 0;
  for (let w = 0; typed < count; w++) {
    const word = WORDS[w % WORDS.length] ?? 'coffee';
    for (const letter of word) {
      if (typed >= count) break;
      await page.keyboard.press(letter === ' ' ? 'Space' : letter);
      typed++;
      await page.waitForTimeout(20);
    }
    await pauseAfterWord(word);
    for (let i = 0; i < word.length && typed < count; i++) {
      await page.keyboard.press('Backspace');
      typed++;
      await page.waitForTimeout(20);
    }
  }
  await page.waitForTimeout(200);
}

async function latencies(page: Page, count: number): Promise<number[]> {
  await page.evaluate(listenForLatency);
  await typeKeystrokes(page, count);
  return page.evaluate(() => (window as unknown as { latencies: number[] }).latencies);
}

interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string; data?: { type?: string } };
}

/**
 * The main thread's work per keystroke, in ms of thread time: every top-level task of the page's
 * renderer main thread from one keystroke's keydown to the next one's (the last: to the trace's end).
 */
async function workPerKeystroke(browser: Browser, page: Page, count: number, box?: Locator): Promise<number[]> {
  await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
  await typeKeystrokes(page, count, undefined, box);
  const trace = JSON.parse((await browser.stopTracing()).toString()) as { traceEvents?: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(trace) ? trace : (trace.traceEvents ?? []);
  const thread = (event: TraceEvent) => `${event.pid}/${event.tid}`;
  const keydowns = events.filter((event) => event.name === 'EventDispatch' && event.args?.data?.type === 'keydown');
  // The page's main thread is the one that dispatched the keystrokes.
  const main = keydowns[0] ? thread(keydowns[0]) : undefined;
  if (!main) throw new Error('The trace has no keystrokes.');
  const starts = keydowns.filter((event) => thread(event) === main).map((event) => event.ts).sort((a, b) => a - b);
  const tasks = events.filter((event) => event.name === 'RunTask' && event.ph === 'X' && thread(event) === main);
  const work = starts.map(() => 0);
  for (const task of tasks) {
    // A task belongs to the last keystroke dispatched before it ended: the task that dispatches
    // a keydown began just before it, and counts for that keystroke.
    const end = task.ts + (task.dur ?? 0);
    let i = starts.length - 1;
    while (i >= 0 && (starts[i] ?? Infinity) > end) i--;
    if (i >= 0) work[i] = (work[i] ?? 0) + (task.tdur ?? task.dur ?? 0) / 1000;
  }
  return work;
}

/** Gaps between animation frames (ms) while words are typed, and after each a pause and a scroll of the grid. */
async function frameGaps(page: Page, count: number): Promise<number[]> {
  // A string, not a function: the bench's compiler would name the inner function with a helper
  // the page does not have.
  await page.evaluate(`(() => {
    window.gaps = [];
    window.framing = true;
    let last = 0;
    const frame = (now) => {
      window.gaps.push(now - last);
      last = now;
      if (window.framing) requestAnimationFrame(frame);
    };
    requestAnimationFrame((now) => {
      last = now;
      requestAnimationFrame(frame);
    });
  })()`);
  const grid = page.getByRole('grid').first();
  const box = await grid.boundingBox();
  await typeKeystrokes(page, count, async () => {
    // A pause in which the results' thumbnails load and decode, then a scroll through the results.
    await page.waitForTimeout(400);
    if (box) await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    for (let i = 0; i < 5; i++) {
      await page.mouse.wheel(0, 400);
      await page.waitForTimeout(50);
    }
    await page.waitForTimeout(300);
    await page.getByLabel('Search assets').click();
  });
  return page.evaluate(() => {
    const w = window as unknown as { gaps: number[]; framing: boolean };
    w.framing = false;
    return w.gaps;
  });
}

interface Reading {
  latencies: number[];
  work: number[];
  gaps: number[];
}

async function read(browser: Browser, page: Page, keystrokes: number): Promise<Reading> {
  return {
    latencies: await latencies(page, keystrokes),
    work: await workPerKeystroke(browser, page, keystrokes),
    gaps: await frameGaps(page, Math.max(20, Math.round(keystrokes / 2))),
  };
}

export const keystroke: Benchmark = {
  id: 'keystroke',
  async run(context) {
    const assets = context.assets(20_000, 2_000);
    const keystrokes = context.size(200, 60);
    return withStack({ demo: { assets }, rateLimit: { perWindow: 60, windowMs: FAST_WINDOW_MS } }, async (stack) => {
      const token = await openSession(stack);
      await waitForIndex(stack, token, assets);
      const browser = await launchChromium();
      try {
        const readEmpty = async (): Promise<Reading> => {
          const emptyPage = await newPage(browser, { viewport: { width: 1100, height: 760 } });
          try {
            await emptyPage.setContent(EMPTY_PAGE);
            return await read(browser, emptyPage, keystrokes);
          } finally {
            await emptyPage.close();
          }
        };
        // The empty page before and after the panel, the lower kept for each measure: a busy
        // moment on a shared machine can only raise it (one run measured 34 ms once).
        const emptyBefore = await readEmpty();
        const page = await openPanel(browser, stack.panelUrl);
        const panel = await read(browser, page, keystrokes);
        // The same words typed into the first row's alt-text field (a draft, reverted after).
        await page.getByLabel('Search assets').fill('');
        await page.waitForTimeout(500);
        const altField = page.locator('[data-row-id] input[data-field="alt"]').first();
        const altWork = await workPerKeystroke(browser, page, keystrokes, altField);
        await altField.press('Escape');
        const emptyAfter = await readEmpty();
        const lower = (measure: (reading: Reading) => number) => Math.min(measure(emptyBefore), measure(emptyAfter));

        const p95 = percentile(panel.latencies, 95);
        const floor = lower((r) => percentile(r.latencies, 95));
        const added = p95 - floor;
        const addedTarget = assets >= 100_000 ? 6 : 4;
        const work = percentile(panel.work, 95);
        const emptyWork = lower((r) => percentile(r.work, 95));
        const longest = percentile(panel.gaps, 99);
        const emptyLongest = lower((r) => percentile(r.gaps, 99));

        const cdp = await page.context().newCDPSession(page);
        await cdp.send('HeapProfiler.collectGarbage');
        const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
        const heapMb = heap.usedSize / 1024 / 1024;
        const size = assets.toLocaleString('en');
        const command = `npm run bench -- --only keystroke${assets === 20_000 ? '' : ` --size ${assets}`}`;
        const figures: Figure[] = [
          {
            name: `keystroke: panel's p95 minus an empty page's p95, ${size} assets`,
            value: round(added),
            unit: 'ms',
            baseline: round(floor),
            ratio: null,
            target: `≤ ${addedTarget} ms`,
            pass: added <= addedTarget,
            command,
            notes: `${panel.latencies.length} keystrokes; panel p95 ${round(p95)} ms (p50 ${round(percentile(panel.latencies, 50))}, max ${round(Math.max(...panel.latencies))}); baseline: the empty page's p95, the 60 Hz frame floor`,
          },
          {
            name: `main-thread work per keystroke (script + style + layout + paint, thread time), p95, ${size} assets`,
            value: round(work),
            unit: 'ms',
            baseline: round(emptyWork),
            ratio: null,
            target: '≤ 6 ms',
            pass: work <= 6,
            command,
            notes: `${panel.work.length} keystrokes traced; p50 ${round(percentile(panel.work, 50))} ms, max ${round(Math.max(...panel.work))} ms; baseline: the empty page's p95`,
          },
          {
            name: `main-thread work per keystroke in an alt-text field (thread time), p95, ${size} assets`,
            value: round(percentile(altWork, 95)),
            unit: 'ms',
            baseline: round(emptyWork),
            ratio: null,
            target: '≤ 6 ms (as in the search box)',
            pass: percentile(altWork, 95) <= 6,
            command,
            notes: `${altWork.length} keystrokes traced in the first row's field; p50 ${round(percentile(altWork, 50))} ms, max ${round(Math.max(...altWork))} ms; baseline: the empty page's search box, p95`,
          },
          {
            name: `longest frame while typing, pausing and scrolling, p99, ${size} assets`,
            value: round(longest),
            unit: 'ms',
            baseline: round(emptyLongest),
            ratio: null,
            target: '≤ 50 ms',
            pass: longest <= 50,
            command,
            notes: `${panel.gaps.length} frames; max ${round(Math.max(...panel.gaps))} ms; baseline: the empty page's p99, typing and scrolling the same way`,
          },
          {
            name: `panel JS heap, ${size} assets`,
            value: round(heapMb),
            unit: 'MB',
            baseline: null,
            ratio: null,
            target: '≤ 150 MB',
            pass: heapMb <= 150,
            command,
          },
        ];
        return figures;
      } finally {
        await browser.close();
      }
    });
  },
};
