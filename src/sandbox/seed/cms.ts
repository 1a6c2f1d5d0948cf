/**
 * The demo site's CMS: Blog Posts (a main Image and a Rich Text body with inline images),
 * Products (a MultiImage gallery of 3–8 images) and Team Members (an Image photo), some items
 * translated into the secondary locales. The images carry the gaps real CMS content has: main
 * images and gallery images without alt text, inline images with no alt attribute or an empty one.
 */
import { escapeHtml } from './pages.ts';
import type { PlaceableAsset, Picker, Pool } from './placement.ts';
import type { Random } from './random.ts';
import type { FieldType, FieldValue, ImageValue, SeedCollection, SeedField, SeedItem } from './types.ts';

export const BLOG_POSTS = 150;
export const PRODUCTS = 80;
export const TEAM_MEMBERS = 40;
/** Images meant to be used that no slot took are added to blog bodies, at most this many a post. */
const EXTRA_INLINE_IMAGES = 8;

const DAY = 86_400_000;

export interface CmsLocales {
  primary: string;
  /** Secondary CMS locale ids in the site's order (French, German). */
  secondary: readonly string[];
  /** The site's locale ids in the same order, primary first: the asset's alt text is kept by these. */
  site: readonly string[];
}

export interface Cms {
  collections: SeedCollection[];
  items: SeedItem[];
}

type Words = readonly [en: string, fr: string, de: string];

const TOPICS: readonly Words[] = [
  ['Brewing notes', 'Notes d’infusion', 'Brühnotizen'],
  ['Origin report', 'Carnet d’origine', 'Herkunftsbericht'],
  ['Roastery diary', 'Journal de torréfaction', 'Röstereitagebuch'],
  ['Harvest update', 'Nouvelles de la récolte', 'Erntebericht'],
  ['Café stories', 'Histoires de café', 'Café-Geschichten'],
  ['Behind the bar', 'Derrière le comptoir', 'Hinter der Theke'],
];
const SUBJECTS: readonly Words[] = [
  ['Ethiopia Yirgacheffe', 'Éthiopie Yirgacheffe', 'Äthiopien Yirgacheffe'],
  ['a better pour-over', 'un meilleur café filtre', 'ein besserer Handfilter'],
  ['cold brew season', 'la saison du cold brew', 'Cold-Brew-Saison'],
  ['our new packaging', 'notre nouvel emballage', 'unsere neue Verpackung'],
  ['the Huila drying beds', 'les lits de séchage de Huila', 'die Trockenbetten in Huila'],
  ['latte art basics', 'les bases du latte art', 'Latte-Art-Grundlagen'],
  ['water and extraction', 'l’eau et l’extraction', 'Wasser und Extraktion'],
  ['a visit to Kenya', 'une visite au Kenya', 'ein Besuch in Kenia'],
];
const PARAGRAPHS: readonly Words[] = [
  ['We tasted every lot twice before choosing.', 'Nous avons goûté chaque lot deux fois avant de choisir.', 'Wir haben jede Partie zweimal verkostet.'],
  ['Grind a little finer if the cup tastes sour.', 'Moulez un peu plus fin si la tasse est acide.', 'Mahlen Sie etwas feiner, wenn die Tasse sauer schmeckt.'],
  ['The farm has worked with us since 2019.', 'La ferme travaille avec nous depuis 2019.', 'Die Farm arbeitet seit 2019 mit uns.'],
];
const ORIGINS = ['Ethiopia Yirgacheffe', 'Colombia Huila', 'Kenya Nyeri AA', 'Guatemala Antigua', 'Sumatra Mandheling', 'Costa Rica Tarrazú', 'Brazil Cerrado', 'Rwanda Nyamasheke', 'House Espresso Blend', 'Swiss Water Decaf'];
const EQUIPMENT = ['Gooseneck kettle', 'Burr grinder', 'French press', 'Ceramic dripper', 'Travel mug'];
const SIZES: readonly Words[] = [
  ['250 g', '250 g', '250 g'],
  ['1 kg', '1 kg', '1 kg'],
  ['Subscription', 'Abonnement', 'Abo'],
  ['Gift box', 'Coffret', 'Geschenkbox'],
];
const FIRST = ['Priya', 'Mateo', 'Aiko', 'Lena', 'Tomás', 'Grace', 'Omar', 'Sofia', 'Jonas', 'Amara', 'Hugo', 'Mei', 'Nadia', 'Kofi', 'Elif', 'Rafael', 'Ines', 'Yusuf', 'Clara', 'Dev'];
const LAST = ['Nair', 'García', 'Tanaka', 'Schmidt', 'Okafor', 'Dubois', 'Haddad', 'Rossi', 'Berg', 'Mensah'];
const ROLES: readonly Words[] = [
  ['Head roaster', 'Torréfacteur en chef', 'Röstmeister'],
  ['Barista', 'Barista', 'Barista'],
  ['Green coffee buyer', 'Acheteuse de café vert', 'Rohkaffee-Einkauf'],
  ['Café manager', 'Gérant du café', 'Café-Leitung'],
  ['Customer care', 'Service client', 'Kundenservice'],
];

