/** The desk's two views: the asset grid (the default) and "On this page" (where the Designer has a canvas). */
import type { Workspace } from '../workspace.ts';

export function ViewSwitch({ workspace }: { workspace: Workspace }) {
  const { onPage } = workspace;
  if (!onPage.available) return null;
  const view = onPage.view.value;
  return (
    <div class="view-switch" role="group" aria-label="View">
      <button type="button" aria-pressed={view === 'assets'} onClick={() => onPage.show('assets')}>
        All assets
      </button>
      <button type="button" aria-pressed={view === 'page'} onClick={() => onPage.show('page')}>
        On this page
      </button>
    </div>
  );
}
