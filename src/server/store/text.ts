/**
 * Text from Webflow, kept whatever it holds. PostgreSQL's text and jsonb cannot hold U+0000,
 * and UTF-8 cannot hold half of a UTF-16 surrogate pair (jsonb refuses `\ud800`; a text
 * parameter turns it into U+FFFD). Webflow's names and alt text can hold both, so every such
 * value is escaped on its way into the store and restored on its way out, byte for byte: a
 * value written back to Webflow (an undo, a conflict's "theirs") is the one Webflow had.
 *
 * The escape is U+E000 (the first private-use character) and the UTF-16 code unit in four hex
 * digits; U+E000 itself is escaped the same way, so the mapping is reversible. Text without
 * NUL, surrogate halves or U+E000 (almost all of it) is stored as it is, so SQL that reads
 * plain fields (`doc->>'createdOn'`, `doc->>'url'`) is unaffected. docs/decisions/text-at-the-edge.md
 */

const ESCAPE = '\uE000';
// eslint-disable-next-line no-control-regex -- NUL is what it finds
const NEEDS_ESCAPE = /[\u0000\uE000]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const ESCAPED = /\uE000([0-9a-f]{4})/g;

/** A string the store can hold, from which {@link restoredText} gives back the original. */
export function storableText(value: string): string {
  if (!needsEscape(value)) return value;
  return value.replace(NEEDS_ESCAPE, (unit) => `${ESCAPE}${unit.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function restoredText(value: string): string {
  if (!value.includes(ESCAPE)) return value;
  return value.replace(ESCAPED, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

export function storableOrNull(value: string | null): string | null {
  return value === null ? null : storableText(value);
}

export function restoredOrNull(value: string | null): string | null {
  return value === null ? null : restoredText(value);
}

/** Every string of a JSON value (keys included), made storable; numbers, booleans and null as they are. */
export function storableJson<T>(value: T): T {
  return mapStrings(value, storableText) as T;
}

export function restoredJson<T>(value: T): T {
  return mapStrings(value, restoredText) as T;
}

function needsEscape(value: string): boolean {
  NEEDS_ESCAPE.lastIndex = 0;
  return NEEDS_ESCAPE.test(value);
}

function mapStrings(value: unknown, map: (text: string) => string): unknown {
  if (typeof value === 'string') return map(value);
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, map));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[map(key)] = mapStrings(item, map);
    return out;
  }
  return value;
}
