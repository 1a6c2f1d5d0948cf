/**
 * The panel's models for one open site, wired together: edits wake the applier, the applier's
 * outcomes settle the grid and the status bar. Disposable, so a test (or a site switch) leaves
 * no timers behind.
 */
import { computed, effect, signal, type ReadonlySignal } from '@preact/signals';
import type { Change } from '../core/api.ts';
import type { BackendPort } from './ports/backend.ts';
import type { DesignerPort } from './ports/designer.ts';
import { createAnnouncer, type AnnouncerModel } from './models/announcer.ts';
import { createApplier, type ApplierModel } from './models/applier.ts';
import { createAssetsModel, type AssetsModel } from './models/assets.ts';
import type { KeptIndex } from './index-cache/index-cache.ts';
import { createEditsModel, type EditsModel } from './models/edits.ts';
import { createFindModel, type FindModel } from './models/find.ts';
import { createFoldersModel, type FoldersModel } from './models/folders.ts';
import { createSelectionModel, type SelectionModel } from './models/selection.ts';
import { createStatusModel, type StatusModel } from './models/status.ts';
import { createUploadsModel, type HashFunction, type UploadsModel } from './models/uploads.ts';
import { createSuggestionsModel, type SuggestionsModel } from './suggestions/model.ts';
import { createSmallFiles, type ThumbnailFiles } from './thumbnails/files.ts';
import { createUsageModel, type UsageModel } from './usage/model.ts';
import { createStylesReader, type StylesReader } from './usage/styles-reader.ts';
import { createOnPageModel, type OnPageModel } from './onpage/model.ts';
import { readableName } from '../core/display-name.ts';
import { createDeletionModel, type DeletionModel } from './deletion/model.ts';
import type { CmsImagesModel } from './cms/model.ts';
import { createReportModel, type ReportModel } from './report/model.ts';
import { createFileApplier } from './replace/apply.ts';
import { createReplaceModel, type ReplaceModel } from './replace/model.ts';

export interface Workspace {
  siteId: string;
  /** The site's name as the Designer gives it (names exported files). */
  siteName: string;
  readOnly: boolean;
  readOnlyReason: string | null;
  announcer: AnnouncerModel;
  assets: AssetsModel;
  find: FindModel;
  edits: EditsModel;
  selection: SelectionModel;
  folders: FoldersModel;
  status: StatusModel;
  applier: ApplierModel;
  uploads: UploadsModel;
  /** Where each asset is used (pages, component placements, CMS items), and the usage crawl. */
  usage: UsageModel;
  /** Background images in styles, read through the Designer and sent to the usage index. */
  stylesReader: StylesReader;
  /** Alt-text suggestions with their sources, for the grid's chips and the bulk review. */
  suggestions: SuggestionsModel;
  /** Where the grid's thumbnails come from: the backend's small ones, the CDN's files for other types. */
  thumbnails: ThumbnailFiles;
  /** The page open in the Designer and its images ("On this page"). */
  onPage: OnPageModel;
  /** Every image use in the CMS ("CMS images"): its model, loaded with its code when first opened. */
  cmsImages: {
    model: ReadonlySignal<CmsImagesModel | null>;
    open(): Promise<CmsImagesModel>;
  };
  /** The Report view: open or not, and the backend's half of it. */
  report: ReportModel;
  localeName: ReadonlySignal<string>;
  /** A fresh model for one delete confirmation (src/panel/deletion/). */
  deletion(): DeletionModel;
  /** Replacing one asset's file, with its before/after preview (src/panel/replace/). */
  replace: ReplaceModel;
  /** Loads the index and starts polling and applying. */
  start(): Promise<void>;
  dispose(): void;
}

export interface WorkspaceOptions {
  backend: BackendPort;
  designer: DesignerPort;
  siteId: string;
  siteName?: string;
  readOnlyReason: string | null;
  storage?: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null;
  /** Where the last index read is kept between opens (IndexedDB in the browser); none: read whole each open. */
  keptIndex?: KeptIndex;
  pollMs?: number;
  applierIdleMs?: number;
  /** How long acknowledgements gather before the grid takes Webflow's values. */
  settleMs?: number;
  /** How often the usage summary is asked for while its crawl runs. */
  usagePollMs?: number;
  /** How often "CMS images" looks up its open changes in the journal. */
  cmsWatchMs?: number;
  /** MD5 of a file for uploads; the worker pool by default. */
  hash?: HashFunction;
}

