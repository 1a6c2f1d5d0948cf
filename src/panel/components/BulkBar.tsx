/**
 * Actions on the selected assets: apply suggestions (after a review), mark decorative, find and
 * replace in alt text, clear, move to a folder, delete unused ones (after a confirmation). Each is
 * one journaled batch, so one undo.
 */
import { useSignal } from '@preact/signals';
import { isImageType } from '../../core/alt-lint.ts';
import type { IndexedAsset } from '../../core/api.ts';
import type { Workspace } from '../workspace.ts';
import { plural, formatCount } from './format.ts';
import type * as BulkDialogsModule from './bulk-dialogs.ts';
import { lazyModule, useLazyModule } from './lazy-module.ts';

type OpenDialog = 'suggestions' | 'replace' | 'move' | 'rename' | 'delete' | null;

type BulkDialogs = typeof BulkDialogsModule;

/** The dialogs' code, loaded once per panel: asked for when the bar first shows (a selection), so it is there by the first click. */
const loadDialogs = lazyModule<BulkDialogs>(() => import('./bulk-dialogs.ts'));

export function BulkBar({ workspace }: { workspace: Workspace }) {
  const { selection, edits, find, announcer, readOnly } = workspace;
  const open = useSignal<OpenDialog>(null);
  const dialogs = useLazyModule(loadDialogs, selection.count.value > 0);
  // Where the bar is narrower than its buttons, the less used ones (or all, in the compact
  // layout) fold away behind a disclosure button; see `.bulk-bar` in styles.css.
  const expanded = useSignal(false);
  const count = selection.count.value;
  if (count === 0) return null;

  const localeId = find.localeId.value;
  const selectedAssets = (): IndexedAsset[] => {
    const byId = workspace.assets.byId.value;
    return [...selection.selected.value].flatMap((id) => byId.get(id) ?? []);
  };
  const images = () => selectedAssets().filter((asset) => isImageType(asset.contentType));

  async function setAll(after: string | null, label: string, done: string) {
    const targets = images();
    if (targets.length === 0) {
      announcer.say('None of the selected assets is an image; alt text is for images.', 'error');
      return;
    }
    const saved = await edits.saveMany(
      targets.map((asset) => ({ assetId: asset.id, localeId, after })),
      label,
    );
    if (saved) announcer.say(done.replace('{n}', plural(targets.length, 'image')), 'success');
  }

  const close = () => (open.value = null);
  /** Opens a dialog, once its code is there; says so when it cannot be loaded. */
  function show(which: Exclude<OpenDialog, null>) {
    open.value = which;
    void dialogs.require().then((loaded) => {
      if (loaded) return;
      if (open.value === which) open.value = null;
      announcer.say('This dialog could not be loaded: check the connection and try again.', 'error');
    });
  }
  const loaded = dialogs.module.value;

  return (
    <div class={`bulk-bar${expanded.value ? ' open' : ''}`} role="toolbar" aria-label="Bulk actions">
      <span class="selected-count">
        {formatCount(count)}
        <span class="label-rest"> {count === 1 ? 'asset' : 'assets'}</span> selected
      </span>
      <button type="button" class="bulk-more" aria-expanded={expanded.value} aria-controls="bulk-actions" onClick={() => (expanded.value = !expanded.value)}>
        <span class="bulk-more-medium">More actions</span>
        <span class="bulk-more-compact">Actions</span>
      </button>
      <div
        class="bulk-actions"
        id="bulk-actions"
        onKeyDown={(event) => {
          if (event.key !== 'Escape' || !expanded.value) return;
          event.preventDefault();
          expanded.value = false;
          event.currentTarget.parentElement?.querySelector<HTMLElement>('.bulk-more')?.focus();
        }}
      >
        <button type="button" disabled={readOnly} onClick={() => show('suggestions')}>
          Apply suggestions…
        </button>
        <button type="button" disabled={readOnly} onClick={() => void setAll(null, `Mark ${count} images decorative`, 'Marked {n} decorative.')}>
          Mark decorative
        </button>
        <button type="button" disabled={readOnly} onClick={() => show('move')}>
          Move to folder…
        </button>
        <button type="button" class="foldable" disabled={readOnly} onClick={() => show('replace')}>
          Find and replace…
        </button>
        <button type="button" class="foldable" disabled={readOnly} onClick={() => void setAll('', `Clear alt text of ${count} images`, 'Cleared the alt text of {n}.')}>
          Clear alt text
        </button>
        <button type="button" class="foldable" disabled={readOnly || count !== 1} onClick={() => show('rename')}>
          Rename…
        </button>
        <button
          type="button"
          class="foldable rare"
          disabled={readOnly || count !== 1}
          onClick={() => {
            const [asset] = selectedAssets();
            if (asset) workspace.replace.open(asset);
          }}
        >
          Replace file…
        </button>
        <button type="button" class="foldable rare" disabled={readOnly} onClick={() => show('delete')}>
          Delete…
        </button>
        <button type="button" class="foldable rare" onClick={() => selection.selectAll(find.results.value.map((asset) => asset.id))}>
          Select all in filter
        </button>
      </div>
      <button
        type="button"
        class="bulk-clear"
        onClick={(event) => {
          // The bar goes away with the selection: give focus to the grid's "select all" box instead of losing it.
          const selectAll = event.currentTarget.closest('.main')?.querySelector<HTMLElement>('.grid-header input');
          selection.clear();
          selectAll?.focus();
        }}
      >
        Clear<span class="label-rest"> selection</span>
      </button>
      {loaded && open.value === 'suggestions' && <loaded.SuggestionsDialog workspace={workspace} assets={images()} onClose={close} />}
      {loaded && open.value === 'replace' && <loaded.ReplaceDialog workspace={workspace} assets={images()} onClose={close} />}
      {loaded && open.value === 'rename' && selectedAssets()[0] && <loaded.RenameDialog workspace={workspace} asset={selectedAssets()[0]!} onClose={close} />}
      {loaded && open.value === 'move' && <loaded.MoveDialog workspace={workspace} assetIds={[...selection.selected.value]} onClose={close} />}
      {loaded && open.value === 'delete' && <loaded.DeleteDialog workspace={workspace} assetIds={[...selection.selected.value]} onClose={close} />}
    </div>
  );
}
