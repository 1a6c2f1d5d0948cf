/**
 * The index on the wire to the panel (`GET /index?format=compact`): the same `IndexResponse`,
 * laid out by column, with what the panel can rebuild left out. A 10,000-asset index was 824 KB
 * gzipped as an array of objects; by column ~350 KB (docs/decisions/compact-index.md):
 * - one array per field, so like values sit together and compress together;
 * - `url` left out when it is the site's CDN pattern (`<urlBase><id>_<encoded file name>`), the
 *   thumbnail when it is the URL itself or its `-p-500` variant, `name` when it is the file name;
 * - content types and folder ids as numbers into a list of the distinct ones;
 * - alt text in other locales by locale, for the assets that have their own only;
 * - times as seconds since the epoch, `lastUpdated` as seconds after `createdOn`;
 * - `md5` not sent: only the backend's duplicate check reads it (decoded as null);
 * - assets in the grid's name order (`nameSortKey`), so the panel's first sort is one pass.
 * Anything that does not follow a pattern is sent whole, so decoding always gives back the
 * index's assets (in that order). At 100,000 assets the body is what the panel waits for on
 * opening: compact-1 sent content types, folder ids and locale ids in full, 19.2 MB.
 */
import type { IndexResponse, IndexedAsset } from './api.ts';
import { byKeyThenPosition, nameSortKey } from './display-name.ts';

export const COMPACT_INDEX_FORMAT = 'compact-2';

/** How `thumbUrl` relates to `url`: null none, 0 the URL itself, 1 its -p-500 variant, or the whole string. */
type Thumb = null | 0 | 1 | string;

/** One locale's own alt texts: `text[k]` belongs to the asset at position `at[k]`. */
export interface LocaleColumn {
  locale: string;
  at: number[];
  text: Array<string | null>;
}

export interface CompactIndex extends Omit<IndexResponse, 'assets'> {
  format: typeof COMPACT_INDEX_FORMAT;
  /** The site's CDN prefix, e.g. `https://cdn.prod.website-files.com/<siteId>/`; null when none fits. */
  urlBase: string | null;
  /** The distinct content types, in order of first use. */
  contentTypes: string[];
  /** The distinct folder ids assets are in, in order of first use. */
  folderIds: string[];
  /** Alt text of their own in other locales, per locale (assets without any are in none). */
  localeAltText: LocaleColumn[];
  columns: {
    id: string[];
    /** 0: same as the file name. */
    name: Array<string | 0>;
    fileName: string[];
    /** Position in `contentTypes`. */
    contentType: number[];
    size: number[];
    /** 0: `<urlBase><id>_<encodeURIComponent(fileName)>`. */
    url: Array<string | 0>;
    thumb: Thumb[];
    /** Position in `folderIds`, or null at the top level. */
    folder: Array<number | null>;
    /** Seconds since the epoch (ISO strings that are not whole milliseconds are sent whole). */
    createdOn: Array<number | string>;
    /** Seconds after createdOn, or the ISO string. */
    lastUpdated: Array<number | string>;
    altText: Array<string | null>;
  };
}

const VARIANT = '-p-500';

function conventionalUrl(base: string, id: string, fileName: string): string {
  return `${base}${id}_${encodeURIComponent(fileName)}`;
}

/** Whether the URL is the conventional one; a name holding half a character has none (encodeURIComponent throws). */
function isConventionalUrl(base: string, id: string, fileName: string, url: string): boolean {
  try {
    return url === conventionalUrl(base, id, fileName);
  } catch {
    return false;
  }
}

function variantOf(url: string): string {
  const slash = url.lastIndexOf('/');
  const dot = url.lastIndexOf('.');
  return dot > slash ? `${url.slice(0, dot)}${VARIANT}${url.slice(dot)}` : `${url}${VARIANT}`;
}

/** The CDN prefix most assets share (everything before `<id>_`), or null. */
function findUrlBase(assets: readonly IndexedAsset[]): string | null {
  for (const asset of assets.slice(0, 20)) {
    const at = asset.url.lastIndexOf(`/${asset.id}_`);
    if (at >= 0) return asset.url.slice(0, at + 1);
  }
  return null;
}

function toSeconds(iso: string): number | string {
  const ms = Date.parse(iso);
  // Only what comes back exactly is shortened.
  return Number.isFinite(ms) && new Date(ms).toISOString() === iso ? ms / 1000 : iso;
}

/**
 * Seconds since 1970 as `toISOString()` writes them (the encoder sends a number only for a time
 * that comes back exactly). A string built by hand from its parts was a chain of a dozen small
 * strings, ~540 bytes an asset for its two times, and at 100,000 assets the young generation's
 * copying of them was most of decoding's time: `toISOString` gives one flat string.
 */
function isoOf(value: number | string): string {
  return typeof value === 'string' ? value : new Date(Math.round(value * 1000)).toISOString();
}

/** Numbers values by first use: `codeOf` gives a value's position in `values`. */
function dictionary(): { values: string[]; codeOf(value: string): number } {
  const values: string[] = [];
  const codes = new Map<string, number>();
  return {
    values,
    codeOf(value) {
      let code = codes.get(value);
      if (code === undefined) {
        code = values.length;
        values.push(value);
        codes.set(value, code);
      }
      return code;
    },
  };
}

/** The assets in the grid's name order; equal keys keep the index's order. */
function inNameOrder(assets: readonly IndexedAsset[]): IndexedAsset[] {
  const order = Array.from(assets, (_, i) => i).sort(byKeyThenPosition(assets.map((asset) => nameSortKey(asset.name))));
  return order.map((i) => assets[i] as IndexedAsset);
}

