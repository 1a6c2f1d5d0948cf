/**
 * Small hand-written fakes of the panel's two ports, for component and model tests. The fake
 * backend keeps a real little journal (record, lease, ack, undo, retry, resolve) with the
 * journal's rules: test/contract/journal-port.test.ts runs the same cases against it and the
 * real backend. Changes of CMS image uses are never leased to the Designer applier: the fake's
 * "server applier" is `applyCmsChanges`, which a test calls when it wants them applied. The fake
 * designer holds each asset's values.
 */
import type { AltText, Batch, Change, ChangeStatus, CmsTarget, Folder, IndexResponse, IndexedAsset, Locale, RecordBatchRequest, RefreshState } from '../../core/api.ts';
import { BackendError, type AckResult, type BackendPort, type LeaseOptions } from '../ports/backend.ts';
import type { DesignerPort, ExtensionSize, NoticeType } from '../ports/designer.ts';
import type { AssetSuggestions, SuggestionSourcesStatus } from '../../core/suggestions/sources.ts';
import type { DeletionCheck } from '../../core/deletion.ts';
import { CMS_IMAGES_FORMAT } from '../ports/wire.ts';
import { cmsTargetOf } from '../cms/uses.ts';
import { cmsImageColumns, type CmsImageRow, type CmsImages } from '../../core/cms-images.ts';
import type { AltState, AssetUsage, StyleUsesRequest, StyleUsesResponse, UsageCrawlState, UsageSummary } from '../../core/usage.ts';
import type { ReportResponse } from '../../core/report.ts';
import { encodeCompactIndex } from '../../core/compact-index.ts';
import type { IndexCache } from '../index-cache/index-cache.ts';
import type { PublishResponse, UnpublishedItem } from '../../core/cms.ts';

/** A usage summary from per-asset counts: `{ asset1: { pages: 2 } }`; built and idle unless told. */
export function makeUsage(
  uses: Record<string, Partial<{ pages: number; components: number; items: number; links: number; styles: number; missing: number }>>,
  crawl: Partial<UsageCrawlState> = {},
  sources: UsageSummary['sources'] = sourcesReadOn('2026-12-04T12:00:00Z'),
): UsageSummary {
  const ids = Object.keys(uses);
  const column = (name: 'pages' | 'components' | 'items' | 'links' | 'styles' | 'missing') => ids.map((id) => uses[id]?.[name] ?? 0);
  return {
    format: 'usage-2',
    crawl: { state: 'idle', done: 10, total: 10, finishedAt: '2026-12-04T12:00:00Z', error: null, missingScopes: [], built: true, ...crawl },
    sources,
    columns: { assetId: ids, pages: column('pages'), components: column('components'), items: column('items'), links: column('links'), styles: column('styles'), missing: column('missing') },
  };
}

/** Pages, components and CMS read at `date`; styles at `styles` (never by default). */
export function sourcesReadOn(date: string | null, styles: string | null = null): UsageSummary['sources'] {
  return {
    read: [
      { source: 'pages', readAt: date },
      { source: 'components', readAt: date },
      { source: 'cms', readAt: date },
      { source: 'styles', readAt: styles },
    ],
    notSeen: ['Custom code in the site’s or a page’s settings, and Embed elements: the Data API does not show it.', 'Other sites, emails and documents that link to a file’s CDN URL.'],
  };
}

export function makeAsset(n: number, overrides: Partial<IndexedAsset> = {}): IndexedAsset {
  const fileName = overrides.fileName ?? `photo-${n}.jpg`;
  return {
    id: `asset${n}`,
    name: fileName,
    fileName,
    contentType: 'image/jpeg',
    size: 1000 + n,
    url: `https://cdn.example/${fileName}`,
    thumbUrl: `https://cdn.example/thumb-${fileName}`,
    folderId: null,
    createdOn: new Date(Date.UTC(2024, 0, 1) + n * 60_000).toISOString(),
    lastUpdated: new Date(Date.UTC(2024, 0, 1) + n * 60_000).toISOString(),
    altText: '',
    localeAltText: {},
    md5: null,
    ...overrides,
  };
}

/** One CMS image use as a test writes it (its alt state worked out when not given); the fake backend answers them by column. */
export type FakeCmsUse = Omit<CmsImageRow, 'altState'> & { altState?: AltState };

/** A gallery image of the product "Espresso" unless told otherwise. */
export function makeCmsUse(overrides: Partial<FakeCmsUse> = {}): FakeCmsUse {
  return {
    collectionId: 'products',
    collectionName: 'Products',
    itemId: 'espresso',
    itemName: 'Espresso',
    fieldSlug: 'gallery',
    fieldType: 'MultiImage',
    position: 0,
    localeId: null,
    assetId: 'asset1',
    altText: null,
    ...overrides,
  };
}

