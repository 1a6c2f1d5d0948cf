/**
 * Alt-text suggestions and where they come from. Every source (embedded metadata, text in the
 * image, where the image is used, the file name, a vision model) gives the same shape, so the
 * panel and the backend can rank them in one way and always say where a suggestion came from.
 * A suggestion is only ever offered: nothing applies one without the designer's review.
 */
import { lintAltText, type LintedAsset } from '../alt-lint.ts';
import type { UseWhere } from '../usage.ts';

/** In the order of trust: what the file says of itself first, a model's guess last. */
export const SUGGESTION_SOURCES = ['metadata', 'ocr', 'usage', 'file-name', 'vision'] as const;
export type SuggestionSource = (typeof SUGGESTION_SOURCES)[number];

export interface Suggestion {
  text: string;
  source: SuggestionSource;
  /** 0..1: how likely the text is good alt text as it stands, within and across sources. */
  confidence: number;
  /** The site locale the text is in; absent means the primary locale (or a text without a language). */
  localeId?: string;
  /** Where exactly it came from, e.g. "XMP Iptc4xmpCore:AltTextAccessibility (fr-FR)". */
  detail?: string;
}

const RANK: Record<SuggestionSource, number> = Object.fromEntries(SUGGESTION_SOURCES.map((source, rank) => [source, rank])) as Record<SuggestionSource, number>;

/** Most trusted first: by source, then confidence; the text breaks ties so the order is stable. */
export function rankSuggestions(suggestions: readonly Suggestion[]): Suggestion[] {
  return [...suggestions].sort((a, b) => RANK[a.source] - RANK[b.source] || b.confidence - a.confidence || a.text.localeCompare(b.text));
}

/**
 * The suggestions for one locale (null: the primary), most trusted first, without repeats and
 * without any text the alt-text lint would flag (a suggestion must not teach a bad habit).
 */
export function suggestionsFor(suggestions: readonly Suggestion[], localeId: string | null, asset: LintedAsset): Suggestion[] {
  const seen = new Set<string>();
  return rankSuggestions(suggestions).filter((suggestion) => {
    if ((suggestion.localeId ?? null) !== localeId) return false;
    const key = suggestion.text.trim().toLowerCase();
    if (!key || seen.has(key)) return false;
    seen.add(key);
    return lintAltText(suggestion.text, asset).every((finding) => finding.code === 'repeated');
  });
}

/**
 * GET /api/sites/{siteId}/suggestions/assets/{assetId}?localeId=: what the backend's sources
 * found for one asset (the vision model writes in the asked locale's language; the others
 * answer every locale at once).
 */
/** The suggestions of one use: the panel shows them beside the use. */
export interface UseSuggestions {
  where: UseWhere;
  localeId: string | null;
  suggestions: Suggestion[];
}

export interface AssetSuggestions {
  assetId: string;
  suggestions: Suggestion[];
  /** Where it is used, per use, when uses differ (a text every use shares is also in `suggestions`). */
  uses: UseSuggestions[];
  /** Sources that could not read the file this time (the CDN did not answer, say): asking again tries again. */
  unread: SuggestionSource[];
  /** Sources still reading the file (text in the image takes seconds): ask again shortly. */
  pending: SuggestionSource[];
}

/** The one suggestion a row offers for a locale, or null. */
export function bestSuggestion(suggestions: readonly Suggestion[], localeId: string | null, asset: LintedAsset): Suggestion | null {
  return suggestionsFor(suggestions, localeId, asset)[0] ?? null;
}

/**
 * GET /api/sites/{siteId}/suggestions/sources: which sources run for the site, so the panel can
 * say what is looked at and what is sent where. Nothing leaves the backend unless `vision` is on.
 */
export interface SuggestionSourcesStatus {
  metadata: { active: true };
  ocr: {
    /** False when SUGGESTIONS_OCR=off: no text in images is read. */
    active: boolean;
    /** The languages text is read in (BCP 47: 'en', 'fr', 'de'). */
    languages: string[];
    /** Site locales whose language is not among them: their images' text is not read for them. */
    notRead: { localeId: string; tag: string }[];
  };
  /** Where it is used: on when the backend has the usage index (its texts come once a crawl has read the site). */
  usage: { active: boolean };
  vision:
    | { active: false }
    | {
        active: true;
        model: string;
        /** Where the small image variants go. */
        host: string;
        /** Its cost: requests made for the site today (UTC), and the most it may make. */
        requestsToday: number;
        dailyCap: number;
        /** The endpoint asked to wait (429) until then; null when it did not. */
        pausedUntil: string | null;
      };
}
