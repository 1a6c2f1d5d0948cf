/**
 * Names as a person wrote them. Webflow stores many display names behind an object id and an
 * underscore (`0a9532e10db02a1c74df205f_Ethiopia-Yirgacheffe.jpg`): the file name its CDN gave the
 * file, kept when the file was downloaded and uploaded again, sometimes twice over. The id says
 * nothing to a designer and, in a narrow panel, hides the part that does.
 */

/**
 * One or more 24-hex-digit object ids, each followed by an underscore, at the start of a name.
 * Any id, not only the asset's own: a file re-uploaded from another site (or from this one)
 * carries the id it had there, and the sandbox's demo names do too.
 */
const ID_PREFIX = /^(?:[0-9a-f]{24}_)+/i;

/** A file extension, as the limits module knows them (up to five letters or digits). */
const EXTENSION = /\.[a-z0-9]{1,5}$/i;

/** Something a person can read: a letter or a digit once the extension is set aside. */
function hasReadableText(rest: string): boolean {
  return /[\p{L}\p{N}]/u.test(rest.replace(EXTENSION, ''));
}

/**
 * The name without Webflow's id prefix. The whole name when there is no prefix, or when
 * nothing readable would be left (`0a95…205f_.png` stays as it is): a name is never hidden
 * entirely. Always a suffix of the name, and the same when applied again.
 */
export function readableName(name: string): string {
  const prefix = ID_PREFIX.exec(name);
  if (!prefix) return name;
  const rest = name.slice(prefix[0].length);
  return hasReadableText(rest) ? rest : name;
}

/** Whether the readable name hides part of the name (then show the whole name on hover or in details). */
export function hasIdPrefix(name: string): boolean {
  return readableName(name) !== name;
}

/**
 * What the grid sorts names by: the readable name, lowercase, digit runs padded so plain string
 * order is natural order ("photo-2" before "photo-10"). The backend sends the index in this
 * order (src/core/compact-index.ts), so the panel's first sort is one pass over a sorted list.
 */
export function nameSortKey(name: string): string {
  const lower = readableName(name).toLowerCase();
  return /\d/.test(lower) ? lower.replace(/\d+/g, (digits) => digits.padStart(12, '0')) : lower;
}

/**
 * Compares two positions by their keys in plain string order, ties by position: the grid's name
 * order over `nameSortKey`s, the same on both sides (the backend sends the index in it, the
 * panel's first sort then finds one run).
 */
export function byKeyThenPosition(keys: readonly string[]): (a: number, b: number) => number {
  return (a, b) => {
    const left = keys[a] as string;
    const right = keys[b] as string;
    return left < right ? -1 : left > right ? 1 : a - b;
  };
}
