/**
 * The sandbox's canvas: a plain HTML drawing of the page open in the Designer, for `npm start`'s
 * `/designer` view beside the panel. It shows the page's elements in order (text as text, Image
 * elements as their thumbnail and the alt text a visitor gets, component instances outlined),
 * and the selected element. A click on an image selects it through the Designer routes, so the
 * panel's `selectedelement` subscribers hear of it; the page draws itself again on every canvas
 * event. Every name and text is escaped.
 */
import { Hono } from 'hono';
import { textOf } from '../api/content-wire.ts';
import { escapeHtml } from '../seed/pages.ts';
import { effectiveAlt } from './canvas-routes.ts';
import type { CanvasWorld } from './canvas-port.ts';
import type { CanvasElement, CanvasStates } from './canvas-state.ts';
import { CANVAS_PATH } from './canvas-wire.ts';
import { DesignerFailure, type DesignerWorld } from './port.ts';
import { DESIGNER_PATH } from './wire.ts';

interface CanvasPageDeps {
  world: DesignerWorld;
  canvas: CanvasWorld;
  states: CanvasStates;
}

export function canvasPageRoutes(deps: CanvasPageDeps): Hono {
  const app = new Hono();
  const siteOf = (siteId: string | undefined): string => {
    if (!siteId) throw new DesignerFailure('InvalidRequest', `Open the canvas as ${CANVAS_PATH}?siteId=<your site id>.`);
    deps.world.siteInfo(siteId);
    return siteId;
  };
  const html = { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' };
  app.get(CANVAS_PATH, (c) => c.body(canvasDocument(siteOf(c.req.query('siteId')), canvasView(deps, siteOf(c.req.query('siteId')))), 200, html));
  app.get(`${CANVAS_PATH}/view`, (c) => c.body(canvasView(deps, siteOf(c.req.query('siteId'))), 200, html));
  return app;
}

/** The canvas's body: the page switcher and the current page's elements. */
export function canvasView({ world, canvas, states }: CanvasPageDeps, siteId: string): string {
  const pageId = states.currentPageId(siteId);
  const pages = canvas.pages(siteId);
  const page = pages.find((each) => each.id === pageId);
  const selected = states.selected(siteId);
  const isSelected = (element: CanvasElement): boolean => selected !== null && selected.id.component === element.id.component && selected.id.element === element.id.element;

  const drawn: string[] = [];
  let openInstance: string | undefined;
  const closeInstance = (): void => {
    if (openInstance !== undefined) drawn.push('</div></section>');
    openInstance = undefined;
  };
  for (const element of states.elements(siteId)) {
    if (element.instance?.element !== openInstance) closeInstance();
    const { node } = element;
    if (node.kind === 'component-instance') {
      const component = canvas.component(siteId, node.componentId);
      drawn.push(`<section class="instance" aria-label="${escapeHtml(`Component: ${component.name}`)}"><p class="instance-name">Component · ${escapeHtml(component.name)}</p><div>`);
      openInstance = node.id;
      continue;
    }
    if (node.kind === 'text') {
      const tag = element.type === 'Heading' ? (/^\s*<(h[1-6])/i.exec(node.html)?.[1]?.toLowerCase() ?? 'h2') : 'p';
      drawn.push(`<${tag} class="text">${escapeHtml(textOf(node.html))}</${tag}>`);
      continue;
    }
    const asset = world.findAsset(siteId, node.assetId);
    const alt = effectiveAlt(world, siteId, element);
    const source = node.alt === null ? 'from the asset' : node.alt === '' ? 'the element’s own, empty' : 'the element’s own';
    const said = alt === '' ? 'no alt text (alt="")' : `“${alt}”`;
    const chosen = isSelected(element);
    drawn.push(
      `<button type="button" class="image${chosen ? ' selected' : ''}" aria-pressed="${chosen}"${chosen ? ' aria-current="true"' : ''}` +
        ` data-component="${escapeHtml(element.id.component)}" data-element="${escapeHtml(element.id.element)}">` +
        (asset ? `<img src="${escapeHtml(asset.hostedUrl)}" alt="" loading="lazy" width="160">` : '<span class="missing">Asset deleted</span>') +
        `<span class="caption">Image: ${escapeHtml(said)} <small>(${source})</small></span></button>`,
    );
  }
  closeInstance();

  const options = pages
    .map((each) => `<option value="${escapeHtml(each.id)}"${each.id === pageId ? ' selected' : ''}>${escapeHtml(each.name)} (/${escapeHtml(each.slug)})</option>`)
    .join('');
  return (
    `<header><label>Page <select id="page-switcher">${options}</select></label></header>` +
    `<main aria-label="Canvas"><h1>${escapeHtml(page?.title ?? '')}</h1>${drawn.join('')}</main>`
  );
}

/** The whole canvas page: the view, its styles and the script that keeps it current. */
export function canvasDocument(siteId: string, view: string): string {
  const api = `${DESIGNER_PATH}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Canvas · Webflow sandbox</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 0; background: #f5f5f5; color: #1e1e1e; }
  header { position: sticky; top: 0; background: #2b2b2b; color: #fff; padding: 8px 12px; }
  main { padding: 12px 16px; background: #fff; margin: 12px; border-radius: 4px; }
  .instance { outline: 1px dashed #8a4baf; padding: 4px 8px; margin: 8px 0; }
  .instance-name { margin: 0; color: #6a2c91; font-size: 12px; }
  button.image { display: inline-flex; flex-direction: column; align-items: flex-start; gap: 4px; margin: 6px; padding: 6px; max-width: 200px;
    background: #fff; border: 2px solid transparent; border-radius: 4px; cursor: pointer; text-align: left; font: inherit; color: inherit; }
  button.image:hover { border-color: #9ecbff; }
  button.image:focus-visible { outline: 3px solid #146ef5; outline-offset: 2px; }
  button.image.selected { border-color: #146ef5; box-shadow: 0 0 0 2px #146ef5; }
  button.image img { max-width: 160px; height: auto; background: #eee; }
  .caption small { color: #555; }
  .missing { color: #a00; }
  #canvas-error { color: #a00; padding: 0 16px; }
</style>
</head>
<body data-site-id="${escapeHtml(siteId)}">
<div id="canvas">${view}</div>
<p id="canvas-error" role="alert"></p>
<script>
(() => {
  const siteId = document.body.dataset.siteId;
  const api = ${JSON.stringify(api)};
  const root = document.getElementById('canvas');
  const problem = document.getElementById('canvas-error');
  const query = '?siteId=' + encodeURIComponent(siteId);
  async function post(path, body) {
    const response = await fetch(api + path + query, { method: 'POST', headers: { 'content-type': 'text/plain;charset=UTF-8' }, body: JSON.stringify(body) });
    if (!response.ok) {
      const answer = await response.json().catch(() => undefined);
      problem.textContent = (answer && answer.error && answer.error.message) || 'The Designer answered ' + response.status + '.';
    } else problem.textContent = '';
  }
  let drawing = Promise.resolve();
  function draw() {
    drawing = drawing.then(async () => {
      const response = await fetch(${JSON.stringify(CANVAS_PATH)} + '/view' + query);
      if (!response.ok) return;
      const html = await response.text();
      const focused = document.activeElement;
      const key = focused && focused.dataset ? focused.dataset.element : undefined;
      root.innerHTML = html;
      // A redraw keeps the canvas's focus where it was, but only while the canvas has it: its
      // activeElement outlives a move of focus to the panel, and focusing it would take focus back.
      if (document.hasFocus()) {
        if (key) root.querySelector('[data-element="' + CSS.escape(key) + '"]')?.focus();
        else if (focused && focused.id === 'page-switcher') document.getElementById('page-switcher')?.focus();
      }
      document.documentElement.dataset.drawn = String(Number(document.documentElement.dataset.drawn || 0) + 1);
    }).catch(() => undefined);
  }
  root.addEventListener('click', (event) => {
    const button = event.target instanceof Element ? event.target.closest('button[data-element]') : null;
    if (button) void post('/selected-element', { element: { component: button.dataset.component, element: button.dataset.element } });
  });
  root.addEventListener('change', (event) => {
    if (event.target instanceof HTMLSelectElement && event.target.id === 'page-switcher') void post('/current-page', { pageId: event.target.value });
  });
  const events = new EventSource(api + '/events' + query);
  for (const name of ['currentpage', 'selectedelement', 'elementchange']) events.addEventListener(name, draw);
  events.addEventListener('open', draw);
})();
</script>
</body>
</html>`;
}
