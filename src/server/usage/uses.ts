/**
 * The uses of every asset, from what the crawl kept per document, with the alt text a visitor
 * gets at each (docs/decisions/image-alt-on-the-wire.md). Worked out when asked, not at crawl
 * time: the asset's own alt text changes between crawls (the journal applies edits), and a
 * secondary locale's element falls back to the primary's override, which may have been read in
 * another crawl. Pure functions.
 */
import type { ImageSurroundings } from '../../core/suggestions/usage.ts';
import type { AltState, AssetReference, AssetUse, UsageSummary } from '../../core/usage.ts';
import type { DomUses, ItemImage, ItemLink } from './sources.ts';

export interface PageSource {
  kind: 'page';
  id: string;
  /** null on a site without locales. */
  localeId: string | null;
  title: string;
  lastUpdated: string | null;
  dom: DomUses;
}

export interface ComponentSource {
  kind: 'component';
  id: string;
  localeId: string | null;
  title: string;
  dom: DomUses;
}

export interface ItemSource {
  kind: 'item';
  id: string;
  collectionId: string;
  localeId: string | null;
  title: string;
  lastUpdated: string | null;
  images: ItemImage[];
  links: ItemLink[];
}

/** A style with an asset as its background image, as the panel found it. */
export interface StyleRef {
  assetId: string;
  styleName: string;
  breakpoint: string | null;
  pseudo: string | null;
}

export interface SiteSources {
  primaryLocaleId: string | null;
  pages: readonly PageSource[];
  components: readonly ComponentSource[];
  items: readonly ItemSource[];
  /** Collection names by id. */
  collections: ReadonlyMap<string, string>;
  /** Background images of the site's styles (empty until the panel has read them). */
  styles: readonly StyleRef[];
}

/** An asset's alt text in a locale ('' none, null decorative), undefined when the asset is not in the index. */
export type AssetAltOf = (assetId: string, localeId: string | null) => string | null | undefined;

export interface ResolvedUse {
  assetId: string;
  use: AssetUse;
  /** False for images of a component no page places: in the index (the asset is used), seen by no visitor. */
  seen: boolean;
  /** The heading above the image and the caption under it, when the DOM was read with them (page and component uses). */
  surroundings?: ImageSurroundings;
}

/**
 * What a visitor gets from an Image element whose own setting is `elementAlt` (null: the asset's
 * alt text) showing an asset whose alt text there is `assetAlt` (null: decorative; undefined:
 * not known to the index, taken as none).
 */
export function elementAltState(elementAlt: string | null, assetAlt: string | null | undefined): { altState: AltState; altText: string } {
  const asset = assetAlt === undefined ? '' : assetAlt;
  if (elementAlt === null) {
    if (asset === null) return { altState: 'decorative', altText: '' };
    return asset === '' ? { altState: 'missing', altText: '' } : { altState: 'inherited', altText: asset };
  }
  if (elementAlt !== '') return { altState: 'overridden', altText: elementAlt };
  return asset === null ? { altState: 'decorative', altText: '' } : { altState: 'missing', altText: '' };
}

/** A CMS image's own alt (Image, MultiImage, Rich Text `<img>`): the item's text, or missing. */
export function itemAltState(alt: string | null): { altState: AltState; altText: string | null } {
  return alt === null || alt === '' ? { altState: 'missing', altText: alt } : { altState: 'overridden', altText: alt };
}

const key = (id: string, localeId: string | null) => `${id}\u0000${localeId ?? ''}`;

