/**
 * The search index behind the asset grid. Built once per version of the asset list, then asked
 * on every keystroke: it must answer in a few milliseconds at 20,000 assets. Hence flat typed
 * arrays per concern, lowercase haystacks computed once, sort orders computed once per key, and
 * narrowing from the previous answer when the search text only grew.
 */
import type { Folder, IndexedAsset, Locale } from '../../core/api.ts';
import { isImageType, lintAltText, normalizeAltText, ownAltText, REPEATED_ALT_TEXT_MIN } from '../../core/alt-lint.ts';
import { byKeyThenPosition, nameSortKey } from '../../core/display-name.ts';
import { kindOf } from '../../core/limits.ts';
import { descendantMarks, folderSlots, type FolderSlots } from './folder-tree.ts';
import { foldText, searchKey, type FindKind, type FindSort } from './query.ts';

/** The sorts the index keeps orders for: `uses` depends on the usage index, not the asset list (see usage-columns.ts). */
export type IndexSort = Exclude<FindSort, 'uses'>;

/** Kinds as stored per asset. */
export const KIND_CODES: Record<Exclude<FindKind, 'all'>, number> = { image: 0, document: 1, other: 2 };

/** Alt-text state of an asset in one locale. */
export const ALT_STATE = { notImage: 0, text: 1, missing: 2, decorative: 3 } as const;

function kindCode(asset: IndexedAsset): number {
  if (isImageType(asset.contentType)) return KIND_CODES.image;
  return kindOf(asset.fileName) === 'document' ? KIND_CODES.document : KIND_CODES.other;
}

/** The lowercase text a search looks in: names, file name and every locale's alt text. */
function haystackOf(asset: IndexedAsset): string {
  // One string, no array: this runs for every asset when the panel opens. The full name, id prefix
  // included, stays searchable (a designer may paste an id from a URL). The file name is
  // most often the name itself: once is enough (a search word holds no line break).
  let text = asset.name === asset.fileName ? `${asset.name}\n${asset.altText ?? ''}` : `${asset.name}\n${asset.fileName}\n${asset.altText ?? ''}`;
  for (const locale in asset.localeAltText) {
    const own = asset.localeAltText[locale];
    if (own) text += `\n${own}`;
  }
  return foldText(text);
}

/**
 * Where each asset of a list was in the list before it: the same object (an update replaces an
 * asset's object), -1 for a new or changed asset. Most rebuilds change a few assets in place, so
 * a lookup by object is made only when a position differs.
 */
function positionsBefore(assets: readonly IndexedAsset[], before: readonly IndexedAsset[]): Int32Array {
  const positions = new Int32Array(assets.length);
  let lookup: Map<IndexedAsset, number> | null = null;
  for (let i = 0; i < assets.length; i += 1) {
    const asset = assets[i] as IndexedAsset;
    if (before[i] === asset) {
      positions[i] = i;
      continue;
    }
    if (!lookup) {
      lookup = new Map();
      for (let p = 0; p < before.length; p += 1) lookup.set(before[p] as IndexedAsset, p);
    }
    positions[i] = lookup.get(asset) ?? -1;
  }
  return positions;
}

/**
 * One locale's lint of each asset's own text: computed once per asset and index, and carried to
 * the next index for the assets that did not change. Arrays by position, not objects per asset:
 * at 100,000 assets a map per asset cost ~120 ms of the first lint and the collector's time after.
 */
interface LintFacts {
  /** 0 not linted yet, 1 clean, 2 flagged (findings other than `repeated`, which depends on the whole list). */
  flagged: Uint8Array;
  /** The text as counted for `repeated`; undefined when not linted or only punctuation. */
  textKeys: Array<string | undefined>;
}

const LINT_CLEAN = 1;
const LINT_FLAGGED = 2;

/** Alt-text states and lint marks of every asset in one locale. */
export interface LocaleView {
  states: Uint8Array;
  lint: Uint8Array;
  /**
   * Images per alt text (normalized by `normalizeAltText`) in this locale, for the `repeated`
   * finding: the filter's marks and each row's chip read the same tally. Empty, decorative and
   * missing texts are not counted, nor documents.
   */
  sameText: ReadonlyMap<string, number>;
}

