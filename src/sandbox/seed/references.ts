/**
 * The ways an asset reaches the demo site without an Image element whose alt the element sets,
 * added after the rest of the content (from the same random stream, after every other draw, so
 * the pages and CMS made before stay what they were):
 * - a "Feature card" component whose Image's alt is bound to an "Alt Text" property, placed on
 *   several pages: some placements override the alt, some override it with '' (an empty alt),
 *   some keep the property's default;
 * - the hosted URL of an asset in CMS text: a Products "Brochure" Link field pointing at PDFs
 *   ("Download the brochure"), and URLs pasted into Plain Text (a blog post's summary), one of
 *   them an image no Image element or field shows.
 */
import { perLocale, type SiteLocaleIds } from './pages.ts';
import { isImage, uuid, type PlaceableAsset, type Picker } from './placement.ts';
import type { Random } from './random.ts';
import type { ContentNode, PropertyOverride, SeedComponent, SeedContent, SeedField, SeedItem } from './types.ts';

/** Pages that place the Feature card, and how many of those placements override its alt (with text, with ''). */
export const FEATURE_CARD_PLACEMENTS = 8;
export const FEATURE_CARD_TEXT_OVERRIDES = 3;
export const FEATURE_CARD_EMPTY_OVERRIDES = 2;
/** Products linking a PDF brochure, and blog posts with a hosted URL pasted into their summary. */
export const BROCHURE_LINKS = 6;
export const PASTED_URLS = 3;

const OVERRIDES: ReadonlyArray<readonly [string, string, string]> = [
  ['Barista pouring latte art', 'Barista versant un latte art', 'Barista gießt Latte Art'],
  ['Bags of our seasonal blend', 'Sachets de notre mélange de saison', 'Beutel unserer Saisonmischung'],
  ['Tasting flight of three origins', 'Dégustation de trois origines', 'Verkostung von drei Herkünften'],
];

/** A component with an Image bound to an "Alt Text" property, placed on static pages before their footer. */
export function addFeatureCard(random: Random, picker: Picker, content: SeedContent, locales: SiteLocaleIds): SeedComponent | undefined {
  const asset = picker.pick('coffee');
  if (!asset) return undefined;
  const altProperty: PropertyOverride = {
    propertyId: uuid(random),
    type: 'Alt Text',
    label: 'Image alt text',
    text: perLocale(locales, ['A cup of the coffee of the month', 'Une tasse du café du mois', 'Eine Tasse des Kaffees des Monats'], true),
  };
  const card: SeedComponent = {
    id: uuid(random),
    name: 'Feature card',
    group: 'Cards',
    description: 'A featured product with its photo; the photo’s alt text is a property',
    nodes: [
      { id: uuid(random), type: 'image', assetId: asset.id, altProperty: altProperty.propertyId, alt: { ...altProperty.text } },
      { id: uuid(random), type: 'text', html: perLocale(locales, ['<p>Coffee of the month</p>', '<p>Café du mois</p>', '<p>Kaffee des Monats</p>'], true) },
    ],
    properties: [altProperty],
  };
  content.components.push(card);

  const statics = content.pages.filter((page) => page.collectionId === null);
  const chosen = pickSome(random, statics, FEATURE_CARD_PLACEMENTS);
  chosen.forEach((page, i) => {
    const overrides: PropertyOverride[] = [];
    if (i < FEATURE_CARD_TEXT_OVERRIDES) {
      overrides.push({ ...altProperty, text: perLocale(locales, OVERRIDES[i % OVERRIDES.length] ?? ['', '', ''], random.chance(0.5)) });
    } else if (i < FEATURE_CARD_TEXT_OVERRIDES + FEATURE_CARD_EMPTY_OVERRIDES) {
      overrides.push({ ...altProperty, text: { [locales.primary]: '' } });
    }
    const node: ContentNode = { id: uuid(random), type: 'component-instance', componentId: card.id, propertyOverrides: overrides };
    // Before the footer, which every static page ends with.
    page.nodes.splice(Math.max(0, page.nodes.length - 1), 0, node);
  });
  return card;
}

/**
 * Hosted URLs of assets in CMS text, kept as `@asset/<id>` (the wire answers the hosted URL): a
 * Link field "Brochure" on Products for PDFs, and URLs pasted into blog summaries, the first of
 * an image used nowhere else (so only the link keeps it in use).
 */
export function addAssetLinks(random: Random, content: SeedContent, assets: readonly PlaceableAsset[], locales: { primary: string }): void {
  const products = content.collections.find((c) => c.slug === 'products');
  const blog = content.collections.find((c) => c.slug === 'blog-posts');
  if (!products || !blog) return;
  const brochure: SeedField = { id: random.objectId(), slug: 'brochure', displayName: 'Brochure', type: 'Link', isRequired: false, helpText: 'Download the brochure (a PDF of the asset library)' };
  products.fields.push(brochure);

  const pdfs = assets.filter((a) => a.contentType === 'application/pdf');
  const productItems = content.items.filter((item) => item.collectionId === products.id);
  pickSome(random, productItems, Math.min(BROCHURE_LINKS, pdfs.length ? BROCHURE_LINKS : 0)).forEach((item, i) => {
    const pdf = pdfs[i % pdfs.length] as PlaceableAsset;
    for (const version of Object.values(item.versions)) version.fieldData[brochure.slug] = `@asset/${pdf.id}`;
  });

  const used = usedAssetIds(content);
  const unusedImage = assets.find((a) => isImage(a) && !used.has(a.id));
  const others = assets.filter((a) => isImage(a) && used.has(a.id));
  const pasted = [unusedImage, ...pickSome(random, others, PASTED_URLS - 1)].filter((a): a is PlaceableAsset => a !== undefined);
  const posts = pickSome(random, content.items.filter((item) => item.collectionId === blog.id), pasted.length);
  posts.forEach((item, i) => {
    const asset = pasted[i] as PlaceableAsset;
    const version = item.versions[locales.primary];
    if (!version) return;
    version.fieldData.summary = `Press photo (full size): @asset/${asset.id}`;
  });
}

/** Every asset id an Image element, an Image/MultiImage value or a text value of the content names. */
export function usedAssetIds(content: SeedContent): Set<string> {
  const ids = new Set<string>();
  for (const node of [...content.pages, ...content.components].flatMap((owner) => owner.nodes)) if (node.type === 'image') ids.add(node.assetId);
  const visit = (value: unknown): void => {
    if (typeof value === 'string') for (const [, id] of value.matchAll(/@asset\/([a-f0-9]{24})/g)) ids.add(id as string);
    else if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object' && 'fileId' in value) ids.add(String((value as { fileId: unknown }).fileId));
  };
  for (const item of content.items as SeedItem[]) for (const version of Object.values(item.versions)) Object.values(version.fieldData).forEach(visit);
  return ids;
}

function pickSome<T>(random: Random, list: readonly T[], count: number): T[] {
  const pool = [...list];
  const out: T[] = [];
  while (out.length < count && pool.length > 0) out.push(pool.splice(random.int(0, pool.length - 1), 1)[0] as T);
  return out;
}
