/**
 * An audit of "unused" that owes nothing to the backend (issue 23): it walks the sandbox's world
 * as a designer's tools could, and lists every asset on screen or referenced in any way it can
 * see: every property of every style at every breakpoint and state (through the Designer API,
 * element-scoped styles included), every node of every page and component DOM in every locale,
 * every value of every CMS item in every locale, and the pages' and components' own listings.
 * Its rule is deliberately blunt: an asset is used wherever its id or its hosted URL appears,
 * in whatever field or shape, so nothing the backend's crawl understands better can hide a use.
 */
import { createSandboxWebflow } from '../../src/sandbox/designer/client.ts';
import { DESIGNER_PATH } from '../../src/sandbox/designer/wire.ts';

export interface AuditedSandbox {
  /** The sandbox's own address (its Designer API lives there). */
  url: string;
  info: { apiBaseUrl: string; siteId: string; siteToken: string };
}

export interface AuditedAsset {
  id: string;
  fileName: string;
  contentType: string;
  hostedUrl: string;
}

export interface Audit {
  assets: AuditedAsset[];
  /** Per asset id: where the walk saw it (`style hero main/hover`, `page <id> en`, `item <id>`…). */
  seenAt: Map<string, Set<string>>;
  /** What the walk read, to say how much it looked at. */
  read: { styles: number; styleStates: number; pages: number; components: number; items: number; locales: number };
}

type Paged = { pagination?: { total: number } } & Record<string, unknown>;

/** The typings' breakpoints and pseudo states (styles.d.ts), spelled here so the audit does not borrow the panel's list. */
const BREAKPOINTS = ['xxl', 'xl', 'large', 'main', 'medium', 'small', 'tiny'] as const;
const PSEUDOS = [
  'noPseudo', 'nth-child(odd)', 'nth-child(even)', 'first-child', 'last-child', 'hover', 'active', 'visited',
  'focus', 'focus-visible', 'focus-within', 'placeholder', 'empty', 'before', 'after',
] as const;