/** A locale's view while it is being built: assets before `next` are done. */
interface LocaleBuild {
  states: Uint8Array;
  lint: Uint8Array;
  facts: LintFacts;
  sameText: Map<string, number>;
  next: number;
}

export interface SearchIndexOptions {
  folders?: readonly Folder[];
  /** Tells which locale id is the primary (its alt text is the asset's `altText`). */
  locales?: readonly Locale[];
  /**
   * The index this one replaces: its sort orders are carried over for the assets that did not
   * change, and only the changed ones are sorted in (a settle or a poll changes a few assets of
   * thousands; sorting 20,000 names again took ~80 ms, in the middle of someone's typing).
   */
  previous?: SearchIndex;
}

/** A previous index's list and the orders it had computed: not the index itself, so indexes never chain. */
interface CarriedOrders {
  assets: readonly IndexedAsset[];
  orders: ReadonlyMap<IndexSort, Int32Array>;
}

/** A previous index's lint per locale, by its positions: the arrays only, so indexes never chain. */
type CarriedLint = Map<string, LintFacts>;

/** One-character answers kept per index: letters and digits, and then some. */
const FIRST_LETTERS_KEPT = 48;

/** Past this share of changed assets, sorting them all again is as cheap as carrying the order over. */
const CARRY_OVER_MAX_SHARE = 1 / 8;

export class SearchIndex {
  readonly assets: readonly IndexedAsset[];
  /**
   * What a search looks in, per position. Not needed to show the grid (an empty search matches
   * every asset), so made after the first paint in slices (`prepareSearch`), or all at once by
   * the first search that comes sooner: ~150 ms and many strings at 100,000 assets.
   */
  private readonly haystacks: Array<string | undefined>;
  /** Positions before this one have their haystack. */
  private haystacksMade = 0;
  /** Sorts by the name without Webflow's id prefix: the part a person wrote. */
  private readonly nameKeys: string[];
  readonly kinds: Uint8Array;
  /** Folder slot of each asset, -1 at the top level or in an unknown folder. */
  readonly folderOfAsset: Int32Array;
  readonly folders: FolderSlots;
  private readonly primaryLocaleId: string | null;
  private readonly localeViews = new Map<string, LocaleView>();
  /** Views begun in slices and not yet complete. */
  private readonly localeBuilds = new Map<string, LocaleBuild>();
  private readonly orders = new Map<IndexSort, Int32Array>();
  private readonly ranks = new Map<IndexSort, Int32Array>();
  private marks: Uint8Array | null = null;
  private marked: Int32Array | null = null;
  private readonly folderMarks = new Map<string, Uint8Array>();
  /** Text answers along the current typing path, each key a prefix of the next. */
  private textTrail: { key: string; matches: Int32Array }[] = [];
  /**
   * Answers to one-character searches, kept for the index's life: every word typed starts with a
   * pass over every asset, the slowest keystroke of a word, and the same few letters start most words.
   */
  private readonly firstLetters = new Map<string, Int32Array>();
  /** This index's lint per locale key, begun or complete. */
  private readonly lintFacts = new Map<string, LintFacts>();
  private carried: CarriedOrders | null;
  private carriedLint: CarriedLint | null;
  /** Each asset's position in the previous index (-1: new or changed), while anything is carried from it. */
  private before: Int32Array | null;

  constructor(assets: readonly IndexedAsset[], options: SearchIndexOptions = {}) {
    const previous = options.previous;
    this.assets = assets;
    this.carried = previous ? { assets: previous.assets, orders: previous.orders } : null;
    this.carriedLint = previous && previous.lintFacts.size > 0 ? new Map(previous.lintFacts) : null;
    this.before = previous ? positionsBefore(assets, previous.assets) : null;
    this.folders = folderSlots(options.folders ?? []);
    this.primaryLocaleId = options.locales?.find((locale) => locale.primary)?.id ?? null;
    const count = assets.length;
    this.haystacks = new Array<string | undefined>(count);
    this.nameKeys = new Array<string>(count);
    this.kinds = new Uint8Array(count);
    this.folderOfAsset = new Int32Array(count);
    const before = this.before;
    for (let i = 0; i < count; i += 1) {
      const asset = assets[i] as IndexedAsset;
      const was = before ? (before[i] as number) : -1;
      if (previous && was >= 0) {
        // Undefined when the previous index had not made it yet: made here like a new one's.
        this.haystacks[i] = previous.haystacks[was];
        this.nameKeys[i] = previous.nameKeys[was] as string;
        this.kinds[i] = previous.kinds[was] as number;
      } else {
        this.nameKeys[i] = nameSortKey(asset.name);
        this.kinds[i] = kindCode(asset);
      }
      this.folderOfAsset[i] = asset.folderId === null ? -1 : (this.folders.slotOf.get(asset.folderId) ?? -1);
    }
  }

