/**
 * The backend port: everything the panel asks of the companion backend, and the one place in the
 * panel that calls `fetch` (and XMLHttpRequest, for the upload to Webflow's storage with progress).
 * Models receive a `BackendPort`; tests hand them a small fake with the same shape.
 */
import type { DeletionCheck } from '../../core/deletion.ts';
import type {
  Batch,
  Change,
  ChangeStatus,
  ChangesResponse,
  ErrorCode,
  Folder,
  IndexChangesResponse,
  IndexResponse,
  IndexedAsset,
  RecordBatchRequest,
  SessionRequest,
  SessionResponse,
  UploadRequest,
  UploadResponse,
  UploadTicket,
  AltText,
} from '../../core/api.ts';
import type { AssetSuggestions, SuggestionSourcesStatus } from '../../core/suggestions/sources.ts';
import type { CmsImages } from '../../core/cms-images.ts';
import type { PublishResponse, UnpublishedItem } from '../../core/cms.ts';
import type { AssetUsage, StyleUsesRequest, StyleUsesResponse, UsageSummary } from '../../core/usage.ts';
import type { ReportResponse } from '../../core/report.ts';
import type { ReplacementCheck } from '../../core/replace.ts';
import type { ThumbnailKey } from '../../core/thumbnails.ts';

/** A non-2xx answer of the backend, or a network failure (`status` 0, code `network`). */
export class BackendError extends Error {
  override name = 'BackendError';
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'network' | 'aborted',
    message: string,
    readonly details?: unknown,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isBackendError(error: unknown): error is BackendError {
  return error instanceof BackendError;
}

export interface LeaseResult {
  changes: Change[];
  leaseExpiresAt: string | null;
}

export interface AckResult {
  changeId: string;
  outcome: 'applied' | 'conflict' | 'failed';
  current?: AltText;
  error?: string;
}

export interface LeaseOptions {
  /** The page open in the Designer: its element changes are leased too (none without it). */
  pageId?: string | null;
  /** Ends a long poll early (the designer opened another page). */
  signal?: AbortSignal;
}

export interface SendFileOptions {
  /** Fraction 0..1 of the body sent. */
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

export interface BackendPort {
  createSession(request: SessionRequest): Promise<SessionResponse>;
  /** The session token sent with every site call; set by the session model, renewed silently. */
  setSessionToken(token: string | null): void;

  /** The whole index, with the body it was read from (the panel keeps it for the next open). */
  getIndex(siteId: string): Promise<{ index: IndexResponse; body: string }>;
  /** The whole index's body only, unread (to keep it; `readIndexBody` reads it). */
  getIndexBody(siteId: string): Promise<string>;
  getIndexChanges(siteId: string, since: number): Promise<IndexChangesResponse>;
  /** Asks for a refresh from Webflow now (the backend also refreshes on its own). */
  refreshIndex(siteId: string): Promise<void>;

  recordBatch(siteId: string, request: RecordBatchRequest): Promise<Batch>;
  /**
   * The site's changes in these statuses, oldest first (at most `limit`, 500 unless said; the
   * backend's most is 5,000; with `afterId`, those journaled after that change), and every status's count.
   */
  listChanges(siteId: string, statuses: ChangeStatus[], limit?: number, afterId?: string): Promise<ChangesResponse>;
  /** `waitSeconds`: when there is no work, the backend may wait that long for some (a long poll). */
  leaseChanges(siteId: string, applierId: string, limit: number, seconds: number, waitSeconds?: number, options?: LeaseOptions): Promise<LeaseResult>;
  ackChanges(siteId: string, applierId: string, results: AckResult[]): Promise<Change[]>;
  /** Gives back everything the applier holds, as the panel closes; answers how many (`POST …/changes/release`). */
  releaseChanges(siteId: string, applierId: string): Promise<number>;
  retryChange(siteId: string, changeId: string): Promise<Change>;
  resolveConflict(siteId: string, changeId: string, keep: 'mine' | 'theirs'): Promise<Change>;
  undoBatch(siteId: string, batchId: string): Promise<Batch>;
  assetHistory(siteId: string, assetId: string): Promise<Change[]>;

