/** The shape of the site content the sandbox's world holds: pages, components, collections and items, each under its site. */
import type { SeedCollection, SeedComponent, SeedItem, SeedPage } from '../seed/types.ts';

export interface WorldPage extends SeedPage {
  siteId: string;
}
export interface WorldComponent extends SeedComponent {
  siteId: string;
}
export interface WorldCollection extends SeedCollection {
  siteId: string;
}
export type WorldItem = SeedItem;

export interface SiteContentState {
  pages: WorldPage[];
  components: WorldComponent[];
  collections: WorldCollection[];
  items: WorldItem[];
}

export const emptySiteContent = (): SiteContentState => ({ pages: [], components: [], collections: [], items: [] });
