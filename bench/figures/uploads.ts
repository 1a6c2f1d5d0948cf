/**
 * Many files uploaded at once in the panel (issue 20): 50 files of 4 MB picked together, from
 * "Upload all" to the last one uploaded to the sandbox, against the same panel taking 50 other
 * files of the same size one after another (each picked, hashed and sent before the next), in the
 * same run and the same page. Also read from the page while the files go: the most on their way
 * at once (creating, sending or completing: ≤ 4), and that each file's and the overall progress
 * bar showed. A few files go first unmeasured, so neither pass pays for the hashing workers'
 * first start (docs/decisions/md5-throughput.md).
 *
 * The sandbox's quota is set high: the figure is the panel's pipeline. Against Webflow's 60 or
 * 120 requests a minute, 50 uploads (a create and a completion each) are bound by the quota.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { Benchmark } from '../lib/figure.ts';
import { round } from '../lib/figure.ts';
import { openPanel } from '../lib/panel-page.ts';
import { FAST_WINDOW_MS, withStack } from '../lib/stacks.ts';
import { launchChromium } from '../../src/stack/chromium.ts';

const FILE_BYTES = 4 * 1024 * 1024 - 4096; // under Webflow's 4 MB image limit // under Webflow's 4 MB image limit
const WARM_UP = 4;
const MOST_IN_FLIGHT = 4;

/**
 * In the page (a string, so no helper of the bundler's leaks in): puts `files` of the hidden
 * bench input on the panel's picker in groups of `group`, presses "Upload all" for each group and
 * waits until its files show "Uploaded" before the next; then "Clear finished". Meanwhile a
 * MutationObserver records the most files on their way at once and whether the overall and each
 * file's progress showed. Resolves with the milliseconds from the first "Upload all" to the last
 * file uploaded.
 */
const RUN_IN_PAGE = `async ({ from, count, group }) => {
  const source = document.getElementById('bench-files');
  const picker = document.querySelector('input[aria-label="Choose files to upload"]');
  const list = () => document.querySelector('ul[aria-label="Upload queue"]');
  const statuses = () => Array.from(document.querySelectorAll('ul[aria-label="Upload queue"] .upload-status'), (el) => el.textContent || '');
  let most = 0;
  let overall = false;
  let perFile = false;
  const look = () => {
    const now = statuses().filter((text) => /^(Preparing|Uploading|Finishing)/.test(text)).length;
    if (now > most) most = now;
    if (document.querySelector('progress[aria-label="All uploads"]')) overall = true;
    if (document.querySelector('ul[aria-label="Upload queue"] progress.upload-progress')) perFile = true;
  };
  const observer = new MutationObserver(look);
  observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  const uploadedCount = () => statuses().filter((text) => text.startsWith('Uploaded')).length;
  const failed = () => statuses().filter((text) => /^(Failed|Not accepted|Already on the site)/.test(text));
  const until = (test) => new Promise((resolve, reject) => {
    const check = () => {
      const bad = failed();
      if (bad.length > 0) { watcher.disconnect(); reject(new Error('An upload did not go through: ' + bad.join('; '))); return true; }
      if (test()) { watcher.disconnect(); resolve(); return true; }
      return false;
    };
    const watcher = new MutationObserver(check);
    watcher.observe(document.body, { subtree: true, childList: true, characterData: true });
    check();
  });
  const started = performance.now();
  for (let first = from; first < from + count; first += group) {
    const transfer = new DataTransfer();
    for (let i = first; i < Math.min(first + group, from + count); i += 1) transfer.items.add(source.files[i]);
    const before = uploadedCount();
    // Counted now: the panel empties its picker (and with it this list) once it took the files.
    const picked = transfer.files.length;
    picker.files = transfer.files;
    picker.dispatchEvent(new Event('change', { bubbles: true }));
    await until(() => Array.from(document.querySelectorAll('button')).some((b) => /^Upload all \\(/.test(b.textContent || '')));
    Array.from(document.querySelectorAll('button')).find((b) => /^Upload all \\(/.test(b.textContent || '')).click();
    await until(() => uploadedCount() === before + picked);
  }
  const milliseconds = performance.now() - started;
  observer.disconnect();
  Array.from(document.querySelectorAll('button')).find((b) => b.textContent === 'Clear finished')?.click();
  await until(() => !list() || statuses().length === 0);
  return { milliseconds, most, overall, perFile };
}`;

interface Pass {
  milliseconds: number;
  most: number;
  overall: boolean;
  perFile: boolean;
}

async function runPass(page: Page, from: number, count: number, group: number): Promise<Pass> {
  return page.evaluate(`(${RUN_IN_PAGE})(${JSON.stringify({ from, count, group })})`) as Promise<Pass>;
}

export const uploads: Benchmark = {
  id: 'uploads',
  async run(context) {
    const files = context.size(50, 8);
    const folder = await mkdtemp(join(tmpdir(), 'asset-desk-uploads-'));
    try {
      // Random bytes (incompressible, as photos are), each file its own: no pass finds a duplicate.
      const paths: string[] = [];
      for (let i = 0; i < WARM_UP + 2 * files; i += 1) {
        const path = join(folder, `bench-upload-${i}-${randomBytes(4).toString('hex')}.png`);
        await writeFile(path, randomBytes(FILE_BYTES));
        paths.push(path);
      }
      return await withStack({ demo: { assets: 200 }, rateLimit: { perWindow: 100_000, windowMs: FAST_WINDOW_MS } }, async (stack) => {
        const browser = await launchChromium();
        try {
          const page = await openPanel(browser, stack.panelUrl);
          await page.evaluate(`(() => { const input = document.createElement('input'); input.type = 'file'; input.multiple = true; input.id = 'bench-files'; input.hidden = true; document.body.append(input); })()`);
          await page.setInputFiles('#bench-files', paths);
          await runPass(page, 0, WARM_UP, WARM_UP);
          const oneByOne = await runPass(page, WARM_UP, files, 1);
          const together = await runPass(page, WARM_UP + files, files, files);
          const ratio = together.milliseconds / oneByOne.milliseconds;
          const megabytes = (files * FILE_BYTES) / 1024 / 1024;
          return [
            {
              name: `${files} files of 4 MB picked at once, hashed and uploaded to the sandbox`,
              value: round(together.milliseconds),
              unit: 'ms',
              baseline: round(oneByOne.milliseconds),
              ratio: round(oneByOne.milliseconds / together.milliseconds, 2),
              target: `≤ 0.75 × one after another; ≤ ${MOST_IN_FLIGHT} files on their way at once; each file's and the overall progress shown`,
              pass: ratio <= 0.75 && together.most <= MOST_IN_FLIGHT && together.most >= 1 && together.overall && together.perFile,
              command: `npm run bench -- --only uploads${context.small ? ' --small' : ''}`,
              notes: `${round(megabytes)} MB each pass; at once ${round(megabytes / (together.milliseconds / 1000))} MB/s, one after another ${round(megabytes / (oneByOne.milliseconds / 1000))} MB/s (${round(ratio, 2)} of its time); most on their way at once: ${together.most}; overall bar shown: ${together.overall ? 'yes' : 'no'}, each file's: ${together.perFile ? 'yes' : 'no'}`,
            },
          ];
        } finally {
          await browser.close();
        }
      });
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  },
};