/** Which use a CMS target and locale name: the fake's own key. */
const cmsUseKey = (target: CmsTarget, localeId: string | null) =>
  [target.collectionId, target.itemId, target.fieldSlug, target.position ?? '', localeId ?? ''].join('\u0000');

export const primaryLocale: Locale = { id: 'en', displayName: 'English', tag: 'en', primary: true };
export const frenchLocale: Locale = { id: 'fr', displayName: 'French', tag: 'fr', primary: false };

export interface FakeBackendOptions {
  assets?: IndexedAsset[];
  folders?: Folder[];
  locales?: Locale[];
  installed?: boolean;
  /** Session lifetime in ms. */
  sessionMs?: number;
  /** The usage index's answer (see `makeUsage`); not built by default. */
  usage?: UsageSummary;
}

export class FakeBackend implements BackendPort {
  siteId = 'site1';
  installed: boolean;
  sessionMs: number;
  token: string | null = null;
  assets: IndexedAsset[];
  folders: Folder[];
  locales: Locale[];
  version = 1;
  /** The store's epoch (a test sets another to play a store made anew). */
  epoch = 'epoch-1';
  changes: Change[] = [];
  batches: Batch[] = [];
  sessions = 0;
  leases: string[] = [];
  /** Who holds each leased change. */
  private holders = new Map<string, string>();
  /** Appliers that gave back what they held (a panel closing): granted nothing more. */
  private releasedAppliers = new Set<string>();
  /** The index refresh's state as the next answers report it; null: idle with every asset read. */
  refresh: RefreshState | null = null;
  /** The usage index's answer; null: not built yet, no crawl running (nothing shown). */
  usageSummary: UsageSummary | null = null;
  usageCalls = 0;
  /** Each asset's uses, for the details view (none by default). */
  assetUses = new Map<string, AssetUsage['uses']>();
  assetReferences = new Map<string, AssetUsage['references']>();
  /** The site's CMS image uses ("CMS images"); the fake server applier writes their alt text. */
  cmsUses: FakeCmsUse[] = [];
  cmsCalls = 0;
  /** The usage crawl's state in the CMS images answer. */
  cmsCrawl: UsageCrawlState = { state: 'idle', done: 10, total: 10, finishedAt: '2026-12-04T12:00:00Z', error: null, missingScopes: [], built: true };
  /**
   * The items our applied CMS changes left staged, as `GET …/cms/unpublished` answers them:
   * `applyCmsChanges` adds each applied change's item (ours alone); a test may say otherwise.
   */
  cmsWaiting: UnpublishedItem[] = [];
  /** Every `publishCmsItems` request's item ids, in order. */
  cmsPublishes: string[][] = [];
  /** Set to make the next call of that name fail once. */
  failNext: Partial<Record<keyof BackendPort, BackendError>> = {};
  private pendingChanges: IndexedAsset[] = [];
  private nextId = 1;

  constructor(options: FakeBackendOptions = {}) {
    this.assets = options.assets ?? [];
    this.folders = options.folders ?? [];
    this.locales = options.locales ?? [primaryLocale];
    this.installed = options.installed ?? true;
    this.sessionMs = options.sessionMs ?? 15 * 60_000;
    this.usageSummary = options.usage ?? null;
  }

  private check(name: keyof BackendPort): void {
    const error = this.failNext[name];
    if (error) {
      delete this.failNext[name];
      throw error;
    }
  }

  /** Makes an asset appear in the next /index/changes answer, as a refresh would. */
  emitAssetChange(asset: IndexedAsset): void {
    this.assets = this.assets.some((each) => each.id === asset.id)
      ? this.assets.map((each) => (each.id === asset.id ? asset : each))
      : [...this.assets, asset];
    this.pendingChanges.push(asset);
    this.version += 1;
  }

  setSessionToken(token: string | null): void {
    this.token = token;
  }

  /** Set by {@link holdSessions}: sessions open when the test says. */
  private sessionHeld: Promise<void> | null = null;

  /** Makes every session wait until the test opens it (or fails it), as a slow backend or Webflow would. */
  holdSessions(): { open(): void; fail(error: Error): void } {
    let open!: () => void;
    let fail!: (error: Error) => void;
    const held = new Promise<void>((resolve, reject) => ((open = resolve), (fail = reject)));
    held.catch(() => undefined);
    this.sessionHeld = held;
    return { open, fail };
  }

