/**
 * `npm run server` (and `npm run serve`, built): the backend started from the environment
 * (src/server/config.ts), stopped by SIGINT or SIGTERM. A script only, imported by nothing:
 * the backend itself is backend.ts, which starts nothing when imported.
 */
import { messageOf, startWithConfig } from './backend.ts';
import { loadConfig } from './config.ts';

async function main(): Promise<void> {
  const config = await loadConfig();
  const backend = await startWithConfig(config);
  console.log(`Asset Desk backend on ${backend.url} (${config.mode === 'sandbox' ? `sandbox at ${config.webflow.apiBaseUrl}` : 'Webflow'}); panel origins: ${config.panelOrigins.join(', ')}`);
  // Which suggestion sources run, and where images go if anywhere: the host and model, never the key.
  const vision = config.suggestions.vision;
  console.log(`Suggestions: metadata, ${config.suggestions.ocr ? 'text in images' : 'no text in images (SUGGESTIONS_OCR=off)'}, where used, file names; ${vision ? `vision model ${vision.model} at ${new URL(vision.baseUrl).host} (at most ${vision.dailyCap} requests a site a day)` : 'no vision model: no image is sent anywhere'}.`);
  const stop = () => void backend.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`The backend could not start: ${messageOf(error)}`);
  process.exit(1);
});
