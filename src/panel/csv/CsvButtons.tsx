/**
 * The Export and Import buttons. In the widest layout the toolbar has no room left (every
 * choice shows in one row), so they sit in the status bar beside Undo and Refresh; below it they
 * fold away behind the toolbar's More with the other less used choices. Only one place renders
 * them at a time, so each name is on the page once. The dialogs and the CSV code behind them
 * load only when one is opened, so the panel's first paint does not pay for them.
 */
import { useSignal } from '@preact/signals';
import { useMediaQuery, WIDE_LAYOUT } from '../components/media-query.ts';
import type { Workspace } from '../workspace.ts';
import type * as CsvDialogModule from './dialogs.ts';

type CsvDialogs = typeof CsvDialogModule;
type Open = 'export' | 'import' | null;

export interface CsvButtonsProps {
  workspace: Workspace;
  /** `toolbar`: inside More, below the widest layout; `status`: the status bar, in the widest. */
  placement: 'toolbar' | 'status';
}

export function CsvButtons({ workspace, placement }: CsvButtonsProps) {
  const open = useSignal<Open>(null);
  const dialogs = useSignal<CsvDialogs | null>(null);
  const wide = useMediaQuery(WIDE_LAYOUT);

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
  const here = wide === (placement === 'status');

  return (
    <>
      {here && (
        <>
          <button type="button" class="foldable" title="Export alt text as a CSV file" onClick={() => void show('export')}>
            Export CSV…
          </button>
          {!workspace.readOnly && (
            <button type="button" class="foldable" title="Import alt text from a CSV file" onClick={() => void show('import')}>
              Import CSV…
            </button>
          )}
        </>
      )}
      {loaded && open.value === 'export' && <loaded.ExportDialog workspace={workspace} onClose={close} />}
      {loaded && open.value === 'import' && <loaded.ImportDialog workspace={workspace} onClose={close} />}
    </>
  );
}
