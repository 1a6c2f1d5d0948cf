/** From the Data API's wire shapes to the index's: assets, folders, locales. */
import type { Folder, IndexedAsset, Locale } from '../../core/api.ts';
import type { WireAsset, WireFolder, WireSite } from '../webflow/types.ts';

/** Alt text of one asset: the primary locale's, and the secondary locales' own values. */
export interface AssetAltText {
  primary: string | null;
  locales: Record<string, string | null>;
}

/** The panel's view of a Data API asset. */
export function indexedAssetOf(wire: WireAsset, altText: AssetAltText, md5: string | null = null): IndexedAsset {
  return {
    id: wire.id,
    name: wire.displayName || wire.originalFileName,
    fileName: wire.originalFileName,
    contentType: wire.contentType,
    size: wire.size,
    url: wire.hostedUrl,
    thumbUrl: thumbUrlOf(wire),
    folderId: wire.folderId ?? null,
    createdOn: wire.createdOn,
    lastUpdated: wire.lastUpdated,
    altText: altText.primary,
    localeAltText: altText.locales,
    md5,
  };
}

/** The smallest usable image variant (the grid shows small tiles), the file itself without one, none for documents. */
export function thumbUrlOf(wire: Pick<WireAsset, 'contentType' | 'hostedUrl' | 'variants'>): string | null {
  if (!wire.contentType.startsWith('image/')) return null;
  let smallest: WireAsset['variants'][number] | undefined;
  for (const variant of wire.variants ?? []) {
    if (variant.error) continue;
    if (!smallest || variant.width < smallest.width) smallest = variant;
  }
  return smallest?.hostedUrl ?? wire.hostedUrl;
}

/** The primary locale first, then the enabled secondary ones; none when the site is not localized. */
export function localesOf(site: WireSite): Locale[] {
  if (!site.locales) return [];
  const { primary, secondary } = site.locales;
  return [
    { id: primary.id, displayName: primary.displayName, tag: primary.tag, primary: true },
    ...secondary.filter((l) => l.enabled).map((l) => ({ id: l.id, displayName: l.displayName, tag: l.tag, primary: false })),
  ];
}

export function folderOf(wire: WireFolder): Folder {
  return { id: wire.id, name: wire.displayName, parentId: wire.parentFolder ?? null };
}
