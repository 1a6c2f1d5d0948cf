/**
 * The Report view's state: whether it is open, and the backend's half of it (what visitors see
 * per page and collection, the journal's progress), read each time the view opens. The library's
 * coverage is counted from the grid's own index when the view draws (coverage.ts).
 */
import { signal, type ReadonlySignal } from '@preact/signals';
import type { ReportResponse } from '../../core/report.ts';
import type { BackendPort } from '../ports/backend.ts';

export type ReportLoad = { state: 'idle' } | { state: 'loading' } | { state: 'ready'; report: ReportResponse; readAt: Date } | { state: 'failed'; message: string };

export interface ReportModel {
  open: ReadonlySignal<boolean>;
  load: ReadonlySignal<ReportLoad>;
  show(): void;
  hide(): void;
  reload(): Promise<void>;
}

export function createReportModel(backend: BackendPort, siteId: string, now: () => Date = () => new Date()): ReportModel {
  const open = signal(false);
  const load = signal<ReportLoad>({ state: 'idle' });
  let asked = 0;

  async function reload(): Promise<void> {
    const ask = (asked += 1);
    load.value = { state: 'loading' };
    try {
      const report = await backend.report(siteId);
      if (ask === asked) load.value = { state: 'ready', report, readAt: now() };
    } catch (failure) {
      const reason = failure instanceof Error ? failure.message : String(failure);
      if (ask === asked) load.value = { state: 'failed', message: `The report’s pages and progress could not be read (${reason}). Try again.` };
    }
  }

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
  };
}
