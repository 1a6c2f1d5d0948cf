/**
 * The demo site's styles (the {@link StylesWorld} port), drawn from the site as it is when they
 * are first read: a few plain classes, and hero, card and banner classes whose
 * `background-image` names image assets' hosted URLs, some of them images used nowhere else
 * (no page, component or CMS item), so that only the styles keep them in use. Kept in memory
 * per site and not saved (docs/decisions/sandbox-styles.md).
 */
import { createHash } from 'node:crypto';
import type { World } from '../world/world.ts';
import type { DesignerWorld } from './port.ts';
import { stateKey, type SandboxStyle, type StylesWorld } from './styles-port.ts';
import { designer } from './world-adapter.ts';

const ASSET_ID = /[a-f0-9]{24}/g;

export function stylesWorldOf(world: World, assets: Pick<DesignerWorld, 'findAsset'>): StylesWorld {
  const drawn = new Map<string, SandboxStyle[]>();
  return {
    styles: (siteId) =>
      designer(() => {
        world.site(siteId);
        let styles = drawn.get(siteId);
        if (!styles) {
          styles = drawStyles(siteId, world, (id) => assets.findAsset(siteId, id)?.hostedUrl ?? '');
          drawn.set(siteId, styles);
        }
        return styles;
      }),
  };
}

function drawStyles(siteId: string, world: World, urlOf: (assetId: string) => string): SandboxStyle[] {
  const images = world.listAssets(siteId).filter((asset) => asset.contentType.startsWith('image/'));
  const used = usedIds(siteId, world);
  const onPages = images.filter((asset) => used.has(asset.id));
  const nowhere = images.filter((asset) => !used.has(asset.id));
  const pick = (list: typeof images, i: number): string | undefined => (list.length > 0 ? urlOf((list[i % list.length] as (typeof images)[number]).id) : undefined);
  const style = (name: string, type: SandboxStyle['type'], properties: SandboxStyle['properties']): SandboxStyle => ({
    id: styleId(siteId, name),
    name,
    type,
    source: 'site',
    properties,
  });
  const image = (url: string | undefined, quote: Quote): Record<string, string> => (url ? { 'background-image': cssUrl(url, quote), 'background-size': 'cover' } : {});
  const hero = pick(onPages, 0);
  const featured = pick(nowhere, 0);
  const layered = pick(onPages, 2);
  return [
    style('body', 'tag', { [stateKey()]: { 'font-family': 'Inter, sans-serif', color: '#2e2a27' } }),
    style('button', 'global', {
      [stateKey()]: { 'background-color': '#6f4e37', color: '#ffffff', 'border-radius': '6px' },
      [stateKey('main', 'hover')]: { 'background-color': '#2e4a3e' },
    }),
    style('hero', 'global', {
      [stateKey()]: { 'min-height': '80vh', ...(hero ? { 'background-image': `linear-gradient(rgba(0, 0, 0, 0.35), rgba(0, 0, 0, 0.35)), ${cssUrl(hero, '"')}`, 'background-size': 'cover' } : {}) },
      [stateKey('small')]: { 'min-height': '60vh' },
    }),
    style('card', 'global', {
      [stateKey()]: { ...image(pick(onPages, 1), ''), 'border-radius': '12px' },
      [stateKey('main', 'hover')]: image(pick(nowhere, 1), "'"),
    }),
    style('is-featured', 'combo', {
      [stateKey()]: image(featured, '"'),
      [stateKey('large')]: featured && layered ? { 'background-image': `${cssUrl(featured, '"')}, radial-gradient(circle, #fff 0%, #f5ecde 100%), ${cssUrl(layered, '')}` } : {},
    }),
    style('promo-band', 'global', {
      [stateKey()]: { 'background-color': '#f5ecde', padding: '48px 24px' },
      [stateKey('medium')]: image(pick(nowhere, 2), '"'),
    }),
  ].map((each) => ({ ...each, properties: Object.fromEntries(Object.entries(each.properties).filter(([, map]) => Object.keys(map).length > 0)) }));
}

type Quote = '"' | "'" | '';
/** A CSS `url(…)` with the URL quoted as asked, escaped where CSS needs it (a file name may hold quotes or parentheses). */
function cssUrl(url: string, quote: Quote): string {
  const special = quote === '' ? /[\s"'()\\]/g : quote === '"' ? /["\\]/g : /['\\]/g;
  return `url(${quote}${url.replace(special, (char) => `\\${char}`)}${quote})`;
}

/** Every 24-hex run in the site's pages, components and CMS items: the assets a style should not be the only user of. */
function usedIds(siteId: string, world: World): Set<string> {
  const owners = [...world.content.listPages(siteId), ...world.content.listComponents(siteId)];
  const items = world.content.listCollections(siteId).flatMap((collection) => world.content.listItems(collection.id));
  return new Set(JSON.stringify([owners.map((owner) => owner.nodes), items]).match(ASSET_ID) ?? []);
}

/** A style id like Webflow's (a UUID), the same for a site and a name on every run. */
function styleId(siteId: string, name: string): string {
  const hex = createHash('sha256').update(`${siteId}/${name}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