export function resolveUses(site: SiteSources, assetAlt: AssetAltOf): ResolvedUse[] {
  const resolved: ResolvedUse[] = [];
  const components = new Map(site.components.map((c) => [key(c.id, c.localeId), c]));
  const primaryAlt = new Map<string, string | null>();
  for (const source of [...site.pages, ...site.components]) {
    if (source.localeId !== site.primaryLocaleId) continue;
    for (const image of source.dom.images) primaryAlt.set(`${source.kind}:${source.id}:${image.nodeId}`, image.alt);
  }
  // A secondary locale without its own override text uses the primary's; null in both is the asset's alt.
  const effectiveAlt = (kind: 'page' | 'component', sourceId: string, localeId: string | null, nodeId: string, own: string | null): string | null => {
    if (own !== null || localeId === site.primaryLocaleId) return own;
    return primaryAlt.get(`${kind}:${sourceId}:${nodeId}`) ?? null;
  };
  const componentOf = (id: string, localeId: string | null) => components.get(key(id, localeId)) ?? components.get(key(id, site.primaryLocaleId));
  const placed = new Set<string>();
  // An instance's "Alt Text" override, like an element's: a secondary locale without its own uses the primary's.
  const primaryOverride = new Map<string, string>();
  for (const page of site.pages) {
    if (page.localeId !== site.primaryLocaleId) continue;
    for (const placement of page.dom.placements) if (typeof placement.altOverride === 'string') primaryOverride.set(`${page.id}:${placement.nodeId}`, placement.altOverride);
  }
  const overrideAt = (page: PageSource, nodeId: string, own: string | null | undefined): string | null =>
    typeof own === 'string' ? own : page.localeId === site.primaryLocaleId ? null : (primaryOverride.get(`${page.id}:${nodeId}`) ?? null);

  for (const page of site.pages) {
    for (const image of page.dom.images) {
      const state = elementAltState(effectiveAlt('page', page.id, page.localeId, image.nodeId, image.alt), assetAlt(image.assetId, page.localeId));
      resolved.push({
        assetId: image.assetId,
        seen: true,
        use: { where: { kind: 'page', pageId: page.id, pageTitle: page.title, nodeId: image.nodeId }, localeId: page.localeId, ...state },
        ...(image.surroundings ? { surroundings: image.surroundings } : {}),
      });
    }
    for (const placement of page.dom.placements) {
      const override = overrideAt(page, placement.nodeId, placement.altOverride);
      // Nested components: each component's images are used once per placement of the outermost one.
      const visit = (componentId: string, trail: ReadonlySet<string>) => {
        if (trail.has(componentId)) return;
        const component = componentOf(componentId, page.localeId);
        if (!component) return;
        placed.add(componentId);
        // The placement's "Alt Text" override reaches its component's one Image; with several, the DOM does not say which.
        const overridden = trail.size === 0 && override !== null && component.dom.images.length === 1;
        for (const image of component.dom.images) {
          const own = overridden ? override : effectiveAlt('component', component.id, component.localeId, image.nodeId, image.alt);
          const state = elementAltState(own, assetAlt(image.assetId, page.localeId));
          // Inside a component without a heading of its own, the page's heading above the placement is the nearest.
          const surroundings = image.surroundings ? { ...image.surroundings, heading: image.surroundings.heading ?? placement.heading ?? null } : undefined;
          resolved.push({
            assetId: image.assetId,
            seen: true,
            ...(surroundings ? { surroundings } : {}),
            use: {
              where: { kind: 'component', componentId: component.id, componentName: component.title, nodeId: image.nodeId, pageId: page.id, pageTitle: page.title, instanceNodeId: placement.nodeId },
              localeId: page.localeId,
              ...state,
            },
          });
        }
        const next = new Set(trail).add(componentId);
        for (const inner of component.dom.placements) visit(inner.componentId, next);
      };
      visit(placement.componentId, new Set());
    }
  }
  // Images of components no page places: the asset is used (deleting it breaks the component), no visitor sees it.
  for (const component of site.components) {
    if (placed.has(component.id)) continue;
    for (const image of component.dom.images) {
      const state = elementAltState(effectiveAlt('component', component.id, component.localeId, image.nodeId, image.alt), assetAlt(image.assetId, component.localeId));
      resolved.push({
        assetId: image.assetId,
        seen: false,
        use: {
          where: { kind: 'component', componentId: component.id, componentName: component.title, nodeId: image.nodeId, pageId: null, pageTitle: null, instanceNodeId: null },
          localeId: component.localeId,
          ...state,
        },
      });
    }
  }
  for (const item of site.items) {
    const collectionName = site.collections.get(item.collectionId) ?? '';
    for (const image of item.images) {
      const base = { collectionId: item.collectionId, collectionName, itemId: item.id, itemName: item.title, fieldSlug: image.fieldSlug };
      const where: AssetUse['where'] =
        image.kind === 'cms-image'
          ? { kind: 'cms-image', ...base, fieldType: image.fieldType, index: image.index }
          : { kind: 'rich-text', ...base, position: image.position };
      resolved.push({ assetId: image.assetId, seen: true, use: { where, localeId: item.localeId, ...itemAltState(image.alt) } });
    }
  }
  return resolved;
}

