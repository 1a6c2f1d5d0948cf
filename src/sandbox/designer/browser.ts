/**
 * The sandbox's Designer API script: loaded by a <script> tag before the panel, it defines the
 * `webflow` global over the sandbox that served it. The site comes from the script's own URL
 * (`…/_sandbox/designer.js?siteId=…`), so one sandbox can host several sites.
 */
import { createSandboxWebflow } from './client.ts';
import { DESIGNER_PATH } from './wire.ts';

const script = document.currentScript;
const source = script instanceof HTMLScriptElement ? new URL(script.src) : undefined;
const siteId = source?.searchParams.get('siteId');
if (!source || !siteId) {
  throw new Error('Load the sandbox Designer script with a <script src=".../_sandbox/designer.js?siteId=..."> tag.');
}
Object.defineProperty(window, 'webflow', {
  value: createSandboxWebflow({ baseUrl: `${source.origin}${DESIGNER_PATH}`, siteId }),
  configurable: true,
  enumerable: true,
});
