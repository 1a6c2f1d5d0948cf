/**
 * The desk's views: the asset grid (the default), "On this page" (where the Designer has a
 * canvas) and "CMS images" (loaded when first opened).
 */
import type { Workspace } from '../workspace.ts';

export function ViewSwitch({ workspace }: { workspace: Workspace }) {
  const { onPage } = workspace;
  const view = onPage.view.value;
  return (
    <div class="view-switch" role="group" aria-label="View">
      <button type="button" aria-pressed={view === 'assets'} onClick={() => onPage.show('assets')}>
        All assets
      </button>
      {onPage.available && (
        <button type="button" aria-pressed={view === 'page'} onClick={() => onPage.show('page')}>
          On this page
        </button>
      )}
      <button
        type="button"
        aria-pressed={view === 'cms'}
        onClick={() => {
          onPage.show('cms');
          void workspace.cmsImages.open();
        }}
      >
        CMS images
      </button>
    </div>
  );
}
