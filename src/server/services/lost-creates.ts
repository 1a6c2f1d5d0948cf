/**
 * Finding what a create whose answer was lost made. Webflow may have created the asset or the
 * folder before the 500 or the dropped connection, so the backend looks before it creates
 * again, instead of sending the create a second time.
 *
 * An asset: the Data API's listing carries no hash, so the one the lost create made is an asset
 * with the same file name, in the same folder, with no file yet (size 0), created since the
 * upload was recorded (less a clock margin), that no upload of ours tracks. Listings come in
 * creation order, so the newest page is read first; a site with more than one page is read
 * whole only by the sweeper, in the background.
 *
 * A folder: the site's folders (one request) with the same name and parent that the index did
 * not know before the attempt.
 */
import type { Folder } from '../../core/api.ts';
import type { Store } from '../store/db.ts';
import { trackedAssetIds } from '../store/uploads.ts';
import type { Priority, WebflowClient, WireAsset, WireFolder } from '../webflow/types.ts';

/** Webflow's clock and the database's may disagree by this much. */
export const CLOCK_MARGIN_MS = 2 * 60_000;
const PAGE = 100;

export interface LostAssetLook {
  siteId: string;
  fileName: string;
  folderId: string | null;
  /** When the upload was recorded, before the create was sent. */
  since: Date;
}

export interface LostAssets {
  assets: WireAsset[];
  /** True when every asset that could be the one was read (so none found means none made). */
  complete: boolean;
}

export async function findLostAssets(
  deps: { store: Store; webflow: WebflowClient },
  token: string,
  look: LostAssetLook,
  options: { priority: Priority; wholeSite: boolean },
): Promise<LostAssets> {
  const { webflow, store } = deps;
  const list = (offset: number, limit: number) =>
    webflow.listAssets(token, look.siteId, { priority: options.priority, offset, limit, ...(look.folderId ? { folderId: look.folderId } : {}) });
  const first = await list(0, 1);
  const total = first.pagination.total;
  const offsets: number[] = [];
  if (options.wholeSite) for (let offset = 0; offset < total; offset += PAGE) offsets.push(offset);
  else offsets.push(Math.max(0, total - PAGE));
  const seen: WireAsset[] = [];
  for (const offset of offsets) seen.push(...(await list(offset, PAGE)).assets);
  const after = look.since.getTime() - CLOCK_MARGIN_MS;
  const candidates = seen.filter(
    (asset) =>
      asset.originalFileName === look.fileName &&
      !asset.size &&
      (asset.folderId ?? null) === look.folderId &&
      Date.parse(asset.createdOn) >= after,
  );
  const tracked = await trackedAssetIds(store, look.siteId, candidates.map((a) => a.id));
  return { assets: candidates.filter((asset) => !tracked.has(asset.id)), complete: options.wholeSite || total <= PAGE };
}

/** The folder a lost create made: same name and parent, not among the folders known before it. */
export function findLostFolder(folders: readonly WireFolder[], request: { name: string; parentId: string | null }, knownBefore: readonly Folder[]): WireFolder | undefined {
  const known = new Set(knownBefore.map((folder) => folder.id));
  const name = request.name.trim();
  return folders
    .filter((folder) => folder.displayName === name && (folder.parentFolder ?? null) === request.parentId && !known.has(folder.id))
    .sort((a, b) => Date.parse(b.createdOn) - Date.parse(a.createdOn))[0];
}
