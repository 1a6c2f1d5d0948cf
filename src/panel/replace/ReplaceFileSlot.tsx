/**
 * Where the file replacement's preview opens. Its code is fetched once assets are selected (the
 * bulk bar's Replace file… is then on screen) or a file is dropped on a row, so the panel's first
 * load does not carry it (docs/decisions/panel-javascript.md).
 */
import { useEffect } from 'preact/hooks';
import { lazyModule, useLazyModule } from '../components/lazy-module.ts';
import type { Workspace } from '../workspace.ts';
import type * as ReplaceFileDialogModule from './ReplaceFileDialog.tsx';

const loadReplaceFileDialog = lazyModule<typeof ReplaceFileDialogModule>(() => import('./ReplaceFileDialog.tsx'));

export function ReplaceFileSlot({ workspace }: { workspace: Workspace }) {
  const replacement = workspace.replace.current.value;
  const opened = replacement !== null;
  const dialog = useLazyModule(loadReplaceFileDialog, workspace.selection.count.value > 0 || opened);
  useEffect(() => {
    if (!opened) return;
    void dialog.require().then((loaded) => {
      if (loaded) return;
      workspace.replace.close();
      workspace.announcer.say('The file could not be replaced: the panel could not load what it needs. Check the connection and try again.', 'error');
    });
  }, [opened]);
  const loaded = dialog.module.value;
  return replacement && loaded ? <loaded.ReplaceFileDialog workspace={workspace} replacement={replacement} /> : null;
}
