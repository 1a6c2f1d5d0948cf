/**
 * Creating a folder where the folder pane is not shown (the compact layout): the same action as
 * the pane's "New folder", inside the folder the grid is showing.
 */
import { useSignal } from '@preact/signals';
import type { Workspace } from '../workspace.ts';
import { Dialog } from './Dialog.tsx';

export function NewFolderDialog({ workspace, onClose }: { workspace: Workspace; onClose: () => void }) {
  const { folders, find } = workspace;
  const parentId = find.folderId.value;
  const name = useSignal('');

  async function create(event: Event) {
    event.preventDefault();
    if (await folders.create(name.value, parentId)) onClose();
  }

  return (
    <Dialog title={parentId ? `New folder inside ${folders.nameOf(parentId)}` : 'New folder'} onClose={onClose}>
      <form onSubmit={create} style={{ display: 'contents' }}>
        <label class="field">
          Name
          <input type="text" value={name.value} maxLength={100} onInput={(event) => (name.value = event.currentTarget.value)} />
        </label>
        <div class="actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" class="primary">
            Create
          </button>
        </div>
      </form>
    </Dialog>
  );
}
