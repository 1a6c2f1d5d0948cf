/**
 * Edits: the alt text a designer is typing (drafts), what they saved but Webflow does not show
 * yet (optimistic values), and the batches they can undo. Drafts are never lost: they are kept
 * in localStorage until the journal has them, so a closed panel gives them back on reopen.
 */
import { batch as batchSignals, computed, signal, type ReadonlySignal } from '@preact/signals';
import type { AltText, Batch, Change, ChangeInput, IndexedAsset } from '../../core/api.ts';
import { readableName } from '../../core/display-name.ts';
import type { BackendPort } from '../ports/backend.ts';
import { safeLocalStorage } from '../ports/local-storage.ts';
import { describeError, type AnnouncerModel } from './announcer.ts';
import type { AssetsModel } from './assets.ts';

/** null is the primary locale. */
export type LocaleId = string | null;

export interface AltTextEdit {
  assetId: string;
  localeId: LocaleId;
  after: AltText;
}

export interface EditsModel {
  drafts: ReadonlySignal<ReadonlyMap<string, AltText>>;
  canUndo: ReadonlySignal<boolean>;
  saving: ReadonlySignal<boolean>;
  /** The alt text Webflow has or will have once the journal is applied; undefined: the locale has none of its own. */
  savedAltText(asset: IndexedAsset, localeId: LocaleId): AltText | undefined;
  /** What the field shows: the draft, else the saved value. */
  altText(asset: IndexedAsset, localeId: LocaleId): AltText | undefined;
  folderOf(asset: IndexedAsset): string | null;
  /** The display name, with a rename on its way to Webflow. */
  nameOf(asset: IndexedAsset): string;
  hasDraft(assetId: string, localeId: LocaleId): boolean;
  setDraft(assetId: string, localeId: LocaleId, value: AltText): void;
  revert(assetId: string, localeId: LocaleId): void;
  /** Journals the asset's draft; true when saved (or nothing to save). */
  save(assetId: string, localeId: LocaleId): Promise<boolean>;
  /** Journals many alt texts as one batch (one undo step). */
  saveMany(edits: AltTextEdit[], label: string): Promise<boolean>;
  moveToFolder(assetIds: string[], folderId: string, label: string): Promise<boolean>;
  rename(assetId: string, name: string): Promise<boolean>;
  /**
   * Journals changes of page elements' or CMS image uses' alt text as one designer action (one
   * undo step, in the same stack as the asset changes); answers the changes the journal has.
   */
  recordTargetChanges(changes: ChangeInput[], label: string): Promise<Change[]>;
  undoLast(): Promise<boolean>;
  /** A batch journaled by another action (a deletion) becomes the next undo step. */
  addUndoStep(batch: Batch): void;
  /**
   * Shows the values of the changes the journal has not applied yet, saved in an earlier open of
   * the panel (closed before they reached Webflow, or right after, its acknowledgement lost) or
   * by a teammate: the grid shows what was saved, not Webflow's older value. Every page of them;
   * saves, moves and renames asked meanwhile wait until the listing is done.
   */
  showUnapplied(): Promise<void>;
  /**
   * Drops drafts that hold what is saved already (a panel closed between the save reaching the
   * journal and its answer kept the draft); answers how many drafts are left.
   */
  dropSavedDrafts(): number;
  /** The applier reports changes' outcomes (in the order they happened), so the grid shows Webflow's values again. */
  settle(changes: readonly Change[]): void;
}

export interface EditsOptions {
  backend: BackendPort;
  siteId: string;
  assets: AssetsModel;
  announcer: AnnouncerModel;
  storage?: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null;
  /** Called after a batch is journaled, e.g. to wake the applier. */
  onRecorded?: (batch: Batch) => void;
}

/** The journal takes at most this many changes per batch. */
export const MAX_BATCH = 5000;

/** Unapplied changes read per request on opening (the backend lists at most 5,000 at once). */
export const UNAPPLIED_PAGE = 5000;

export function editKey(assetId: string, localeId: LocaleId): string {
  return `${assetId}\u0000${localeId ?? ''}`;
}


