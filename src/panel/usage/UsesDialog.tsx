/**
 * "Where used": every use of one asset, from the usage index, with the alt text a visitor gets
 * there, and a "Go there" for page and component uses (opens the page in the Designer and
 * selects the element). CMS uses are listed without one.
 */
import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import type { AssetUsage } from '../../core/usage.ts';
import { Dialog } from '../components/Dialog.tsx';
import { describeError } from '../models/announcer.ts';
import type { Workspace } from '../workspace.ts';
import { sourceAndConfidence } from '../suggestions/wording.ts';
import { altStateWords, goThere, referenceWords, useWhereWords } from './uses-wording.ts';

export function UsesDialog({ workspace, assetId, name, onClose }: { workspace: Workspace; assetId: string; name: string; onClose: () => void }) {
  const usage = useSignal<AssetUsage | null>(null);
  const error = useSignal<string | null>(null);

  useEffect(() => {
    // What each use suggests (its caption, heading, page, item): the same photo may need other words on another page.
    workspace.suggestions.want([assetId]);
    let live = true;
    workspace.usage.details(assetId).then(
      (answer) => live && (usage.value = answer),
      (failure: unknown) => live && (error.value = `Where it is used could not be read: ${describeError(failure)}`),
    );
    return () => {
      live = false;
    };
  }, [assetId]);

  const locales = workspace.assets.locales.value;
  const localeName = (localeId: string | null) => (localeId ? (locales.find((locale) => locale.id === localeId)?.displayName ?? localeId) : null);
  const uses = usage.value?.uses ?? [];
  const references = usage.value?.references ?? [];
  const canGo = workspace.onPage.available;
  const suggested = workspace.suggestions.uses.value.get(assetId) ?? [];
  const suggestionAt = (use: (typeof uses)[number]) =>
    suggested.find((entry) => entry.localeId === use.localeId && JSON.stringify(entry.where) === JSON.stringify(use.where))?.suggestions[0];

  return (
    <Dialog title={`Where ${name} is used`} onClose={onClose}>
      {error.value && <p role="alert">{error.value}</p>}
      {!usage.value && !error.value && <p>Reading where it is used…</p>}
      {usage.value && uses.length === 0 && references.length === 0 && <p>Not used on any page, component or CMS item.</p>}
      {uses.length > 0 && (
        // Focusable: a long list scrolls in the dialog, by keyboard too (a use may offer no button).
        <ul class="uses-list" aria-label={`Uses of ${name}`} tabIndex={0}>
          {uses.map((use, index) => {
            const target = canGo ? goThere(use) : null;
            const where = useWhereWords(use.where);
            const locale = localeName(use.localeId);
            const suggestion = suggestionAt(use);
            return (
              <li key={index}>
                <span>
                  {where}
                  {locale ? ` (${locale})` : ''}
                </span>
                <span class={`alt-state ${use.altState}`}>{altStateWords(use.altState, use.altText)}</span>
                {suggestion && (
                  <span class="use-suggestion" title={suggestion.detail}>
                    Suggested here: “{suggestion.text}” <span class="suggestion-source">({sourceAndConfidence(suggestion)})</span>
                  </span>
                )}
                {target && (
                  <button
                    type="button"
                    aria-label={`Go there: ${where}`}
                    onClick={() => {
                      onClose();
                      void workspace.onPage.goTo(target.pageId, target.elementId);
                    }}
                  >
                    Go there
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {references.length > 0 && (
        <ul class="uses-list" aria-label={`Links and backgrounds of ${name}`} tabIndex={0}>
          {references.map((reference, index) => {
            const locale = localeName(reference.localeId);
            return (
              <li key={index}>
                <span>
                  {referenceWords(reference.where)}
                  {locale ? ` (${locale})` : ''}
                </span>
              </li>
            );
          })}
        </ul>
      )}
      <div class="actions">
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}
