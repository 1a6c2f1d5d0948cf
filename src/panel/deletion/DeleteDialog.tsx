/**
 * The delete confirmation: the assets that will be deleted with their sizes and total, when
 * "where assets are used" was read (with "Check again"), every source and when it was last read,
 * what Asset Desk cannot see, and which selected assets are held back and why. Nothing is
 * offered while the index is stale or the styles were never read.
 */
import { useEffect, useMemo } from 'preact/hooks';
import { formatBytes } from '../../core/limits.ts';
import type { UsageSource } from '../../core/usage.ts';
import { readableName } from '../../core/display-name.ts';
import { Dialog } from '../components/Dialog.tsx';
import { plural } from '../components/format.ts';
import { referenceWords, useWhereWords } from '../usage/uses-wording.ts';
import type { Workspace } from '../workspace.ts';

const SOURCE_NAMES: Record<UsageSource, string> = { pages: 'Pages', components: 'Components', cms: 'CMS items', styles: 'Styles (background images)' };

/** "Dec 4, 2026, 6:40 PM": a read minutes old must say so. */
export function readTime(iso: string): string {
  return new Date(iso).toLocaleString('en', { dateStyle: 'medium', timeStyle: 'short' } as Intl.DateTimeFormatOptions);
}

export function DeleteDialog({ workspace, assetIds, onClose }: { workspace: Workspace; assetIds: string[]; onClose: () => void }) {
  const model = useMemo(() => workspace.deletion(), [workspace]);
  useEffect(() => {
    void model.open(assetIds);
    return () => model.dispose();
  }, [model]);

  const check = model.check.value;
  const state = model.state.value;
  const busy = state === 'checking' || state === 'crawling' || state === 'deleting';
  const deletable = check?.deletable ?? [];
  const total = deletable.reduce((sum, asset) => sum + asset.size, 0);
  const canDelete = !!check?.ready && deletable.length > 0 && !busy;

  async function confirm() {
    if (await model.confirm()) onClose();
  }

  return (
    <Dialog title={deletable.length > 0 ? `Delete ${plural(deletable.length, 'unused asset')}` : 'Delete unused assets'} onClose={onClose}>
      <p role="status">
        {state === 'crawling'
          ? 'Reading where assets are used again…'
          : state === 'checking'
            ? 'Checking where the selected assets are used…'
            : check?.crawlFinishedAt
              ? `Where assets are used was read at ${readTime(check.crawlFinishedAt)}.`
              : 'Where assets are used has not been read yet.'}{' '}
        <button type="button" disabled={busy} onClick={() => void model.checkAgain()}>
          Check again
        </button>
      </p>
      {model.error.value && <p role="alert">{model.error.value}</p>}
      {check && !check.ready && (
        <div class="notice" role="note" aria-label="Why nothing can be deleted yet">
          <p>
            <strong>Not offered yet:</strong> {check.notReady.join(' ')}
          </p>
        </div>
      )}
      {check && deletable.length > 0 && (
        <section aria-label="Assets to delete">
          <ul class="deletion-list" aria-label="Assets to delete">
            {deletable.map((asset) => (
              <li key={asset.assetId}>
                <span title={asset.name}>{readableName(asset.name)}</span> — {formatBytes(asset.size)}
              </li>
            ))}
          </ul>
          <p>
            Total: {formatBytes(total)}. Asset Desk keeps each file, its names, folder and alt texts for {check.keepDays} days: Undo puts them back (as new assets).
          </p>
        </section>
      )}
      {check && check.heldBack.length > 0 && (
        <section aria-label="Held back">
          <h3>Not deleted ({check.heldBack.length})</h3>
          <ul class="deletion-list" aria-label="Held back">
            {check.heldBack.map((held) => (
              <li key={held.assetId}>
                <span title={held.name}>{readableName(held.name)}</span>: {held.detail}
                {held.reason === 'in_use' && ((held.uses?.length ?? 0) > 0 || (held.references?.length ?? 0) > 0) && (
                  <details>
                    <summary>Where it is used</summary>
                    <ul>
                      {(held.uses ?? []).map((use, i) => (
                        <li key={`u${i}`}>{useWhereWords(use.where)}</li>
                      ))}
                      {(held.references ?? []).map((reference, i) => (
                        <li key={`r${i}`}>{referenceWords(reference.where)}</li>
                      ))}
                    </ul>
                  </details>
                )}
              </li>
            ))}
          </ul>
          <p>An asset uploaded or seen used in the last {check.graceDays} days is held back even when no use is found now.</p>
        </section>
      )}
      {check && (
        <section aria-label="What was read, and what cannot be seen">
          <h3>What this rests on</h3>
          <ul aria-label="Sources read">
            {check.sources.read.map((read) => (
              <li key={read.source}>
                {SOURCE_NAMES[read.source]}: {read.readAt ? `last read ${readTime(read.readAt)}` : 'never read'}
              </li>
            ))}
          </ul>
          <p>Asset Desk cannot see, so could not check:</p>
          <ul aria-label="Not checked">
            {check.sources.notSeen.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </section>
      )}
      <div class="actions">
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button type="button" class="primary danger" disabled={!canDelete} onClick={() => void confirm()}>
          {deletable.length > 0 ? `Delete ${plural(deletable.length, 'asset')}` : 'Delete'}
        </button>
      </div>
    </Dialog>
  );
}