  get size(): number {
    return this.assets.length;
  }

  /**
   * Makes haystacks until `deadline` (a `performance.now()` time), checking the time every 512
   * assets; true when every asset has one. A search makes the rest at once.
   */
  prepareSearch(deadline: number): boolean {
    return this.makeHaystacks(() => performance.now() >= deadline);
  }

  private makeHaystacks(timeUp: () => boolean): boolean {
    const { assets, haystacks } = this;
    const start = this.haystacksMade;
    for (let i = start; i < assets.length; i += 1) {
      if ((i & 511) === 0 && i > start && timeUp()) {
        this.haystacksMade = i;
        return false;
      }
      haystacks[i] ??= haystackOf(assets[i] as IndexedAsset);
    }
    this.haystacksMade = assets.length;
    return true;
  }

  /** The locale key used for caches: '' for the primary. */
  localeKey(localeId: string | null): string {
    return localeId === null || localeId === this.primaryLocaleId ? '' : localeId;
  }

  /** Alt-text states and lint marks for a locale, computed on first use (or finished, when begun in slices). */
  localeView(localeId: string | null): LocaleView {
    const key = this.localeKey(localeId);
    const view = this.localeViews.get(key);
    if (view) return view;
    const build = this.localeBuild(key);
    this.advanceLocaleBuild(key, build, () => false);
    return this.finishLocaleBuild(key, build);
  }

  /**
   * Works on a locale's view until `deadline` (a `performance.now()` time) and says whether it
   * is complete. Linting every image takes ~140 ms at 100,000 assets: in slices, with tasks
   * between them, a keystroke made meanwhile is answered at once. `localeView` finishes the rest.
   */
  prepareLocaleView(localeId: string | null, deadline: number): boolean {
    const key = this.localeKey(localeId);
    if (this.localeViews.has(key)) return true;
    const build = this.localeBuild(key);
    if (!this.advanceLocaleBuild(key, build, () => performance.now() >= deadline)) return false;
    this.finishLocaleBuild(key, build);
    return true;
  }

  private localeBuild(key: string): LocaleBuild {
    let build = this.localeBuilds.get(key);
    if (!build) {
      const count = this.assets.length;
      const facts: LintFacts = { flagged: new Uint8Array(count), textKeys: new Array<string | undefined>(count) };
      build = { states: new Uint8Array(count), lint: new Uint8Array(count), facts, sameText: new Map(), next: 0 };
      this.localeBuilds.set(key, build);
      this.lintFacts.set(key, facts);
    }
    return build;
  }

  /** Lints from where the build stopped; false when `timeUp` (asked every 512 assets) stopped it first. */
  private advanceLocaleBuild(key: string, build: LocaleBuild, timeUp: () => boolean): boolean {
    const locale = key === '' ? null : key;
    const count = this.assets.length;
    const { states, lint, facts, sameText } = build;
    const carried = this.carriedLint?.get(key);
    const before = this.before;
    for (let i = build.next; i < count; i += 1) {
      if ((i & 511) === 0 && i > build.next && timeUp()) {
        build.next = i;
        return false;
      }
      const asset = this.assets[i] as IndexedAsset;
      if (this.kinds[i] !== KIND_CODES.image) continue;
      const own = ownAltText(asset, locale);
      // A secondary locale without its own text shows the primary's: decorative stays
      // decorative, but text in another language is missing for this locale.
      const text = own === undefined ? (asset.altText === null ? null : '') : own;
      states[i] = text === null ? ALT_STATE.decorative : text.trim() ? ALT_STATE.text : ALT_STATE.missing;
      // Missing alt text has its own filter; `lint` is about the text that is there.
      if (states[i] !== ALT_STATE.text || text === null) continue;
      const was = carried && before ? (before[i] as number) : -1;
      if (carried && was >= 0 && carried.flagged[was] !== 0) {
        facts.flagged[i] = carried.flagged[was] as number;
        facts.textKeys[i] = carried.textKeys[was];
      } else {
        facts.flagged[i] = lintAltText(text, asset).length > 0 ? LINT_FLAGGED : LINT_CLEAN;
        facts.textKeys[i] = normalizeAltText(text) || undefined;
      }
      if (facts.flagged[i] === LINT_FLAGGED) lint[i] = 1;
      const textKey = facts.textKeys[i];
      if (textKey === undefined) continue; // only punctuation: nothing to repeat
      sameText.set(textKey, (sameText.get(textKey) ?? 0) + 1);
    }
    build.next = count;
    return true;
  }

