/**
 * Where the Report view goes when open: its code (the view, uPlot and its styles) is fetched the
 * first time it opens, so the panel's first paint does not pay for it.
 */
import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import type { Workspace } from '../workspace.ts';
import type * as ReportViewModule from './ReportView.tsx';

type View = typeof ReportViewModule;

export function ReportSlot({ workspace }: { workspace: Workspace }) {
  const view = useSignal<View | null>(null);
  const failed = useSignal(false);
  useEffect(() => {
    let live = true;
    import('./ReportView.tsx').then(
      (module) => {
        if (live) view.value = module;
      },
      () => {
        if (live) failed.value = true;
      },
    );
    return () => {
      live = false;
    };
  }, []);
  if (failed.value) {
    return (
      <p role="alert" class="empty">
        The report could not be loaded: check the connection and try again.{' '}
        <button type="button" onClick={() => workspace.report.hide()}>
          Back to assets
        </button>
      </p>
    );
  }
  const loaded = view.value;
  return loaded ? <loaded.ReportView workspace={workspace} /> : <p class="empty" role="status">Loading the report…</p>;
}

/** The top bar's button that opens and closes the Report view. */
export function ReportButton({ workspace }: { workspace: Workspace }) {
  const open = workspace.report.open.value;
  return (
    <button type="button" class="report-toggle" aria-pressed={open} title="How far along the site’s alt text is" onClick={() => (open ? workspace.report.hide() : workspace.report.show())}>
      Report
    </button>
  );
}
