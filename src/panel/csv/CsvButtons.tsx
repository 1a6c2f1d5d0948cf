/**
 * The toolbar's Export and Import buttons. The dialogs and the CSV code behind them load only
 * when one is opened, so the panel's first paint does not pay for them.
 */
import { useSignal } from '@preact/signals';
import type { Workspace } from '../workspace.ts';
import type * as CsvDialogModule from './dialogs.ts';

type CsvDialogs = typeof CsvDialogModule;
type Open = 'export' | 'import' | null;

export function CsvButtons({ workspace }: { workspace: Workspace }) {
  const open = useSignal<Open>(null);
  const dialogs = useSignal<CsvDialogs | null>(null);

  async function show(which: Exclude<Open, null>) {
    open.value = which;
    if (dialogs.value) return;
    try {
      dialogs.value = await import('./dialogs.ts');
    } catch {
      open.value = null;
      workspace.announcer.say('The CSV tools could not be loaded: check the connection and try again.', 'error');
    }
  }
  const close = () => (open.value = null);
  const loaded = dialogs.value;

  return (
    <>
      <button type="button" class="foldable" onClick={() => void show('export')}>
        Export CSV…
      </button>
      {!workspace.readOnly && (
        <button type="button" class="foldable" onClick={() => void show('import')}>
          Import CSV…
        </button>
      )}
      {loaded && open.value === 'export' && <loaded.ExportDialog workspace={workspace} onClose={close} />}
      {loaded && open.value === 'import' && <loaded.ImportDialog workspace={workspace} onClose={close} />}
    </>
  );
}
