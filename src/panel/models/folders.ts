/**
 * The folder tree with counts (each folder counts its descendants' assets too), creating
 * folders (nested) and moving assets, which is journaled like any other change.
 */
import { computed, type ReadonlySignal } from '@preact/signals';
import type { Folder } from '../../core/api.ts';
import type { BackendPort } from '../ports/backend.ts';
import { describeError, type AnnouncerModel } from './announcer.ts';
import type { AssetsModel } from './assets.ts';
import type { EditsModel } from './edits.ts';

export interface FolderRow {
  folder: Folder;
  depth: number;
  /** Assets in this folder and its descendants. */
  count: number;
}

export interface FoldersModel {
  /** Depth-first, children sorted by name. */
  rows: ReadonlySignal<FolderRow[]>;
  rootCount: ReadonlySignal<number>;
  nameOf(folderId: string | null): string;
  create(name: string, parentId: string | null): Promise<Folder | null>;
  move(assetIds: string[], folderId: string): Promise<boolean>;
}

export interface FoldersOptions {
  backend: BackendPort;
  siteId: string;
  assets: AssetsModel;
  edits: EditsModel;
  announcer: AnnouncerModel;
}

export function folderTree(folders: Folder[], directCounts: Map<string | null, number>): FolderRow[] {
  const children = new Map<string | null, Folder[]>();
  const known = new Set(folders.map((folder) => folder.id));
  for (const folder of folders) {
    // A folder whose parent is unknown is shown at the top rather than lost.
    const parent = folder.parentId && known.has(folder.parentId) ? folder.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), folder]);
  }
  const rows: FolderRow[] = [];
  const visit = (parent: string | null, depth: number): number => {
    let total = 0;
    const list = [...(children.get(parent) ?? [])].sort((a, b) => a.name.localeCompare(b.name));
    for (const folder of list) {
      const row: FolderRow = { folder, depth, count: 0 };
      rows.push(row);
      row.count = (directCounts.get(folder.id) ?? 0) + visit(folder.id, depth + 1);
      total += row.count;
    }
    return total;
  };
  visit(null, 0);
  return rows;
}

export function createFoldersModel(options: FoldersOptions): FoldersModel {
  const { backend, siteId, assets, edits, announcer } = options;
  const directCounts = computed(() => {
    const counts = new Map<string | null, number>();
    for (const asset of assets.assets.value) {
      const folderId = edits.folderOf(asset);
      counts.set(folderId, (counts.get(folderId) ?? 0) + 1);
    }
    return counts;
  });
  const byId = computed(() => new Map(assets.folders.value.map((folder) => [folder.id, folder])));

  return {
    rows: computed(() => folderTree(assets.folders.value, directCounts.value)),
    rootCount: computed(() => assets.assets.value.length),
    nameOf(folderId) {
      if (!folderId) return 'Top level';
      return byId.value.get(folderId)?.name ?? 'Unknown folder';
    },
    async create(name, parentId) {
      const trimmed = name.trim();
      if (!trimmed) {
        announcer.say('Give the folder a name.', 'error');
        return null;
      }
      try {
        const folder = await backend.createFolder(siteId, trimmed, parentId);
        assets.addFolder(folder);
        announcer.say(`Created folder ${folder.name}.`, 'success');
        return folder;
      } catch (failure) {
        announcer.say(`The folder could not be created: ${describeError(failure)}`, 'error');
        return null;
      }
    },
    async move(assetIds, folderId) {
      const name = byId.value.get(folderId)?.name ?? 'the folder';
      const count = assetIds.length;
      const moved = await edits.moveToFolder(assetIds, folderId, `Move ${count} ${count === 1 ? 'asset' : 'assets'} to ${name}`);
      if (moved) announcer.say(`Moving ${count} ${count === 1 ? 'asset' : 'assets'} to ${name}.`, 'success');
      return moved;
    },
  };
}
