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

function fromSeconds(value: number | string): string {
  return typeof value === 'string' ? value : new Date(Math.round(value * 1000)).toISOString();
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
    columns.url.push(urlBase !== null && asset.url === conventionalUrl(urlBase, asset.id, asset.fileName) ? 0 : asset.url);
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
