/**
 * Asset folders: listed from the index, created through the Data API and indexed at once.
 * Folders are few and cheap to read (one request), so when the index has none yet, or does not
 * know a parent the panel names (made in the Designer since the last refresh), they are read
 * from Webflow right away instead of waiting for a whole refresh.
 *
 * A create whose answer was lost is not sent again blindly: the site's folders are read, and a
 * folder of that name and parent that was not there before is adopted; only when there is none
 * is the create sent once more.
 */
import type { Folder } from '../../core/api.ts';
import { HttpError } from '../errors.ts';
import { failureKind } from '../webflow/retry.ts';
import { WebflowError, type WebflowClient, type WireFolder } from '../webflow/types.ts';
import type { AssetIndex } from './asset-index.ts';
import { findLostFolder } from './lost-creates.ts';
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

  /** Creates the folder once: after a lost answer, adopts what the create made, or sends it once more when it made nothing. */
  async function createOnce(token: string, siteId: string, request: { name: string; parentId: string | null }): Promise<WireFolder> {
    const knownBefore = await index.folders(siteId);
    const what = `Creating the folder “${request.name}”`;
    for (let tries = 1; ; tries += 1) {
      try {
        return await webflow.createFolder(token, siteId, { displayName: request.name, ...(request.parentId ? { parentFolder: request.parentId } : {}) }, { priority: 'interactive' });
      } catch (error) {
        if (!(error instanceof WebflowError) || failureKind(error) !== 'ambiguous') throw httpErrorOf(error, what);
        let adopted: WireFolder | undefined;
        try {
          adopted = findLostFolder(await webflow.listFolders(token, siteId, { priority: 'interactive' }), request, knownBefore);
        } catch {
          throw httpErrorOf(error, `${what} (Webflow did not confirm it; refresh the folders before creating it again)`);
        }
        if (adopted) return adopted;
        if (tries >= 2) throw httpErrorOf(error, what);
      }
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
      const created = await createOnce(token, siteId, { name: request.name, parentId });
      const folder: Folder = { id: created.id, name: created.displayName, parentId: created.parentFolder ?? null };
      await index.addFolder(siteId, folder);
      return folder;
    },
  };
}
