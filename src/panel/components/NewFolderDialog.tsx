/**
 * Creating a folder where the folder pane is not shown (the compact layout): the same action as
 * the pane's "New folder", inside the folder the grid is showing.
 */
import type { Workspace } from '../workspace.ts';
import { NameDialog } from './Dialog.tsx';

export function NewFolderDialog({ workspace, onClose }: { workspace: Workspace; onClose: () => void }) {
  const { folders, find } = workspace;
  const parentId = find.folderId.value;
  return (
    <NameDialog
      title={parentId ? `New folder inside ${folders.nameOf(parentId)}` : 'New folder'}
      initial=""
      action="Create"
      onSubmit={async (name) => (await folders.create(name, parentId)) !== null}
      onClose={onClose}
    />
  );
}
