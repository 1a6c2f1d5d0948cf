/**
 * Replacing an asset's file (docs/decisions/replace-file.md): one replacement at a time, opened
 * by a file dropped on a row or by "Replace file…" on the one selected asset. The new file is
 * checked against Webflow's limits and the asset's kind at once, MD5-hashed (in the worker pool,
 * like an upload), refused when it is the asset's own file, and shown beside the current one;
 * Replace journals it (one undo step) and the Designer applier sets it with `asset.setFile`.
 */
import { signal, type ReadonlySignal } from '@preact/signals';
import type { Batch, IndexedAsset } from '../../core/api.ts';
import { replacementProblem } from '../../core/replace.ts';
import { hashFile, isAbortError } from '../hashing.ts';
import type { AnnouncerModel } from '../models/announcer.ts';
import { describeError } from '../models/announcer.ts';
import type { HashFunction } from '../models/uploads.ts';
import type { BackendPort } from '../ports/backend.ts';

/** `choosing`: no file yet; `hashing`; `ready` to confirm; `refused` (the file cannot replace it); `sending`; `failed` (the backend said no). */
export type ReplaceState = 'choosing' | 'hashing' | 'ready' | 'refused' | 'sending' | 'failed';

export interface Replacement {
  asset: IndexedAsset;
  file: File | null;
  md5: string | null;
  /** 0..1 of the file hashed. */
  progress: number;
  state: ReplaceState;
  /** Why it was refused or failed, in words the user can act on. */
  message: string | null;
}

export interface ReplaceModel {
  /** The replacement being prepared; null when the dialog is closed. */
  current: ReadonlySignal<Replacement | null>;
  /** Opens the preview for this asset, with a file (dropped) or without (to choose one). */
  open(asset: IndexedAsset, file?: File): void;
  /** The file to put in place of the asset's (chosen in the dialog). */
  choose(file: File): Promise<void>;
  /** Journals the replacement; true when recorded (the dialog closes). */
  confirm(): Promise<boolean>;
  close(): void;
}

export interface ReplaceOptions {
  backend: BackendPort;
  siteId: string;
  announcer: AnnouncerModel;
  hash?: HashFunction;
  /** A replacement was journaled: it becomes an undo step and wakes the applier. */
  onRecorded(batch: Batch): void;
}

export function createReplaceModel(options: ReplaceOptions): ReplaceModel {
  const { backend, siteId, announcer } = options;
  const hash = options.hash ?? hashFile;
  const current = signal<Replacement | null>(null);
  let hashing: AbortController | null = null;

  const update = (patch: Partial<Replacement>) => {
    if (current.value) current.value = { ...current.value, ...patch };
  };

  async function choose(file: File): Promise<void> {
    const asset = current.value?.asset;
    if (!asset) return;
    hashing?.abort();
    const early = replacementProblem({ fileName: asset.fileName, md5: null }, { name: file.name, size: file.size });
    if (early) {
      current.value = { asset, file, md5: null, progress: 0, state: 'refused', message: early.message };
      return;
    }
    const controller = new AbortController();
    hashing = controller;
    current.value = { asset, file, md5: null, progress: 0, state: 'hashing', message: null };
    try {
      const md5 = await hash(file, { signal: controller.signal, onProgress: (progress) => current.value?.file === file && update({ progress }) });
      if (current.value?.file !== file) return;
      const problem = replacementProblem({ fileName: asset.fileName, md5: asset.md5 }, { name: file.name, size: file.size, md5 });
      update({ md5, progress: 1, state: problem ? 'refused' : 'ready', message: problem?.message ?? null });
    } catch (error) {
      if (isAbortError(error) || current.value?.file !== file) return;
      update({ state: 'failed', message: `${file.name} could not be read: ${describeError(error)}` });
    } finally {
      if (hashing === controller) hashing = null;
    }
  }

  return {
    current,
    open(asset, file) {
      hashing?.abort();
      current.value = { asset, file: null, md5: null, progress: 0, state: 'choosing', message: null };
      if (file) void choose(file);
    },
    choose,
    async confirm() {
      const replacement = current.value;
      if (!replacement || replacement.state !== 'ready' || !replacement.file || !replacement.md5) return false;
      const { asset, file, md5 } = replacement;
      update({ state: 'sending', message: null });
      try {
        const batch = await backend.recordReplacement(siteId, { assetId: asset.id, file, fileName: file.name, md5 });
        options.onRecorded(batch);
        announcer.say(`Replacing the file of ${asset.name} with ${file.name}; every page and CMS item keeps using it. Undo puts the old file back.`, 'success');
        if (current.value?.file === file) current.value = null;
        return true;
      } catch (error) {
        if (current.value?.file === file) update({ state: 'failed', message: `The file was not replaced: ${describeError(error)}` });
        return false;
      }
    },
    close() {
      hashing?.abort();
      hashing = null;
      current.value = null;
    },
  };
}
