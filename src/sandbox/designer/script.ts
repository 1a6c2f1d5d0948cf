/**
 * Bundles `browser.ts` into one classic script (IIFE) with esbuild. Built once per process on
 * first use: the source does not change while the sandbox runs, and a build costs ~50 ms.
 */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

let built: Promise<string> | undefined;

export function buildDesignerScript(): Promise<string> {
  built ??= bundle().catch((error: unknown) => {
    built = undefined; // let the next request try again rather than serve a cached failure
    throw error;
  });
  return built;
}

async function bundle(): Promise<string> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('./browser.ts', import.meta.url))],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    write: false,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error('esbuild produced no Designer script.');
  return `/* Asset Desk sandbox: the Webflow Designer API for browsers. Never part of the production bundle. */\n${output.text}`;
}
