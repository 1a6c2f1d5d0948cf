/**
 * The Data API's wire shapes, built from the world: what `GET /v2/…` answers. One place, so
 * the list, the single GET, the PATCH answer and the create answer agree on every field.
 */
import { wellFormed } from '../../core/api.ts';
import { kindOf } from '../../core/limits.ts';
import type { World, WorldAsset, WorldFolder, WorldSite } from '../world/world.ts';

/** The width of the responsive variant Webflow makes of larger raster images. */
export const VARIANT_WIDTH = 500;
const RESIZED_FORMATS = new Set(['png', 'jpg', 'jpeg', 'webp']);

export function hostedPath(asset: Pick<WorldAsset, 'siteId' | 'id' | 'originalFileName' | 'fileVersion'>, variant?: number): string {
  const name = variant === undefined ? asset.originalFileName : variantName(asset.originalFileName, variant);
  // A replaced file (setFile) is served at a new URL, so no cache holds on to the old bytes
  // (docs/decisions/replace-file.md); the CDN serves an asset's file by its id whatever follows.
  const version = asset.fileVersion ? `v${asset.fileVersion}_` : '';
  // A name holding half a character (Webflow's API takes one) is served under its well-formed
  // form: encodeURIComponent throws on it, which made the whole listing answer 500.
  return `/cdn/${asset.siteId}/${asset.id}_${version}${encodeURIComponent(wellFormed(name))}`;
}

function variantName(fileName: string, width: number): string {
  const dot = fileName.lastIndexOf('.');
  return dot < 0 ? `${fileName}-p-${width}` : `${fileName.slice(0, dot)}-p-${width}${fileName.slice(dot)}`;
}

function variantsOf(asset: WorldAsset, baseUrl: string) {
  const ext = asset.originalFileName.slice(asset.originalFileName.lastIndexOf('.') + 1).toLowerCase();
  const width = asset.file?.width;
  if (kindOf(asset.originalFileName) !== 'image' || !RESIZED_FORMATS.has(ext) || !width || width <= VARIANT_WIDTH) return [];
  const name = variantName(asset.originalFileName, VARIANT_WIDTH);
  return [
    {
      hostedUrl: `${baseUrl}${hostedPath(asset, VARIANT_WIDTH)}`,
      originalFileName: name,
      displayName: `${asset.id}_${name}`,
      format: ext === 'jpg' ? 'jpeg' : ext,
      width: VARIANT_WIDTH,
      height: asset.file?.height ? Math.round((asset.file.height * VARIANT_WIDTH) / width) : null,
      quality: 100,
      error: null,
    },
  ];
}

export function wireAsset(world: World, asset: WorldAsset, baseUrl: string, localeId: string, inList: boolean) {
  return {
    id: asset.id,
    contentType: asset.contentType,
    size: asset.file?.bytes.byteLength ?? 0,
    siteId: asset.siteId,
    hostedUrl: `${baseUrl}${hostedPath(asset)}`,
    originalFileName: asset.originalFileName,
    displayName: asset.displayName,
    lastUpdated: asset.lastUpdated,
    createdOn: asset.createdOn,
    variants: variantsOf(asset, baseUrl),
    altText: world.altTextIn(asset, localeId),
    ...(inList ? { folderId: asset.folderId } : {}),
  };
}

export function wireFolder(folder: WorldFolder, assetIds: string[]) {
  return {
    id: folder.id,
    displayName: folder.displayName,
    parentFolder: folder.parentFolder,
    assets: assetIds,
    siteId: folder.siteId,
    createdOn: folder.createdOn,
    lastUpdated: folder.lastUpdated,
  };
}

export function wireSite(site: WorldSite) {
  const locale = (l: WorldSite['locales']['primary']) => ({ ...l, displayImageId: null, redirect: true });
  return {
    id: site.id,
    workspaceId: site.workspaceId,
    createdOn: site.createdOn,
    displayName: site.displayName,
    shortName: site.shortName,
    lastPublished: site.lastPublished,
    lastUpdated: site.lastUpdated,
    previewUrl: site.previewUrl,
    timeZone: site.timeZone,
    parentFolderId: null,
    customDomains: site.customDomains,
    locales: { primary: locale(site.locales.primary), secondary: site.locales.secondary.map(locale) },
    dataCollectionEnabled: false,
    dataCollectionType: 'optOut' as const,
  };
}
