/**
 * Uploads: each file is checked against Webflow's limits, hashed in a worker, then waits for the
 * designer to review its alt text and press Upload. The backend creates the asset (or reports a
 * duplicate, and the designer chooses), the file goes to Webflow's storage, and the upload is
 * completed with the alt text the designer typed or took from the suggestion (none when the
 * field is empty, which the upload row says plainly).
 */
import { batch, computed, signal, type ReadonlySignal, type Signal } from '@preact/signals';
import type { AltText, IndexedAsset, UploadTicket } from '../../core/api.ts';
import { readableName } from '../../core/display-name.ts';
import { checkFile, contentTypeOf } from '../../core/limits.ts';
import { fileNameSuggestions } from '../../core/suggestions/file-name.ts';
import { bestSuggestion, type Suggestion } from '../../core/suggestions/sources.ts';
import type { SiteLocale } from '../../core/suggestions/locales.ts';
import { hashFile, isAbortError, type HashOptions } from '../hashing.ts';
import { readFileSuggestions, type ReadFileSuggestions } from '../suggestions/file-metadata.ts';
import { isBackendError, type BackendPort } from '../ports/backend.ts';

export type UploadStatus =
  | 'refused' // Webflow would not take the file; says why
  | 'hashing'
  | 'ready' // hashed, waiting for the designer's Upload
  | 'queued' // Upload pressed, waiting for hashing or a free slot
  | 'creating'
  | 'duplicate' // the site has this file; the designer chooses
  | 'sending'
  | 'completing'
  | 'done'
  | 'skipped'
  | 'cancelled'
  | 'failed';

export interface UploadItem {
  readonly id: string;
  readonly file: File;
  readonly status: UploadStatus;
  /** 0..1 of the step under way (hashing or sending). */
  readonly progress: number;
  /** Why the file was refused or failed, phrased so the designer knows what to do. */
  readonly message: string | null;
  readonly isImage: boolean;
  readonly hash: string | null;
  /**
   * The alt-text field, empty until the designer types or takes the suggestion. What it holds
   * (trimmed) is sent with the upload; an empty field uploads the image without alt text.
   */
  readonly altText: string;
  /** The best alt text suggested for the file (its name, its embedded metadata), offered beside the field; null for none. */
  readonly suggestion: Suggestion | null;
  /** The asset the site already has, when this file is a duplicate. */
  readonly existing: IndexedAsset | null;
  /** The new asset once uploaded. */
  readonly asset: IndexedAsset | null;
  /** Upload was pressed; a file still hashing goes on its way when hashed. */
  readonly uploadRequested: boolean;
}

export interface UploadSummary {
  total: number;
  /** Waiting for the designer's Upload (hashing or hashed). */
  waiting: number;
  /** Queued or on its way. */
  active: number;
  done: number;
  /** Refused, failed or waiting for a duplicate choice. */
  needsAttention: number;
  /**
   * How far the files whose Upload was pressed are, 0..1 by their bytes (hashing is the first
   * half of a file's way, sending the second); null when none is on its way.
   */
  progress: number | null;
  /** Files whose Upload was pressed and that are on their way or done (what `progress` is of). */
  requested: number;
}

/** How far one file whose Upload was pressed is on its way, 0..1; null when it is not on its way (or stopped). */
function wayDone(item: UploadItem): number | null {
  if (!item.uploadRequested) return null;
  switch (item.status) {
    case 'hashing':
      return item.progress / 2;
    case 'queued':
    case 'creating':
    case 'ready':
      return 0.5;
    case 'sending':
      return 0.5 + item.progress / 2;
    case 'completing':
    case 'done':
      return 1;
    default:
      return null;
  }
}

export type HashFunction = (file: Blob, options: HashOptions) => Promise<string>;

export interface UploadsOptions {
  backend: BackendPort;
  siteId: string;
  onUploaded(asset: IndexedAsset): void;
  /** MD5 of a file; the worker pool by default. */
  hash?: HashFunction;
  /** Files on their way to Webflow at once (UPLOADS_IN_FLIGHT by default). */
  parallel?: number;
  /** Suggestions from what an image embeds (its XMP alt text…); read from the file's head by default. */
  readFileSuggestions?: ReadFileSuggestions;
  /** The site's locales, so a file's alternatives in other languages are not offered as the primary's. */
  locales?: () => readonly SiteLocale[];
}

