/**
 * What the demo site's assets are about: a coffee roaster's products, blog, team, brand and
 * documents. Each category drafts one asset: a realistic file name, where it lives, what its
 * file looks like, and a good alt text in English, French and German.
 */
import type { Layout } from './layouts.ts';
import type { Random } from './random.ts';

export type FolderKey = 'brand' | 'logos' | 'blog' | 'blog2024' | 'blog2025' | 'products' | 'coffee' | 'equipment' | 'team' | 'documents';

/** Folders by key: display name and parent, in creation order (parents first). */
export const FOLDERS: readonly { key: FolderKey; displayName: string; parent: FolderKey | null }[] = [
  { key: 'brand', displayName: 'Brand', parent: null },
  { key: 'logos', displayName: 'Logos', parent: 'brand' },
  { key: 'blog', displayName: 'Blog', parent: null },
  { key: 'blog2024', displayName: '2024', parent: 'blog' },
  { key: 'blog2025', displayName: '2025', parent: 'blog' },
  { key: 'products', displayName: 'Products', parent: null },
  { key: 'coffee', displayName: 'Coffee', parent: 'products' },
  { key: 'equipment', displayName: 'Equipment', parent: 'products' },
  { key: 'team', displayName: 'Team', parent: null },
  { key: 'documents', displayName: 'Documents', parent: null },
];

export interface Translations {
  en: string;
  fr: string;
  de: string;
}

export type Drawing =
  | { format: 'png' | 'jpg'; width: number; height: number; layout: Layout; /** Words drawn on a PNG banner, one line each. */ text?: readonly string[] }
  | { format: 'svg'; width: number; height: number; label: string }
  | { format: 'pdf'; title: string; line: string };

export interface Draft {
  fileName: string;
  folder: FolderKey | null;
  drawing: Drawing;
  /** A good alt text, as a careful editor would write it. */
  alt: Translations;
  /** A few words for poor alt text ("image of …"). */
  subject: string;
  /** Backgrounds, dividers and patterns: usually marked decorative. */
  ornamental: boolean;
  /** Year of creation when the folder implies one. */
  year?: number;
}

const ORIGINS = [
  { slug: 'ethiopia-yirgacheffe', name: 'Ethiopia Yirgacheffe' },
  { slug: 'colombia-huila', name: 'Colombia Huila' },
  { slug: 'kenya-nyeri-aa', name: 'Kenya Nyeri AA' },
  { slug: 'guatemala-antigua', name: 'Guatemala Antigua' },
  { slug: 'sumatra-mandheling', name: 'Sumatra Mandheling' },
  { slug: 'costa-rica-tarrazu', name: 'Costa Rica Tarrazú' },
  { slug: 'brazil-cerrado', name: 'Brazil Cerrado' },
  { slug: 'rwanda-nyamasheke', name: 'Rwanda Nyamasheke' },
  { slug: 'house-espresso-blend', name: 'House Espresso Blend' },
  { slug: 'decaf-swiss-water', name: 'Swiss Water Decaf' },
] as const;

const EQUIPMENT = [
  { slug: 'gooseneck-kettle', en: 'Matte black gooseneck kettle', fr: 'Bouilloire col de cygne noir mat', de: 'Mattschwarzer Schwanenhalskessel' },
  { slug: 'burr-grinder', en: 'Conical burr coffee grinder', fr: 'Moulin à café à meules coniques', de: 'Kaffeemühle mit Kegelmahlwerk' },
  { slug: 'french-press', en: 'Glass French press with a steel frame', fr: 'Cafetière à piston en verre et acier', de: 'Glas-French-Press mit Stahlrahmen' },
  { slug: 'ceramic-dripper', en: 'White ceramic pour-over dripper', fr: 'Dripper en céramique blanche', de: 'Weißer Keramik-Handfilter' },
  { slug: 'travel-mug', en: 'Northwind travel mug in forest green', fr: 'Mug de voyage Northwind vert forêt', de: 'Northwind-Thermobecher in Waldgrün' },
] as const;

