/** Asset folders: listed from the index, created through the Data API and indexed at once. */
import type { Folder } from '../../core/api.ts';
import { HttpError } from '../errors.ts';
import type { WebflowClient } from '../webflow/types.ts';
import type { AssetIndex } from './asset-index.ts';
import { httpErrorOf } from './webflow-errors.ts';

export type Folders = ReturnType<typeof createFolders>;

export function createFolders(options: { webflow: WebflowClient; index: AssetIndex; getSiteToken(siteId: string): Promise<string | undefined> }) {
  const { webflow, index, getSiteToken } = options;
  return {
    async list(siteId: string): Promise<Folder[]> {
      const known = await index.version(siteId);
      if (!known.known) await index.refresh(siteId);
      return index.folders(siteId);
    },

    async create(siteId: string, request: { name: string; parentId?: string | null | undefined }): Promise<Folder> {
      const token = await getSiteToken(siteId);
      if (!token) throw new HttpError(409, 'not_installed', 'Asset Desk is not installed on this site.');
      if (request.parentId && !(await index.folders(siteId)).some((f) => f.id === request.parentId)) {
        throw new HttpError(404, 'not_found', 'The parent folder does not exist (it may have been deleted); refresh and pick another.');
      }
      let created;
      try {
        created = await webflow.createFolder(token, siteId, { displayName: request.name, ...(request.parentId ? { parentFolder: request.parentId } : {}) }, { priority: 'interactive' });
      } catch (error) {
        throw httpErrorOf(error, `Creating the folder “${request.name}”`);
      }
      const folder: Folder = { id: created.id, name: created.displayName, parentId: created.parentFolder ?? null };
      await index.addFolder(siteId, folder);
      return folder;
    },
  };
}
