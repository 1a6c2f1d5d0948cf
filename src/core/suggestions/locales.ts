/**
 * Which site locale a language-tagged text belongs to: 'x-default' is the primary locale, an
 * exact tag ('fr-FR') wins over the bare language ('fr'), which wins over a sibling ('fr-CA').
 * Languages the site does not have are left out.
 */
import type { LanguageText } from './xmp-text.ts';

export interface SiteLocale {
  id: string;
  /** BCP 47, as Webflow gives it: 'en', 'fr-FR'. */
  tag: string;
  primary: boolean;
}

/** The text for each locale: `localeId` null is the primary locale (also when the site has no locales). */
export function textsByLocale(values: readonly LanguageText[], locales: readonly SiteLocale[]): { localeId: string | null; lang: string; text: string }[] {
  if (values.length === 0) return [];
  const language = (tag: string): string => tag.toLowerCase().split(/[-_]/)[0] ?? '';
  const pick = (locale: SiteLocale | null): LanguageText | undefined => {
    if (locale) {
      const tag = locale.tag.toLowerCase();
      const exact = values.find(([lang]) => lang.toLowerCase() === tag);
      if (exact) return exact;
      // 'fr' is written for every French; 'fr-CA' for Canada's, so only when nothing closer is there.
      const same = values.find(([lang]) => lang.toLowerCase() === language(tag)) ?? values.find(([lang]) => lang !== 'x-default' && language(lang) === language(tag));
      if (same) return same;
      if (!locale.primary) return undefined;
    }
    return values.find(([lang]) => lang === 'x-default') ?? (locale ? undefined : values[0]);
  };
  const primary = locales.find((locale) => locale.primary) ?? null;
  const picks: { localeId: string | null; lang: string; text: string }[] = [];
  const chosen = pick(primary);
  if (chosen) picks.push({ localeId: null, lang: chosen[0], text: chosen[1] });
  for (const locale of locales) {
    if (locale.primary) continue;
    const found = pick(locale);
    if (found) picks.push({ localeId: locale.id, lang: found[0], text: found[1] });
  }
  return picks;
}
