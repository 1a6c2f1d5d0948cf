/**
 * Where "Where used" opens. The dialog's code is fetched once the usage is known (its buttons are
 * then on screen), so it is there by the click, and the panel's first load does not carry it
 * (docs/decisions/panel-javascript.md).
 */
import { useEffect } from 'preact/hooks';
import { readableName } from '../../core/display-name.ts';
import { lazyModule, useLazyModule } from '../components/lazy-module.ts';
import type { Workspace } from '../workspace.ts';
import type * as UsesDialogModule from './UsesDialog.tsx';

const loadUsesDialog = lazyModule<typeof UsesDialogModule>(() => import('./UsesDialog.tsx'));

export function UsesDialogSlot({ workspace }: { workspace: Workspace }) {
  const { usage } = workspace;
  const assetId = usage.detailsFor.value;
  const dialog = useLazyModule(loadUsesDialog, usage.built.value || assetId !== null);
  useEffect(() => {
    if (!assetId) return;
    void dialog.require().then((loaded) => {
      if (loaded) return;
      usage.showDetails(null);
      workspace.announcer.say('Where it is used could not be shown: check the connection and try again.', 'error');
    });
  }, [assetId]);
  const loaded = dialog.module.value;
  if (!assetId || !loaded) return null;
  const asset = workspace.assets.byId.value.get(assetId);
  const name = asset ? readableName(workspace.edits.nameOf(asset)) : assetId;
  return <loaded.UsesDialog workspace={workspace} assetId={assetId} name={name} onClose={() => usage.showDetails(null)} />;
}