export interface UploadsModel {
  items: ReadonlySignal<readonly UploadItem[]>;
  summary: ReadonlySignal<UploadSummary>;
  /** Where new uploads go; null for the top level. */
  targetFolderId: Signal<string | null>;
  addFiles(files: Iterable<File>): void;
  upload(id: string): void;
  /** Uploads every file that is hashed or still hashing. */
  uploadAll(): void;
  cancel(id: string): void;
  retry(id: string): void;
  remove(id: string): void;
  /** Removes uploaded, skipped and refused files from the list. */
  clearFinished(): void;
  skipDuplicate(id: string): void;
  uploadDuplicate(id: string): void;
  setAltText(id: string, text: string): void;
  /** Puts the suggestion in the alt-text field, to be sent with the upload. */
  useSuggestion(id: string): void;
  dispose(): void;
}

/** What the model keeps per file beside the shown item. */
interface Work {
  controller: AbortController | null;
  allowDuplicate: boolean;
  ticket: UploadTicket | null;
  folderId: string | null;
  sent: boolean;
}

const ACTIVE: ReadonlySet<UploadStatus> = new Set(['creating', 'sending', 'completing']);
const FINISHED: ReadonlySet<UploadStatus> = new Set(['done', 'skipped', 'refused']);

function reasonOf(error: unknown): string {
  return error instanceof Error && error.message ? error.message : 'Something went wrong.';
}

/**
 * Files on their way at once (creating, sending, completing). Each waits mostly on round trips
 * (the backend, Webflow, storage), so a few overlap well; Webflow's quota bounds the creates and
 * completions whatever the number.
 */
export const UPLOADS_IN_FLIGHT = 4;

