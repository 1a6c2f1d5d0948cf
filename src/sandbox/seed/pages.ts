/**
 * The demo site's static pages and components: about 40 pages (home, about, shop, brewing
 * guides, legal…), each with the Header and Footer components, headings and text in English,
 * French and German, and Image elements whose alt settings have the gaps real sites have:
 * overrides that differ from the asset's alt text, overrides left empty, and elements that
 * inherit an asset that has none.
 */
import type { Picker, Pool } from './placement.ts';
import { uuid } from './placement.ts';
import type { Random } from './random.ts';
import type { ContentNode, ElementAlt, PropertyOverride, SeedComponent, SeedPage } from './types.ts';

export interface SiteLocaleIds {
  primary: string;
  /** Secondary locale ids in the site's order (the demo: French, then German). */
  secondary: readonly string[];
}

type Words = readonly [en: string, fr: string, de: string];

interface PagePlan {
  slug: string;
  title: Words;
  pool: Pool;
  /** How many Image elements the page holds besides its components. */
  images: readonly [min: number, max: number];
}

const STATIC_PAGES: readonly PagePlan[] = [
  { slug: 'home', title: ['Home', 'Accueil', 'Startseite'], pool: 'general', images: [4, 6] },
  { slug: 'about', title: ['About us', 'À propos', 'Über uns'], pool: 'brand', images: [2, 4] },
  { slug: 'our-story', title: ['Our story', 'Notre histoire', 'Unsere Geschichte'], pool: 'general', images: [3, 5] },
  { slug: 'sourcing', title: ['How we source', 'Notre approvisionnement', 'Unser Einkauf'], pool: 'general', images: [3, 5] },
  { slug: 'sustainability', title: ['Sustainability', 'Durabilité', 'Nachhaltigkeit'], pool: 'general', images: [2, 4] },
  { slug: 'shop', title: ['Shop', 'Boutique', 'Shop'], pool: 'coffee', images: [4, 6] },
  { slug: 'coffee', title: ['Our coffee', 'Nos cafés', 'Unsere Kaffees'], pool: 'coffee', images: [4, 6] },
  { slug: 'single-origins', title: ['Single origins', 'Cafés d’origine', 'Single Origins'], pool: 'coffee', images: [3, 6] },
  { slug: 'espresso-blends', title: ['Espresso blends', 'Mélanges espresso', 'Espresso-Mischungen'], pool: 'coffee', images: [2, 4] },
  { slug: 'decaf', title: ['Decaf', 'Décaféiné', 'Entkoffeiniert'], pool: 'coffee', images: [1, 3] },
  { slug: 'equipment', title: ['Brewing equipment', 'Matériel', 'Zubehör'], pool: 'equipment', images: [3, 6] },
  { slug: 'grinders', title: ['Grinders', 'Moulins', 'Mühlen'], pool: 'equipment', images: [2, 4] },
  { slug: 'kettles', title: ['Kettles', 'Bouilloires', 'Wasserkocher'], pool: 'equipment', images: [2, 3] },
  { slug: 'gift-sets', title: ['Gift sets', 'Coffrets cadeaux', 'Geschenksets'], pool: 'coffee', images: [2, 4] },
  { slug: 'subscriptions', title: ['Subscriptions', 'Abonnements', 'Abonnements'], pool: 'coffee', images: [2, 4] },
  { slug: 'gift-cards', title: ['Gift cards', 'Cartes cadeaux', 'Gutscheine'], pool: 'brand', images: [1, 2] },
  { slug: 'wholesale', title: ['Wholesale', 'Vente en gros', 'Großhandel'], pool: 'general', images: [2, 4] },
  { slug: 'cafes', title: ['Our cafés', 'Nos cafés-bars', 'Unsere Cafés'], pool: 'general', images: [3, 5] },
  { slug: 'events', title: ['Events', 'Événements', 'Veranstaltungen'], pool: 'blog', images: [2, 4] },
  { slug: 'workshops', title: ['Brewing workshops', 'Ateliers', 'Workshops'], pool: 'blog', images: [2, 4] },
  { slug: 'brew-guides', title: ['Brew guides', 'Guides d’infusion', 'Brühanleitungen'], pool: 'equipment', images: [2, 4] },
  { slug: 'pour-over-guide', title: ['Pour-over guide', 'Guide du café filtre', 'Handfilter-Anleitung'], pool: 'equipment', images: [3, 5] },
  { slug: 'french-press-guide', title: ['French press guide', 'Guide de la cafetière à piston', 'French-Press-Anleitung'], pool: 'equipment', images: [2, 4] },
  { slug: 'espresso-guide', title: ['Espresso at home', 'L’espresso à la maison', 'Espresso zu Hause'], pool: 'equipment', images: [2, 4] },
  { slug: 'cold-brew-guide', title: ['Cold brew guide', 'Guide du cold brew', 'Cold-Brew-Anleitung'], pool: 'blog', images: [2, 3] },
  { slug: 'blog', title: ['Blog', 'Blog', 'Blog'], pool: 'blog', images: [1, 3] },
  { slug: 'team', title: ['Our team', 'Notre équipe', 'Unser Team'], pool: 'team', images: [3, 6] },
  { slug: 'careers', title: ['Careers', 'Carrières', 'Karriere'], pool: 'team', images: [1, 3] },
  { slug: 'press', title: ['Press', 'Presse', 'Presse'], pool: 'logo', images: [2, 4] },
  { slug: 'contact', title: ['Contact', 'Contact', 'Kontakt'], pool: 'general', images: [1, 2] },
  { slug: 'faq', title: ['FAQ', 'FAQ', 'FAQ'], pool: 'general', images: [0, 1] },
  { slug: 'shipping', title: ['Shipping', 'Livraison', 'Versand'], pool: 'general', images: [0, 1] },
  { slug: 'returns', title: ['Returns', 'Retours', 'Rückgabe'], pool: 'general', images: [0, 1] },
  { slug: 'store-locator', title: ['Find a stockist', 'Points de vente', 'Händler finden'], pool: 'general', images: [1, 2] },
  { slug: 'privacy', title: ['Privacy policy', 'Politique de confidentialité', 'Datenschutz'], pool: 'general', images: [0, 0] },
  { slug: 'terms', title: ['Terms of service', 'Conditions générales', 'AGB'], pool: 'general', images: [0, 0] },
  { slug: 'cookies', title: ['Cookie policy', 'Politique des cookies', 'Cookie-Richtlinie'], pool: 'general', images: [0, 0] },
  { slug: 'accessibility', title: ['Accessibility', 'Accessibilité', 'Barrierefreiheit'], pool: 'general', images: [0, 1] },
  { slug: 'imprint', title: ['Imprint', 'Mentions légales', 'Impressum'], pool: 'general', images: [0, 0] },
  { slug: '404', title: ['Page not found', 'Page introuvable', 'Seite nicht gefunden'], pool: 'brand', images: [1, 1] },
];