export function encodeCompactIndex(index: IndexResponse): CompactIndex {
  const { assets: listed, ...rest } = index;
  const assets = inNameOrder(listed);
  const urlBase = findUrlBase(assets);
  const contentTypes = dictionary();
  const folderIds = dictionary();
  const locales = new Map<string, LocaleColumn>();
  const columns: CompactIndex['columns'] = {
    id: [],
    name: [],
    fileName: [],
    contentType: [],
    size: [],
    url: [],
    thumb: [],
    folder: [],
    createdOn: [],
    lastUpdated: [],
    altText: [],
  };
  assets.forEach((asset, position) => {
    columns.id.push(asset.id);
    columns.name.push(asset.name === asset.fileName ? 0 : asset.name);
    columns.fileName.push(asset.fileName);
    columns.contentType.push(contentTypes.codeOf(asset.contentType));
    columns.size.push(asset.size);
    columns.url.push(urlBase !== null && isConventionalUrl(urlBase, asset.id, asset.fileName, asset.url) ? 0 : asset.url);
    columns.thumb.push(asset.thumbUrl === null ? null : asset.thumbUrl === asset.url ? 0 : asset.thumbUrl === variantOf(asset.url) ? 1 : asset.thumbUrl);
    columns.folder.push(asset.folderId === null ? null : folderIds.codeOf(asset.folderId));
    const created = toSeconds(asset.createdOn);
    const updated = toSeconds(asset.lastUpdated);
    columns.createdOn.push(created);
    columns.lastUpdated.push(typeof created === 'number' && typeof updated === 'number' ? Math.round((updated - created) * 1000) / 1000 : asset.lastUpdated);
    columns.altText.push(asset.altText);
    for (const [locale, text] of Object.entries(asset.localeAltText)) {
      let column = locales.get(locale);
      if (!column) {
        column = { locale, at: [], text: [] };
        locales.set(locale, column);
      }
      column.at.push(position);
      column.text.push(text);
    }
  });
  return {
    ...rest,
    format: COMPACT_INDEX_FORMAT,
    urlBase,
    contentTypes: contentTypes.values,
    folderIds: folderIds.values,
    localeAltText: [...locales.values()],
    columns,
  };
}

/** Sets a key as an own property, `__proto__` included (a locale id is data). */
function setOwn(record: Record<string, string | null>, key: string, value: string | null): void {
  if (key === '__proto__') Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
  else record[key] = value;
}

const COLUMN_NAMES: ReadonlyArray<keyof CompactIndex['columns']> = ['id', 'name', 'fileName', 'contentType', 'size', 'url', 'thumb', 'folder', 'createdOn', 'lastUpdated', 'altText'];

function named<T>(values: readonly T[], code: number, what: string): T {
  const value = values[code];
  if (value === undefined) throw new Error(`The compact index names ${what} ${code}, which it does not list.`);
  return value;
}

export function decodeCompactIndex(compact: CompactIndex): IndexResponse {
  const { format: _format, urlBase, columns, contentTypes, folderIds, localeAltText: locales, ...rest } = compact;
  // Every column holds a value per asset: a shorter one would be read as nulls (a missing alt
  // text as decorative, a folder as the top level), so a body cut or mismatched is refused.
  for (const column of COLUMN_NAMES) if (!Array.isArray(columns[column])) throw new Error(`The compact index has no ${column} column.`);
  const count = columns.id.length;
  for (const column of COLUMN_NAMES) {
    const length = columns[column].length;
    if (length !== count) throw new Error(`The compact index's ${column} column holds ${length} values for ${count} assets.`);
  }
  const localeAltText: Array<Record<string, string | null>> = new Array(count);
  for (const { locale, at, text } of locales) {
    for (let k = 0; k < at.length; k += 1) {
      const position = at[k] as number;
      if (!(position >= 0 && position < count)) throw new Error(`The compact index gives alt text in ${locale} to asset ${position}, which it does not list.`);
      setOwn((localeAltText[position] ??= {}), locale, text[k] ?? null);
    }
  }
  const assets: IndexedAsset[] = new Array(count);
  for (let i = 0; i < count; i += 1) {
    const id = columns.id[i] as string;
    const fileName = columns.fileName[i] as string;
    const name = columns.name[i];
    const urlColumn = columns.url[i];
    const url = urlColumn === 0 ? conventionalUrl(urlBase ?? '', id, fileName) : (urlColumn as string);
    const thumb = columns.thumb[i] ?? null;
    const created = columns.createdOn[i] as number | string;
    const updated = columns.lastUpdated[i] as number | string;
    const folder = columns.folder[i] ?? null;
    const createdOn = isoOf(created);
    assets[i] = {
      id,
      name: name === 0 || name === undefined ? fileName : name,
      fileName,
      contentType: named(contentTypes, columns.contentType[i] as number, 'content type'),
      size: columns.size[i] as number,
      url,
      thumbUrl: thumb === null ? null : thumb === 0 ? url : thumb === 1 ? variantOf(url) : thumb,
      folderId: folder === null ? null : named(folderIds, folder, 'folder'),
      createdOn,
      // Most assets were not changed since they were made: the same string serves both.
      lastUpdated: updated === 0 && typeof created === 'number' ? createdOn : isoOf(typeof updated === 'number' && typeof created === 'number' ? created + updated : updated),
      altText: columns.altText[i] ?? null,
      localeAltText: localeAltText[i] ?? {},
      md5: null,
    };
  }
  return { ...rest, assets };
}
