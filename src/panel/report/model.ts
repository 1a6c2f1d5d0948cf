/**
 * The Report view's state: whether it is open, and the backend's half of it (what visitors see
 * per page and collection, the journal's progress), read each time the view opens. The library's
 * coverage is counted from the grid's own index when the view draws (coverage.ts).
 */
import { effect, signal, type ReadonlySignal } from '@preact/signals';
import type { ReportResponse } from '../../core/report.ts';
import type { BackendPort } from '../ports/backend.ts';

/**
 * A report read again (the usage index's crawl ended, a retry) keeps the one read before in
 * `shown` while it loads: the view goes on showing it, so nothing a designer reads or scrolls
 * (the day table, the chart) is taken away and put back.
 */
export type ReportLoad =
  | { state: 'idle' }
  | { state: 'loading'; shown?: ReportResponse }
  | { state: 'ready'; report: ReportResponse; readAt: Date }
  | { state: 'failed'; message: string };

export interface ReportModel {
  open: ReadonlySignal<boolean>;
  load: ReadonlySignal<ReportLoad>;
  show(): void;
  hide(): void;
  reload(): Promise<void>;
  dispose(): void;
}

/**
 * `usageBuilt`: the usage model's; when the usage index's first crawl finishes while the view
 * shows a report read before it, the report is read again, so its pages and collections appear
 * without reopening the view.
 */
export function createReportModel(
  backend: BackendPort,
  siteId: string,
  options: { usageBuilt?: ReadonlySignal<boolean>; now?: () => Date } = {},
): ReportModel {
  const now = options.now ?? (() => new Date());
  const open = signal(false);
  const load = signal<ReportLoad>({ state: 'idle' });
  let asked = 0;

  async function reload(): Promise<void> {
    const ask = (asked += 1);
    const before = load.peek();
    const shown = before.state === 'ready' ? before.report : before.state === 'loading' ? before.shown : undefined;
    load.value = shown ? { state: 'loading', shown } : { state: 'loading' };
    try {
      const report = await backend.report(siteId);
      if (ask === asked) load.value = { state: 'ready', report, readAt: now() };
    } catch (failure) {
      const reason = failure instanceof Error ? failure.message : String(failure);
      if (ask === asked) load.value = { state: 'failed', message: `The report’s pages and progress could not be read (${reason}). Try again.` };
    }
  }

  const followUsage = effect(() => {
    if (!options.usageBuilt?.value || !open.value) return;
    const shown = load.peek();
    if (shown.state === 'ready' && !shown.report.usageBuilt) void reload();
  });

  return {
    open,
    load,
    show() {
      if (open.value) return;
      open.value = true;
      void reload();
    },
    hide() {
      open.value = false;
    },
    reload,
    dispose: followUsage,
  };
}