const INTROS: readonly Words[] = [
  ['Small-batch coffee, roasted every morning in Portland.', 'Du café torréfié en petits lots chaque matin à Portland.', 'Kaffee in kleinen Chargen, jeden Morgen in Portland geröstet.'],
  ['We buy directly from the farms we visit every year.', 'Nous achetons directement aux fermes que nous visitons chaque année.', 'Wir kaufen direkt bei den Farmen, die wir jedes Jahr besuchen.'],
  ['Everything you need for a better cup at home.', 'Tout ce qu’il faut pour une meilleure tasse à la maison.', 'Alles für eine bessere Tasse zu Hause.'],
  ['Questions? Our team answers within a day.', 'Des questions ? Notre équipe répond sous un jour.', 'Fragen? Unser Team antwortet innerhalb eines Tages.'],
];

/** Captions an editor typed on an element, differing from the asset's own alt text. */
const CAPTIONS: readonly Words[] = [
  ['Our roastery in the morning light', 'Notre torréfaction à la lumière du matin', 'Unsere Rösterei im Morgenlicht'],
  ['Freshly roasted beans cooling in the tray', 'Grains fraîchement torréfiés qui refroidissent', 'Frisch geröstete Bohnen kühlen ab'],
  ['A cup of our house blend', 'Une tasse de notre mélange maison', 'Eine Tasse unserer Hausmischung'],
  ['Hand-brewed pour-over on the counter', 'Café filtre préparé à la main', 'Handgefilterter Kaffee auf der Theke'],
  ['Click here', 'Cliquez ici', 'Hier klicken'],
  ['banner', 'bannière', 'Banner'],
];

export interface PagesAndComponents {
  pages: SeedPage[];
  components: SeedComponent[];
}