const STORIES = [
  { slug: 'latte-art', words: 'Latte-Art', en: 'Barista pouring a rosetta into a flat white', fr: 'Barista dessinant une rosace dans un flat white', de: 'Barista gießt eine Rosetta in einen Flat White' },
  { slug: 'drying-beds', words: 'Drying-Beds', en: 'Coffee cherries drying on raised beds in Huila', fr: 'Cerises de café séchant sur des lits surélevés à Huila', de: 'Kaffeekirschen trocknen auf Hochbetten in Huila' },
  { slug: 'cupping', words: 'Cupping-Session', en: 'Team tasting six coffees at a cupping table', fr: "L'équipe goûte six cafés à une table de dégustation", de: 'Das Team verkostet sechs Kaffees am Cupping-Tisch' },
  { slug: 'roaster', words: 'Roaster', en: 'Head roaster checking a bean sample mid-roast', fr: 'Le torréfacteur vérifie un échantillon en pleine torréfaction', de: 'Der Röstmeister prüft mitten in der Röstung eine Bohnenprobe' },
  { slug: 'cafe-morning', words: 'Cafe-Morning', en: 'Customers at the café counter on a sunny morning', fr: 'Clients au comptoir du café un matin ensoleillé', de: 'Gäste an der Café-Theke an einem sonnigen Morgen' },
  { slug: 'farm-visit', words: 'Farm-Visit', en: 'Farmer holding ripe red coffee cherries', fr: 'Un producteur tient des cerises de café mûres', de: 'Ein Bauer hält reife rote Kaffeekirschen' },
  { slug: 'cold-brew', words: 'Cold-Brew', en: 'Cold brew over ice in a tall glass', fr: 'Cold brew sur glace dans un grand verre', de: 'Cold Brew auf Eis in einem hohen Glas' },
  { slug: 'packaging', words: 'New-Packaging', en: 'Row of coffee bags in the new recyclable packaging', fr: 'Rangée de sachets de café dans le nouvel emballage recyclable', de: 'Reihe von Kaffeebeuteln in der neuen recycelbaren Verpackung' },
  { slug: 'workshop', words: 'Brewing-Workshop', en: 'Guests learning pour-over brewing at a workshop', fr: 'Des invités apprennent le café filtre lors d’un atelier', de: 'Gäste lernen in einem Workshop das Handfiltern' },
  { slug: 'chart-extraction', words: 'Extraction-Chart', en: 'Chart of extraction yield against brew time', fr: "Graphique du rendement d'extraction selon le temps d'infusion", de: 'Diagramm der Extraktionsausbeute über die Brühzeit' },
] as const;

const PEOPLE = [
  { first: 'Maya', last: 'Okafor', en: 'head roaster', fr: 'torréfactrice en chef', de: 'Röstmeisterin' },
  { first: 'Lucas', last: 'Moreau', en: 'café manager', fr: 'gérant du café', de: 'Café-Leiter' },
  { first: 'Hannah', last: 'Weber', en: 'green coffee buyer', fr: 'acheteuse de café vert', de: 'Rohkaffee-Einkäuferin' },
  { first: 'Diego', last: 'Ramírez', en: 'lead barista', fr: 'barista principal', de: 'leitender Barista' },
  { first: 'Priya', last: 'Nair', en: 'founder', fr: 'fondatrice', de: 'Gründerin' },
  { first: 'Tom', last: 'Becker', en: 'wholesale lead', fr: 'responsable grossistes', de: 'Leiter Großhandel' },
] as const;

const DOCUMENTS = [
  { name: 'menu', title: 'Café menu', en: 'Northwind café menu', fr: 'Menu du café Northwind', de: 'Speisekarte des Northwind-Cafés' },
  { name: 'wholesale-price-list', title: 'Wholesale price list', en: 'Wholesale price list', fr: 'Liste de prix de gros', de: 'Großhandelspreisliste' },
  { name: 'allergen-information', title: 'Allergen information', en: 'Allergen information for café food', fr: 'Informations sur les allergènes', de: 'Allergeninformationen' },
  { name: 'brewing-guide-pour-over', title: 'Pour-over brewing guide', en: 'Pour-over brewing guide', fr: 'Guide de préparation du café filtre', de: 'Anleitung zum Handfiltern' },
  { name: 'press-kit', title: 'Press kit', en: 'Northwind press kit', fr: 'Dossier de presse Northwind', de: 'Northwind-Pressemappe' },
  { name: 'careers-barista', title: 'Barista job description', en: 'Barista job description', fr: 'Offre d’emploi de barista', de: 'Stellenbeschreibung Barista' },
] as const;

