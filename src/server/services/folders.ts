/**
 * Asset folders: listed from the index, created through the Data API and indexed at once.
 * Folders are few and cheap to read (one request), so when the index has none yet, or does not
 * know a parent the panel names (made in the Designer since the last refresh), they are read
 * from Webflow right away instead of waiting for a whole refresh.
 */
import type { Folder } from '../../core/api.ts';
import { HttpError } from '../errors.ts';
import type { WebflowClient } from '../webflow/types.ts';
import type { AssetIndex } from './asset-index.ts';
import { httpErrorOf } from './webflow-errors.ts';

export interface FoldersOptions {
  webflow: WebflowClient;
  index: AssetIndex;
  getSiteToken(siteId: string): Promise<string | undefined>;
}

export type Folders = ReturnType<typeof createFolders>;

export function createFolders(options: FoldersOptions) {
  const { webflow, index, getSiteToken } = options;

  async function tokenOf(siteId: string): Promise<string> {
    const token = await getSiteToken(siteId);
    if (!token) throw new HttpError(409, 'not_installed', 'Asset Desk is not installed on this site: install it, then try again.');
    return token;
  }

  async function readFromWebflow(siteId: string): Promise<Folder[]> {
    await tokenOf(siteId);
    try {
      return await index.refreshFolders(siteId, 'interactive');
    } catch (error) {
      throw httpErrorOf(error, 'Reading the folders');
    }
  }

  return {
    async list(siteId: string): Promise<Folder[]> {
      const known = await index.folders(siteId);
      if (known.length > 0) return known;
      return readFromWebflow(siteId);
    },

    async create(siteId: string, request: { name: string; parentId?: string | null | undefined }): Promise<Folder> {
      const token = await tokenOf(siteId);
      const parentId = request.parentId ?? null;
      if (parentId && !(await index.folders(siteId)).some((f) => f.id === parentId)) {
        if (!(await readFromWebflow(siteId)).some((f) => f.id === parentId)) {
          throw new HttpError(404, 'not_found', `The parent folder ${parentId} does not exist (it may have been deleted); pick another folder.`);
        }
      }
      let created;
      try {
        created = await webflow.createFolder(token, siteId, { displayName: request.name, ...(parentId ? { parentFolder: parentId } : {}) }, { priority: 'interactive' });
      } catch (error) {
        throw httpErrorOf(error, `Creating the folder “${request.name}”`);
      }
      const folder: Folder = { id: created.id, name: created.displayName, parentId: created.parentFolder ?? null };
      await index.addFolder(siteId, folder);
      return folder;
    },
  };
}