export function generatePages(random: Random, picker: Picker, locales: SiteLocaleIds, dates: { created: number; updated: number }): PagesAndComponents {
  const words = (w: Words, localized = true): Record<string, string> => perLocale(locales, w, localized);
  const image = (pool: Pool, alt: ElementAlt): ContentNode[] => {
    const asset = picker.pick(pool);
    return asset ? [{ id: uuid(random), type: 'image', assetId: asset.id, alt }] : [];
  };
  const text = (html: Record<string, string>): ContentNode => ({ id: uuid(random), type: 'text', html });

  const header: SeedComponent = {
    id: uuid(random),
    name: 'Header',
    group: 'Navigation',
    description: 'Logo and main navigation, on every page',
    nodes: [...image('logo', null), text(words(['Shop · Coffee · Brew guides · Blog', 'Boutique · Cafés · Guides · Blog', 'Shop · Kaffee · Anleitungen · Blog']))],
  };
  const footer: SeedComponent = {
    id: uuid(random),
    name: 'Footer',
    group: 'Navigation',
    description: 'Logo, certification badge and links',
    nodes: [
      // The logo's element says the company's name in every locale; the badge's was left empty.
      ...image('logo', { [locales.primary]: 'Northwind Coffee Roasters' }),
      ...image('brand', { [locales.primary]: '' }),
      text(words(['© Northwind Coffee Roasters', '© Northwind Coffee Roasters', '© Northwind Coffee Roasters'], false)),
    ],
  };
  const testimonial: SeedComponent = {
    id: uuid(random),
    name: 'Testimonial card',
    group: 'Cards',
    description: 'A customer quote with their photo',
    nodes: [...image('team', null), text(words(['“The best beans in town.”', '« Les meilleurs grains de la ville. »', '„Die besten Bohnen der Stadt.“']))],
  };
  const newsletter: SeedComponent = {
    id: uuid(random),
    name: 'Newsletter banner',
    group: 'Marketing',
    description: null,
    nodes: [...image('brand', { [locales.primary]: '' }), text(words(['Fresh news from the roastery, once a month.', 'Des nouvelles de la torréfaction, une fois par mois.', 'Neues aus der Rösterei, einmal im Monat.']))],
  };
  const components = [header, footer, testimonial, newsletter];
  const instance = (component: SeedComponent, overrides: PropertyOverride[] = []): ContentNode => ({
    id: uuid(random),
    type: 'component-instance',
    componentId: component.id,
    propertyOverrides: overrides,
  });
  const quoteProperty = uuid(random);

  const pages: SeedPage[] = STATIC_PAGES.map((plan, index) => {
    const localized = random.chance(0.6);
    const nodes: ContentNode[] = [instance(header), text(h1(words(plan.title))), text(p(words(random.pick(INTROS), localized)))];
    const count = random.int(plan.images[0], plan.images[1]);
    for (let i = 0; i < count; i += 1) nodes.push(...image(plan.pool, elementAlt(random, locales, plan.title)));
    if (random.chance(0.35)) {
      const quote = random.pick([
        ['Worth every penny.', 'Ça vaut chaque centime.', 'Jeden Cent wert.'],
        ['My morning ritual.', 'Mon rituel du matin.', 'Mein Morgenritual.'],
      ] as const);
      nodes.push(instance(testimonial, [{ propertyId: quoteProperty, type: 'Plain Text', label: 'Quote', text: words(quote, localized) }]));
    }
    if (random.chance(0.25)) nodes.push(instance(newsletter));
    nodes.push(instance(footer));
    const created = dates.created + index * 86_400_000;
    return {
      id: random.objectId(),
      title: words(plan.title),
      description: words(random.pick(INTROS), localized),
      slug: plan.slug,
      collectionId: null,
      createdOn: new Date(created).toISOString(),
      lastUpdated: new Date(Math.min(dates.updated, created + random.int(0, 400) * 86_400_000)).toISOString(),
      nodes,
    };
  });
  return { pages, components };
}

/** A collection's template page: the header and footer; its content comes from the items. */
export function templatePage(random: Random, components: readonly SeedComponent[], locales: SiteLocaleIds, collection: { id: string; singularName: string; slug: string; createdOn: string }): SeedPage {
  const header = components.find((c) => c.name === 'Header');
  const footer = components.find((c) => c.name === 'Footer');
  const title = `${collection.singularName} Template`;
  return {
    id: random.objectId(),
    title: { [locales.primary]: title },
    description: { [locales.primary]: '' },
    slug: collection.slug,
    collectionId: collection.id,
    createdOn: collection.createdOn,
    lastUpdated: collection.createdOn,
    nodes: [header, footer].flatMap((c) => (c ? [{ id: uuid(random), type: 'component-instance' as const, componentId: c.id, propertyOverrides: [] }] : [])),
  };
}

/**
 * An Image element's alt setting: most inherit the asset's; some override it with a caption
 * (sometimes translated), some were left empty, and a few are empty in one locale only.
 */
function elementAlt(random: Random, locales: SiteLocaleIds, page: Words): ElementAlt {
  const roll = random.next();
  if (roll < 0.6) return null;
  if (roll < 0.85) {
    const caption = random.chance(0.2) ? ([`${page[0]} header`, `${page[1]} en-tête`, `${page[2]} Kopfbild`] as const) : random.pick(CAPTIONS);
    return perLocale(locales, caption, random.chance(0.5));
  }
  if (roll < 0.95) return { [locales.primary]: '' };
  // Translated everywhere but one locale, where it was emptied.
  const caption = random.pick(CAPTIONS);
  const alt = perLocale(locales, caption, true);
  const last = locales.secondary[locales.secondary.length - 1];
  if (last) alt[last] = '';
  return alt;
}

/** Words keyed by locale id: the primary's always, the secondary ones when translated. */
export function perLocale(locales: SiteLocaleIds, words: readonly string[], translated: boolean): Record<string, string> {
  const out: Record<string, string> = { [locales.primary]: words[0] ?? '' };
  if (!translated) return out;
  locales.secondary.forEach((id, i) => {
    const own = words[i + 1];
    if (own !== undefined) out[id] = own;
  });
  return out;
}

const wrap = (tag: string) => (texts: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(texts).map(([locale, t]) => [locale, `<${tag}>${escapeHtml(t)}</${tag}>`]));
const h1 = wrap('h1');
const p = wrap('p');

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
