/**
 * The shared rules for text a client sends, without zod, so the panel can apply them too (the
 * CSV import checks each alt text before it offers to journal it). core/api.ts re-exports them.
 */

/**
 * A lone UTF-16 surrogate: half of a character, which UTF-8 (and so PostgreSQL's text, and
 * jsonb's `\u` escapes) cannot carry; encoders silently turn it into U+FFFD.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * What is wrong with a text as a value a client may send us, or undefined when it is fine:
 * NUL (U+0000), which PostgreSQL cannot store, and lone surrogates, which no UTF-8 store keeps.
 */
export function textProblem(value: string): string | undefined {
  if (value.includes('\u0000')) return 'must not contain the NUL character (U+0000); remove it and send the text again';
  if (LONE_SURROGATE.test(value)) return 'must not contain half of a character (a lone UTF-16 surrogate); send the text as valid Unicode';
  return undefined;
}

/** The text with each lone surrogate replaced by U+FFFD, as a UTF-8 encoder does (String#toWellFormed). */
export function wellFormed(value: string): string {
  return LONE_SURROGATE.test(value) ? value.replace(new RegExp(LONE_SURROGATE.source, 'g'), '\uFFFD') : value;
}

/** The most characters of alt text the journal takes (core/api.ts `altText`, `changeInput.after`). */
export const MAX_ALT_TEXT_CHARS = 2000;