export function createUploadsModel(options: UploadsOptions): UploadsModel {
  const { backend, siteId, onUploaded } = options;
  const hash = options.hash ?? hashFile;
  const parallel = Math.max(1, options.parallel ?? UPLOADS_IN_FLIGHT);
  const readEmbedded = options.readFileSuggestions ?? readFileSuggestions;
  const items = signal<readonly UploadItem[]>([]);
  const targetFolderId = signal<string | null>(null);
  const work = new Map<string, Work>();
  let nextId = 1;
  let disposed = false;

  const find = (id: string): UploadItem | undefined => items.value.find((item) => item.id === id);

  function update(id: string, change: Partial<UploadItem>): void {
    if (disposed) return;
    items.value = items.value.map((item) => (item.id === id ? { ...item, ...change } : item));
  }

  function startHashing(id: string): void {
    const item = find(id);
    const state = work.get(id);
    if (!item || !state) return;
    const controller = new AbortController();
    state.controller = controller;
    update(id, { status: 'hashing', progress: 0, message: null });
    hash(item.file, { signal: controller.signal, onProgress: (progress) => update(id, { progress }) }).then(
      (digest) => {
        if (controller.signal.aborted) return;
        state.controller = null;
        update(id, { hash: digest, progress: 1, status: find(id)?.uploadRequested ? 'queued' : 'ready' });
        pump();
      },
      (error: unknown) => {
        state.controller = null;
        if (isAbortError(error) || controller.signal.aborted) return; // cancel() already said so
        update(id, { status: 'failed', message: `${item.file.name} could not be hashed: ${reasonOf(error)}` });
      },
    );
  }

  /** Starts queued uploads while there is a free slot. */
  function pump(): void {
    if (disposed) return;
    let running = items.value.filter((item) => ACTIVE.has(item.status)).length;
    for (const item of items.value) {
      if (running >= parallel) return;
      if (item.status !== 'queued') continue;
      running += 1;
      void send(item.id);
    }
  }

  function altTextToSend(item: UploadItem): AltText | undefined {
    if (!item.isImage) return undefined;
    const text = item.altText.trim();
    return text ? text : undefined;
  }

  async function send(id: string): Promise<void> {
    const state = work.get(id);
    const first = find(id);
    if (!state || !first || first.hash === null) return;
    const controller = new AbortController();
    state.controller = controller;
    const { file } = first;
    try {
      if (!state.ticket) {
        update(id, { status: 'creating', progress: 0, message: null });
        const created = await backend.createUpload(siteId, {
          fileName: file.name,
          fileHash: first.hash,
          size: file.size,
          contentType: contentTypeOf(file.name),
          folderId: state.folderId,
          allowDuplicate: state.allowDuplicate || undefined,
        });
        if (created.status === 'created') state.ticket = created.upload;
        if (controller.signal.aborted) throw new DOMException('Upload cancelled.', 'AbortError');
        if (created.status === 'duplicate') {
          state.controller = null;
          update(id, {
            status: 'duplicate',
            existing: created.existing,
            message: `${file.name} is already on the site as “${readableName(created.existing.name)}”.`,
          });
          return;
        }
        state.sent = false;
      }
      const ticket = state.ticket as UploadTicket;
      if (!state.sent) {
        update(id, { status: 'sending', progress: 0 });
        await backend.sendFile(ticket, file, file.name, {
          signal: controller.signal,
          onProgress: (progress) => update(id, { progress }),
        });
        state.sent = true;
      }
      update(id, { status: 'completing', progress: 1 });
      const current = find(id);
      const asset = await backend.completeUpload(siteId, ticket.id, current ? altTextToSend(current) : undefined);
      state.ticket = null;
      state.controller = null;
      update(id, { status: 'done', asset, message: null });
      if (!disposed) onUploaded(asset);
    } catch (error) {
      state.controller = null;
      if (controller.signal.aborted || (isBackendError(error) && error.code === 'aborted')) {
        if (state.ticket && !state.sent) await forget(state.ticket, 'Cancelled by the designer.');
        update(id, { status: 'cancelled', progress: 0, message: null });
      } else {
        // A file that never reached storage leaves no half-made asset: the backend deletes it.
        if (state.ticket && !state.sent) await forget(state.ticket, reasonOf(error));
        update(id, { status: 'failed', message: `${file.name} was not uploaded: ${reasonOf(error)}` });
      }
    } finally {
      pump();
    }

    async function forget(ticket: UploadTicket, reason: string): Promise<void> {
      if (state) state.ticket = null;
      try {
        await backend.failUpload(siteId, ticket.id, reason);
      } catch {
        // The backend also expires unfinished uploads; the designer can retry either way.
      }
    }
  }

  /**
   * Offers what the image says of itself (its embedded alt text) over what its name says. Only
   * the offer changes: the field keeps what the designer typed, and nothing is sent unreviewed.
   */
  function lookInside(item: UploadItem): void {
    const { file } = item;
    const asset = { fileName: file.name, name: file.name, contentType: contentTypeOf(file.name) };
    readEmbedded(file, options.locales?.() ?? []).then(
      (found) => {
        if (found.length === 0 || !find(item.id)) return;
        update(item.id, { suggestion: bestSuggestion([...found, ...fileNameSuggestions(file.name)], null, asset) });
      },
      () => {
        // A file whose metadata cannot be read keeps the suggestion from its name.
      },
    );
  }

  function requestUpload(id: string): void {
    const item = find(id);
    const state = work.get(id);
    if (!item || !state) return;
    if (item.status === 'hashing') {
      state.folderId = targetFolderId.value;
      update(id, { uploadRequested: true });
    } else if (item.status === 'ready') {
      state.folderId = targetFolderId.value;
      update(id, { status: 'queued', uploadRequested: true });
      pump();
    }
  }

  return {
    items,
    summary: computed(() => {
      const summary: UploadSummary = { total: 0, waiting: 0, active: 0, done: 0, needsAttention: 0, progress: null, requested: 0 };
      let bytes = 0;
      let bytesDone = 0;
      for (const item of items.value) {
        summary.total += 1;
        const way = wayDone(item);
        if (way !== null) {
          summary.requested += 1;
          bytes += Math.max(1, item.file.size);
          bytesDone += way * Math.max(1, item.file.size);
        }
        // A file still hashing whose Upload was pressed waits for nothing more from the designer.
        if ((item.status === 'hashing' && !item.uploadRequested) || item.status === 'ready') summary.waiting += 1;
        else if (item.status === 'hashing' || item.status === 'queued' || ACTIVE.has(item.status)) summary.active += 1;
        else if (item.status === 'done') summary.done += 1;
        else if (item.status === 'refused' || item.status === 'failed' || item.status === 'duplicate') summary.needsAttention += 1;
      }
      if (summary.active > 0 || items.value.some((item) => item.uploadRequested && item.status === 'hashing')) summary.progress = bytesDone / bytes;
      return summary;
    }),
    targetFolderId,
    addFiles(files) {
      const added: UploadItem[] = [];
      for (const file of files) {
        const id = `upload-${nextId++}`;
        const problem = checkFile(file);
        const isImage = contentTypeOf(file.name).startsWith('image/');
        const suggestion = isImage ? bestSuggestion(fileNameSuggestions(file.name), null, { fileName: file.name, name: file.name, contentType: contentTypeOf(file.name) }) : null;
        added.push({
          id,
          file,
          status: problem ? 'refused' : 'hashing',
          progress: 0,
          message: problem?.message ?? null,
          isImage,
          hash: null,
          altText: '',
          suggestion,
          existing: null,
          asset: null,
          uploadRequested: false,
        });
        work.set(id, { controller: null, allowDuplicate: false, ticket: null, folderId: null, sent: false });
      }
      items.value = [...items.value, ...added];
      for (const item of added) {
        if (item.status !== 'hashing') continue;
        startHashing(item.id);
        if (item.isImage) lookInside(item);
      }
    },
    upload: requestUpload,
    uploadAll() {
      batch(() => {
        for (const item of items.value) requestUpload(item.id);
      });
    },
    cancel(id) {
      const item = find(id);
      const state = work.get(id);
      if (!item || !state) return;
      // Once the file is stored, completing is all that is left: too late to cancel.
      if (item.status === 'hashing' || item.status === 'queued') {
        state.controller?.abort();
        update(id, { status: 'cancelled', progress: 0, message: null, uploadRequested: false });
      } else if (item.status === 'creating' || item.status === 'sending') {
        // The send under way reports `cancelled` itself once the backend has forgotten the upload.
        state.controller?.abort();
        update(id, { uploadRequested: false });
      }
    },
    retry(id) {
      const item = find(id);
      const state = work.get(id);
      if (!item || !state || (item.status !== 'failed' && item.status !== 'cancelled')) return;
      if (item.hash === null) {
        startHashing(id);
        return;
      }
      if (!state.ticket) state.folderId = targetFolderId.value;
      update(id, { status: 'queued', message: null, uploadRequested: true });
      pump();
    },
    remove(id) {
      const item = find(id);
      if (!item || ACTIVE.has(item.status)) return;
      work.get(id)?.controller?.abort();
      work.delete(id);
      items.value = items.value.filter((each) => each.id !== id);
    },
    clearFinished() {
      const kept = items.value.filter((item) => !FINISHED.has(item.status));
      for (const item of items.value) if (FINISHED.has(item.status)) work.delete(item.id);
      items.value = kept;
    },
    skipDuplicate(id) {
      if (find(id)?.status === 'duplicate') update(id, { status: 'skipped' });
    },
    uploadDuplicate(id) {
      const state = work.get(id);
      if (!state || find(id)?.status !== 'duplicate') return;
      state.allowDuplicate = true;
      update(id, { status: 'queued', message: null });
      pump();
    },
    setAltText(id, text) {
      update(id, { altText: text });
    },
    useSuggestion(id) {
      const item = find(id);
      if (item?.suggestion) update(id, { altText: item.suggestion.text });
    },
    dispose() {
      disposed = true;
      for (const state of work.values()) state.controller?.abort();
    },
  };
}
