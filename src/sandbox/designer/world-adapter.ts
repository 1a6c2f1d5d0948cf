/**
 * The sandbox's world in the Designer's words (the {@link DesignerWorld} port of the routes).
 * World errors become the Designer's failures: a missing object is `ResourceMissing`, a
 * refused value `InvalidRequest`.
 */
import { hostedPath } from '../api/wire.ts';
import { WorldError, type World, type WorldAsset } from '../world/world.ts';
import { siteInfoOf } from './site-info.ts';
import { DesignerFailure, type DesignerAsset, type DesignerWorld } from './port.ts';

export function designerWorldOf(world: World, baseUrl: () => string): DesignerWorld {
  const view = (asset: WorldAsset): DesignerAsset => ({
    id: asset.id,
    folderId: asset.folderId,
    displayName: asset.displayName,
    contentType: asset.contentType,
    hostedUrl: `${baseUrl()}${hostedPath(asset)}`,
  });
  return {
    siteInfo: (siteId) => designer(() => siteInfoOf(world.site(siteId))),
    localeIds: (siteId) => designer(() => world.localeIds(siteId)),
    issueIdToken: (siteId) => designer(() => world.issueIdToken(siteId)),
    listAssetIds: (siteId) => designer(() => world.listAssets(siteId).map((a) => a.id)),
    findAsset(siteId, assetId) {
      try {
        return view(world.asset(siteId, assetId));
      } catch (error) {
        if (error instanceof WorldError && error.kind === 'not_found') return undefined;
        throw error;
      }
    },
    altText: (siteId, assetId, localeId) => designer(() => world.altTextIn(world.asset(siteId, assetId), localeId)),
    updateAsset: (siteId, assetId, change) => designer(() => void world.updateAsset(siteId, assetId, change)),
    createAsset: (siteId, file) => designer(() => view(world.createAssetWithFile(siteId, file))),
    replaceFile: (siteId, assetId, file) => designer(() => void world.replaceFile(siteId, assetId, file)),
    listFolders: (siteId) => designer(() => world.listFolders(siteId).map(({ id, displayName, parentFolder }) => ({ id, displayName, parentFolder }))),
    createFolder: (siteId, folder) =>
      designer(() => {
        const { id, displayName, parentFolder } = world.createFolder(siteId, folder);
        return { id, displayName, parentFolder };
      }),
  };
}

/** Runs a world call, turning its errors into the Designer's failures. */
export function designer<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof WorldError) throw new DesignerFailure(error.kind === 'not_found' ? 'ResourceMissing' : 'InvalidRequest', error.message);
    throw error;
  }
}