const LOGOS = [
  { name: 'logo-dark', label: 'Northwind', en: 'Northwind Coffee Roasters logo', fr: 'Logo de Northwind Coffee Roasters', de: 'Logo von Northwind Coffee Roasters' },
  { name: 'logo-light', label: 'Northwind', en: 'Northwind Coffee Roasters logo in white', fr: 'Logo Northwind Coffee Roasters en blanc', de: 'Logo von Northwind Coffee Roasters in Weiß' },
  { name: 'logo-mark', label: 'NW', en: 'Northwind coffee-bean mark', fr: 'Emblème grain de café Northwind', de: 'Northwind-Kaffeebohnen-Zeichen' },
  { name: 'wordmark', label: 'Northwind Coffee', en: 'Northwind Coffee wordmark', fr: 'Logotype Northwind Coffee', de: 'Northwind-Coffee-Schriftzug' },
  { name: 'badge-est-2014', label: 'Est. 2014', en: 'Badge reading “Roasting since 2014”', fr: 'Badge « Torréfacteur depuis 2014 »', de: 'Abzeichen „Röstet seit 2014“' },
] as const;

const ICONS = ['cup', 'bean', 'leaf', 'truck', 'gift', 'star'] as const;
const HEROES = ['spring-harvest', 'holiday-gift-box', 'new-cafe-opening', 'subscription', 'summer-cold-brew'] as const;

const titleCase = (slug: string): string => slug.split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('-');
const pad = (n: number): string => String(n).padStart(2, '0');
const formatOf = (fileName: string): 'png' | 'jpg' => (fileName.endsWith('.jpg') ? 'jpg' : 'png');

function product(random: Random): Draft {
  const origin = random.pick(ORIGINS);
  const width = random.pick([500, 800, 1080]);
  const fileName = random.pick([
    `product-${origin.slug}-p-${width}.png`,
    `${origin.slug}-bag-front.jpg`,
    `${origin.slug}@2x.png`,
    `${random.objectId()}_${titleCase(origin.slug)}.jpg`,
  ]);
  return {
    fileName,
    folder: 'coffee',
    drawing: { format: formatOf(fileName), width, height: width, layout: 'card' },
    alt: {
      en: `Bag of ${origin.name} whole-bean coffee on a wooden counter`,
      fr: `Sachet de café en grains ${origin.name} sur un comptoir en bois`,
      de: `Beutel ${origin.name} Kaffeebohnen auf einer Holztheke`,
    },
    subject: `${origin.name} coffee`,
    ornamental: false,
  };
}

function equipment(random: Random): Draft {
  const item = random.pick(EQUIPMENT);
  const fileName = random.pick([`product-${item.slug}-p-800.png`, `${item.slug}-studio.png`, `${item.slug}-lifestyle.jpg`]);
  return {
    fileName,
    folder: 'equipment',
    drawing: { format: formatOf(fileName), width: 800, height: random.pick([800, 600]), layout: 'card' },
    alt: { en: `${item.en} on a white background`, fr: `${item.fr} sur fond blanc`, de: `${item.de} auf weißem Hintergrund` },
    subject: item.slug.replace(/-/g, ' '),
    ornamental: false,
  };
}

function blog(random: Random): Draft {
  const story = random.pick(STORIES);
  const year = random.chance(0.45) ? 2024 : 2025;
  const month = random.int(1, year === 2025 ? 10 : 12);
  const style = random.int(0, 3);
  const hour = random.int(1, 12);
  const fileName = [
    `Screenshot ${year}-${pad(month)}-${pad(random.int(1, 28))} at ${hour}.${pad(random.int(0, 59))}.${pad(random.int(0, 59))} ${random.pick(['AM', 'PM'])}.png`,
    `IMG_${random.int(1000, 9999)}.jpg`,
    `${random.objectId()}_${story.words}.${random.pick(['jpg', 'png'])}`,
    `blog-cover-${story.slug}-${year}.${random.pick(['jpg', 'png'])}`,
  ][style] as string;
  const [width, height, layout]: [number, number, Layout] =
    style === 0 ? [1440, 900, 'card'] : style === 1 ? [1600, 1200, 'sun'] : [random.pick([1200, 1600]), random.pick([630, 900]), random.pick(['sun', 'bands'] as const)];
  return {
    fileName,
    folder: year === 2024 ? 'blog2024' : 'blog2025',
    drawing: { format: formatOf(fileName), width, height, layout: story.slug.startsWith('chart') ? 'bands' : layout },
    alt: story,
    subject: story.slug.replace(/-/g, ' '),
    ornamental: false,
    year,
  };
}