export async function auditSandbox(sandbox: AuditedSandbox): Promise<Audit> {
  const { siteId } = sandbox.info;
  const get = dataApi(sandbox);
  const all = async <T>(path: string, key: string): Promise<T[]> => {
    const found: T[] = [];
    for (let offset = 0; ; offset += 100) {
      const body = await get<Paged>(`${path}${path.includes('?') ? '&' : '?'}limit=100&offset=${offset}`);
      const page = (body[key] ?? []) as T[];
      found.push(...page);
      if (page.length === 0 || offset + page.length >= (body.pagination?.total ?? 0)) return found;
    }
  };

  const assets = (await all<{ id: string; originalFileName?: string; displayName?: string; contentType: string; hostedUrl: string; variants?: { hostedUrl: string }[] }>(`/sites/${siteId}/assets`, 'assets')).map((asset) => ({
    id: asset.id,
    fileName: asset.displayName ?? asset.originalFileName ?? asset.id,
    contentType: asset.contentType,
    hostedUrl: asset.hostedUrl,
    urls: [asset.hostedUrl, ...(asset.variants ?? []).map((variant) => variant.hostedUrl)],
  }));
  const ids = new Set(assets.map((asset) => asset.id));
  const seenAt = new Map<string, Set<string>>();
  /** Every asset whose id or hosted URL (or a variant's) `value` holds, in any shape, seen at `place`. */
  const look = (value: unknown, place: string): void => {
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    // CSS escapes (`\(`, `\"`) and JSON's `\/` must not hide a URL.
    const plain = text.replace(/\\(.)/g, '$1');
    const named = new Set<string>();
    for (const [id] of plain.matchAll(/[0-9a-f]{24}/g)) if (ids.has(id)) named.add(id);
    for (const asset of assets) if (asset.urls.some((url) => plain.includes(url) || plain.includes(encodeURI(url)))) named.add(asset.id);
    for (const id of named) {
      let places = seenAt.get(id);
      if (!places) seenAt.set(id, (places = new Set()));
      places.add(place);
    }
  };

  type Locale = { id: string; cmsLocaleId?: string; tag?: string };
  const site = await get<{ locales?: { primary: Locale; secondary: Locale[] } }>(`/sites/${siteId}`);
  const locales = site.locales ? [site.locales.primary, ...site.locales.secondary] : [];
  const localeQuery = (locale: Locale | undefined, name: 'localeId' | 'cmsLocaleId') => (locale ? `?${name}=${locale[name === 'localeId' ? 'id' : 'cmsLocaleId'] ?? ''}` : '');
  const eachLocale: (Locale | undefined)[] = locales.length > 0 ? locales : [undefined];

  // Styles, through the Designer API as the panel reaches it: every property, not only background-image.
  const webflow = createSandboxWebflow({ baseUrl: `${sandbox.url}${DESIGNER_PATH}`, siteId });
  const styles = await webflow.getAllStyles();
  let styleStates = 0;
  for (const style of styles) {
    const name = await style.getName();
    const states = BREAKPOINTS.flatMap((breakpoint) => PSEUDOS.map((pseudo) => ({ breakpoint, pseudo })));
    const properties = await Promise.all(states.map((state) => style.getProperties(state)));
    properties.forEach((map, i) => {
      const state = states[i];
      if (!state || Object.keys(map).length === 0) return;
      styleStates += 1;
      look(map, `style ${name} ${state.breakpoint}/${state.pseudo}`);
    });
  }

  let pages = 0;
  let components = 0;
  for (const locale of eachLocale) {
    const tag = locale?.tag ?? 'default';
    const pageList = await all<{ id: string }>(`/sites/${siteId}/pages${localeQuery(locale, 'localeId')}`, 'pages');
    for (const page of pageList) {
      look(page, `page ${page.id} ${tag} (settings)`);
      look(await all(`/pages/${page.id}/dom${localeQuery(locale, 'localeId')}`, 'nodes'), `page ${page.id} ${tag}`);
      pages += 1;
    }
    const componentList = await all<{ id: string }>(`/sites/${siteId}/components`, 'components');
    for (const component of componentList) {
      look(component, `component ${component.id} (settings)`);
      look(await all(`/sites/${siteId}/components/${component.id}/dom${localeQuery(locale, 'localeId')}`, 'nodes'), `component ${component.id} ${tag}`);
      components += 1;
    }
  }

  let items = 0;
  const collections = (await get<{ collections: { id: string }[] }>(`/sites/${siteId}/collections`)).collections;
  for (const collection of collections) {
    for (const locale of eachLocale) {
      for (const item of await all<{ id: string }>(`/collections/${collection.id}/items${localeQuery(locale, 'cmsLocaleId')}`, 'items')) {
        look(item, `item ${collection.id}/${item.id} ${locale?.tag ?? 'default'}`);
        items += 1;
      }
    }
  }

  return {
    assets: assets.map(({ urls: _urls, ...asset }) => asset),
    seenAt,
    read: { styles: styles.length, styleStates, pages, components, items, locales: eachLocale.length },
  };
}

/** The Data API with the site's token, waiting out a 429 for as long as its Retry-After says. */
function dataApi(sandbox: AuditedSandbox) {
  return async function get<T>(path: string): Promise<T> {
    for (let tries = 0; tries < 20; tries += 1) {
      const response = await fetch(`${sandbox.info.apiBaseUrl}${path}`, { headers: { authorization: `Bearer ${sandbox.info.siteToken}` } });
      if (response.status === 429) {
        const seconds = Number(response.headers.get('retry-after') ?? '1');
        await new Promise((resolve) => setTimeout(resolve, (Number.isFinite(seconds) ? seconds : 1) * 1000));
        continue;
      }
      if (!response.ok) throw new Error(`The audit could not read ${path}: ${response.status} ${await response.text()}`);
      return (await response.json()) as T;
    }
    throw new Error(`The audit could not read ${path}: still rate-limited after 20 tries`);
  };
}
