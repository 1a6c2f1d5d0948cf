/**
 * Fakes for upload tests: a backend that remembers the uploads asked of it and can be told to
 * fail a step, and a hash function whose jobs the test finishes by hand.
 */
import type { AltText, IndexedAsset, UploadRequest, UploadResponse, UploadTicket } from '../../core/api.ts';
import type { HashOptions } from '../hashing.ts';
import { BackendError, type BackendPort, type SendFileOptions } from '../ports/backend.ts';
import { makeAsset } from '../testing/fakes.ts';

function unused(name: string): () => Promise<never> {
  return () => Promise.reject(new Error(`The uploads model should not call ${name}.`));
}

export class FakeUploadBackend implements BackendPort {
  createSession = unused('createSession');
  setSessionToken(): void {}
  getIndex = unused('getIndex');
  getIndexBody = unused('getIndexBody');
  getIndexChanges = unused('getIndexChanges');
  refreshIndex = unused('refreshIndex');
  recordBatch = unused('recordBatch');
  listChanges = unused('listChanges');
  leaseChanges = unused('leaseChanges');
  ackChanges = unused('ackChanges');
  releaseChanges = unused('releaseChanges');
  retryChange = unused('retryChange');
  resolveConflict = unused('resolveConflict');
  undoBatch = unused('undoBatch');
  assetHistory = unused('assetHistory');
  listFolders = unused('listFolders');
  usage = unused('usage');
  putStyleUses = unused('putStyleUses');
  crawlUsage = unused('crawlUsage');
  checkDeletions = unused('checkDeletions');
  recordDeletions = unused('recordDeletions');
  recordReplacement = unused('recordReplacement');
  replacementCheck = unused('replacementCheck');
  replacementFile = unused('replacementFile');
  assetSuggestions = unused('assetSuggestions');
  suggestionSources = unused('suggestionSources');
  thumbnailKey = unused('thumbnailKey');
  thumbnailUrl = (): string => {
    throw new Error('thumbnailUrl is not used by uploads');
  };
  assetUsage = unused('assetUsage');
  cmsImages = unused('cmsImages');
  cmsUnpublished = unused('cmsUnpublished');
  publishCmsItems = unused('publishCmsItems');
  report = unused('report');
  createFolder = unused('createFolder');

  uploadRequests: UploadRequest[] = [];
  sent: { ticket: UploadTicket; fileName: string }[] = [];
  completed: { uploadId: string; altText: AltText | undefined }[] = [];
  failed: { uploadId: string; reason: string }[] = [];
  /** Hashes the site already has, with the asset holding each. */
  existing = new Map<string, IndexedAsset>();
  /** sendFile waits for `releaseSends()` while set. */
  holdSends = false;
  /** createUpload waits for `releaseCreates()` while set. */
  holdCreates = false;
  private heldCreates: (() => void)[] = [];
  failSendOnce: BackendError | null = null;
  failCompleteOnce: BackendError | null = null;
  private held: (() => void)[] = [];
  private uploads = 0;

  async createUpload(_siteId: string, request: UploadRequest): Promise<UploadResponse> {
    this.uploadRequests.push(request);
    if (this.holdCreates) await new Promise<void>((resolve) => this.heldCreates.push(resolve));
    const existing = this.existing.get(request.fileHash);
    if (existing && !request.allowDuplicate) return { status: 'duplicate', existing };
    this.uploads += 1;
    return {
      status: 'created',
      upload: {
        id: `up${this.uploads}`,
        assetId: `new${this.uploads}`,
        uploadUrl: 'https://storage.example/bucket',
        uploadDetails: { key: `site/${request.fileName}` },
        expiresAt: new Date(Date.now() + 60_000).toISOString(),
      },
    };
  }

  async sendFile(ticket: UploadTicket, _file: Blob, fileName: string, options: SendFileOptions = {}): Promise<void> {
    options.onProgress?.(0.5);
    if (this.holdSends) {
      await new Promise<void>((resolve, reject) => {
        this.held.push(resolve);
        options.signal?.addEventListener('abort', () => reject(new BackendError(0, 'aborted', `The upload of ${fileName} was cancelled.`)));
      });
    }
    if (this.failSendOnce) {
      const error = this.failSendOnce;
      this.failSendOnce = null;
      throw error;
    }
    this.sent.push({ ticket, fileName });
    options.onProgress?.(1);
  }

  releaseCreates(): void {
    for (const release of this.heldCreates.splice(0)) release();
  }

  releaseSends(): void {
    for (const release of this.held.splice(0)) release();
  }

  get heldSends(): number {
    return this.held.length;
  }

  async completeUpload(_siteId: string, uploadId: string, altText?: AltText): Promise<IndexedAsset> {
    if (this.failCompleteOnce) {
      const error = this.failCompleteOnce;
      this.failCompleteOnce = null;
      throw error;
    }
    this.completed.push({ uploadId, altText });
    const request = this.uploadRequests.at(-1);
    const n = this.completed.length;
    return makeAsset(1000 + n, { id: `new-${uploadId}`, fileName: request?.fileName ?? 'file', altText: altText ?? '', folderId: request?.folderId ?? null });
  }

  async failUpload(_siteId: string, uploadId: string, reason: string): Promise<void> {
    this.failed.push({ uploadId, reason });
  }
}

interface HashJob {
  file: Blob;
  options: HashOptions;
  resolve(hash: string): void;
  reject(error: unknown): void;
}

/** A hash function whose jobs stay open until the test finishes them. */
export class ManualHasher {
  jobs: HashJob[] = [];

  readonly hash = (file: Blob, options: HashOptions): Promise<string> =>
    new Promise((resolve, reject) => {
      const job = { file, options, resolve, reject };
      this.jobs.push(job);
      options.signal?.addEventListener('abort', () => {
        this.jobs.splice(this.jobs.indexOf(job), 1);
        reject(new DOMException('Hashing was cancelled.', 'AbortError'));
      });
    });

  /** Finishes the job of the file with that name with a digest made from the name. */
  finish(fileName: string, digest = digestOf(fileName)): void {
    const job = this.jobs.find((each) => (each.file as File).name === fileName);
    if (!job) throw new Error(`No hashing job for ${fileName}`);
    job.options.onProgress?.(1);
    job.resolve(digest);
    this.jobs.splice(this.jobs.indexOf(job), 1);
  }
}

/** A stable 32-hex digest per file name. */
export function digestOf(fileName: string): string {
  let value = '';
  for (const char of fileName) value += char.charCodeAt(0).toString(16);
  return value.padEnd(32, '0').slice(0, 32);
}

export function fileOf(name: string, size = 1000, type = ''): File {
  return new File([new Uint8Array(size)], name, { type });
}
