import { describe, expect, it } from 'vitest';
import { textsByLocale, type SiteLocale } from './locales.ts';

const locales: SiteLocale[] = [
  { id: 'en', tag: 'en-US', primary: true },
  { id: 'fr', tag: 'fr-FR', primary: false },
  { id: 'frca', tag: 'fr-CA', primary: false },
  { id: 'de', tag: 'de-DE', primary: false },
];

describe('language alternatives by site locale', () => {
  it("gives 'x-default' to the primary locale and each language to its own", () => {
    expect(textsByLocale([['x-default', 'Coffee'], ['fr-CA', 'Café (Québec)'], ['fr', 'Café'], ['de', 'Kaffee']], locales)).toEqual([
      { localeId: null, lang: 'x-default', text: 'Coffee' },
      { localeId: 'fr', lang: 'fr', text: 'Café' },
      { localeId: 'frca', lang: 'fr-CA', text: 'Café (Québec)' },
      { localeId: 'de', lang: 'de', text: 'Kaffee' },
    ]);
  });

  it('prefers the primary language itself over x-default, matched case-insensitively', () => {
    expect(textsByLocale([['x-default', 'Default'], ['EN-us', 'American']], locales)[0]).toEqual({ localeId: null, lang: 'EN-us', text: 'American' });
  });

  it('drops languages the site does not have, and gives a site without locales the default or the first', () => {
    expect(textsByLocale([['ja', 'コーヒー']], locales)).toEqual([]);
    expect(textsByLocale([['ja', 'コーヒー']], [])).toEqual([{ localeId: null, lang: 'ja', text: 'コーヒー' }]);
    expect(textsByLocale([['de', 'Kaffee'], ['x-default', 'Coffee']], [])).toEqual([{ localeId: null, lang: 'x-default', text: 'Coffee' }]);
  });
});
