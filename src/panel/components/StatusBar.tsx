/**
 * The status bar: what the live region announces (saves, undo, errors), the journal's counts,
 * the index refresh's progress, and the way into failures (retry) and conflicts (choose).
 */
import { useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import type { RefreshState } from '../../core/api.ts';
import type { Workspace } from '../workspace.ts';
import { KEYS_HINT } from './keys.ts';
import type * as ConflictsDialogModule from './ConflictsDialog.tsx';
import { lazyModule, useLazyModule } from './lazy-module.ts';
import { plural, formatCount } from './format.ts';
import { UsageStatus } from '../usage/UsageStatus.tsx';
import { CsvButtons } from '../csv/CsvButtons.tsx';

/** The conflicts dialog's code: asked for when there are conflicts to review, so it is there by the click. */
const loadConflictsDialog = lazyModule<typeof ConflictsDialogModule>(() => import('./ConflictsDialog.tsx'));

export function StatusBar({ workspace }: { workspace: Workspace }) {
  const { status, announcer, assets, applier, edits } = workspace;
  const reviewing = useSignal(false);
  const counts = status.counts.value;
  const conflictsDialog = useLazyModule(loadConflictsDialog, counts.conflict > 0);
  function review() {
    reviewing.value = true;
    void conflictsDialog.require().then((loaded) => {
      if (loaded) return;
      reviewing.value = false;
      announcer.say('The conflicts could not be shown: check the connection and try again.', 'error');
    });
  }
  const announcement = announcer.current.value;
  const refresh = assets.refresh.value;
  const live = useRef<HTMLDivElement>(null);
  // Buttons here come and go with the counts (Retry failed, Review conflicts). When the one
  // that had focus goes away, focus moves to the status message instead of being lost.
  const lastFocused = useRef<HTMLElement | null>(null);
  useEffect(() => {
    const gone = lastFocused.current && !lastFocused.current.isConnected;
    if (gone && (document.activeElement === null || document.activeElement === document.body)) {
      lastFocused.current = null;
      live.current?.focus();
    }
  });

  return (
    <footer
      class="status-bar"
      onFocusIn={(event) => (lastFocused.current = event.target as HTMLElement)}
      onFocusOut={(event) => {
        const next = event.relatedTarget as Node | null;
        if (next && !event.currentTarget.contains(next)) lastFocused.current = null;
      }}
    >
      <div class={`live ${announcement?.tone === 'error' ? 'error' : ''}`} role="status" aria-live="polite" aria-atomic="true" tabIndex={-1} ref={live}>
        {announcement?.message ?? ''}
      </div>
      {!announcement && (
        <span class="keys-hint wide-only" aria-hidden="true" title={KEYS_HINT}>
          {KEYS_HINT}
        </span>
      )}
      {refresh?.state === 'running' && (
        <span>
          Refreshing from Webflow: {formatCount(refresh.done)}
          {refresh.total !== null ? ` of ${formatCount(refresh.total)}` : ''}
        </span>
      )}
      {refresh?.state === 'failed' && <span class="failed">Refresh failed: {refresh.error}</span>}
      {refresh?.skipped && refresh.skipped.length > 0 && <span class="failed">{skippedMessage(refresh.skipped)}</span>}
      {applier.error.value && <span class="failed">{applier.error.value}</span>}
      <UsageStatus workspace={workspace} />
      <span title={`${plural(counts.pending, 'change')} waiting to be applied in Webflow`}>{formatCount(counts.pending)} pending</span>
      <span class="wide-only">{formatCount(counts.applied)} applied</span>
      {counts.failed > 0 && (
        <>
          <span class="failed">{formatCount(counts.failed)} failed</span>
          <button type="button" onClick={() => void status.retryAll()}>
            Retry failed
          </button>
        </>
      )}
      {counts.conflict > 0 && (
        <>
          <span class="conflict">{plural(counts.conflict, 'conflict')}</span>
          <button type="button" onClick={review}>
            Review conflicts
          </button>
        </>
      )}
      <CsvButtons workspace={workspace} placement="status" />
      <button type="button" disabled={!edits.canUndo.value || edits.saving.value} onClick={() => void edits.undoLast()}>
        Undo<span class="label-rest"> last batch</span>
      </button>
      <button type="button" title="Read the site’s assets from Webflow again" onClick={() => void assets.refreshNow()}>
        Refresh
      </button>
      {reviewing.value && conflictsDialog.module.value && <conflictsDialog.module.value.ConflictsDialog workspace={workspace} onClose={() => (reviewing.value = false)} />}
    </footer>
  );
}

type Skipped = NonNullable<RefreshState['skipped']>;

/** What the last refresh could not index, by name: the rest of the grid is current. */
export function skippedMessage(skipped: Skipped): string {
  const named = skipped.slice(0, 2).map((item) => `${item.kind} “${shownName(item.name)}”`);
  const more = skipped.length > 2 ? ` and ${skipped.length - 2} more` : '';
  return `Not indexed: ${named.join(', ')}${more} (Webflow’s data for ${skipped.length === 1 ? 'it' : 'them'} is incomplete; fix in Webflow, then refresh).`;
}

/** A name as it can be shown: control characters as their visible symbols (NUL as ␀), half characters as �. */
export function shownName(name: string): string {
  return name
    .replace(/[\u0000-\u001f]/g, (ch) => String.fromCharCode(0x2400 + ch.charCodeAt(0))) // eslint-disable-line no-control-regex -- control characters are what it shows
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}
