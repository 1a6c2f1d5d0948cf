/**
 * Small hand-written fakes of the panel's two ports, for component and model tests. The fake
 * backend keeps a real little journal (record, lease, ack, undo, retry, resolve) so tests can
 * follow a change from the keyboard to Webflow; the fake designer holds each asset's values.
 */
import type { AltText, Batch, Change, ChangeStatus, Folder, IndexResponse, IndexedAsset, Locale, RecordBatchRequest, RefreshState } from '../../core/api.ts';
import { BackendError, type AckResult, type BackendPort, type LeaseOptions } from '../ports/backend.ts';
import type { DesignerPort, ExtensionSize, NoticeType } from '../ports/designer.ts';
import type { AssetUsage, UsageCrawlState, UsageSummary } from '../../core/usage.ts';

/** A usage summary from per-asset counts: `{ asset1: { pages: 2 } }`; built and idle unless told. */
export function makeUsage(
  uses: Record<string, Partial<{ pages: number; components: number; items: number; missing: number }>>,
  crawl: Partial<UsageCrawlState> = {},
): UsageSummary {
  const ids = Object.keys(uses);
  const column = (name: 'pages' | 'components' | 'items' | 'missing') => ids.map((id) => uses[id]?.[name] ?? 0);
  return {
    format: 'usage-1',
    crawl: { state: 'idle', done: 10, total: 10, finishedAt: '2026-12-04T12:00:00Z', error: null, missingScopes: [], built: true, ...crawl },
    columns: { assetId: ids, pages: column('pages'), components: column('components'), items: column('items'), missing: column('missing') },
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
  changes: Change[] = [];
  batches: Batch[] = [];
  sessions = 0;
  leases: string[] = [];
  /** Who holds each leased change. */
  private holders = new Map<string, string>();
  /** The index refresh's state as the next answers report it; null: idle with every asset read. */
  refresh: RefreshState | null = null;
  /** The usage index's answer; null: not built yet, no crawl running (nothing shown). */
  usageSummary: UsageSummary | null = null;
  usageCalls = 0;
  /** Each asset's uses, for the details view (none by default). */
  assetUses = new Map<string, AssetUsage['uses']>();
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

  async createSession(request: { idToken: string; siteId: string }) {
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

  async getIndex(): Promise<IndexResponse> {
    this.check('getIndex');
    return {
      version: this.version,
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
        format: 'usage-1',
        crawl: { state: 'idle', done: 0, total: null, finishedAt: null, error: null, missingScopes: [], built: false },
        columns: { assetId: [], pages: [], components: [], items: [], missing: [] },
      }
    );
  }

  async assetUsage(_siteId: string, assetId: string): Promise<AssetUsage> {
    this.check('assetUsage');
    const { crawl } = await this.usage();
    return { assetId, uses: this.assetUses.get(assetId) ?? [], crawl };
  }

  async getIndexChanges() {
    this.check('getIndexChanges');
    const assets = this.pendingChanges;
    this.pendingChanges = [];
    return {
      version: this.version,
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

  async recordBatch(_siteId: string, request: RecordBatchRequest, undoOf: string | null = null): Promise<Batch> {
    this.check('recordBatch');
    const batchId = `batch${this.nextId++}`;
    const changes: Change[] = request.changes.map((input) => ({
      id: `change${this.nextId++}`,
      batchId,
      assetId: input.assetId,
      field: input.field,
      localeId: input.localeId ?? null,
      ...(input.target?.kind === 'element' ? { target: { ...input.target, componentId: input.target.componentId ?? null } } : {}),
      before: input.before,
      after: input.after,
      status: 'pending',
      error: null,
      userId: 'user1',
      createdAt: new Date().toISOString(),
      appliedAt: null,
      appliedBy: null,
    }));
    const batch: Batch = { id: batchId, label: request.label ?? null, userId: 'user1', createdAt: new Date().toISOString(), undoOf, changes };
    this.changes.push(...changes);
    this.batches.push(batch);
    return batch;
  }

  async listChanges(_siteId: string, statuses: ChangeStatus[]) {
    this.check('listChanges');
    const counts: Partial<Record<ChangeStatus, number>> = {};
    for (const change of this.changes) counts[change.status] = (counts[change.status] ?? 0) + 1;
    return { changes: this.changes.filter((change) => statuses.includes(change.status)), counts: counts as Record<ChangeStatus, number> };
  }

  async leaseChanges(_siteId: string, applierId: string, limit: number, _seconds?: number, _wait?: number, options: LeaseOptions = {}) {
    this.check('leaseChanges');
    this.leases.push(applierId);
    // As the journal does: what this applier holds first (renewed), then pending ones, within the
    // limit; a page element's changes only while its page is open.
    const leasable = (change: Change) => !change.target || change.target.pageId === options.pageId;
    const held = this.changes.filter((change) => change.status === 'leased' && this.holders.get(change.id) === applierId && leasable(change));
    const leased = [...held, ...this.changes.filter((change) => change.status === 'pending' && leasable(change))].slice(0, limit);
    for (const change of leased) {
      change.status = 'leased';
      this.holders.set(change.id, applierId);
    }
    return { changes: leased.map((change) => ({ ...change })), leaseExpiresAt: new Date(Date.now() + 30_000).toISOString() };
  }

  async ackChanges(_siteId: string, _applierId: string, results: AckResult[]): Promise<Change[]> {
    this.check('ackChanges');
    return results.map((result) => {
      const change = this.find(result.changeId);
      change.status = result.outcome;
      change.error = result.error ?? null;
      if (result.outcome === 'conflict') change.current = result.current ?? null;
      if (result.outcome === 'applied') {
        change.appliedAt = new Date().toISOString();
        change.appliedBy = 'designer';
      }
      return { ...change };
    });
  }

  async retryChange(_siteId: string, changeId: string): Promise<Change> {
    this.check('retryChange');
    const change = this.find(changeId);
    change.status = 'pending';
    change.error = null;
    return { ...change };
  }

  async resolveConflict(_siteId: string, changeId: string, keep: 'mine' | 'theirs'): Promise<Change> {
    this.check('resolveConflict');
    const change = this.find(changeId);
    if (keep === 'mine') {
      change.before = change.current ?? null;
      change.status = 'pending';
    } else {
      change.status = 'discarded';
    }
    return { ...change };
  }

  async undoBatch(siteId: string, batchId: string): Promise<Batch> {
    this.check('undoBatch');
    const batch = this.batches.find((each) => each.id === batchId);
    if (!batch) throw new BackendError(404, 'not_found', `No batch ${batchId}.`);
    const inverse = [...batch.changes].reverse().map((change) => ({
      assetId: change.assetId,
      field: change.field,
      localeId: change.localeId,
      ...(change.target ? { target: change.target } : {}),
      before: change.after,
      after: change.before,
    }));
    return this.recordBatch(siteId, { changes: inverse, label: `Undo ${batch.label ?? batchId}` }, batchId);
  }

  async assetHistory(_siteId: string, assetId: string): Promise<Change[]> {
    return this.changes.filter((change) => change.assetId === assetId).reverse();
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