  private finishLocaleBuild(key: string, build: LocaleBuild): LocaleView {
    const { states, lint, facts, sameText } = build;
    const textKeys = facts.textKeys;
    // The same text on many images is a finding that depends on the whole list.
    for (let i = 0; i < textKeys.length; i += 1) {
      const textKey = textKeys[i];
      if (textKey !== undefined && (sameText.get(textKey) ?? 0) >= REPEATED_ALT_TEXT_MIN) lint[i] = 1;
    }
    const view = { states, lint, sameText };
    this.localeViews.set(key, view);
    this.localeBuilds.delete(key);
    this.carriedLint?.delete(key);
    if (this.carriedLint?.size === 0) this.carriedLint = null;
    this.dropBeforeWhenDone();
    return view;
  }

  /** Asset positions in ascending order of a sort key (ties keep the list's order). */
  order(sort: IndexSort): Int32Array {
    let order = this.orders.get(sort);
    if (order) return order;
    const compare = this.comparator(sort);
    order = this.carriedOrder(sort, compare) ?? Int32Array.from(Array.from({ length: this.assets.length }, (_, i) => i).sort(compare));
    this.orders.set(sort, order);
    // Once every order the previous index had is carried over, its list can go.
    if (this.carried && [...this.carried.orders.keys()].every((key) => this.orders.has(key))) this.carried = null;
    this.dropBeforeWhenDone();
    return order;
  }

  /** The previous index's positions are kept only while orders or lint are still to carry. */
  private dropBeforeWhenDone(): void {
    if (!this.carried && !this.carriedLint) this.before = null;
  }

  /** Compares two positions by a sort key, ties by position (the list's order). */
  private comparator(sort: IndexSort): (a: number, b: number) => number {
    const assets = this.assets as IndexedAsset[];
    if (sort === 'size') {
      const sizes = Float64Array.from(assets, (asset) => asset.size);
      return (a, b) => (sizes[a] as number) - (sizes[b] as number) || a - b;
    }
    return byKeyThenPosition(sort === 'name' ? this.nameKeys : assets.map((asset) => asset.createdOn));
  }

  /**
   * The previous index's order with its unchanged assets at their new positions, and the
   * changed or new ones sorted and merged in; null when there is none to carry over or too
   * much changed. Unchanged assets are the same objects (an update replaces an asset's object).
   */
  private carriedOrder(sort: IndexSort, compare: (a: number, b: number) => number): Int32Array | null {
    const previousOrder = this.carried?.orders.get(sort);
    const previousAssets = this.carried?.assets;
    if (!previousOrder || !previousAssets) return null;
    const count = this.assets.length;
    const before = this.before;
    if (!before) return null;
    // Where each asset of the previous list is now (-1: gone or changed).
    const now = new Int32Array(previousAssets.length).fill(-1);
    for (let i = 0; i < count; i += 1) if ((before[i] as number) >= 0) now[before[i] as number] = i;
    const kept = new Int32Array(count);
    let keptCount = 0;
    const isKept = new Uint8Array(count);
    for (const position of previousOrder) {
      const at = now[position] as number;
      if (at < 0 || isKept[at] === 1) continue;
      // The list may have been reordered, not only updated: then the old order is no guide.
      if (keptCount > 0 && compare(kept[keptCount - 1] as number, at) > 0) return null;
      kept[keptCount] = at;
      keptCount += 1;
      isKept[at] = 1;
    }
    if (count - keptCount > count * CARRY_OVER_MAX_SHARE) return null;
    const changed: number[] = [];
    for (let i = 0; i < count; i += 1) if (isKept[i] === 0) changed.push(i);
    changed.sort(compare);
    const order = new Int32Array(count);
    let k = 0;
    let c = 0;
    for (let step = 0; step < count; step += 1) {
      const fromKept = k < keptCount && (c >= changed.length || compare(kept[k] as number, changed[c] as number) < 0);
      order[step] = fromKept ? (kept[k++] as number) : (changed[c++] as number);
    }
    return order;
  }

