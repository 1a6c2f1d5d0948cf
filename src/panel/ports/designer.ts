/**
 * The designer port: everything the panel asks of the Webflow Designer through the `webflow`
 * global. The applier works by asset id; asset and folder handles are cached because every
 * Designer call is a round trip.
 */
import type { AltText } from '../../core/api.ts';
import { createCanvasPort, type CanvasPort } from './canvas.ts';
import { DesignerError } from './designer-error.ts';
import { createStylesPort, type StylesPort } from './styles.ts';

export { DesignerError };

export type NoticeType = 'Error' | 'Info' | 'Success' | 'Warning';
export type ExtensionSize = 'default' | 'comfortable' | 'large' | { width: number; height: number };

export interface SiteInfo {
  siteId: string;
  siteName: string;
}

export interface DesignerPort {
  getSiteInfo(): Promise<SiteInfo>;
  getIdToken(): Promise<string>;
  notify(type: NoticeType, message: string): Promise<void>;
  setExtensionSize(size: ExtensionSize): Promise<void>;
  /** Whether the user's role lets them change assets (`canManageAssets`). */
  canManageAssets(): Promise<boolean>;

  /**
   * Readies the handles of many assets at once (one `getAllAssets` round trip) instead of one
   * `getAssetById` round trip each; call before working through a batch.
   */
  prepareAssets?(assetIds: readonly string[]): Promise<void>;
  getAltText(assetId: string, localeId: string | null): Promise<AltText>;
  setAltText(assetId: string, altText: AltText, localeId: string | null): Promise<void>;
  getName(assetId: string): Promise<string>;
  setName(assetId: string, name: string): Promise<void>;
  /** The asset's folder id, null at the root. */
  getFolderId(assetId: string): Promise<string | null>;
  setFolder(assetId: string, folderId: string): Promise<void>;
  /** Replaces the asset's file (`asset.setFile`): every page and CMS item showing it shows the new one. */
  setFile?(assetId: string, file: File): Promise<void>;

  /** The page open in the Designer, its Image elements and the selection ("On this page"); absent where there is no canvas. */
  canvas?: CanvasPort;
  /** The site's styles' background images; absent in a Designer without `getAllStyles`. */
  styles?: StylesPort;
}

export function createDesignerPort(api: WebflowApi = webflow): DesignerPort {
  const assets = new Map<string, Promise<Asset>>();
  let folders: Map<string, AssetFolder> | null = null;

  function asset(assetId: string): Promise<Asset> {
    let found = assets.get(assetId);
    if (!found) {
      found = api.getAssetById(assetId).then((handle) => {
        if (!handle) throw new DesignerError(`The asset ${assetId} is no longer on this site; it may have been deleted.`);
        return handle;
      });
      // A failed lookup must not stick: the next attempt asks again.
      found.catch(() => assets.delete(assetId));
      assets.set(assetId, found);
    }
    return found;
  }

  async function folder(folderId: string): Promise<AssetFolder> {
    let handle = folders?.get(folderId);
    if (!handle) {
      // Unknown id: the folder may be new since the last listing, so list again once.
      folders = new Map((await api.getAllAssetFolders()).map((each) => [each.id, each]));
      handle = folders.get(folderId);
    }
    if (!handle) throw new DesignerError(`The folder ${folderId} is no longer on this site; pick another folder.`);
    return handle;
  }

  /** Above this many unknown handles, one listing of every asset beats a lookup each. */
  const BULK_LOOKUP_MIN = 8;
  let listing: Promise<void> | null = null;

  // A host without the canvas part of the Designer API (an older sandbox) gets the grid alone.
  const hasCanvas = typeof api.getAllElements === 'function' && typeof api.getCurrentPage === 'function' && typeof api.subscribe === 'function';
  return {
    ...(hasCanvas ? { canvas: createCanvasPort(api) } : {}),
    ...(typeof api.getAllStyles === 'function' ? { styles: createStylesPort(api) } : {}),
    async prepareAssets(assetIds) {
      const unknown = assetIds.filter((id) => !assets.has(id));
      if (unknown.length < BULK_LOOKUP_MIN) return;
      listing ??= api
        .getAllAssets()
        .then((all) => {
          for (const handle of all) if (!assets.has(handle.id)) assets.set(handle.id, Promise.resolve(handle));
        })
        .finally(() => (listing = null));
      await listing;
    },
    async getSiteInfo() {
      const info = await api.getSiteInfo();
      return { siteId: info.siteId, siteName: info.siteName };
    },
    getIdToken: () => api.getIdToken(),
    async notify(type, message) {
      await api.notify({ type, message });
    },
    async setExtensionSize(size) {
      await api.setExtensionSize(size);
    },
    async canManageAssets() {
      try {
        const abilities = await api.canForAppMode([api.appModes.canManageAssets]);
        return abilities.canManageAssets === true;
      } catch (error) {
        // A Designer without app-mode checks: the Designer still refuses writes the user may not
        // make (they show as failed changes), so the panel opens editable rather than not at all.
        console.warn('Asset Desk could not check the canManageAssets ability; assuming it.', error);
        return true;
      }
    },
    async getAltText(assetId, localeId) {
      const handle = await asset(assetId);
      return localeId ? handle.getAltText(localeId) : handle.getAltText();
    },
    async setAltText(assetId, altText, localeId) {
      const handle = await asset(assetId);
      await (localeId ? handle.setAltText(altText, localeId) : handle.setAltText(altText));
    },
    async getName(assetId) {
      return (await asset(assetId)).getName();
    },
    async setName(assetId, name) {
      await (await asset(assetId)).setName(name);
    },
    async getFolderId(assetId) {
      return (await (await asset(assetId)).getParent())?.id ?? null;
    },
    async setFolder(assetId, folderId) {
      const [handle, target] = await Promise.all([asset(assetId), folder(folderId)]);
      await handle.setParent(target);
    },
    async setFile(assetId, file) {
      await (await asset(assetId)).setFile(file);
    },
  };
}