  async createSession(request: { idToken: string; siteId: string }) {
    if (this.sessionHeld) await this.sessionHeld;
    this.check('createSession');
    if (!this.installed) {
      throw new BackendError(409, 'not_installed', 'Asset Desk is not installed on this site.', { installUrl: 'https://backend.example/install?site=site1' });
    }
    this.sessions += 1;
    return {
      sessionToken: `session-${this.sessions}-${request.idToken}`,
      expiresAt: new Date(Date.now() + this.sessionMs).toISOString(),
      siteId: request.siteId,
      user: { id: 'user1', email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace' },
    };
  }

  async getIndex(): Promise<{ index: IndexResponse; body: string }> {
    this.check('getIndex');
    const index = this.wholeIndex();
    // The body the backend would send, so a kept index is read as the panel reads a real one.
    return { index, body: JSON.stringify(encodeCompactIndex(index)) };
  }

  async getIndexBody(): Promise<string> {
    this.check('getIndexBody');
    return JSON.stringify(encodeCompactIndex(this.wholeIndex()));
  }

  /** The index as the backend would answer it now. */
  wholeIndex(): IndexResponse {
    return {
      version: this.version,
      epoch: this.epoch,
      site: { id: this.siteId, displayName: 'Demo site', locales: this.locales },
      folders: this.folders,
      assets: this.assets,
      refresh: this.refreshState(),
    };
  }

  private refreshState(): RefreshState {
    return this.refresh ?? { state: 'idle', done: this.assets.length, total: this.assets.length, finishedAt: null, error: null };
  }

  async usage(): Promise<UsageSummary> {
    this.check('usage');
    this.usageCalls += 1;
    return (
      this.usageSummary ?? {
        format: 'usage-2',
        crawl: { state: 'idle', done: 0, total: null, finishedAt: null, error: null, missingScopes: [], built: false },
        sources: sourcesReadOn(null),
        columns: { assetId: [], pages: [], components: [], items: [], links: [], styles: [], missing: [] },
      }
    );
  }

  async cmsImages(): Promise<CmsImages> {
    this.check('cmsImages');
    this.cmsCalls += 1;
    const rows = this.cmsUses.map((use) => ({ ...use, altState: use.altState ?? (use.altText ? ('overridden' as const) : ('missing' as const)) }));
    return { format: CMS_IMAGES_FORMAT, crawl: this.cmsCrawl, ...cmsImageColumns(rows) };
  }

  /**
   * The server applier's run over the open CMS changes, oldest first: each is applied to its use
   * (or conflicts when the use no longer holds its before-value, or fails when `fail` says so).
   * Answers the changes it settled.
   */
  applyCmsChanges(fail: (change: Change) => string | null = () => null): Change[] {
    const settled: Change[] = [];
    for (const change of this.changes) {
      const target = cmsTargetOf(change);
      if (!target || (change.status !== 'pending' && change.status !== 'leased')) continue;
      const use = this.cmsUses.find((each) => cmsUseKey({ ...each, kind: 'cms' }, each.localeId) === cmsUseKey(target, change.localeId));
      const error = fail(change);
      if (error !== null) {
        change.status = 'failed';
        change.error = error;
      } else if (!use || use.altText !== change.before) {
        change.status = 'conflict';
        change.current = use ? use.altText : null;
        change.error = use ? null : 'This image is no longer in the item.';
      } else {
        use.altText = change.after;
        use.altState = change.after ? 'overridden' : 'missing';
        change.status = 'applied';
        change.appliedAt = new Date().toISOString();
        change.appliedBy = 'server';
        this.stage(target, change, use.itemName);
      }
      settled.push({ ...change });
    }
    return settled;
  }

  /** An applied change waits in its item (in its locale) until the item is published. */
  private stage(target: CmsTarget, change: Change, name: string): void {
    const waiting = this.cmsWaiting.find((each) => each.itemId === target.itemId && each.localeId === change.localeId);
    if (waiting) waiting.changeIds.push(change.id);
    else this.cmsWaiting.push({ collectionId: target.collectionId, itemId: target.itemId, localeId: change.localeId, name, lastUpdated: change.appliedAt, isDraft: false, onlyOurs: true, changeIds: [change.id] });
  }

  async cmsUnpublished(): Promise<UnpublishedItem[]> {
    this.check('cmsUnpublished');
    return structuredClone(this.cmsWaiting);
  }

  /** As the backend does: an item goes live in every locale we changed when each is ours alone; the rest is refused with why. */
  async publishCmsItems(_siteId: string, itemIds: string[]): Promise<PublishResponse> {
    this.check('publishCmsItems');
    this.cmsPublishes.push([...itemIds]);
    const answer: PublishResponse = { published: [], refused: [], failed: [] };
    for (const itemId of new Set(itemIds)) {
      const entries = this.cmsWaiting.filter((each) => each.itemId === itemId);
      if (entries.length === 0) {
        answer.refused.push({ itemId, localeId: null, reason: 'No change of Asset Desk waits in this item: nothing to publish.' });
      } else if (entries.every((each) => each.onlyOurs)) {
        answer.published.push(...entries.map((each) => ({ itemId, localeId: each.localeId })));
        this.cmsWaiting = this.cmsWaiting.filter((each) => each.itemId !== itemId);
      } else {
        for (const each of entries) answer.refused.push({ itemId, localeId: each.localeId, reason: `“${each.name}” has unpublished changes that are not Asset Desk's; publish it in Webflow once they are ready.` });
      }
    }
    return answer;
  }

  /** Every `PUT …/usage/styles` body, in order. */
  styleUses: StyleUsesRequest[] = [];
  /** When the fake backend says the styles were read. */
  static readonly STYLES_READ_AT = '2026-12-04T12:30:00Z';

  /** Stores the uses as the backend does: matched to assets by hosted URL (or id), counted per asset, the styles' date set. */
  async putStyleUses(_siteId: string, request: StyleUsesRequest): Promise<StyleUsesResponse> {
    this.check('putStyleUses');
    this.styleUses.push(request);
    const byUrl = new Map(this.assets.map((asset) => [asset.url, asset.id]));
    const counts = new Map<string, number>();
    for (const use of request.uses) {
      const id = use.assetId ?? (use.url === undefined ? undefined : byUrl.get(use.url));
      if (id) counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    const summary = this.usageSummary ?? makeUsage({}, { built: false });
    const ids = [...new Set([...summary.columns.assetId, ...counts.keys()])];
    const column = (name: 'pages' | 'components' | 'items' | 'links' | 'missing') => ids.map((id) => summary.columns[name][summary.columns.assetId.indexOf(id)] ?? 0);
    const sources = { ...summary.sources, read: summary.sources.read.map((each) => (each.source === 'styles' ? { ...each, readAt: FakeBackend.STYLES_READ_AT } : each)) };
    this.usageSummary = {
      ...summary,
      sources,
      columns: { assetId: ids, pages: column('pages'), components: column('components'), items: column('items'), links: column('links'), styles: ids.map((id) => counts.get(id) ?? 0), missing: column('missing') },
    };
    const stored = [...counts.values()].reduce((sum, n) => sum + n, 0);
    return { stored, unmatched: request.uses.length - stored, sources };
  }

  /** What the backend's suggestion sources found, by asset id; none by default. */
  suggestionsByAsset = new Map<string, AssetSuggestions['suggestions']>();
  /** Sources still reading an asset (the model asks again later), by asset. */
  pendingSuggestionsByAsset = new Map<string, AssetSuggestions['pending']>();
  /** Per-use suggestions, by asset id; none by default. */
  useSuggestionsByAsset = new Map<string, AssetSuggestions['uses']>();

  /** What the backend says of its suggestion sources: metadata, OCR in three languages and usage on, no vision model, by default. */
  sources: SuggestionSourcesStatus = { metadata: { active: true }, ocr: { active: true, languages: ['en', 'fr', 'de'], notRead: [] }, usage: { active: true }, vision: { active: false } };

  async suggestionSources(): Promise<SuggestionSourcesStatus> {
    this.check('suggestionSources');
    return this.sources;
  }

  /** The site's thumbnail key, and how often it was asked for. */
  thumbnailKeyAnswer = { key: 'k1.thumbnailkeythumbnailke', expiresAt: '2999-01-01T00:00:00.000Z' };
  thumbnailKeyCalls = 0;

  async thumbnailKey(): Promise<{ key: string; expiresAt: string }> {
    this.thumbnailKeyCalls += 1;
    this.check('thumbnailKey');
    return this.thumbnailKeyAnswer;
  }

  thumbnailUrl(siteId: string, assetId: string, mark: string, key: string): string {
    return `https://backend.example/api/thumbnails/${siteId}/${assetId}?v=${mark}&k=${key}`;
  }

  async assetSuggestions(_siteId: string, assetId: string): Promise<AssetSuggestions> {
    this.check('assetSuggestions');
    return { assetId, suggestions: this.suggestionsByAsset.get(assetId) ?? [], uses: this.useSuggestionsByAsset.get(assetId) ?? [], unread: [], pending: this.pendingSuggestionsByAsset.get(assetId) ?? [] };
  }

  /** The report's backend answer: nothing crawled, no journal, unless a test sets it. */
  reportAnswer: ReportResponse = { usageBuilt: false, places: [], visitors: [], days: [], people: [], stretch: null };
  reportCalls = 0;

  async report(): Promise<ReportResponse> {
    this.check('report');
    this.reportCalls += 1;
    return this.reportAnswer;
  }

  async assetUsage(_siteId: string, assetId: string): Promise<AssetUsage> {
    this.check('assetUsage');
    const { crawl } = await this.usage();
    return { assetId, uses: this.assetUses.get(assetId) ?? [], references: this.assetReferences.get(assetId) ?? [], crawl };
  }

  /** `POST …/usage/crawl` calls. */
  crawlCalls = 0;
  /** What the usage index answers once a crawl asked for with `crawlUsage` finished (unchanged when null). */
  usageAfterCrawl: UsageSummary | null = null;
  /** The next answers of `checkDeletions`; when unset, worked out from the assets and the usage summary. */
  deletionCheck: DeletionCheck | null = null;

  async crawlUsage(): Promise<void> {
    this.check('crawlUsage');
    this.crawlCalls += 1;
    if (this.usageAfterCrawl) this.usageSummary = this.usageAfterCrawl;
  }

  async checkDeletions(_siteId: string, assetIds: string[]): Promise<DeletionCheck> {
    this.check('checkDeletions');
    if (this.deletionCheck) return structuredClone(this.deletionCheck);
    const summary = this.usageSummary ?? makeUsage({}, { built: false }, sourcesReadOn(null));
    const used = new Set(summary.columns.assetId);
    const readAt = (source: string) => summary.sources.read.find((read) => read.source === source)?.readAt ?? null;
    const notReady = [...(readAt('pages') ? [] : ['Where assets are used has not been read completely yet.']), ...(readAt('styles') ? [] : ['The site’s styles (background images) have never been read.'])];
    const check: DeletionCheck = { ready: notReady.length === 0, notReady, crawlFinishedAt: readAt('pages'), freshMinutes: 10, graceDays: 7, keepDays: 30, sources: summary.sources, deletable: [], heldBack: [] };
    for (const assetId of assetIds) {
      const asset = this.assets.find((each) => each.id === assetId);
      if (!asset) check.heldBack.push({ assetId, name: assetId, reason: 'not_indexed', detail: 'Not in the asset list.' });
      else if (used.has(assetId)) check.heldBack.push({ assetId, name: asset.name, reason: 'in_use', detail: 'Used: page “Home”.', uses: this.assetUses.get(assetId) ?? [] });
      else check.deletable.push({ assetId, name: asset.name, size: asset.size });
    }
    return check;
  }

  async recordDeletions(_siteId: string, assetIds: string[], label: string): Promise<Batch> {
    this.check('recordDeletions');
    return this.journalBatch(label, null, assetIds.map((assetId) => ({ assetId, field: 'deletion' as const, localeId: null, before: 'kept', after: 'deleted', status: 'pending' as const })));
  }

  async getIndexChanges(_siteId?: string, _since?: number) {
    this.check('getIndexChanges');
    const assets = this.pendingChanges;
    this.pendingChanges = [];
    return {
      version: this.version,
      epoch: this.epoch,
      site: { id: this.siteId, displayName: 'Demo site', locales: this.locales },
      assets,
      removedAssetIds: [],
      // As the backend does: every folder in every answer (a site has few).
      folders: this.folders,
      refresh: this.refreshState(),
    };
  }

  async refreshIndex(): Promise<void> {
    this.check('refreshIndex');
  }

  async recordBatch(_siteId: string, request: RecordBatchRequest): Promise<Batch> {
    this.check('recordBatch');
    request.changes.forEach((input, index) => {
      // The journal's own checks (services/journal.ts), so a test sees the same refusal.
      if (input.field === 'displayName' && (input.after === null || input.after.trim() === '')) {
        throw new BackendError(400, 'validation_error', `changes[${index}] (asset ${input.assetId}): a display name cannot be empty`);
      }
    });
    return this.journalBatch(request.label ?? null, null, request.changes.map((input) => ({ ...input, localeId: input.localeId ?? null, status: 'pending' as const })));
  }

  /** Replacements' files by MD5, and each asset's file MD5 as Webflow has it now (what `replacementCheck` compares). */
  replacementFiles = new Map<string, { fileName: string; contentType: string; bytes: Blob }>();
  fileMd5 = new Map<string, string>();

  async recordReplacement(_siteId: string, { assetId, file, fileName, md5 }: { assetId: string; file: Blob; fileName: string; md5: string }): Promise<Batch> {
    this.check('recordReplacement');
    const asset = this.assets.find((each) => each.id === assetId);
    if (!asset) throw new BackendError(404, 'not_found', `No asset ${assetId} on this site`);
    const before = this.fileMd5.get(assetId) ?? asset.md5 ?? '0'.repeat(32);
    if (before === md5) throw new BackendError(409, 'duplicate', `${fileName} is the very file ${asset.fileName} already has (same MD5): nothing to replace.`);
    this.replacementFiles.set(md5, { fileName, contentType: file.type, bytes: file });
    return this.journalBatch(`Replace the file of ${asset.name} with ${fileName}`, null, [{ assetId, field: 'file', localeId: null, before, after: md5, status: 'pending' }]);
  }

  private replaced(changeId: string) {
    const change = this.changes.find((each) => each.id === changeId && each.field === 'file');
    const file = change?.after ? this.replacementFiles.get(change.after) : undefined;
    if (!change || !file) throw new BackendError(404, 'not_found', `No file replacement ${changeId} on this site`);
    return { change, file };
  }

  async replacementCheck(_siteId: string, changeId: string) {
    this.check('replacementCheck');
    const { change, file } = this.replaced(changeId);
    const current = this.fileMd5.get(change.assetId) ?? change.before ?? '';
    const state = current === change.before ? ('ready' as const) : current === change.after ? ('applied' as const) : ('conflict' as const);
    return { state, current, fileName: file.fileName, contentType: file.contentType, size: file.bytes.size, md5: change.after ?? '' };
  }

  async replacementFile(_siteId: string, changeId: string): Promise<Blob> {
    this.check('replacementFile');
    return this.replaced(changeId).file.bytes;
  }

  private journalBatch(label: string | null, undoOf: string | null, inputs: NewFakeChange[]): Batch {
    const batchId = `batch${this.nextId++}`;
    const changes = inputs.map((input) => this.journalChange(batchId, input));
    const batch: Batch = { id: batchId, label, userId: 'user1', createdAt: new Date().toISOString(), undoOf, changes: changes.map((change) => ({ ...change })) };
    this.batches.push(batch);
    return batch;
  }

  private journalChange(batchId: string, input: NewFakeChange): Change {
    const change: Change = {
      id: `change${this.nextId++}`,
      batchId,
      assetId: input.assetId,
      field: input.field,
      localeId: input.localeId ?? null,
      ...(input.target?.kind === 'element' ? { target: { ...input.target, componentId: input.target.componentId ?? null } } : {}),
      // As the journal answers: a CMS image use apart from `target`, which readers take for a page element.
      ...(input.target?.kind === 'cms' ? { cmsTarget: { ...input.target } } : {}),
      before: input.before,
      after: input.after,
      status: input.status,
      error: null,
      userId: 'user1',
      createdAt: new Date().toISOString(),
      appliedAt: null,
      appliedBy: null,
    };
    this.changes.push(change);
    return change;
  }

  async listChanges(_siteId: string, statuses: ChangeStatus[], limit = 500, afterId?: string) {
    this.check('listChanges');
    const counts: Partial<Record<ChangeStatus, number>> = {};
    for (const change of this.changes) counts[change.status] = (counts[change.status] ?? 0) + 1;
    // The journal's order is the order changes were recorded in: a page starts after the change named.
    const start = afterId === undefined ? 0 : this.changes.findIndex((change) => change.id === afterId) + 1;
    const listed = this.changes.slice(start).filter((change) => statuses.includes(change.status)).slice(0, limit);
    return { changes: listed.map((change) => ({ ...change })), counts: counts as Record<ChangeStatus, number> };
  }

  async leaseChanges(_siteId: string, applierId: string, limit: number, _seconds?: number, _wait?: number, options: LeaseOptions = {}) {
    this.check('leaseChanges');
    this.leases.push(applierId);
    // As the journal does: an applier that gave back what it held is granted nothing more.
    if (this.releasedAppliers.has(applierId)) return { changes: [], leaseExpiresAt: null };
    // As the journal does: only the oldest open change of each value (asset, field, locale; or one
    // page element's alt) may be applied; what this applier holds first (renewed), then pending
    // ones, within the limit; a page element's changes only while its page is open.
    // Deletions are the server's alone (the Designer API cannot delete an asset), and so are a CMS image use's changes.
    const leasable = (change: Change) => change.field !== 'deletion' && !change.cmsTarget && (!change.target || change.target.pageId === options.pageId);
    const oldestOpen = new Map<string, Change>();
    for (const change of this.changes) {
      const cms = cmsTargetOf(change);
      const value = cms
        ? `cms\u0000${cmsUseKey(cms, change.localeId)}`
        : change.target
          ? `element\u0000${change.target.pageId}\u0000${change.target.elementId}`
          : `${change.assetId}\u0000${change.field}\u0000${change.localeId ?? ''}`;
      if ((change.status === 'pending' || change.status === 'leased') && !oldestOpen.has(value)) oldestOpen.set(value, change);
    }
    const open = [...oldestOpen.values()].filter(leasable);
    const held = open.filter((change) => change.status === 'leased' && this.holders.get(change.id) === applierId);
    const leased = [...held, ...open.filter((change) => change.status === 'pending')].slice(0, limit).sort(byJournalOrder);
    for (const change of leased) {
      change.status = 'leased';
      this.holders.set(change.id, applierId);
    }
    return { changes: leased.map((change) => ({ ...change })), leaseExpiresAt: leased.length > 0 ? new Date(Date.now() + 30_000).toISOString() : null };
  }

  async ackChanges(_siteId: string, applierId: string, results: AckResult[]): Promise<Change[]> {
    this.check('ackChanges');
    const settled: Change[] = [];
    for (const result of results) {
      // Only the holder's outcome counts; anything else is left as it is and absent from the answer.
      const change = this.changes.find((each) => each.id === result.changeId);
      if (!change || change.status !== 'leased' || this.holders.get(change.id) !== applierId) continue;
      this.holders.delete(change.id);
      change.status = result.outcome;
      change.error = result.outcome === 'failed' ? (result.error ?? 'The applier did not say what failed') : null;
      if (result.outcome === 'conflict') change.current = result.current ?? null;
      else delete change.current;
      if (result.outcome === 'applied') {
        change.appliedAt = new Date().toISOString();
        change.appliedBy = 'designer';
      }
      settled.push({ ...change });
    }
    return settled.sort(byJournalOrder);
  }

  async releaseChanges(_siteId: string, applierId: string): Promise<number> {
    this.check('releaseChanges');
    this.releasedAppliers.add(applierId);
    let released = 0;
    for (const change of this.changes) {
      if (change.status !== 'leased' || this.holders.get(change.id) !== applierId) continue;
      this.holders.delete(change.id);
      change.status = 'pending';
      released += 1;
    }
    return released;
  }

  async retryChange(_siteId: string, changeId: string): Promise<Change> {
    this.check('retryChange');
    const change = this.find(changeId);
    if (change.status !== 'failed') {
      throw new BackendError(409, 'conflict', `Change ${changeId} is ${change.status}; only a failed change can be retried`);
    }
    change.status = 'pending';
    change.error = null;
    return { ...change };
  }

  async resolveConflict(_siteId: string, changeId: string, keep: 'mine' | 'theirs'): Promise<Change> {
    this.check('resolveConflict');
    const change = this.find(changeId);
    if (change.status !== 'conflict') {
      throw new BackendError(409, 'conflict', `Change ${changeId} is ${change.status}; only a conflict can be resolved`);
    }
    // As the journal does: a deletion is never forced over a use, and the refusal changes nothing.
    if (keep === 'mine' && change.field === 'deletion') {
      throw new BackendError(409, 'conflict', `Change ${changeId} deletes an asset that was found in use; it is never deleted over a use. Keep Webflow’s version instead.`);
    }
    const current = change.current;
    change.status = 'discarded';
    delete change.current;
    if (keep === 'theirs') return { ...change };
    // As the journal does: mine is journaled again, a new change over Webflow's value, in the same batch.
    const again = this.journalChange(change.batchId, { ...change, before: current ?? null, status: 'pending' });
    this.batches.find((batch) => batch.id === change.batchId)?.changes.push({ ...again });
    return { ...again };
  }

  async undoBatch(_siteId: string, batchId: string): Promise<Batch> {
    this.check('undoBatch');
    const batch = this.batches.find((each) => each.id === batchId);
    if (!batch) throw new BackendError(404, 'not_found', `No batch ${batchId} on this site`);
    const undoneBy = this.batches.find((each) => each.undoOf === batchId);
    if (undoneBy) {
      throw new BackendError(409, 'conflict', `Batch ${batchId} was already undone by batch ${undoneBy.id}`, { undoneBy: undoneBy.id });
    }
    // As the journal does: changes not applied yet are discarded and so is their inverse; applied
    // (or leased, maybe on Webflow already) ones get a pending inverse; newest first.
    const changes = this.changes.filter((change) => change.batchId === batchId);
    const inverse: NewFakeChange[] = [];
    for (const change of [...changes].reverse()) {
      if (change.status === 'pending' || change.status === 'failed' || change.status === 'conflict') {
        change.status = 'discarded';
        change.error = null;
        delete change.current;
      } else if (change.status !== 'applied' && change.status !== 'leased') {
        continue;
      }
      inverse.push({
        assetId: change.assetId,
        field: change.field,
        localeId: change.localeId,
        ...(change.target ? { target: change.target } : change.cmsTarget ? { target: change.cmsTarget } : {}),
        before: change.after,
        after: change.before,
        status: change.status === 'discarded' ? 'discarded' : 'pending',
      });
    }
    const label = (batch.label ? `Undo: ${batch.label}` : `Undo batch ${batchId}`).slice(0, 200);
    return this.journalBatch(label, batchId, inverse);
  }

  async assetHistory(_siteId: string, assetId: string): Promise<Change[]> {
    return this.changes
      .filter((change) => change.assetId === assetId)
      .reverse()
      .map((change) => ({ ...change }));
  }

  async createUpload(): Promise<never> {
    throw new BackendError(500, 'internal_error', 'Uploads are not part of this fake.');
  }

  async sendFile(): Promise<void> {
    throw new BackendError(500, 'internal_error', 'Uploads are not part of this fake.');
  }

  async completeUpload(): Promise<never> {
    throw new BackendError(500, 'internal_error', 'Uploads are not part of this fake.');
  }

  async failUpload(): Promise<void> {}

  async listFolders(): Promise<Folder[]> {
    return this.folders;
  }

  async createFolder(_siteId: string, name: string, parentId: string | null): Promise<Folder> {
    this.check('createFolder');
    const folder = { id: `folder${this.nextId++}`, name, parentId };
    this.folders = [...this.folders, folder];
    return folder;
  }

  private find(changeId: string): Change {
    const change = this.changes.find((each) => each.id === changeId);
    if (!change) throw new BackendError(404, 'not_found', `No change ${changeId}.`);
    return change;
  }
}

type NewFakeChange = Pick<Change, 'assetId' | 'field' | 'localeId' | 'before' | 'after'> & {
  target?: Change['target'] | RecordBatchRequest['changes'][number]['target'];
  status: 'pending' | 'discarded';
};

/** Journal ids grow with time, as the journal's bigserial ids do. */
const byJournalOrder = (a: Change, b: Change) => Number(a.id.replace(/\D/g, '')) - Number(b.id.replace(/\D/g, ''));

export interface FakeDesignerValues {
  altText: AltText;
  localeAltText: Record<string, AltText>;
  name: string;
  folderId: string | null;
}

export class FakeDesigner implements DesignerPort {
  canManage = true;
  idTokens = 0;
  notices: Array<{ type: NoticeType; message: string }> = [];
  sizes: ExtensionSize[] = [];
  values = new Map<string, FakeDesignerValues>();
  /** Asset ids whose writes fail, with the error message. */
  failing = new Map<string, string>();
  /** Writes in progress right now, and the most seen at once. */
  inFlight = 0;
  maxInFlight = 0;
  /** How long each write takes. */
  writeDelayMs = 1;
  /** What a locale without alt text of its own reads as: the primary's (default) or empty. */
  unsetLocaleReads: 'primary' | 'empty' = 'primary';

  constructor(assets: IndexedAsset[] = []) {
    for (const asset of assets) {
      this.values.set(asset.id, { altText: asset.altText, localeAltText: { ...asset.localeAltText }, name: asset.name, folderId: asset.folderId });
    }
  }

  async getSiteInfo() {
    return { siteId: 'site1', siteName: 'Demo site' };
  }
  async getIdToken() {
    this.idTokens += 1;
    return `id-token-${this.idTokens}`;
  }
  async notify(type: NoticeType, message: string) {
    this.notices.push({ type, message });
  }
  async setExtensionSize(size: ExtensionSize) {
    this.sizes.push(size);
  }
  async canManageAssets() {
    return this.canManage;
  }

  private get(assetId: string): FakeDesignerValues {
    const values = this.values.get(assetId);
    if (!values) throw new Error(`The asset ${assetId} is no longer on this site.`);
    return values;
  }

  private async write(assetId: string, apply: (values: FakeDesignerValues) => void): Promise<void> {
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    await new Promise((resolve) => setTimeout(resolve, this.writeDelayMs));
    this.inFlight -= 1;
    const failure = this.failing.get(assetId);
    if (failure) throw new Error(failure);
    apply(this.get(assetId));
  }

  async getAltText(assetId: string, localeId: string | null): Promise<AltText> {
    const values = this.get(assetId);
    if (!localeId) return values.altText;
    if (localeId in values.localeAltText) return values.localeAltText[localeId] ?? null;
    return this.unsetLocaleReads === 'primary' ? values.altText : '';
  }
  setAltText(assetId: string, altText: AltText, localeId: string | null) {
    return this.write(assetId, (values) => {
      if (localeId) values.localeAltText[localeId] = altText;
      else values.altText = altText;
    });
  }
  async getName(assetId: string) {
    return this.get(assetId).name;
  }
  setName(assetId: string, name: string) {
    return this.write(assetId, (values) => {
      values.name = name;
    });
  }
  async getFolderId(assetId: string) {
    return this.get(assetId).folderId;
  }
  setFolder(assetId: string, folderId: string) {
    return this.write(assetId, (values) => {
      values.folderId = folderId;
    });
  }
  /** Files set with `setFile`, by asset id. */
  files = new Map<string, File>();
  setFile(assetId: string, file: File) {
    return this.write(assetId, () => {
      this.files.set(assetId, file);
    });
  }
}

/** localStorage's part the edits model uses, in memory. */
export class MemoryStorage {
  items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}

/**
 * The kept index's store in memory, for the panel's tests: IndexedDB itself is tested in
 * src/panel/index-cache/index-cache.test.ts (fake-indexeddb clones with Node's structuredClone,
 * which cannot clone happy-dom's Blob).
 */
export class MemoryIndexCache implements IndexCache {
  bodies = new Map<string, string>();
  constructor(readonly backend = 'https://backend.example') {}
  async read(siteId: string): Promise<string | undefined> {
    return this.bodies.get(siteId);
  }
  async write(siteId: string, body: string): Promise<void> {
    this.bodies.set(siteId, body);
  }
  async forget(siteId: string): Promise<void> {
    this.bodies.delete(siteId);
  }
}