/**
 * The asset ids whose index entry resolving the site's uses and references consults: the images
 * of pages and components (their alt text) and the links and styles (whether each id is an
 * asset). CMS images carry their own alt text. Reading these few documents instead of the whole
 * index gives the same answers (a property of the tests): at 100,000 assets the whole index was
 * 50 statements and 17 s of the embedded store's time, for a site that uses a few hundred.
 */
export function assetIdsNamed(site: SiteSources): string[] {
  const ids = new Set<string>();
  for (const source of [...site.pages, ...site.components]) for (const image of source.dom.images) ids.add(image.assetId);
  for (const item of site.items) for (const link of item.links) ids.add(link.assetId);
  for (const style of site.styles) ids.add(style.assetId);
  return [...ids];
}

export interface ResolvedReference {
  assetId: string;
  reference: AssetReference;
}

/**
 * The links (an item's value naming an asset) and background images, kept to the ids that are
 * assets of the site (`isAsset`): a 24-hex id in a value may name an item or a site instead.
 */
export function resolveReferences(site: SiteSources, isAsset: (assetId: string) => boolean): ResolvedReference[] {
  const found: ResolvedReference[] = [];
  for (const item of site.items) {
    const collectionName = site.collections.get(item.collectionId) ?? '';
    for (const link of item.links) {
      if (!isAsset(link.assetId)) continue;
      found.push({
        assetId: link.assetId,
        reference: { where: { kind: 'link', collectionId: item.collectionId, collectionName, itemId: item.id, itemName: item.title, fieldSlug: link.fieldSlug }, localeId: item.localeId },
      });
    }
  }
  for (const style of site.styles) {
    if (!isAsset(style.assetId)) continue;
    found.push({ assetId: style.assetId, reference: { where: { kind: 'style', styleName: style.styleName, breakpoint: style.breakpoint, pseudo: style.pseudo }, localeId: null } });
  }
  return found;
}

interface Counts {
  pages: Set<string>;
  components: Set<string>;
  items: Set<string>;
  links: Set<string>;
  styles: Set<string>;
  missing: number;
}

/** Per used asset, by column (src/core/usage.ts): distinct pages, placements, items, linking items, styles, and uses without alt text. */
export function summarize(uses: readonly ResolvedUse[], references: readonly ResolvedReference[] = []): UsageSummary['columns'] {
  const byAsset = new Map<string, Counts>();
  const countsOf = (assetId: string): Counts => {
    let counts = byAsset.get(assetId);
    if (!counts) byAsset.set(assetId, (counts = { pages: new Set(), components: new Set(), items: new Set(), links: new Set(), styles: new Set(), missing: 0 }));
    return counts;
  };
  for (const { assetId, reference } of references) {
    const where = reference.where;
    if (where.kind === 'link') countsOf(assetId).links.add(`${where.collectionId}\u0000${where.itemId}`);
    else countsOf(assetId).styles.add(where.styleName);
  }
  for (const { assetId, use, seen } of uses) {
    const counts = countsOf(assetId);
    const where = use.where;
    if (where.kind === 'page') counts.pages.add(where.pageId);
    else if (where.kind === 'component') {
      if (where.pageId !== null) counts.components.add(`${where.pageId}\u0000${where.instanceNodeId ?? ''}`);
    } else counts.items.add(`${where.collectionId}\u0000${where.itemId}`);
    if (seen && use.altState === 'missing') counts.missing += 1;
  }
  const columns: UsageSummary['columns'] = { assetId: [], pages: [], components: [], items: [], links: [], styles: [], missing: [] };
  for (const [assetId, counts] of [...byAsset].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    columns.assetId.push(assetId);
    columns.pages.push(counts.pages.size);
    columns.components.push(counts.components.size);
    columns.items.push(counts.items.size);
    columns.links.push(counts.links.size);
    columns.styles.push(counts.styles.size);
    columns.missing.push(counts.missing);
  }
  return columns;
}
