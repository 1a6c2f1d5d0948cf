/**
 * The index on the wire to the panel (`GET /index?format=compact`): the same `IndexResponse`,
 * laid out by column, with what the panel can rebuild left out. A 10,000-asset index was 824 KB
 * gzipped as an array of objects; by column ~350 KB (docs/decisions/compact-index.md):
 * - one array per field, so like values sit together and compress together;
 * - `url` left out when it is the site's CDN pattern (`<urlBase><id>_<encoded file name>`), the
 *   thumbnail when it is the URL itself or its `-p-500` variant, `name` when it is the file name;
 * - times as seconds since the epoch, `lastUpdated` as seconds after `createdOn`;
 * - `md5` not sent: only the backend's duplicate check reads it (decoded as null).
 * Anything that does not follow a pattern is sent whole, so decoding always gives back the index.
 */
import type { IndexResponse, IndexedAsset } from './api.ts';

export const COMPACT_INDEX_FORMAT = 'compact-1';

/** How `thumbUrl` relates to `url`: null none, 0 the URL itself, 1 its -p-500 variant, or the whole string. */
type Thumb = null | 0 | 1 | string;

export interface CompactIndex extends Omit<IndexResponse, 'assets'> {
  format: typeof COMPACT_INDEX_FORMAT;
  /** The site's CDN prefix, e.g. `https://cdn.prod.website-files.com/<siteId>/`; null when none fits. */
  urlBase: string | null;
  columns: {
    id: string[];
    /** 0: same as the file name. */
    name: Array<string | 0>;
    fileName: string[];
    contentType: string[];
    size: number[];
    /** 0: `<urlBase><id>_<encodeURIComponent(fileName)>`. */
    url: Array<string | 0>;
    thumb: Thumb[];
    folderId: Array<string | null>;
    /** Seconds since the epoch (ISO strings that are not whole milliseconds are sent whole). */
    createdOn: Array<number | string>;
    /** Seconds after createdOn, or the ISO string. */
    lastUpdated: Array<number | string>;
    altText: Array<string | null>;
    /** 0: none of their own. */
    localeAltText: Array<Record<string, string | null> | 0>;
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

const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`);

/**
 * Seconds since 1970 as `toISOString()` writes them, without a Date per value: 20,000 of those
 * were a tenth of the panel's work on opening a 10,000-asset site. Days to a civil date after
 * Howard Hinnant's `civil_from_days`; years 1970–9999 only, others go through Date.
 */
function fromSeconds(value: number | string): string {
  if (typeof value === 'string') return value;
  const ms = Math.round(value * 1000);
  if (ms < 0 || ms >= 253402300800000) return new Date(ms).toISOString();
  const days = Math.floor(ms / 86_400_000);
  let rest = ms - days * 86_400_000;
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  const millis = rest - seconds * 1000;
  const fraction = millis < 10 ? `00${millis}` : millis < 100 ? `0${millis}` : `${millis}`;
  return `${year}-${pad2(month)}-${pad2(day)}T${pad2(hours)}:${pad2(minutes)}:${pad2(seconds)}.${fraction}Z`;
}

export function encodeCompactIndex(index: IndexResponse): CompactIndex {
  const { assets, ...rest } = index;
  const urlBase = findUrlBase(assets);
  const columns: CompactIndex['columns'] = {
    id: [],
    name: [],
    fileName: [],
    contentType: [],
    size: [],
    url: [],
    thumb: [],
    folderId: [],
    createdOn: [],
    lastUpdated: [],
    altText: [],
    localeAltText: [],
  };
  for (const asset of assets) {
    columns.id.push(asset.id);
    columns.name.push(asset.name === asset.fileName ? 0 : asset.name);
    columns.fileName.push(asset.fileName);
    columns.contentType.push(asset.contentType);
    columns.size.push(asset.size);
    columns.url.push(urlBase !== null && isConventionalUrl(urlBase, asset.id, asset.fileName, asset.url) ? 0 : asset.url);
    columns.thumb.push(asset.thumbUrl === null ? null : asset.thumbUrl === asset.url ? 0 : asset.thumbUrl === variantOf(asset.url) ? 1 : asset.thumbUrl);
    columns.folderId.push(asset.folderId);
    const created = toSeconds(asset.createdOn);
    const updated = toSeconds(asset.lastUpdated);
    columns.createdOn.push(created);
    columns.lastUpdated.push(typeof created === 'number' && typeof updated === 'number' ? Math.round((updated - created) * 1000) / 1000 : asset.lastUpdated);
    columns.altText.push(asset.altText);
    columns.localeAltText.push(Object.keys(asset.localeAltText).length === 0 ? 0 : asset.localeAltText);
  }
  return { ...rest, format: COMPACT_INDEX_FORMAT, urlBase, columns };
}

export function decodeCompactIndex(compact: CompactIndex): IndexResponse {
  const { format: _format, urlBase, columns, ...rest } = compact;
  const assets: IndexedAsset[] = new Array(columns.id.length);
  for (let i = 0; i < columns.id.length; i += 1) {
    const id = columns.id[i] as string;
    const fileName = columns.fileName[i] as string;
    const name = columns.name[i];
    const urlColumn = columns.url[i];
    const url = urlColumn === 0 ? conventionalUrl(urlBase ?? '', id, fileName) : (urlColumn as string);
    const thumb = columns.thumb[i] ?? null;
    const created = columns.createdOn[i] as number | string;
    const updated = columns.lastUpdated[i] as number | string;
    const localeAltText = columns.localeAltText[i];
    assets[i] = {
      id,
      name: name === 0 || name === undefined ? fileName : name,
      fileName,
      contentType: columns.contentType[i] as string,
      size: columns.size[i] as number,
      url,
      thumbUrl: thumb === null ? null : thumb === 0 ? url : thumb === 1 ? variantOf(url) : thumb,
      folderId: columns.folderId[i] ?? null,
      createdOn: fromSeconds(created),
      lastUpdated: typeof updated === 'number' && typeof created === 'number' ? fromSeconds(created + updated) : fromSeconds(updated),
      altText: columns.altText[i] ?? null,
      localeAltText: localeAltText === 0 || localeAltText === undefined ? {} : localeAltText,
      md5: null,
    };
  }
  return { ...rest, assets };
}
