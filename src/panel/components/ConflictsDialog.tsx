/** Conflicts side by side: what the designer wrote and what Webflow has now; they choose. */
import { useRef } from 'preact/hooks';
import type { AltText, Change } from '../../core/api.ts';
import { readableName } from '../../core/display-name.ts';
import type { Workspace } from '../workspace.ts';
import { Dialog } from './Dialog.tsx';

function shown(change: Change, value: AltText | undefined, workspace: Workspace): string {
  if (change.field === 'folder') return workspace.folders.nameOf(value ?? null);
  // A file is named by its MD5 (docs/decisions/replace-file.md).
  if (change.field === 'file') return value ? `the file with MD5 ${value.slice(0, 8)}…` : '(unknown file)';
  // A page element's null is its asset's alt text, not decorative (docs/decisions/element-changes.md).
  if (change.target && value === null) return 'Uses the asset’s alt text';
  // A CMS image's null is no alt at all (docs/decisions/cms-changes.md).
  if (change.cmsTarget && value === null) return '(no alt text)';
  if (value === null) return 'Decorative (no alt text)';
  if (value === undefined || value === '') return '(empty)';
  return `“${value}”`;
}

/**
 * A deletion's conflict: the asset was found in use (or its restore could not go as journaled).
 * The journal never forces a deletion over Webflow's state (it refuses "keep yours", 409), so
 * the only choice is to keep the asset as Webflow has it (docs/decisions/asset-deletion.md).
 */
const DELETED = 'deleted';
const IN_USE = 'in use';

function DeletionConflict({ change, name, onKeep }: { change: Change; name: string; onKeep: () => void }) {
  const deleting = change.after === DELETED;
  return (
    <>
      <dl class="values">
        <dt>Yours</dt>
        <dd>{deleting ? 'Delete it' : 'Restore it'}</dd>
        <dt>Webflow now</dt>
        <dd>{change.current === IN_USE ? 'In use' : deleting ? 'Kept' : 'Deleted'}</dd>
      </dl>
      <p>
        {deleting
          ? 'It is used now, or was since you chose to delete it: Asset Desk never deletes an asset in use, so it stays. Its uses are in “Where used”.'
          : 'Its restore cannot be forced over Webflow’s state: dismiss it, then upload the file again if you need it.'}
      </p>
      <div class="actions">
        <button type="button" aria-label={`${deleting ? 'Keep the asset' : 'Dismiss'}: ${name}`} onClick={onKeep}>
          {deleting ? 'Keep the asset' : 'Dismiss'}
        </button>
      </div>
    </>
  );
}

/** Where a change that is not the asset's own applies. */
function placeOf(change: Change): string {
  if (change.cmsTarget) return ' (an image in the CMS, in “CMS images”)';
  return change.target ? ' (an image on a page, in “On this page”)' : '';
}

export function ConflictsDialog({ workspace, onClose }: { workspace: Workspace; onClose: () => void }) {
  const { status, assets } = workspace;
  const conflicts = status.conflicts.value;
  const byId = assets.byId.value;
  const box = useRef<HTMLDivElement>(null);

  async function resolve(change: Change, keep: 'mine' | 'theirs') {
    await status.resolve(change.id, keep);
    // The settled conflict leaves the list: focus goes to the next one, or to Close.
    requestAnimationFrame(() => box.current?.querySelector<HTMLElement>('li button, .close')?.focus());
  }

  return (
    <Dialog title="Conflicts with Webflow" onClose={onClose}>
      <div ref={box} style={{ display: 'contents' }}>
        {conflicts.length === 0 ? (
          <p>No conflicts left.</p>
        ) : (
          <ul aria-label="Conflicts">
            {conflicts.map((change) => {
              const fullName = byId.get(change.assetId)?.name;
              const name = fullName ? readableName(fullName) : change.assetId;
              return (
                <li key={change.id}>
                  <strong title={fullName}>{name}</strong>
                  {change.localeId ? ` (${change.localeId})` : ''}
                  {placeOf(change)}
                  {change.field === 'deletion' ? (
                    <DeletionConflict change={change} name={name} onKeep={() => void resolve(change, 'theirs')} />
                  ) : (
                    <>
                      <dl class="values">
                        <dt>Yours</dt>
                        <dd>{shown(change, change.after, workspace)}</dd>
                        <dt>Webflow now</dt>
                        <dd>{shown(change, change.current, workspace)}</dd>
                      </dl>
                      <div class="actions">
                        <button type="button" aria-label={`Keep yours for ${name}`} onClick={() => void resolve(change, 'mine')}>
                          Keep yours
                        </button>
                        <button type="button" aria-label={`Keep Webflow’s for ${name}`} onClick={() => void resolve(change, 'theirs')}>
                          Keep Webflow’s
                        </button>
                      </div>
                    </>
                  )}
                </li>
              );
            })}
          </ul>
        )}
        <div class="actions">
          <button type="button" class="close" onClick={onClose}>
            Close
          </button>
        </div>
      </div>
    </Dialog>
  );
}
