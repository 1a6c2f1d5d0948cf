/**
 * The folder tree with counts: choosing a folder filters the grid (with its descendants) and
 * shows the grid if another view (On this page, CMS images, the Report) was showing,
 * dropping rows onto a folder moves them, and a small form creates a folder inside the chosen one.
 */
import { batch, useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import type { Workspace } from '../workspace.ts';
import { formatCount } from './format.ts';

export const DRAG_TYPE = 'application/x-asset-desk-assets';

export function FolderPane({ workspace }: { workspace: Workspace }) {
  const { find, folders, readOnly } = workspace;
  const dropTarget = useSignal<string | null>(null);
  const creating = useSignal(false);
  const name = useSignal('');
  const newFolderButton = useRef<HTMLButtonElement>(null);
  // Focus goes back to "New folder" once the form closes, so the keyboard user is not lost.
  const refocus = useRef(false);
  useEffect(() => {
    // An effect of an earlier render may run first, before the button is back: wait for it.
    if (refocus.current && newFolderButton.current) {
      refocus.current = false;
      newFolderButton.current.focus();
    }
  });
  const close = () => {
    refocus.current = true;
    creating.value = false;
  };
  /** A folder chosen from another view shows it in the grid: the other views are not by folder. */
  const choose = (folderId: string | null) => {
    batch(() => {
      find.folderId.value = folderId;
      if (workspace.onPage.view.value !== 'assets') workspace.onPage.show('assets');
      if (workspace.report.open.value) workspace.report.hide();
    });
  };
  const counts = find.counts.value;
  const current = find.folderId.value;

  function onDrop(folderId: string, event: DragEvent) {
    event.preventDefault();
    dropTarget.value = null;
    const raw = event.dataTransfer?.getData(DRAG_TYPE);
    if (!raw || readOnly) return;
    const ids = (JSON.parse(raw) as unknown[]).filter((id): id is string => typeof id === 'string');
    if (ids.length > 0) void folders.move(ids, folderId);
  }

  async function onCreate(event: Event) {
    event.preventDefault();
    const created = await folders.create(name.value, current);
    if (!created) return;
    name.value = '';
    close();
  }

  return (
    <nav class="folder-pane" aria-label="Folders">
      <h2>Folders</h2>
      <ul>
        <li>
          <button type="button" aria-pressed={current === null} aria-label={`All folders, ${assetCount(counts.filter.all)}`} onClick={() => choose(null)}>
            <FolderName name="All folders" count={counts.filter.all} />
          </button>
        </li>
        {folders.rows.value.map((row) => (
          <li key={row.folder.id}>
            <button
              type="button"
              class={dropTarget.value === row.folder.id ? 'drop-target' : ''}
              style={{ paddingLeft: `${8 + row.depth * 12}px` }}
              aria-pressed={current === row.folder.id}
              aria-label={`${row.folder.name}, ${assetCount(counts.folders.get(row.folder.id) ?? 0)}`}
              onClick={() => choose(row.folder.id)}
              onDragOver={(event) => {
                if (readOnly) return;
                event.preventDefault();
                dropTarget.value = row.folder.id;
              }}
              onDragLeave={() => (dropTarget.value = null)}
              onDrop={(event) => onDrop(row.folder.id, event)}
            >
              <FolderName name={row.folder.name} count={counts.folders.get(row.folder.id) ?? 0} />
            </button>
          </li>
        ))}
      </ul>
      {!readOnly &&
        (creating.value ? (
          <form onSubmit={onCreate}>
            <input
              type="text"
              aria-label={current ? `New folder name, inside ${folders.nameOf(current)}` : 'New folder name'}
              value={name.value}
              maxLength={100}
              autoFocus
              onInput={(event) => (name.value = event.currentTarget.value)}
              onKeyDown={(event) => {
                if (event.key === 'Escape') close();
              }}
            />
            <button type="submit" class="primary">
              Create
            </button>
          </form>
        ) : (
          <button type="button" ref={newFolderButton} onClick={() => (creating.value = true)}>
            New folder
          </button>
        ))}
    </nav>
  );
}

/** "356 assets", "1 asset": the count as the button's name says it. */
function assetCount(count: number): string {
  return `${formatCount(count)} ${count === 1 ? 'asset' : 'assets'}`;
}

/**
 * A folder button's visible words, "Blog 356". The button's name, "Blog, 356 assets", starts with
 * them, so a speech user who says what they see reaches it (WCAG 2.5.3); the space keeps the two
 * words apart where the name is read from the text, as axe and speech tools do.
 */
function FolderName({ name, count }: { name: string; count: number }) {
  return (
    <>
      <span>{name}</span>{' '}
      <span class="count" aria-hidden="true">
        {formatCount(count)}
      </span>
    </>
  );
}