  /**
   * A mark of 1 per given position, in an array reused between calls (valid until the next
   * call): allocating 20,000 bytes on every keystroke feeds the garbage collector.
   */
  markPositions(positions: Int32Array): Uint8Array {
    if (!this.marks) this.marks = new Uint8Array(this.assets.length);
    const marks = this.marks;
    // Indexed loops, not for…of: a typed array's iterator made an object per position at this tier.
    const marked = this.marked;
    if (marked) for (let i = 0; i < marked.length; i += 1) marks[marked[i] as number] = 0;
    for (let i = 0; i < positions.length; i += 1) marks[positions[i] as number] = 1;
    this.marked = positions;
    return marks;
  }

  /** Each asset's place in `order(sort)`. */
  rank(sort: IndexSort): Int32Array {
    let rank = this.ranks.get(sort);
    if (!rank) {
      const order = this.order(sort);
      rank = new Int32Array(order.length);
      for (let step = 0; step < order.length; step += 1) rank[order[step] as number] = step;
      this.ranks.set(sort, rank);
    }
    return rank;
  }

  /** Per folder slot: 1 when inside the folder (descendants included). Null when no folder is chosen. */
  folderFilter(folderId: string | null): Uint8Array | null {
    if (folderId === null) return null;
    let marks = this.folderMarks.get(folderId);
    if (!marks) {
      marks = descendantMarks(this.folders, folderId);
      this.folderMarks.set(folderId, marks);
    }
    return marks;
  }

  /**
   * Positions of the assets whose haystack holds every word of the search text, ascending;
   * null when there is no search text (every asset matches).
   */
  textMatches(text: string): Int32Array | null {
    const key = searchKey(text);
    const words = key.split(' ').filter(Boolean);
    if (words.length === 0) {
      this.textTrail = [];
      return null;
    }
    // Narrow from the longest earlier answer whose text this one extends (typing, or backspacing to it).
    while (this.textTrail.length > 0 && !key.startsWith((this.textTrail[this.textTrail.length - 1] as { key: string }).key)) {
      this.textTrail.pop();
    }
    const base = this.textTrail[this.textTrail.length - 1];
    if (base && base.key === key) return base.matches;
    const known = base ? undefined : this.firstLetters.get(key);
    if (known) {
      this.textTrail.push({ key, matches: known });
      return known;
    }
    this.makeHaystacks(() => false);
    const found = new Int32Array(base ? base.matches.length : this.assets.length);
    let foundCount = 0;
    const haystacks = this.haystacks;
    // Indexed loops, not for…of: the iterators (one per asset for the words) were most of what a
    // keystroke allocated, and so of the garbage collections that landed in typing.
    const wordCount = words.length;
    const consider = (position: number): void => {
      const haystack = haystacks[position] as string;
      for (let w = 0; w < wordCount; w += 1) if (!haystack.includes(words[w] as string)) return;
      found[foundCount] = position;
      foundCount += 1;
    };
    if (base) {
      const previous = base.matches;
      for (let i = 0; i < previous.length; i += 1) consider(previous[i] as number);
    } else {
      for (let position = 0; position < this.assets.length; position += 1) consider(position);
    }
    const matches = found.slice(0, foundCount);
    if (!base && key.length === 1 && this.firstLetters.size < FIRST_LETTERS_KEPT) this.firstLetters.set(key, matches);
    this.textTrail.push({ key, matches });
    if (this.textTrail.length > 64) this.textTrail.shift();
    return matches;
  }
}

/** Builds the index of an asset list; build a new one when the list changes (unchanged assets are reused). */
export function buildSearchIndex(assets: readonly IndexedAsset[], options: SearchIndexOptions = {}): SearchIndex {
  return new SearchIndex(assets, options);
}