export function generateCms(random: Random, picker: Picker, assets: ReadonlyMap<string, PlaceableAsset>, locales: CmsLocales, dates: { created: number; updated: number }): Cms {
  const collection = (displayName: string, singularName: string, slug: string, fields: [string, string, FieldType, boolean][], created: number): SeedCollection => ({
    id: random.objectId(),
    displayName,
    singularName,
    slug,
    createdOn: iso(created),
    lastUpdated: iso(dates.updated),
    fields: fields.map(([fieldSlug, name, type, isRequired]): SeedField => ({ id: random.objectId(), slug: fieldSlug, displayName: name, type, isRequired })),
  });
  const base: [string, string, FieldType, boolean][] = [
    ['name', 'Name', 'PlainText', true],
    ['slug', 'Slug', 'PlainText', true],
  ];
  const blog = collection('Blog Posts', 'Blog Post', 'blog-posts', [...base, ['summary', 'Summary', 'PlainText', false], ['main-image', 'Main image', 'Image', false], ['body', 'Post body', 'RichText', false], ['featured', 'Featured', 'Switch', false]], dates.created);
  const products = collection('Products', 'Product', 'products', [...base, ['price', 'Price', 'Number', true], ['description', 'Description', 'PlainText', false], ['gallery', 'Gallery', 'MultiImage', false]], dates.created + 30 * DAY);
  const team = collection('Team Members', 'Team Member', 'team-members', [...base, ['role', 'Role', 'PlainText', false], ['photo', 'Photo', 'Image', false]], dates.created + 60 * DAY);

  const imageValue = (pool: Pool, altChance: number, fallback: string): ImageValue | null => {
    const asset = picker.pick(pool);
    if (!asset) return null;
    const roll = random.next();
    return { fileId: asset.id, alt: roll < altChance ? (goodAlt(asset, locales.site[0] ?? '') ?? fallback) : roll < altChance + (1 - altChance) / 2 ? null : '' };
  };

  const teamItems = Array.from({ length: TEAM_MEMBERS }, (_, i) => {
    const name = `${FIRST[i % FIRST.length]} ${LAST[(i * 7) % LAST.length]}`;
    const role = random.pick(ROLES);
    return draftItem(random, team.id, dates, {
      name,
      slug: slugify(`${name}-${i}`),
      role: role[0],
      photo: imageValue('team', 0.8, `Portrait of ${name}`),
    }, { role });
  });

  const productItems = Array.from({ length: PRODUCTS }, (_, i) => {
    const equipment = i % 4 === 3;
    const base = equipment ? (EQUIPMENT[i % EQUIPMENT.length] as string) : (ORIGINS[i % ORIGINS.length] as string);
    const size = SIZES[Math.floor(i / ORIGINS.length) % SIZES.length] as Words;
    const name = `${base} — ${size[0]}`;
    const gallery: ImageValue[] = [];
    const count = random.int(3, 8);
    for (let g = 0; g < count; g += 1) {
      const value = imageValue(equipment ? 'equipment' : 'coffee', 0.6, `${base}, view ${g + 1}`);
      if (value) gallery.push(value.alt === '' ? { ...value, alt: null } : value);
    }
    return draftItem(random, products.id, dates, {
      name,
      slug: slugify(`${base}-${size[0]}-${i}`),
      price: equipment ? random.int(24, 180) : random.int(14, 42),
      description: `${base}, ${size[0]}.`,
      gallery,
    }, { size, base });
  });

  const blogItems = Array.from({ length: BLOG_POSTS }, (_, i) => {
    const topic = TOPICS[i % TOPICS.length] as Words;
    const subject = SUBJECTS[Math.floor(i / TOPICS.length) % SUBJECTS.length] as Words;
    const number = i + 1;
    const inline: PlaceableAsset[] = [];
    const count = random.int(1, 3);
    for (let n = 0; n < count; n += 1) {
      const asset = picker.pick('blog');
      if (asset) inline.push(asset);
    }
    return draftItem(random, blog.id, dates, {
      name: `${topic[0]} #${number}: ${subject[0]}`,
      slug: `${slugify(`${topic[0]}-${number}`)}`,
      summary: random.pick(PARAGRAPHS)[0],
      'main-image': imageValue('blog', 0.7, `${topic[0]}: ${subject[0]}`),
      body: '',
      featured: random.chance(0.1),
    }, { topic, subject, number, inline });
  });

  // Images nobody placed yet (a big library, or pools the slots did not drain) go into the blog.
  const leftovers = picker.takeUnplaced();
  blogItems.forEach((item, i) => {
    for (let k = i; k < leftovers.length && k < blogItems.length * EXTRA_INLINE_IMAGES; k += blogItems.length) item.plan.inline.push(leftovers[k] as PlaceableAsset);
  });
  for (const item of blogItems) item.fields.body = richBody(random, locales.site[0] ?? '', item.plan.inline, 0);

  const items: SeedItem[] = [];
  for (const drafted of teamItems) {
    const { fields, plan } = drafted;
    items.push(finish(drafted, locales, fields, random.chance(0.3) ? { role: (l) => plan.role[l] ?? plan.role[0] } : undefined));
  }
  for (const drafted of productItems) {
    const { fields, plan } = drafted;
    const translated = random.chance(0.5);
    items.push(finish(drafted, locales, fields, translated ? { name: (l) => `${plan.base} — ${plan.size[l]}`, gallery: (l) => translateGallery(random, fields.gallery as ImageValue[], l) } : undefined));
  }
  for (const drafted of blogItems) {
    const { fields, plan } = drafted;
    const which = random.next();
    if (which >= 0.4) {
      items.push(finish(drafted, locales, fields, undefined));
      continue;
    }
    const onlyFrench = which < 0.2;
    items.push(
      finish(drafted, locales, fields, {
        name: (l) => `${plan.topic[l]} #${plan.number} : ${plan.subject[l]}`,
        body: (l) => richBody(random, locales.site[l] ?? '', plan.inline, l),
        'main-image': (l) => translateImage(random, fields['main-image'] as ImageValue | null, l),
      }, onlyFrench ? 1 : 2),
    );
  }
  return { collections: [blog, products, team], items };

  function translateImage(r: Random, value: ImageValue | null, l: number): ImageValue | null {
    if (!value) return null;
    const roll = r.next();
    // A translator copied the English alt, cleared it, or wrote their own (in the asset's own words when there are some).
    return { ...value, alt: roll < 0.25 ? null : roll < 0.6 ? value.alt : ((assets.get(value.fileId) && goodAlt(assets.get(value.fileId) as PlaceableAsset, locales.site[l] ?? '')) ?? value.alt) };
  }
  function translateGallery(r: Random, gallery: ImageValue[], l: number): ImageValue[] {
    return gallery.map((image) => translateImage(r, image, l) ?? image);
  }
}

