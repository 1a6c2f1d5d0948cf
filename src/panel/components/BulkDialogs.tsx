/** The bulk actions that need a look before they apply: suggestions, find and replace, move. */
import { useSignal } from '@preact/signals';
import { useState } from 'preact/hooks';
import type { IndexedAsset } from '../../core/api.ts';
import { readableName } from '../../core/display-name.ts';
import type { Suggestion } from '../../core/suggestions/sources.ts';
import { SourcesNote } from '../suggestions/SourcesNote.tsx';
import { sourceAndConfidence } from '../suggestions/wording.ts';
import type { Workspace } from '../workspace.ts';
import { Dialog, NameDialog } from './Dialog.tsx';
import { plural } from './format.ts';

interface BulkDialogProps {
  workspace: Workspace;
  assets: IndexedAsset[];
  onClose: () => void;
}

/** Suggestions are written only after the designer has seen them and kept the ones they want. */
export function SuggestionsDialog({ workspace, assets, onClose }: BulkDialogProps) {
  const { edits, find, announcer } = workspace;
  const localeId = find.localeId.value;
  // What the designer reviews is what is applied: taken once, when the dialog opens, so a better
  // suggestion arriving meanwhile (OCR, where the image is used) cannot change a text under their eyes.
  // Decorative images stay decorative; text the designer already wrote is offered but not pre-checked.
  const [proposals] = useState(() =>
    assets
      .map((asset) => ({ asset, current: edits.altText(asset, localeId), suggestion: workspace.suggestions.best(asset, localeId) }))
      .filter((proposal): proposal is typeof proposal & { suggestion: Suggestion } => proposal.current !== null && proposal.suggestion !== null && proposal.suggestion.text !== proposal.current),
  );
  const kept = useSignal<ReadonlySet<string>>(new Set(proposals.filter((proposal) => !proposal.current).map((proposal) => proposal.asset.id)));

  async function apply() {
    const chosen = proposals.filter((proposal) => kept.value.has(proposal.asset.id));
    const saved = await edits.saveMany(
      chosen.map((proposal) => ({ assetId: proposal.asset.id, localeId, after: proposal.suggestion.text })),
      `Apply suggestions to ${plural(chosen.length, 'image')}`,
    );
    if (saved) {
      announcer.say(`Applied ${plural(chosen.length, 'suggestion')}.`, 'success');
      onClose();
    }
  }

  return (
    <Dialog title="Review suggestions" onClose={onClose}>
      <SourcesNote status={workspace.suggestions.sources.value} locales={workspace.assets.locales.value} />
      {proposals.length === 0 ? (
        <p>No suggestions for the selected images: neither their files nor their names say anything useful, or they already match.</p>
      ) : (
        <ul aria-label="Suggestions">
          {proposals.map(({ asset, current, suggestion }) => (
            <li key={asset.id} data-asset-id={asset.id} data-suggestion={suggestion.text}>
              <label>
                <input
                  type="checkbox"
                  checked={kept.value.has(asset.id)}
                  onChange={(event) => {
                    const next = new Set(kept.value);
                    if (event.currentTarget.checked) next.add(asset.id);
                    else next.delete(asset.id);
                    kept.value = next;
                  }}
                />
                <span>
                  <strong title={asset.name}>{readableName(asset.name)}</strong>: “{suggestion.text}”{current ? ` (now “${current}”)` : ''}{' '}
                  <span class="suggestion-source" title={suggestion.detail}>
                    {sourceAndConfidence(suggestion)}
                  </span>
                </span>
              </label>
            </li>
          ))}
        </ul>
      )}
      <div class="actions">
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button type="button" class="primary" disabled={kept.value.size === 0 || proposals.length === 0} onClick={() => void apply()}>
          Apply {plural(proposals.filter((proposal) => kept.value.has(proposal.asset.id)).length, 'suggestion')}
        </button>
      </div>
    </Dialog>
  );
}

export function ReplaceDialog({ workspace, assets, onClose }: BulkDialogProps) {
  const { edits, find, announcer } = workspace;
  const localeId = find.localeId.value;
  const search = useSignal('');
  const replacement = useSignal('');
  const changes = search.value
    ? assets.flatMap((asset) => {
        const current = edits.altText(asset, localeId);
        if (!current || !current.includes(search.value)) return [];
        return [{ assetId: asset.id, localeId, after: current.split(search.value).join(replacement.value) }];
      })
    : [];

  async function apply(event: Event) {
    event.preventDefault();
    if (changes.length === 0) return;
    const saved = await edits.saveMany(changes, `Replace “${search.value}” in ${plural(changes.length, 'alt text')}`);
    if (saved) {
      announcer.say(`Replaced “${search.value}” in ${plural(changes.length, 'alt text')}.`, 'success');
      onClose();
    }
  }

  return (
    <Dialog title="Find and replace in alt text" onClose={onClose}>
      <form onSubmit={apply} style={{ display: 'contents' }}>
        <label class="field">
          Find
          <input type="text" value={search.value} onInput={(event) => (search.value = event.currentTarget.value)} />
        </label>
        <label class="field">
          Replace with
          <input type="text" value={replacement.value} onInput={(event) => (replacement.value = event.currentTarget.value)} />
        </label>
        <p role="status">{search.value ? `${plural(changes.length, 'alt text')} will change.` : 'Type the text to find (case sensitive).'}</p>
        <div class="actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" class="primary" disabled={changes.length === 0}>
            Replace in {plural(changes.length, 'alt text')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

export function MoveDialog({ workspace, assetIds, onClose }: { workspace: Workspace; assetIds: string[]; onClose: () => void }) {
  const { folders } = workspace;
  const rows = folders.rows.value;
  const target = useSignal(rows[0]?.folder.id ?? '');

  async function move(event: Event) {
    event.preventDefault();
    if (!target.value) return;
    if (await folders.move(assetIds, target.value)) onClose();
  }

  return (
    <Dialog title={`Move ${plural(assetIds.length, 'asset')} to a folder`} onClose={onClose}>
      {rows.length === 0 ? (
        <p>This site has no folders yet. Create one in the folder pane first.</p>
      ) : (
        <form onSubmit={move} style={{ display: 'contents' }}>
          <label class="field">
            Folder
            <select value={target.value} onChange={(event) => (target.value = event.currentTarget.value)}>
              {rows.map((row) => (
                <option key={row.folder.id} value={row.folder.id}>
                  {'\u2003'.repeat(row.depth)}
                  {row.folder.name}
                </option>
              ))}
            </select>
          </label>
          <div class="actions">
            <button type="button" onClick={onClose}>
              Cancel
            </button>
            <button type="submit" class="primary">
              Move
            </button>
          </div>
        </form>
      )}
      {rows.length === 0 && (
        <div class="actions">
          <button type="button" onClick={onClose}>
            Close
          </button>
        </div>
      )}
    </Dialog>
  );
}

export function RenameDialog({ workspace, asset, onClose }: { workspace: Workspace; asset: IndexedAsset; onClose: () => void }) {
  const { edits } = workspace;
  const current = edits.nameOf(asset);
  return <NameDialog title={`Rename ${readableName(current)}`} initial={current} action="Rename" onSubmit={(name) => edits.rename(asset.id, name)} onClose={onClose} />;
}