export function createWorkspace(options: WorkspaceOptions): Workspace {
  const { backend, designer, siteId } = options;
  const readOnly = options.readOnlyReason !== null;
  const announcer = createAnnouncer();
  const assets = createAssetsModel(backend, siteId, options.keptIndex ? { kept: options.keptIndex } : {});
  const usage = createUsageModel(backend, siteId, { pollMs: options.usagePollMs });
  const find = createFindModel(assets, usage.byAsset);
  const stylesReader = createStylesReader({ styles: designer.styles, backend, siteId, reload: () => usage.load() });
  const suggestions = createSuggestionsModel(backend, siteId);
  const thumbnails = createSmallFiles(backend, siteId);
  const selection = createSelectionModel();
  let applier: ApplierModel | null = null;
  let onPage: OnPageModel | null = null;
  const cmsModel = signal<CmsImagesModel | null>(null);
  let disposed = false;
  let cmsOpening: Promise<CmsImagesModel> | null = null;
  const edits = createEditsModel({
    backend,
    siteId,
    assets,
    announcer,
    storage: options.storage,
    onRecorded: (batch) => {
      onPage?.recorded(batch);
      cmsModel.peek()?.recorded(batch);
      applier?.wake();
    },
  });
  onPage = createOnPageModel({
    designer,
    edits,
    announcer,
    assetName: (assetId) => {
      const asset = assets.byId.value.get(assetId);
      return asset ? readableName(edits.nameOf(asset)) : assetId;
    },
  });
  const pageModel = onPage;
  const status = createStatusModel({ backend, siteId, announcer, onRequeued: () => applier?.wake() });
  const folders = createFoldersModel({ backend, siteId, assets, edits, announcer });

  const uploads = createUploadsModel({
    backend,
    siteId,
    hash: options.hash,
    locales: () => assets.locales.value,
    // The upload panel announces each file's outcome itself.
    onUploaded: (asset) => assets.upsert([asset]),
  });

  // Each settle rebuilds the search index (tens of ms at 20,000 assets): gather a bulk run's
  // acknowledgements for a moment and settle them in one update. The grid shows the saved
  // (optimistic) values meanwhile, so nothing flickers.
  // Like Webflow's own asset panel, new files go into the folder being looked at.
  const followFolder = effect(() => {
    uploads.targetFolderId.value = find.folderId.value;
  });

  // The backend crawls pages and CMS again after each asset refresh that finished: read the
  // usage again then (it polls on while that crawl runs), or the counts stay as the panel opened.
  let refreshWasRunning = false;
  const report = createReportModel(backend, siteId, { usageBuilt: usage.built });
  const followRefresh = effect(() => {
    const running = assets.refresh.value?.state === 'running';
    if (refreshWasRunning && !running) void usage.load();
    refreshWasRunning = running;
  });

  let settling: ReturnType<typeof setTimeout> | undefined;
  const settled: Change[] = [];
  const settleAll = () => {
    settling = undefined;
    const changes = settled.splice(0);
    edits.settle(changes);
    pageModel.settle(changes);
  };
  applier = createApplier({
    backend,
    designer,
    siteId,
    idleMs: options.applierIdleMs,
    onSettled(change) {
      settled.push(change);
      settling ??= setTimeout(settleAll, options.settleMs ?? 200);
    },
    onFinished: () => void status.refresh(),
    openPageId: () => pageModel.page.peek()?.id ?? null,
    applyFile: createFileApplier({ backend, designer, siteId }),
  });
  const replace = createReplaceModel({ backend, siteId, announcer, hash: options.hash, onRecorded: (batch) => edits.addUndoStep(batch) });
  // A page opened (or became known after the panel opened): its elements' changes can be applied now.
  let lastPageId: string | null = null;
  const followPage = effect(() => {
    const pageId = pageModel.page.value?.id ?? null;
    if (pageId !== lastPageId && pageId !== null) applier?.wake();
    lastPageId = pageId;
  });

  return {
    siteId,
    siteName: options.siteName ?? '',
    readOnly,
    readOnlyReason: options.readOnlyReason,
    announcer,
    assets,
    find,
    edits,
    selection,
    folders,
    status,
    applier,
    uploads,
    usage,
    stylesReader,
    suggestions,
    thumbnails,
    onPage: pageModel,
    replace,
    deletion: () => createDeletionModel({ backend, siteId, usage, edits, announcer, onDeleting: (assetIds) => suggestions.forget(assetIds) }),
    cmsImages: {
      model: cmsModel,
      open() {
        // The view's code is fetched when first opened: the panel's first paint does not wait for it.
        cmsOpening ??= import('./cms/model.ts').then(({ createCmsImagesModel }) => {
          if (disposed) throw new Error('The site was closed.');
          const model = createCmsImagesModel({
            backend,
            siteId,
            edits,
            announcer,
            assetAltText(assetId, localeId) {
              const asset = assets.byId.value.get(assetId);
              if (!asset) return undefined;
              return edits.savedAltText(asset, localeId) ?? edits.savedAltText(asset, null);
            },
            pollMs: options.usagePollMs,
            watchMs: options.cmsWatchMs,
          });
          cmsModel.value = model;
          void model.load();
          return model;
        });
        return cmsOpening;
      },
    },
    report,
    localeName: computed(() => assets.locales.value.find((locale) => locale.id === find.localeId.value)?.displayName ?? 'Primary'),
    async start() {
      await assets.load();
      if (assets.loadState.value !== 'ready') return;
      assets.startPolling(options.pollMs);
      // The grid works without it: the usage lines, filters and sort appear when it answers.
      // Then the styles' background images (a Designer without styles: nothing), which load the usage again.
      void usage.load().then(() => stylesReader.read());
      void status.refresh();
      status.startPolling();
      pageModel.start();
      // What was saved before this open and is not in Webflow yet is shown as saved; the applier
      // starts after, so none of its acknowledgements is overtaken by that older listing.
      await edits.showUnapplied();
      // Drafts are said once what was saved is known: one that holds it is no draft.
      const drafts = edits.dropSavedDrafts();
      if (drafts > 0) {
        announcer.say(`${drafts} unsaved alt ${drafts === 1 ? 'text is' : 'texts are'} back in ${drafts === 1 ? 'its field' : 'their fields'} from last time: Enter saves, Esc drops.`);
      }
      // A read-only user cannot change assets, so their panel must not apply others' changes either.
      if (!readOnly && !disposed) applier?.start();
    },
    dispose() {
      disposed = true;
      clearTimeout(settling);
      followFolder();
      followRefresh();
      followPage();
      pageModel.dispose();
      assets.dispose();
      suggestions.dispose();
      find.dispose();
      status.dispose();
      applier?.dispose();
      uploads.dispose();
      replace.close();
      usage.dispose();
      report.dispose();
      cmsModel.peek()?.dispose();
    },
  };
}
