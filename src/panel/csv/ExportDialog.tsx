/** Export the alt text of the assets shown, or of the whole site, as a CSV file. */
import { useSignal } from '@preact/signals';
import { Dialog } from '../components/Dialog.tsx';
import { download } from '../components/download.ts';
import { formatCount, plural } from '../components/format.ts';
import type { Workspace } from '../workspace.ts';
import { exportFileName } from '../../core/csv-export.ts';
import { buildExport } from './export-rows.ts';

type Scope = 'shown' | 'site';

export interface ExportDialogProps {
  workspace: Workspace;
  onClose: () => void;
}

export function ExportDialog({ workspace, onClose }: ExportDialogProps) {
  const { assets, find, edits, usage, announcer } = workspace;
  const shown = find.results.value;
  const all = assets.assets.value;
  const scope = useSignal<Scope>('site');
  const written = useSignal<number | null>(null);
  const error = useSignal<string | null>(null);
  const chosen = scope.value === 'shown' ? shown : all;
  const usesBuilt = usage.built.value;

  async function exportFile() {
    const rows = chosen;
    written.value = 0;
    error.value = null;
    try {
      const byAsset = usage.byAsset.value;
      const uses = byAsset ? new Map([...byAsset].map(([id, counts]) => [id, counts.pages + counts.components + counts.items])) : null;
      const blob = await buildExport(
        { assets: rows, folders: assets.folders.value, locales: assets.locales.value, altText: edits.savedAltText, uses },
        (count) => (written.value = count),
      );
      const fileName = exportFileName(workspace.siteName, new Date());
      download(blob, fileName);
      announcer.say(`Exported ${plural(rows.length, 'asset')} to ${fileName}.`, 'success');
      onClose();
    } catch (failure) {
      written.value = null;
      error.value = `The file could not be made: ${failure instanceof Error ? failure.message : String(failure)}. Try again.`;
    }
  }

  const busy = written.value !== null;
  return (
    <Dialog title="Export alt text as CSV" onClose={onClose}>
      <div class="csv-dialog">
        <fieldset>
          <legend>Assets</legend>
          <label>
            <input type="radio" name="csv-scope" checked={scope.value === 'site'} onChange={() => (scope.value = 'site')} /> The whole site ({plural(all.length, 'asset')})
          </label>
          <label>
            <input type="radio" name="csv-scope" checked={scope.value === 'shown'} onChange={() => (scope.value = 'shown')} /> Those shown now, with the
            current search and filters ({plural(shown.length, 'asset')})
          </label>
        </fieldset>
        <p class="hint">
          One row per asset: id, name, folder, URL, type, uses, and alt text and decorative for each locale. Opens in Excel, Numbers and Google Sheets;
          edit the alt text columns and import the file again.
          {!usesBuilt && ' The uses column stays empty: where assets are used has not been read yet.'}
        </p>
        {busy && (
          <p role="status">
            Writing {written.value === null ? '' : formatCount(written.value)} of {plural(chosen.length, 'row')}…
          </p>
        )}
        {error.value && <p role="alert">{error.value}</p>}
        <div class="actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="button" class="primary" disabled={busy || chosen.length === 0} onClick={() => void exportFile()}>
            Export {plural(chosen.length, 'asset')}
          </button>
        </div>
      </div>
    </Dialog>
  );
}