function team(random: Random): Draft {
  const person = random.pick(PEOPLE);
  const slug = `${person.first}-${person.last}`.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  const fileName = random.pick([`${slug}-headshot.jpg`, `${random.objectId()}_Team-Photo.jpg`, `team-${slug}@2x.png`]);
  const name = `${person.first} ${person.last}`;
  return {
    fileName,
    folder: 'team',
    drawing: { format: formatOf(fileName), width: random.pick([640, 800]), height: 800, layout: 'sun' },
    alt: {
      en: `Portrait of ${name}, ${person.en} at Northwind`,
      fr: `Portrait de ${name}, ${person.fr} chez Northwind`,
      de: `Porträt von ${name}, ${person.de} bei Northwind`,
    },
    subject: name,
    ornamental: false,
  };
}

function brand(random: Random): Draft {
  if (random.chance(0.35)) {
    const icon = random.pick(ICONS);
    return {
      fileName: `icon-${icon}.svg`,
      folder: 'brand',
      drawing: { format: 'svg', width: 96, height: 96, label: '' },
      alt: { en: `${icon} icon`, fr: `icône ${icon}`, de: `${icon}-Symbol` },
      subject: `${icon} icon`,
      ornamental: true,
    };
  }
  const logo = random.pick(LOGOS);
  if (random.chance(0.15)) {
    return {
      fileName: random.pick(['favicon-32.png', 'apple-touch-icon.png', `${logo.name}@2x.png`]),
      folder: 'logos',
      drawing: { format: 'png', width: 320, height: 200, layout: 'card' },
      alt: logo,
      subject: 'logo',
      ornamental: false,
    };
  }
  return {
    fileName: `${logo.name}.svg`,
    folder: 'logos',
    drawing: { format: 'svg', width: 480, height: 120, label: logo.label },
    alt: logo,
    subject: 'logo',
    ornamental: false,
  };
}

function marketing(random: Random): Draft {
  if (random.chance(0.3)) {
    const n = random.int(1, 9);
    const svg = random.chance(0.4);
    return {
      fileName: svg ? `divider-wave-${n}.svg` : `bg-pattern-${n}.png`,
      folder: null,
      drawing: svg ? { format: 'svg', width: 1440, height: 80, label: '' } : { format: 'png', width: 320, height: 200, layout: 'bands' },
      alt: { en: 'Wavy brown divider', fr: 'Séparateur ondulé brun', de: 'Welliger brauner Trenner' },
      subject: 'background',
      ornamental: true,
    };
  }
  const hero = random.pick(HEROES);
  const fileName = random.pick(['hero-banner@2x.png', 'og-image.png', `hero-${hero}.jpg`, `banner-${hero}-${random.pick([2024, 2025])}.png`]);
  return {
    fileName,
    folder: null,
    drawing: {
      format: formatOf(fileName),
      width: fileName.startsWith('og') ? 1200 : 1600,
      height: fileName.startsWith('og') ? 630 : random.pick([900, 480]),
      layout: 'sun',
      // Banners announce in words, as real ones do: text in the image for the OCR suggestions.
      ...(fileName.startsWith('banner-') ? { text: [hero.replace(/-/g, ' '), 'Northwind Coffee'] } : {}),
    },
    alt: {
      en: `Steaming cup of coffee beside the ${hero.replace(/-/g, ' ')} announcement`,
      fr: `Tasse de café fumante à côté de l'annonce ${hero.replace(/-/g, ' ')}`,
      de: `Dampfende Kaffeetasse neben der Ankündigung ${hero.replace(/-/g, ' ')}`,
    },
    subject: hero.replace(/-/g, ' '),
    ornamental: false,
  };
}

function document(random: Random): Draft {
  const doc = random.pick(DOCUMENTS);
  const year = random.pick([2023, 2024, 2025]);
  return {
    fileName: `${doc.name}-${year}.pdf`,
    folder: doc.name === 'press-kit' && random.chance(0.5) ? 'brand' : 'documents',
    drawing: { format: 'pdf', title: `Northwind Coffee Roasters: ${doc.title}`, line: `Edition ${year}. Prices and details subject to change.` },
    alt: doc,
    subject: doc.title.toLowerCase(),
    ornamental: false,
  };
}

/** Categories with their share of the site's assets. */
const CATEGORIES: readonly [number, (random: Random) => Draft][] = [
  [0.22, product],
  [0.08, equipment],
  [0.3, blog],
  [0.09, team],
  [0.09, brand],
  [0.14, marketing],
  [0.08, document],
];

export function draftAsset(random: Random): Draft {
  let roll = random.next();
  for (const [share, draft] of CATEGORIES) {
    if (roll < share) return draft(random);
    roll -= share;
  }
  return marketing(random);
}
