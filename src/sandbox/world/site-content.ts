/**
 * The site's pages, components and CMS in the sandbox's world: what `GET /v2/…/pages`,
 * `…/components` and `…/collections` read and the CMS PATCHes change. Kept in the world's state
 * (so it persists with it) and looked up through maps, as assets are. Lookups take the site
 * first where Webflow's paths do, and treat another site's object as missing.
 */
import type { ContentNode, SeedContent, SeedLocale } from '../seed/types.ts';
import { createCms, type CmsWorldDeps } from './cms.ts';
import type { SiteContentState, WorldComponent, WorldPage } from './content-state.ts';
import { WorldError } from './errors.ts';

export type { SiteContentState, WorldCollection, WorldComponent, WorldItem, WorldPage } from './content-state.ts';
export { emptySiteContent } from './content-state.ts';

/** Adds a generated site's content to the state, under its site id. */
export function addSiteContent(state: SiteContentState, siteId: string, content: SeedContent): void {
  for (const page of content.pages) state.pages.push({ ...page, siteId });
  for (const component of content.components) state.components.push({ ...component, siteId });
  for (const collection of content.collections) state.collections.push({ ...collection, siteId });
  state.items.push(...content.items);
}

export interface SiteContentDeps extends CmsWorldDeps {
  locale(siteId: string, localeId: string | undefined): SeedLocale;
}

export type SiteContent = ReturnType<typeof createSiteContent>;

export function createSiteContent(state: SiteContentState, deps: SiteContentDeps) {
  const pages = new Map(state.pages.map((p) => [p.id, p]));
  const components = new Map(state.components.map((c) => [`${c.siteId}/${c.id}`, c]));

  return {
    /** A page of any site (the caller checks the token may see its site). */
    page(pageId: string): WorldPage {
      const found = pages.get(pageId);
      if (!found) throw new WorldError('not_found', `Page ${pageId} was not found.`);
      return found;
    },
    listPages(siteId: string): WorldPage[] {
      deps.site(siteId);
      return state.pages.filter((p) => p.siteId === siteId);
    },
    component(siteId: string, componentId: string): WorldComponent {
      const found = components.get(`${siteId}/${componentId}`);
      if (!found) throw new WorldError('not_found', `Component ${componentId} was not found.`);
      return found;
    },
    listComponents(siteId: string): WorldComponent[] {
      deps.site(siteId);
      return state.components.filter((c) => c.siteId === siteId);
    },
    /**
     * An Image element of a page or of a component definition, changed as the Designer's canvas
     * changes it (docs/decisions/sandbox-canvas.md): `alt` in the site's primary locale (null =
     * use the asset's alt again, in every locale; a string = the element's override, other
     * locales' own overrides kept), or another of the site's assets. A page's `lastUpdated` moves;
     * a component has none on the wire.
     */
    updateImageElement(siteId: string, ownerId: string, nodeId: string, change: { alt?: string | null; assetId?: string }): void {
      const page = pages.get(ownerId);
      const owner = page && page.siteId === siteId ? page : components.get(`${siteId}/${ownerId}`);
      const node = owner?.nodes.find((n): n is Extract<ContentNode, { type: 'image' }> => n.id === nodeId && n.type === 'image');
      if (!owner || !node) throw new WorldError('not_found', `Image element ${nodeId} was not found in ${ownerId}.`);
      if (change.assetId !== undefined) deps.asset(siteId, change.assetId);
      if (change.alt !== undefined) {
        const primary = deps.locale(siteId, undefined).id;
        node.alt = change.alt === null ? null : { ...node.alt, [primary]: change.alt };
      }
      if (change.assetId !== undefined) node.assetId = change.assetId;
      if (owner === page) page.lastUpdated = new Date().toISOString();
      deps.changed();
    },
    /** The text of a per-locale map in a locale: its own, else the primary's. */
    inLocale<T>(values: Record<string, T>, siteId: string, localeId: string): T | undefined {
      return values[localeId] ?? values[deps.locale(siteId, undefined).id];
    },
    ...createCms(state, deps),
  };
}
