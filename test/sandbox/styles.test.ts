/**
 * The sandbox's styles through the browser's `webflow` global (`createSandboxWebflow` over
 * Node's fetch) against a running sandbox: the listing, names, properties per breakpoint and
 * pseudo state with background images naming the site's assets, one image used only by a style,
 * abilities and bad arguments (docs/decisions/sandbox-styles.md).
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSandboxWebflow, type SandboxWebflowApi } from '../../src/sandbox/designer/client.ts';
import type { SandboxStyle } from '../../src/sandbox/designer/styles-client.ts';
import { DESIGNER_PATH } from '../../src/sandbox/designer/wire.ts';
import type { Sandbox } from '../../src/sandbox/server.ts';
import { backgroundUrls } from '../../src/panel/usage/background-urls.ts';
import { hostedPath } from '../../src/sandbox/api/wire.ts';
import { useSandbox } from './support.ts';
import { rejection } from '../../src/sandbox/designer/testing/rejection.ts';

const under = useSandbox({ demo: { assets: 150 }, rateLimit: { perWindow: 10_000, windowMs: 1_000 } });
let sandbox: Sandbox;
let siteId: string;
let webflow: SandboxWebflowApi;

beforeAll(() => {
  ({ sandbox } = under);
  siteId = sandbox.info.siteId;
  webflow = createSandboxWebflow({ baseUrl: `${sandbox.url}${DESIGNER_PATH}`, siteId });
});

const settings = (capabilities: Record<string, boolean>) =>
  fetch(`${sandbox.url}${DESIGNER_PATH}/settings?siteId=${siteId}`, { method: 'PUT', body: JSON.stringify({ capabilities }) });
afterEach(async () => {
  await settings({ canAccessCanvas: true });
});

const byName = async (name: string): Promise<SandboxStyle> => {
  const found = (await webflow.getAllStyles()).find((style) => style.name === name);
  if (!found) throw new Error(`no style ${name}`);
  return found;
};
const hostedUrls = () => new Map(sandbox.world.listAssets(siteId).map((asset) => [`${sandbox.url}${hostedPath(asset)}`, asset]));
/** The asset ids a value's `url(…)` layers name, read as the panel reads them and matched to hosted URLs exactly. */
function assetsIn(value: unknown): string[] {
  if (typeof value !== 'string') return [];
  const byUrl = hostedUrls();
  return backgroundUrls(value).map((url) => byUrl.get(url)?.id ?? `unknown:${url}`);
}

describe('styles in the sandbox Designer', () => {
  it('lists the site’s styles with ids, names, types and sources, the same on every call', async () => {
    const styles = await webflow.getAllStyles();
    expect(styles.map((style) => style.name)).toEqual(['body', 'button', 'hero', 'card', 'is-featured', 'promo-band']);
    expect(new Set(styles.map((style) => style.id)).size).toBe(styles.length);
    for (const style of styles) {
      expect(await style.getName()).toBe(style.name);
      expect(style.source).toBe('site');
      expect(style.isFromLibrary()).toBe(false);
    }
    expect((await byName('body')).getType()).toBe('tag');
    expect((await byName('is-featured')).isComboClass()).toBe(true);
    expect((await webflow.getAllStyles()).map((style) => style.id)).toEqual(styles.map((style) => style.id));
    expect((await webflow.getStyleByName('hero'))?.id).toBe((await byName('hero')).id);
    expect(await webflow.getStyleByName('no-such-class')).toBeNull();
  });

  it('answers properties per breakpoint and pseudo state, background images naming the site’s assets', async () => {
    const hero = await byName('hero');
    const base = await hero.getProperties();
    expect(base['min-height']).toBe('80vh');
    expect(base['background-image']).toMatch(/^linear-gradient\(.*\), url\("http/);
    expect(assetsIn(base['background-image'])).toHaveLength(1);
    expect(assetsIn(base['background-image'])[0]).not.toMatch(/^unknown/);
    expect(await hero.getProperties({ breakpoint: 'main', pseudo: 'noPseudo' })).toEqual(base);
    expect(await hero.getProperties({ breakpoint: 'small' })).toEqual({ 'min-height': '60vh' });
    expect(await hero.getProperties({ breakpoint: 'tiny', pseudo: 'focus' })).toEqual({});
    expect(await hero.getProperty('min-height', { breakpoint: 'small' })).toBe('60vh');
    expect(await hero.getProperty('color')).toBeNull();

    const promo = await byName('promo-band');
    expect((await promo.getProperties())['background-image']).toBeUndefined();
    expect(assetsIn((await promo.getProperties({ breakpoint: 'medium' }))['background-image'])).toHaveLength(1);
    const card = await byName('card');
    expect(await card.getProperty('background-image', { pseudo: 'hover' })).toMatch(/^url\('http[^']+'\)$/);
    expect(await card.getProperty('background-image')).toMatch(/^url\(http[^"')]+\)$/);
    const layers = await (await byName('is-featured')).getProperty('background-image', { breakpoint: 'large' });
    expect(layers).toContain('radial-gradient(');
    expect(assetsIn(layers)).toHaveLength(2);
  });

  it('names images that no page, component or CMS item uses, so only the styles keep them in use', async () => {
    const content = JSON.stringify([
      sandbox.world.content.listPages(siteId).map((page) => page.nodes),
      sandbox.world.content.listComponents(siteId).map((component) => component.nodes),
      sandbox.world.content.listCollections(siteId).flatMap((collection) => sandbox.world.content.listItems(collection.id)),
    ]);
    const onlyInStyles = new Set<string>();
    for (const style of await webflow.getAllStyles()) {
      for (const options of [{}, { pseudo: 'hover' as const }, { breakpoint: 'medium' as const }]) {
        for (const id of assetsIn(await style.getProperty('background-image', options))) if (!content.includes(id)) onlyInStyles.add(id);
      }
    }
    expect(onlyInStyles.size).toBe(3);
    const assets = new Map(sandbox.world.listAssets(siteId).map((asset) => [asset.id, asset]));
    for (const id of onlyInStyles) expect(assets.get(id)?.contentType).toMatch(/^image\//);
  });

  it('refuses unknown styles, bad options and a role without the canvas', async () => {
    const hero = await byName('hero');
    const gone = { ...hero, id: 'f00dfeed-0000-4000-a000-000000000000' };
    const unknown = await fetch(`${sandbox.url}${DESIGNER_PATH}/styles/${gone.id}/properties?siteId=${siteId}`);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { tag: string } }).error.tag).toBe('ResourceMissing');
    const name = await fetch(`${sandbox.url}${DESIGNER_PATH}/styles/${gone.id}?siteId=${siteId}`);
    expect(((await name.json()) as { error: { tag: string } }).error.tag).toBe('ResourceMissing');

    expect((await rejection(hero.getProperties({ breakpoint: 'huge' as BreakpointId }))).tag).toBe('InvalidRequest');
    expect((await rejection(hero.getProperties({ pseudo: 'hovered' as PseudoStateKey }))).tag).toBe('InvalidRequest');
    expect((await rejection(hero.getProperties({ variantId: 'variant-dark' }))).tag).toBe('ResourceMissing');
    expect((await rejection(hero.getProperty('' as StyleProperty))).tag).toBe('InvalidRequest');
    expect((await rejection(hero.getProperty('color', { breakpoint: 'a\u0000b' as BreakpointId }))).tag).toBe('InvalidRequest');

    await settings({ canAccessCanvas: false });
    expect((await rejection(webflow.getAllStyles())).tag).toBe('Forbidden');
    expect((await rejection(hero.getProperties())).tag).toBe('Forbidden');
  });
});
