/**
 * The columns of Asset Desk's alt-text CSV, shared by export and import: what is written is
 * what is read back. Alt text and decorative come per locale, named by the locale's tag
 * (`alt:en`, `decorative:en`, `alt:fr`, …), so a translator gets one column per language.
 */
import type { Locale } from './api.ts';

export const FIXED_COLUMNS = ['id', 'name', 'folder', 'url', 'type', 'uses'] as const;

/** What the decorative column holds for a decorative image; anything in {@link DECORATIVE_NO} means not. */
export const DECORATIVE_YES = 'yes';
const DECORATIVE_TRUE = new Set(['yes', 'y', 'true', '1', 'x', 'oui', 'ja', 'sí', 'si', 'decorative']);
const DECORATIVE_FALSE = new Set(['', 'no', 'n', 'false', '0', 'non', 'nein']);

/** true, false, or undefined when the cell says neither. */
export function readDecorative(cell: string): boolean | undefined {
  const word = cell.trim().toLowerCase();
  if (DECORATIVE_TRUE.has(word)) return true;
  if (DECORATIVE_FALSE.has(word)) return false;
  return undefined;
}

/** The locale id the panel's models use: null for the primary. */
export function modelLocaleId(locale: Locale): string | null {
  return locale.primary ? null : locale.id;
}

/** The site's locales, primary first (a site without locales has one unnamed primary). */
export function orderedLocales(locales: readonly Locale[]): Locale[] {
  if (locales.length === 0) return [{ id: 'primary', displayName: 'Primary', tag: 'primary', primary: true }];
  return [...locales].sort((a, b) => Number(b.primary) - Number(a.primary));
}

export function localeColumnName(locale: Locale): string {
  return locale.tag || locale.id;
}

/** The last column: each locale's cells as exported, fingerprinted (see {@link exportedFingerprint}). */
export const EXPORTED_COLUMN = 'exported';

export function headerRow(locales: readonly Locale[]): string[] {
  return [
    ...FIXED_COLUMNS,
    ...orderedLocales(locales).flatMap((locale) => [`alt:${localeColumnName(locale)}`, `decorative:${localeColumnName(locale)}`]),
    EXPORTED_COLUMN,
  ];
}

/**
 * A short fingerprint (FNV-1a, base 36) of one locale's two cells as the export wrote them. The
 * `exported` column holds one per locale, primary first, joined by dots: an import compares it
 * with the cells it reads (did the person edit them?) and with Webflow's value now (did Webflow
 * change since the export?). Not a secret: only a way to tell "the same" from "changed".
 */
export function exportedFingerprint(altCell: string, decorative: boolean): string {
  let hash = 0x811c9dc5;
  const text = `${decorative ? 'd' : 't'}${altCell}`;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(36);
}
