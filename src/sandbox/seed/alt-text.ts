/**
 * How the demo site's alt text is spread, so the panel has real work to show: about 40% of
 * assets have none, some are decorative, some are poor in the ways real sites are poor, and
 * the rest are good; secondary locales sometimes have their own text and often fall back to
 * the primary.
 */
import type { Draft, Translations } from './catalog.ts';
import type { Random } from './random.ts';

export type AltQuality = 'none' | 'decorative' | 'poor' | 'good';

/** Shares of primary-locale alt text, by quality (ornamental assets lean decorative). */
export const ALT_SHARES: Record<AltQuality, number> = { none: 0.4, decorative: 0.06, poor: 0.14, good: 0.4 };

export interface LocaleIds {
  primary: string;
  fr: string;
  de: string;
}

const LONG_ALT =
  'This is a photograph that shows our wonderful freshly roasted specialty coffee which we source directly from farmers around the world and roast in small batches every single day in our roastery so that you get the best cup';

function poorAlt(random: Random, draft: Draft): string {
  const stem = draft.fileName.replace(/\.[a-z]+$/i, '');
  return random.pick([
    draft.fileName,
    stem,
    `image of ${draft.subject}`,
    `picture of ${draft.subject}`,
    LONG_ALT.slice(0, 200),
    'logo',
    'photo',
    'image',
    'IMG',
  ]);
}

export function chooseQuality(random: Random, draft: Draft): AltQuality {
  if (draft.ornamental && random.chance(0.7)) return 'decorative';
  let roll = random.next();
  for (const quality of ['none', 'decorative', 'poor', 'good'] as const) {
    if (roll < ALT_SHARES[quality]) return quality;
    roll -= ALT_SHARES[quality];
  }
  return 'good';
}

/** Alt text keyed by locale id; the primary entry is always there. */
export function altTextFor(random: Random, draft: Draft, quality: AltQuality, locales: LocaleIds): Record<string, string | null> {
  const own = (t: Translations, both: boolean): Record<string, string> =>
    both ? { [locales.fr]: t.fr, [locales.de]: t.de } : { [locales.fr]: t.fr };
  switch (quality) {
    case 'none':
      // A translator sometimes got to French before anyone wrote the English.
      return random.chance(0.05) ? { [locales.primary]: '', [locales.fr]: draft.alt.fr } : { [locales.primary]: '' };
    case 'decorative':
      return random.chance(0.3) ? { [locales.primary]: null, [locales.fr]: null, [locales.de]: null } : { [locales.primary]: null };
    case 'poor':
      return { [locales.primary]: poorAlt(random, draft) };
    case 'good': {
      const roll = random.next();
      const translated = roll < 0.4 ? own(draft.alt, true) : roll < 0.55 ? own(draft.alt, false) : {};
      return { [locales.primary]: draft.alt.en, ...translated };
    }
  }
}
