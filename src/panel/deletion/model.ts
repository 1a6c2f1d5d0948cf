/**
 * Deleting unused assets from the panel (docs/decisions/asset-deletion.md): asks the backend
 * which of the selected assets may go and what that rests on, offers "Check again" (a fresh
 * read of where assets are used), and journals the deletion as one undo step. The backend
 * decides and refuses again on its side; the panel only shows what it said.
 */
import { signal, type ReadonlySignal } from '@preact/signals';
import type { DeletionCheck } from '../../core/deletion.ts';
import type { BackendPort } from '../ports/backend.ts';
import type { AnnouncerModel } from '../models/announcer.ts';
import { describeError } from '../models/announcer.ts';
import type { EditsModel } from '../models/edits.ts';
import type { UsageModel } from '../usage/model.ts';

export type DeletionState = 'checking' | 'crawling' | 'ready' | 'deleting' | 'failed';

export interface DeletionModel {
  state: ReadonlySignal<DeletionState>;
  check: ReadonlySignal<DeletionCheck | null>;
  error: ReadonlySignal<string | null>;
  /** Asks the backend about these assets (the confirmation opens with it). */
  open(assetIds: string[]): Promise<void>;
  /** Reads where assets are used again, then asks again about the same assets. */
  checkAgain(): Promise<void>;
  /** Journals the deletion of the deletable ones; true when journaled. */
  confirm(): Promise<boolean>;
  dispose(): void;
}

export interface DeletionOptions {
  backend: BackendPort;
  siteId: string;
  usage: UsageModel;
  /** Told which assets are being deleted, before they are: nothing more is asked about them. */
  onDeleting?: (assetIds: readonly string[]) => void;
  edits: EditsModel;
  announcer: AnnouncerModel;
  /** How often the usage crawl is asked after "Check again". */
  pollMs?: number;
}

export function createDeletionModel(options: DeletionOptions): DeletionModel {
  const { backend, siteId, usage, edits, announcer } = options;
  const pollMs = options.pollMs ?? 2_000;
  const state = signal<DeletionState>('checking');
  const check = signal<DeletionCheck | null>(null);
  const error = signal<string | null>(null);
  let assetIds: string[] = [];
  let asked = 0;
  let disposed = false;

  async function ask(): Promise<void> {
    const mine = ++asked;
    state.value = 'checking';
    try {
      const answer = await backend.checkDeletions(siteId, assetIds);
      if (disposed || mine !== asked) return;
      check.value = answer;
      error.value = null;
      state.value = 'ready';
    } catch (failure) {
      if (disposed || mine !== asked) return;
      error.value = `Could not check the assets: ${describeError(failure)}`;
      state.value = 'failed';
    }
  }

  return {
    state,
    check,
    error,
    open(ids) {
      assetIds = [...ids];
      check.value = null;
      return ask();
    },
    async checkAgain() {
      state.value = 'crawling';
      try {
        const before = (await backend.usage(siteId)).sources.read.find((read) => read.source === 'pages')?.readAt ?? null;
        await backend.crawlUsage(siteId);
        // Until the crawl finished: a new complete read, or an end that is not a run.
        for (;;) {
          if (disposed) return;
          const summary = await backend.usage(siteId);
          const readAt = summary.sources.read.find((read) => read.source === 'pages')?.readAt ?? null;
          if (summary.crawl.state !== 'running' && (readAt !== before || summary.crawl.state !== 'idle')) break;
          await new Promise((resolve) => setTimeout(resolve, pollMs));
        }
        void usage.load();
      } catch (failure) {
        if (disposed) return;
        error.value = `Where assets are used could not be read again: ${describeError(failure)}`;
        state.value = 'failed';
        return;
      }
      await ask();
    },
    async confirm() {
      const deletable = check.value?.deletable ?? [];
      if (!check.value?.ready || deletable.length === 0) return false;
      state.value = 'deleting';
      const count = deletable.length;
      try {
        options.onDeleting?.(deletable.map((asset) => asset.assetId));
        const batch = await backend.recordDeletions(siteId, deletable.map((asset) => asset.assetId), `Delete ${count} unused ${count === 1 ? 'asset' : 'assets'}`);
        edits.addUndoStep(batch);
        announcer.say(`Deleting ${count} unused ${count === 1 ? 'asset' : 'assets'}; Undo puts ${count === 1 ? 'it' : 'them'} back.`, 'success');
        state.value = 'ready';
        return true;
      } catch (failure) {
        // The backend said why (a use found meanwhile, say): show what it sees now, and that.
        await ask();
        error.value = `Nothing was deleted: ${describeError(failure)}`;
        return false;
      }
    },
    dispose() {
      disposed = true;
    },
  };
}
