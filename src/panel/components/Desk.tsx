/**
 * The working view of one site: top bar, notices, folder pane, bulk bar, grid, the upload
 * panel, and the status bar.
 */
import type { Workspace } from '../workspace.ts';
import { AssetGrid } from './AssetGrid.tsx';
import { BulkBar } from './BulkBar.tsx';
import { FolderPane } from './FolderPane.tsx';
import { StatusBar } from './StatusBar.tsx';
import { TopBar } from './TopBar.tsx';
import { UploadPanel } from './upload/index.ts';
import { UnusedNote } from '../usage/UnusedNote.tsx';
import { OnThisPage } from '../onpage/OnThisPage.tsx';
import { ViewSwitch } from '../onpage/ViewSwitch.tsx';
import { CmsImagesSlot } from '../cms/CmsImagesSlot.tsx';
import { UsesDialogSlot } from '../usage/UsesDialogSlot.tsx';
import { ReportSlot } from '../report/ReportSlot.tsx';
import { ReplaceFileSlot } from '../replace/ReplaceFileSlot.tsx';

export function Desk({ workspace }: { workspace: Workspace }) {
  const { assets } = workspace;
  const loadState = assets.loadState.value;

  return (
    <div class="desk">
      <TopBar workspace={workspace} />
      <section class="notices" aria-label="Notices">
        {workspace.readOnlyReason && (
          <p class="notice" role="note">
            {workspace.readOnlyReason}
          </p>
        )}
        <UnusedNote workspace={workspace} />
        {assets.error.value && (
          <p class="notice error" role="alert">
            {assets.error.value}{' '}
            {loadState === 'failed' && (
              <button type="button" onClick={() => void workspace.start()}>
                Try again
              </button>
            )}
          </p>
        )}
      </section>
      <FolderPane workspace={workspace} />
      <main class="main" aria-busy={loadState === 'loading'}>
        {workspace.report.open.value ? (
          <ReportSlot workspace={workspace} />
        ) : (
          <>
            <ViewSwitch workspace={workspace} />
            {workspace.onPage.view.value === 'page' ? (
              <OnThisPage workspace={workspace} />
            ) : workspace.onPage.view.value === 'cms' ? (
              <CmsImagesSlot workspace={workspace} />
            ) : (
              <>
                <BulkBar workspace={workspace} />
                {loadState === 'loading' || loadState === 'idle' ? <p class="empty">Loading the site’s assets…</p> : <AssetGrid workspace={workspace} />}
              </>
            )}
          </>
        )}
        <section class="upload-slot" aria-label="Uploads">
          <UploadPanel model={workspace.uploads} folders={assets.folders.value} disabledReason={workspace.readOnlyReason} />
        </section>
      </main>
      <StatusBar workspace={workspace} />
      <ReplaceFileSlot workspace={workspace} />
      <UsesDialogSlot workspace={workspace} />
    </div>
  );
}