interface Drafted<P> {
  item: Omit<SeedItem, 'versions'>;
  lastUpdated: string;
  fields: Record<string, FieldValue>;
  plan: P;
}

function draftItem<P>(random: Random, collectionId: string, dates: { created: number; updated: number }, fields: Record<string, FieldValue>, plan: P): Drafted<P> {
  const created = dates.created + random.int(0, Math.max(1, Math.floor((dates.updated - dates.created) / DAY) - 30)) * DAY + random.int(0, DAY);
  const updated = Math.min(dates.updated, created + (random.chance(0.5) ? 0 : random.int(0, 200) * DAY));
  // Most items were published after their last change; some have staged changes since.
  const published = random.chance(0.85) ? Math.min(dates.updated, updated + random.int(0, 3) * DAY) : Math.max(created, updated - random.int(1, 20) * DAY);
  return {
    item: { id: random.objectId(), collectionId, createdOn: iso(created), lastPublished: iso(published), isDraft: random.chance(0.05), isArchived: random.chance(0.03) },
    lastUpdated: iso(updated),
    fields,
    plan,
  };
}

/** The item with its primary version and, when translated, its secondary versions (`count` of them). */
function finish({ item, lastUpdated }: Drafted<unknown>, locales: CmsLocales, fields: Record<string, FieldValue>, translate: Record<string, (l: number) => FieldValue> | undefined, count = locales.secondary.length): SeedItem {
  const versions: SeedItem['versions'] = { [locales.primary]: { lastUpdated, fieldData: fields } };
  if (translate) {
    locales.secondary.slice(0, count).forEach((id, i) => {
      const own: Record<string, FieldValue> = { ...fields };
      for (const [slug, value] of Object.entries(translate)) own[slug] = value(i + 1);
      versions[id] = { lastUpdated, fieldData: own };
    });
  }
  return { ...item, versions };
}

/** A post body: headings, paragraphs and figures; a third of the inline images lack a usable alt. */
function richBody(random: Random, locale: string, images: readonly PlaceableAsset[], l: number): string {
  const parts = [`<h2>${escapeHtml(random.pick(SUBJECTS)[l] ?? '')}</h2>`, `<p>${escapeHtml(random.pick(PARAGRAPHS)[l] ?? '')}</p>`];
  for (const asset of images) {
    const roll = random.next();
    const alt = goodAlt(asset, locale) ?? Object.values(asset.altText).find((text) => text) ?? 'Coffee at Northwind';
    const attribute = roll < 0.55 ? ` alt="${escapeHtml(alt)}"` : roll < 0.8 ? '' : ' alt=""';
    parts.push(`<figure><img src="@asset/${asset.id}"${attribute}></figure>`, `<p>${escapeHtml(random.pick(PARAGRAPHS)[l] ?? '')}</p>`);
  }
  return parts.join('');
}

function goodAlt(asset: PlaceableAsset, locale: string): string | undefined {
  const alt = asset.altText[locale];
  return alt ? alt : undefined;
}

function slugify(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
