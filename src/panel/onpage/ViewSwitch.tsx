/**
 * The desk's views: the asset grid (the default), "On this page" (where the Designer has a
 * canvas) and "CMS images" (loaded when first opened). In Webflow's narrowest panel the labels
 * shorten ("All", "On page", "CMS"); screen readers keep the whole words.
 */
import type { Workspace } from '../workspace.ts';

export function ViewSwitch({ workspace }: { workspace: Workspace }) {
  const { onPage } = workspace;
  const view = onPage.view.value;
  return (
    <div class="view-switch" role="group" aria-label="View">
      <button type="button" aria-pressed={view === 'assets'} onClick={() => onPage.show('assets')}>
        All<span class="label-rest"> assets</span>
      </button>
      {onPage.available && (
        <button type="button" aria-pressed={view === 'page'} onClick={() => onPage.show('page')}>
          On<span class="label-rest"> this</span> page
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
        CMS<span class="label-rest"> images</span>
      </button>
    </div>
  );
}