  createUpload(siteId: string, request: UploadRequest): Promise<UploadResponse>;
  /** The multipart POST of the file to `ticket.uploadUrl`: every detail field first, `file` last. */
  sendFile(ticket: UploadTicket, file: Blob, fileName: string, options?: SendFileOptions): Promise<void>;
  completeUpload(siteId: string, uploadId: string, altText?: AltText): Promise<IndexedAsset>;
  failUpload(siteId: string, uploadId: string, reason: string): Promise<void>;

  /** Where each asset is used (pages, component placements, CMS items) and the usage crawl's state. */
  usage(siteId: string): Promise<UsageSummary>;
  /** Every image use in the site's CMS (Image, MultiImage, Rich Text), by column ("CMS images"). */
  cmsImages(siteId: string): Promise<CmsImages>;
  /** The items our applied CMS changes left staged, each saying whether the wait is ours alone (`GET …/cms/unpublished`). */
  cmsUnpublished(siteId: string): Promise<UnpublishedItem[]>;
  /** Publishes these items when their only pending change is ours; the others come back refused, with why (`POST …/cms/publish`). */
  publishCmsItems(siteId: string, itemIds: string[]): Promise<PublishResponse>;
  /** Replaces the site's background-image uses with what one full read of its styles found (`PUT …/usage/styles`). */
  putStyleUses(siteId: string, request: StyleUsesRequest): Promise<StyleUsesResponse>;
  /** Every use of one asset, with its alt text state (the details view). */
  assetUsage(siteId: string, assetId: string): Promise<AssetUsage>;
  /** What visitors see per page and collection, and the journal's progress (`GET …/report`). */
  report(siteId: string): Promise<ReportResponse>;

  /** What the backend's suggestion sources found for one asset (its file's metadata, its name). */
  assetSuggestions(siteId: string, assetId: string, localeId?: string | null): Promise<AssetSuggestions>;
  /** Which suggestion sources run for the site, and the vision model's requests today. */
  suggestionSources(siteId: string): Promise<SuggestionSourcesStatus>;
  /** The key to the site's thumbnails (`GET …/thumbnails/key`), for {@link thumbnailUrl}. */
  thumbnailKey(siteId: string): Promise<ThumbnailKey>;
  /** Where an `<img>` gets the backend's 80 × 80 thumbnail of a JPEG, PNG or WebP; `mark` names the hosted file, so a replaced one is asked anew. */
  thumbnailUrl(siteId: string, assetId: string, mark: string, key: string): string;

  listFolders(siteId: string): Promise<Folder[]>;
  createFolder(siteId: string, name: string, parentId: string | null): Promise<Folder>;

  /** Asks the usage index to read where assets are used again now (`POST …/usage/crawl`). */
  crawlUsage(siteId: string): Promise<void>;
  /** Which of these assets may be deleted, and what that rests on (`POST …/deletions/check`). */
  checkDeletions(siteId: string, assetIds: string[]): Promise<DeletionCheck>;
  /** Journals their deletion (`POST …/deletions`); refused (409) unless each may be deleted. */
  recordDeletions(siteId: string, assetIds: string[], label: string): Promise<Batch>;

  /** Journals the replacement of an asset's file, sending the file itself (`POST …/replacements`). */
  recordReplacement(siteId: string, replacement: { assetId: string; file: Blob; fileName: string; md5: string }): Promise<Batch>;
  /** Whether the asset still has the file a replacement replaces (`GET …/replacements/{changeId}`). */
  replacementCheck(siteId: string, changeId: string): Promise<ReplacementCheck>;
  /** The bytes a replacement sets (`GET …/replacements/{changeId}/file`). */
  replacementFile(siteId: string, changeId: string): Promise<Blob>;
}