function webflowAltText(asset: IndexedAsset, localeId: LocaleId): AltText | undefined {
  if (!localeId) return asset.altText;
  return localeId in asset.localeAltText ? (asset.localeAltText[localeId] ?? null) : undefined;
}

export function createEditsModel(options: EditsOptions): EditsModel {
  const { backend, siteId, assets, announcer } = options;
  const storage = options.storage === undefined ? safeLocalStorage() : options.storage;
  const storageKey = `asset-desk:drafts:${siteId}`;

  const drafts = signal<ReadonlyMap<string, AltText>>(readDrafts());
  const optimistic = signal<ReadonlyMap<string, AltText>>(new Map());
  const optimisticFolders = signal<ReadonlyMap<string, string | null>>(new Map());
  const optimisticNames = signal<ReadonlyMap<string, string>>(new Map());
  /** One entry per designer action: the batches it was journaled as (more than one past MAX_BATCH changes). */
  const undoStack = signal<string[][]>([]);
  const saving = signal(false);

  function readDrafts(): Map<string, AltText> {
    try {
      const stored = storage?.getItem(storageKey);
      if (!stored) return new Map();
      const entries = JSON.parse(stored) as unknown;
      if (!Array.isArray(entries)) return new Map();
      return new Map(
        entries.filter(
          (entry): entry is [string, AltText] =>
            Array.isArray(entry) && typeof entry[0] === 'string' && (typeof entry[1] === 'string' || entry[1] === null),
        ),
      );
    } catch {
      return new Map();
    }
  }

  function writeDrafts(next: ReadonlyMap<string, AltText>): void {
    drafts.value = next;
    try {
      if (next.size === 0) storage?.removeItem(storageKey);
      else storage?.setItem(storageKey, JSON.stringify([...next]));
    } catch {
      // Storage full or blocked: the drafts still live in memory for this session.
    }
  }

  function withoutKeys<V>(map: ReadonlyMap<string, V>, keys: string[]): Map<string, V> {
    const next = new Map(map);
    for (const key of keys) next.delete(key);
    return next;
  }

  /**
   * Values shown from changes journaled before this open (`showUnapplied`), with the values
   * Webflow may hold while they are on their way: its value when they were listed, and what each
   * listed change of the key sets. Another applier (a colleague's panel, the server) applies them
   * without telling this panel: while the index brings one of these, the last listed value still
   * shows (the earlier changes of a run are applied first); a value from elsewhere (written in
   * Webflow) shows over it.
   */
  const listedOver = new Map<string, Set<AltText | undefined>>();
  const listedKey = (field: Change['field'], key: string) => `${field}\u0001${key}`;
  /** Whether the saved value for this key is this panel's own, or listed over a value Webflow still has. */
  function stillShown(field: Change['field'], key: string, webflowValue: AltText | undefined): boolean {
    const listed = listedOver.get(listedKey(field, key));
    return !listed || listed.has(webflowValue);
  }

  function savedAltText(asset: IndexedAsset, localeId: LocaleId): AltText | undefined {
    const key = editKey(asset.id, localeId);
    const webflow = webflowAltText(asset, localeId);
    return optimistic.value.has(key) && stillShown('altText', key, webflow) ? (optimistic.value.get(key) ?? null) : webflow;
  }

  function savedFolder(asset: IndexedAsset): string | null {
    const shown = optimisticFolders.value.has(asset.id) && stillShown('folder', asset.id, asset.folderId);
    return shown ? (optimisticFolders.value.get(asset.id) ?? null) : asset.folderId;
  }

  function savedName(asset: IndexedAsset): string {
    const name = optimisticNames.value.get(asset.id);
    return name !== undefined && stillShown('displayName', asset.id, asset.name) ? name : asset.name;
  }

  /** The value Webflow will have when earlier changes are applied: the before-value of a new change. */
  function beforeValue(asset: IndexedAsset, localeId: LocaleId): AltText {
    const saved = savedAltText(asset, localeId);
    // A locale without its own alt text shows the primary's in Webflow.
    return saved === undefined ? savedAltText(asset, null) ?? null : saved;
  }

  /**
   * Journals one designer action, in batches of at most MAX_BATCH changes; all of them are one
   * undo step. Returns the changes the journal has, which may be fewer than asked when a later
   * batch failed (the failure is announced).
   */
  async function record(changes: ChangeInput[], label: string): Promise<Change[]> {
    saving.value = true;
    const batchIds: string[] = [];
    const recorded: Change[] = [];
    const parts = Math.ceil(changes.length / MAX_BATCH);
    try {
      for (let part = 0; part < parts; part += 1) {
        const chunk = changes.slice(part * MAX_BATCH, (part + 1) * MAX_BATCH);
        const batch = await backend.recordBatch(siteId, { changes: chunk, label: parts > 1 ? `${label} (part ${part + 1} of ${parts})` : label });
        batchIds.push(batch.id);
        recorded.push(...batch.changes);
        options.onRecorded?.(batch);
      }
    } catch (failure) {
      const saved = recorded.length > 0 ? ` ${recorded.length} of ${changes.length} changes were saved.` : '';
      announcer.say(`Not saved: ${describeError(failure)}${saved} Your text is kept; press Enter to try again.`, 'error');
    } finally {
      if (batchIds.length > 0) undoStack.value = [...undoStack.value, batchIds];
      saving.value = false;
    }
    return recorded;
  }

  /**
   * Shows changes' values as saved. `under`: values saved in this panel already (newer than
   * these changes) stay as they are; a value listed by an earlier page of the same listing is
   * older than these, and gives way.
   */
  function showOptimistic(changes: Array<Pick<Change, 'assetId' | 'field' | 'localeId' | 'after' | 'status' | 'target' | 'cmsTarget'>>, under = false): void {
    const alt = new Map(optimistic.value);
    const folders = new Map(optimisticFolders.value);
    const names = new Map(optimisticNames.value);
    const shownOf: Partial<Record<Change['field'], Map<string, unknown>>> = { altText: alt, folder: folders, displayName: names };
    const byId = assets.byId.value;
    for (const change of changes) {
      // A page element's or a CMS image's alt text is not its asset's: "On this page" and "CMS images" show them.
      if (change.target || change.cmsTarget) continue;
      const key = change.field === 'altText' ? editKey(change.assetId, change.localeId ?? null) : change.assetId;
      const listed = listedKey(change.field, key);
      // Shown and not listed: saved in this panel, newer than any listed change.
      if (under && shownOf[change.field]?.has(key) && !listedOver.has(listed)) continue;
      if (under) {
        const asset = byId.get(change.assetId);
        const webflow = !asset
          ? undefined
          : change.field === 'altText'
            ? webflowAltText(asset, change.localeId ?? null)
            : change.field === 'folder'
              ? asset.folderId
              : asset.name;
        const over = listedOver.get(listed) ?? new Set([webflow]);
        over.add(change.after);
        listedOver.set(listed, over);
      } else {
        listedOver.delete(listed);
      }
      // A discarded change (an undo's inverse of one that never reached Webflow) is on its way
      // nowhere: Webflow's value is the one to show, and a later refresh must not be masked.
      if (change.status === 'discarded') {
        if (change.field === 'altText') alt.delete(editKey(change.assetId, change.localeId ?? null));
        if (change.field === 'folder') folders.delete(change.assetId);
        if (change.field === 'displayName') names.delete(change.assetId);
        continue;
      }
      if (change.field === 'altText') alt.set(editKey(change.assetId, change.localeId ?? null), change.after);
      if (change.field === 'folder') folders.set(change.assetId, change.after);
      if (change.field === 'displayName' && change.after) names.set(change.assetId, change.after);
    }
    batchSignals(() => {
      optimistic.value = alt;
      optimisticFolders.value = folders;
      optimisticNames.value = names;
    });
  }

  /**
   * The listing of unapplied changes at opening (`showUnapplied`), while it runs: a save waits for
   * it, so that its before-value is the last value journaled, not an older one the listing was
   * about to show (the change would conflict with its own predecessor).
   */
  let listing: Promise<void> | null = null;

  async function saveMany(edits: AltTextEdit[], label: string): Promise<boolean> {
    if (listing) await listing;
    const byId = assets.byId.value;
    const changes: ChangeInput[] = [];
    for (const edit of edits) {
      const asset = byId.get(edit.assetId);
      if (!asset) continue;
      const before = beforeValue(asset, edit.localeId);
      if (before === edit.after && savedAltText(asset, edit.localeId) !== undefined) continue;
      changes.push({ assetId: edit.assetId, field: 'altText', localeId: edit.localeId, before, after: edit.after });
    }
    const keys = edits.map((edit) => editKey(edit.assetId, edit.localeId));
    if (changes.length === 0) {
      writeDrafts(withoutKeys(drafts.value, keys));
      return true;
    }
    const recorded = await record(changes, label);
    const complete = recorded.length === changes.length;
    // Drafts go once the journal has them; the unsaved ones stay for another try.
    const journaled = complete ? keys : recorded.map((change) => editKey(change.assetId, change.localeId));
    batchSignals(() => {
      showOptimistic(recorded);
      writeDrafts(withoutKeys(drafts.value, journaled));
    });
    return complete;
  }

  return {
    drafts,
    canUndo: computed(() => undoStack.value.length > 0),
    saving,
    savedAltText,
    altText(asset, localeId) {
      const key = editKey(asset.id, localeId);
      return drafts.value.has(key) ? (drafts.value.get(key) ?? null) : savedAltText(asset, localeId);
    },
    folderOf: savedFolder,
    nameOf: savedName,
    hasDraft: (assetId, localeId) => drafts.value.has(editKey(assetId, localeId)),
    setDraft(assetId, localeId, value) {
      const next = new Map(drafts.value);
      next.set(editKey(assetId, localeId), value);
      writeDrafts(next);
    },
    revert(assetId, localeId) {
      writeDrafts(withoutKeys(drafts.value, [editKey(assetId, localeId)]));
    },
    async save(assetId, localeId) {
      const key = editKey(assetId, localeId);
      if (!drafts.value.has(key)) return true;
      const after = drafts.value.get(key) ?? null;
      const asset = assets.byId.value.get(assetId);
      const name = asset ? readableName(asset.name) : assetId;
      const saved = await saveMany([{ assetId, localeId, after }], `Alt text of ${name}`);
      if (saved) announcer.say(`Saved alt text of ${name}.`, 'success');
      return saved;
    },
    saveMany,
    async moveToFolder(assetIds, folderId, label) {
      if (listing) await listing;
      const byId = assets.byId.value;
      const changes: ChangeInput[] = [];
      for (const assetId of assetIds) {
        const asset = byId.get(assetId);
        if (!asset) continue;
        const before = savedFolder(asset);
        if (before !== folderId) changes.push({ assetId, field: 'folder', before, after: folderId });
      }
      if (changes.length === 0) return true;
      const recorded = await record(changes, label);
      showOptimistic(recorded);
      return recorded.length === changes.length;
    },
    async rename(assetId, name) {
      if (listing) await listing;
      const asset = assets.byId.value.get(assetId);
      const after = name.trim();
      if (!asset) return false;
      if (!after) {
        announcer.say('An asset needs a name. Type one, or press Esc to keep the current name.', 'error');
        return false;
      }
      const before = savedName(asset);
      if (before === after) return true;
      const recorded = await record([{ assetId, field: 'displayName', before, after }], `Rename ${readableName(before)} to ${readableName(after)}`);
      if (recorded.length === 0) return false;
      showOptimistic(recorded);
      announcer.say(`Renamed ${readableName(before)} to ${readableName(after)}.`, 'success');
      return true;
    },
    recordTargetChanges(changes, label) {
      return changes.length === 0 ? Promise.resolve([]) : record(changes, label);
    },
    async undoLast() {
      const last = undoStack.value.at(-1);
      if (!last) {
        announcer.say('Nothing to undo.');
        return false;
      }
      saving.value = true;
      const remaining = [...last];
      let count = 0;
      try {
        // Newest batch first, so a value touched twice in one action ends at its oldest before-value.
        while (remaining.length > 0) {
          const inverse = await backend.undoBatch(siteId, remaining.at(-1) as string);
          remaining.pop();
          showOptimistic(inverse.changes);
          options.onRecorded?.(inverse);
          count += inverse.changes.length;
        }
        announcer.say(`Undid ${count} ${count === 1 ? 'change' : 'changes'}.`, 'success');
        return true;
      } catch (failure) {
        announcer.say(`Undo failed: ${describeError(failure)}`, 'error');
        return false;
      } finally {
        undoStack.value = remaining.length > 0 ? [...undoStack.value.slice(0, -1), remaining] : undoStack.value.slice(0, -1);
        saving.value = false;
      }
    },
    showUnapplied() {
      // Page after page, oldest first: a later change of the same value is shown over an earlier
      // one. A bulk run of tens of thousands may wait for Webflow's quota for hours; every value
      // of it shows as saved, not only the first page's.
      listing = (async () => {
        let afterId: string | undefined;
        try {
          for (;;) {
            const page = await backend.listChanges(siteId, ['pending', 'leased'], UNAPPLIED_PAGE, afterId);
            // A value saved in this panel already (before the listing began) is newer: it stays.
            // Drafts are shown over these, as over any saved value.
            showOptimistic(page.changes, true);
            const last = page.changes[page.changes.length - 1];
            if (page.changes.length < UNAPPLIED_PAGE || !last) return;
            afterId = last.id;
          }
        } catch {
          // The grid shows Webflow's values for what was not listed, as before; the status bar
          // still counts the changes waiting.
        } finally {
          listing = null;
        }
      })();
      return listing;
    },
    dropSavedDrafts() {
      const byId = assets.byId.value;
      const saved: string[] = [];
      for (const [key, value] of drafts.value) {
        const [assetId = '', localeId = ''] = key.split('\u0000');
        const asset = byId.get(assetId);
        if (asset && savedAltText(asset, localeId || null) === value) saved.push(key);
      }
      if (saved.length > 0) writeDrafts(withoutKeys(drafts.value, saved));
      return drafts.value.size;
    },
    addUndoStep(batch) {
      undoStack.value = [...undoStack.value, [batch.id]];
      options.onRecorded?.(batch);
    },
    settle(changes) {
      if (changes.length === 0) return;
      // One pass for a whole run of acknowledgements: one new asset list and one copy of each
      // optimistic map, however many changes (a copy per change froze the panel for a bulk run).
      const byId = assets.byId.value;
      const updated = new Map<string, IndexedAsset>();
      const alt = new Map(optimistic.value);
      const folders = new Map(optimisticFolders.value);
      const names = new Map(optimisticNames.value);
      for (const change of changes) {
        if (change.target || change.cmsTarget) continue;
        const asset = updated.get(change.assetId) ?? byId.get(change.assetId);
        const webflowValue = change.status === 'applied' ? change.after : change.status === 'conflict' ? change.current : undefined;
        if (asset && webflowValue !== undefined) {
          if (change.field === 'altText') {
            updated.set(
              asset.id,
              change.localeId
                ? { ...asset, localeAltText: { ...asset.localeAltText, [change.localeId]: webflowValue } }
                : { ...asset, altText: webflowValue },
            );
          } else if (change.field === 'folder') {
            updated.set(asset.id, { ...asset, folderId: webflowValue });
          } else if (change.field === 'displayName' && webflowValue) {
            updated.set(asset.id, { ...asset, name: webflowValue });
          }
        }
        // Only clear the optimistic value when it is this change's: a later edit may be on its way.
        const key = change.field === 'altText' ? editKey(change.assetId, change.localeId) : change.assetId;
        const shown = change.field === 'altText' ? alt : change.field === 'folder' ? folders : change.field === 'displayName' ? names : null;
        if (shown?.has(key) && shown.get(key) === change.after) shown.delete(key);
        // A later value listed at opening stays shown over the value Webflow has now.
        const listed = listedKey(change.field, key);
        if (!shown?.has(key)) listedOver.delete(listed);
        else if (webflowValue !== undefined) listedOver.get(listed)?.add(webflowValue);
      }
      batchSignals(() => {
        if (updated.size > 0) assets.upsert([...updated.values()]);
        if (alt.size !== optimistic.value.size) optimistic.value = alt;
        if (folders.size !== optimisticFolders.value.size) optimisticFolders.value = folders;
        if (names.size !== optimisticNames.value.size) optimisticNames.value = names;
      });
    },
  };
}
