/**
 * Suggestions from where an image is used (the usage index): the caption under it, the nearest
 * heading above it, the CMS item that holds it, the page's title. The same photo can need
 * different alt text on two pages, so these are worked out per use; a text every use of a
 * locale shares is also offered for the asset itself. Pure functions.
 */
import type { UseWhere } from '../usage.ts';
import type { Suggestion, UseSuggestions } from './sources.ts';

/** What the page's DOM says next to an image (src/server/usage/sources.ts keeps it at crawl time). */
export interface ImageSurroundings {
  /** The text of the nearest heading (h1–h6) before the image, on the page or in its component. */
  heading: string | null;
  /** The text right after the image: a `<figcaption>`, or a short line standing directly under it. */
  caption: { text: string; figcaption: boolean } | null;
}

/** One use of the asset, with what surrounds the image there. */
export interface UseInContext {
  where: UseWhere;
  localeId: string | null;
  /** False for an image in a component no page places: no visitor sees it there. */
  seen: boolean;
  surroundings: ImageSurroundings | null;
}

/** How far each kind of context is trusted as the image's alt text (below the file's own words). */
export const USAGE_CONFIDENCE = {
  figcaption: 0.6,
  itemImage: 0.5,
  lineUnder: 0.45,
  heading: 0.4,
  itemOther: 0.35,
  pageTitle: 0.3,
} as const;

/** Longer than this, a text is not a caption or a heading but copy. */
const MAX_CONTEXT_CHARS = 150;

const tidy = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** The suggestions one use gives, for its locale (`localeId` left out for the primary). */
export function suggestionsOfUse(use: UseInContext, primaryLocaleId: string | null): Suggestion[] {
  const localeId = use.localeId !== null && use.localeId !== primaryLocaleId ? { localeId: use.localeId } : {};
  const found: Suggestion[] = [];
  const add = (text: string | null | undefined, confidence: number, detail: string) => {
    const clean = text ? tidy(text) : '';
    // A heading that repeats the page's title is said once, at the heading's confidence.
    if (found.some((kept) => kept.text.toLowerCase() === clean.toLowerCase())) return;
    if (clean && clean.length <= MAX_CONTEXT_CHARS) found.push({ text: clean, source: 'usage', confidence, detail, ...localeId });
  };
  const where = use.where;
  const caption = use.surroundings?.caption;
  const heading = use.surroundings?.heading;
  if (where.kind === 'page' || where.kind === 'component') {
    const page = where.pageTitle === null ? `component “${where.kind === 'component' ? where.componentName : ''}”` : `page “${where.pageTitle}”`;
    if (caption) add(caption.text, caption.figcaption ? USAGE_CONFIDENCE.figcaption : USAGE_CONFIDENCE.lineUnder, `${caption.figcaption ? 'caption' : 'text under the image'} on ${page}`);
    add(heading, USAGE_CONFIDENCE.heading, `heading near the image on ${page}`);
    if (where.pageTitle !== null) add(where.pageTitle, USAGE_CONFIDENCE.pageTitle, `title of ${page}`);
  } else {
    // A CMS Image field is the item's own picture (a team member's photo, a post's cover): its name says what it shows.
    const own = where.kind === 'cms-image' && where.fieldType === 'Image';
    add(where.itemName, own ? USAGE_CONFIDENCE.itemImage : USAGE_CONFIDENCE.itemOther, `CMS item “${where.itemName}” in ${where.collectionName}`);
  }
  return found;
}

/**
 * Per use, and for the asset: each seen use's suggestions, and those whose text every seen use
 * of the same locale offers (the asset's alt text serves all of them). Uses no visitor sees
 * are listed but do not decide what the asset gets.
 */
export function usageSuggestions(uses: readonly UseInContext[], primaryLocaleId: string | null): { common: Suggestion[]; perUse: UseSuggestions[] } {
  const perUse = uses.map((use) => ({ where: use.where, localeId: use.localeId, suggestions: suggestionsOfUse(use, primaryLocaleId) }));
  const byLocale = new Map<string, UseSuggestions[]>();
  perUse.forEach((entry, i) => {
    if (!uses[i]?.seen) return;
    const key = entry.localeId ?? '';
    byLocale.set(key, [...(byLocale.get(key) ?? []), entry]);
  });
  const common: Suggestion[] = [];
  for (const entries of byLocale.values()) {
    const [first, ...rest] = entries;
    if (!first) continue;
    for (const suggestion of first.suggestions) {
      const key = suggestion.text.toLowerCase();
      if (common.some((kept) => kept.text.toLowerCase() === key && kept.localeId === suggestion.localeId)) continue;
      const everywhere = rest.every((entry) => entry.suggestions.some((other) => other.text.toLowerCase() === key));
      if (!everywhere) continue;
      // Shared by several uses, the weakest of their confidences holds for all.
      const confidence = Math.min(suggestion.confidence, ...rest.flatMap((entry) => entry.suggestions.filter((other) => other.text.toLowerCase() === key).map((other) => other.confidence)));
      common.push({ ...suggestion, confidence, detail: entries.length > 1 ? `${suggestion.detail} and ${entries.length - 1} other use${entries.length > 2 ? 's' : ''}` : suggestion.detail });
    }
  }
  return { common, perUse: perUse.filter((entry, i) => uses[i]?.seen && entry.suggestions.length > 0) };
}
