/**
 * The demo site's pages, components and CMS, made from its assets: deterministic for a seed and
 * an asset list, so the same site comes back every run, and a world saved before pages existed
 * gets the same content when it is loaded again.
 */
import { generateCms } from './cms.ts';
import { generatePages, templatePage } from './pages.ts';
import { createPicker, type PlaceableAsset, type PlaceableFolder } from './placement.ts';
import { createRandom } from './random.ts';
import { addAssetLinks, addFeatureCard } from './references.ts';
import type { SeedContent, SeedLocale } from './types.ts';

export interface SiteContentInput {
  seed: number;
  locales: { primary: SeedLocale; secondary: SeedLocale[] };
  assets: readonly PlaceableAsset[];
  folders: readonly PlaceableFolder[];
  /** When the site's content was first made and last changed (epoch ms). */
  created: number;
  updated: number;
}

export function generateSiteContent(input: SiteContentInput): SeedContent {
  // A stream of its own, so the assets of a seed stay what they were before the site had pages.
  const random = createRandom((input.seed ^ 0x517e) >>> 0);
  const picker = createPicker(random, input.assets, input.folders);
  const { primary, secondary } = input.locales;
  const dates = { created: input.created, updated: input.updated };
  const { pages, components } = generatePages(random, picker, { primary: primary.id, secondary: secondary.map((l) => l.id) }, dates);
  const cms = generateCms(random, picker, new Map(input.assets.map((a) => [a.id, a])), { primary: primary.cmsLocaleId, secondary: secondary.map((l) => l.cmsLocaleId), site: [primary.id, ...secondary.map((l) => l.id)] }, dates);
  const templates = cms.collections.map((collection) => templatePage(random, components, { primary: primary.id, secondary: secondary.map((l) => l.id) }, collection));
  const content: SeedContent = { pages: [...pages, ...templates], components, collections: cms.collections, items: cms.items };
  // Drawn last, so everything above is what it was before the site had them.
  addFeatureCard(random, picker, content, { primary: primary.id, secondary: secondary.map((l) => l.id) });
  addAssetLinks(random, content, input.assets, { primary: primary.cmsLocaleId });
  return content;
}
