/**
 * Where "CMS images" goes in the desk: its model and its view are fetched when first opened, so
 * the panel's first paint carries neither.
 */
import { useEffect, useState } from 'preact/hooks';
import type { Workspace } from '../workspace.ts';
import { describeError } from '../models/announcer.ts';
import type { CmsImagesView } from './CmsImagesView.tsx';

type View = typeof CmsImagesView;

export function CmsImagesSlot({ workspace }: { workspace: Workspace }) {
  const [view, setView] = useState<{ View: View } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const model = workspace.cmsImages.model.value;

  useEffect(() => {
    let live = true;
    Promise.all([import('./CmsImagesView.tsx'), workspace.cmsImages.open()]).then(
      ([module]) => live && setView({ View: module.CmsImagesView }),
      (failure: unknown) => live && setError(`The CMS images view could not be loaded: ${describeError(failure)}`),
    );
    return () => {
      live = false;
    };
  }, [workspace]);

  if (error) {
    return (
      <p class="notice error" role="alert">
        {error}
      </p>
    );
  }
  if (!view || !model) return <p class="empty">Loading the CMS images…</p>;
  return <view.View workspace={workspace} model={model} />;
}
