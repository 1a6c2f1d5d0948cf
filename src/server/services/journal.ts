/**
 * The journal of changes: every change a user makes to an asset is recorded here (durably,
 * before the answer) and stays until an applier has put it on Webflow, found it conflicting,
 * or failed with an error the user can retry. Undo journals a batch's inverse as a new batch.
 */
import type {
  Batch,
  Change,
  ChangeField,
  ChangeInput,
  ChangeStatus,
  ChangesResponse,
  CmsTarget,
  RecordBatchRequest,
} from '../../core/api.ts';
import { DELETED, KEPT } from '../../core/deletion.ts';
import { HttpError } from '../errors.ts';
import type { Queryable, Store } from '../store/db.ts';
import {
  assetHistory,
  batchChanges,
  countByStatus,
  findBatch,
  findChange,
  findUndoOf,
  insertBatch,
  insertChanges,
  listChanges,
  setStatus,
  sitesWithOpenChanges,
  toApiChange,
  type Applier,
  type NewChange,
} from '../store/journal.ts';
import {
  ackChanges,
  countLeasable,
  designerApplierActive,
  leaseChanges,
  markApplierSeen,
  releaseChanges,
  releaseHeld,
  type AckOutcome,
} from '../store/leases.ts';

/**
 * What a Designer applier is leased (it names no fields): deletions are the server's alone
 * (docs/decisions/asset-deletion.md); a file is replaced only through the Designer (docs/decisions/replace-file.md).
 */
export const ALL_FIELDS: readonly ChangeField[] = ['altText', 'displayName', 'folder', 'file'];
/** The server applier speaks the Data API, which cannot move an asset between folders. */
export const SERVER_FIELDS: readonly ChangeField[] = ['altText', 'displayName'];

export interface LeaseOptions {
  applierId: string;
  kind: Applier;
  fields?: readonly ChangeField[];
  limit: number;
  seconds: number;
  /** The page open in a Designer applier's canvas: its element changes are leased too. */
  pageId?: string | null;
  /**
   * The server applier's: which of its targets to lease (both when absent). CMS changes are never
   * leased to a Designer applier (docs/decisions/cms-changes.md).
   */
  serverTargets?: ReadonlyArray<'asset' | 'cms'>;
  /** Only changes of these assets (the server applier's walk through the listing, page by page). */
  assetIds?: readonly string[];
}

export interface AckResult {
  changeId: string;
  outcome: 'applied' | 'conflict' | 'failed';
  current?: string | null;
  error?: string;
}

/** A change as its applier gets it: `leaseCount` > 1 means an earlier holder may have written it. */
export type LeasedChange = Change & { leaseCount: number };

/** Called after changes to assets were applied on Webflow, once their status is committed (element and CMS changes are not the asset's values). */
export type AppliedListener = (siteId: string, changes: readonly Change[]) => void;

export type Journal = ReturnType<typeof createJournal>;

export function createJournal({ store }: { store: Store }) {
  const appliedListeners = new Set<AppliedListener>();

  function notifyApplied(siteId: string, changes: readonly Change[]) {
    if (changes.length === 0) return;
    for (const listener of appliedListeners) {
      try {
        listener(siteId, changes);
      } catch {
        // A listener's failure (the index mirror) must not undo or fail the acknowledgement.
      }
    }
  }

  return {
    /** Records a batch of changes, all pending, in one transaction. */
    async record(siteId: string, userId: string, request: RecordBatchRequest): Promise<Batch> {
      const changes = request.changes.map((change, index) => checkChange(change, index));
      return store.transaction((tx) =>
        insertBatch(tx, { siteId, userId, label: request.label ?? null, undoOf: null, changes }),
      );
    },

    /**
     * Records the deletion of assets as one batch (`kept` → `deleted`), all pending. The
     * caller (src/server/deletion/) has checked that each is used nowhere.
     */
    async recordDeletions(siteId: string, userId: string, assetIds: readonly string[], label: string): Promise<Batch> {
      const changes: NewChange[] = assetIds.map((assetId) => ({ assetId, field: 'deletion', localeId: null, before: KEPT, after: DELETED }));
      return store.transaction((tx) => insertBatch(tx, { siteId, userId, label, undoOf: null, changes }));
    },

    /**
     * The site's changes in these statuses (oldest first; after the change `afterId` when given)
     * and the count of every status.
     */
    async list(siteId: string, statuses: readonly ChangeStatus[], limit: number, afterId: string | null = null): Promise<ChangesResponse> {
      const [changes, counts] = await Promise.all([
        listChanges(store, siteId, statuses, limit, afterId),
        countByStatus(store, siteId),
      ]);
      return { changes: changes.map(toApiChange), counts };
    },

    /**
     * Leases open changes to an applier and renews the ones it holds. Asking for work also
     * tells the server applier that a Designer applier is here.
     */
    async lease(siteId: string, options: LeaseOptions): Promise<{ changes: LeasedChange[]; leaseExpiresAt: string | null }> {
      const changes = await store.transaction(async (tx) => {
        // Released (its panel closed): a request that arrives after the release gets nothing.
        if (!(await markApplierSeen(tx, siteId, options.applierId, options.kind))) return [];
        return leaseChanges(tx, {
          siteId,
          applierId: options.applierId,
          kind: options.kind,
          // The Data API cannot replace a file: a server applier is never leased one, whatever it asks.
          fields: (options.fields ?? ALL_FIELDS).filter((field) => options.kind === 'designer' || field !== 'file'),
          limit: options.limit,
          seconds: options.seconds,
          // The Data API cannot set an element's alt text: the server applier never gets one.
          pageId: options.kind === 'designer' ? (options.pageId ?? null) : null,
          targets: options.kind === 'designer' ? ['asset', 'element'] : (options.serverTargets ?? ['asset', 'cms']),
          ...(options.assetIds ? { assetIds: options.assetIds } : {}),
        });
      });
      const expiries = changes.map((change) => change.leaseExpiresAt).filter((at) => at !== null);
      return {
        changes: changes.map((change) => ({ ...toApiChange(change), leaseCount: change.leaseCount })),
        leaseExpiresAt: expiries.sort().at(-1) ?? null,
      };
    },

    /**
     * How many asset changes of these fields an applier could lease now, recorded after change
     * `afterId` ('0': all), and the newest one's id.
     */
    leasable(siteId: string, fields: readonly ChangeField[], afterId = '0'): Promise<{ count: number; lastId: string }> {
      return countLeasable(store, siteId, fields, afterId);
    },

    /**
     * Records outcomes of changes the applier holds. Changes it does not hold (another applier
     * took them after its lease lapsed, or they were never leased) are left as they are and
     * are absent from the answer.
     */
    async ack(siteId: string, applierId: string, results: readonly AckResult[]): Promise<Change[]> {
      const settled = await store.transaction(async (tx) => {
        const changes = await ackChanges(tx, siteId, applierId, results.map((result) => ({ changeId: result.changeId, ...toOutcome(result) })));
        return changes.map(toApiChange);
      });
      notifyApplied(
        siteId,
        settled.filter((change) => change.status === 'applied' && !change.target && !change.cmsTarget),
      );
      return settled;
    },

    /**
     * Gives held changes back to the queue without an outcome; `untouched` when nothing was
     * sent to Webflow for them (the next applier may then trust a listing of their values).
     */
    release(siteId: string, applierId: string, changeIds: readonly string[], untouched = false): Promise<number> {
      return releaseChanges(store, siteId, applierId, changeIds, { untouched });
    },

    /**
     * Gives back everything the applier holds: it is going away (a panel closing), and the server
     * applier no longer stands back for it.
     */
    giveBack(siteId: string, applierId: string): Promise<number> {
      return store.transaction((tx) => releaseHeld(tx, siteId, applierId));
    },

    /** A failed change goes back to pending; its error is cleared. */
    async retry(siteId: string, changeId: string): Promise<Change> {
      return store.transaction(async (tx) => {
        const change = await mustFindChange(tx, siteId, changeId);
        if (change.status !== 'failed') {
          throw new HttpError(409, 'conflict', `Change ${changeId} is ${change.status}; only a failed change can be retried`);
        }
        const [retried] = await setStatus(tx, siteId, [changeId], ['failed'], 'pending');
        if (!retried) throw new Error(`Change ${changeId} could not be set back to pending`);
        return toApiChange(retried);
      });
    },

    /**
     * Settles a conflict. `mine` discards the conflicting change and journals it again (in the
     * same batch) over Webflow's current value; `theirs` discards it and keeps Webflow's value.
     * Answers the new pending change for `mine`, the discarded one for `theirs`.
     */
    async resolve(siteId: string, changeId: string, keep: 'mine' | 'theirs'): Promise<Change> {
      return store.transaction(async (tx) => {
        const change = await mustFindChange(tx, siteId, changeId);
        if (change.status !== 'conflict') {
          throw new HttpError(409, 'conflict', `Change ${changeId} is ${change.status}; only a conflict can be resolved`);
        }
        const [discarded] = await setStatus(tx, siteId, [changeId], ['conflict'], 'discarded');
        if (!discarded) throw new Error(`Change ${changeId} could not be discarded`);
        if (keep === 'theirs') return toApiChange(discarded);
        if (change.field === 'deletion') {
          throw new HttpError(409, 'conflict', `Change ${changeId} deletes an asset that was found in use; it is never deleted over a use. Keep Webflow’s version instead.`);
        }
        if (change.field === 'file') {
          throw new HttpError(409, 'conflict', `Change ${changeId} replaces a file that was changed meanwhile; its file is not kept to set again. Replace the file again instead.`);
        }
        if (change.current === undefined) {
          throw new HttpError(409, 'conflict', `Webflow's value of change ${changeId} is unknown; edit the asset again instead`);
        }
        const again = await insertBatchChange(tx, siteId, change.batchId, change.userId, {
          assetId: change.assetId,
          field: change.field,
          localeId: change.localeId,
          ...(change.target || change.cmsTarget ? { target: change.target ?? change.cmsTarget } : {}),
          before: change.current,
          after: change.after,
        });
        return again;
      });
    },

    /**
     * Undoes a batch: a new batch holds the inverse of each of its changes, newest first.
     * Changes applied (or being applied now) get a pending inverse; changes not applied yet
     * (pending, failed, conflicting) are discarded, and so is their inverse, which is kept so
     * the undo says, change by change, which value each asset is back to. A batch is undone
     * at most once.
     */
    async undo(siteId: string, batchId: string, userId: string): Promise<Batch> {
      return store.transaction(async (tx) => {
        const batch = await findBatch(tx, siteId, batchId, { lock: true });
        if (!batch) throw new HttpError(404, 'not_found', `No batch ${batchId} on this site`);
        const undoneBy = await findUndoOf(tx, batchId);
        if (undoneBy) {
          throw new HttpError(409, 'conflict', `Batch ${batchId} was already undone by batch ${undoneBy}`, {
            details: { undoneBy },
          });
        }
        const changes = await batchChanges(tx, batchId, { lock: true });
        const notApplied: ChangeStatus[] = ['pending', 'failed', 'conflict'];
        const discarded = await setStatus(tx, siteId, changes.map((c) => c.id), notApplied, 'discarded');
        const discardedIds = new Set(discarded.map((c) => c.id));
        // A leased change may be on Webflow already; its inverse waits behind it (leases keep
        // the order of one value's changes) and conflicts if it never landed.
        const inverse: NewChange[] = changes
          .filter((c) => c.status === 'applied' || c.status === 'leased' || discardedIds.has(c.id))
          .reverse()
          .map((c) => ({
            assetId: c.assetId,
            field: c.field,
            localeId: c.localeId,
            // An element's inverse restores its setting, "uses the asset's alt text" (null) included.
            ...(c.target || c.cmsTarget ? { target: c.target ?? c.cmsTarget } : {}),
            before: c.after,
            after: c.before,
            status: discardedIds.has(c.id) ? 'discarded' : 'pending',
          }));
        const label = batch.label ? `Undo: ${batch.label}` : `Undo batch ${batchId}`;
        return insertBatch(tx, { siteId, userId, label: label.slice(0, 200), undoOf: batchId, changes: inverse });
      });
    },

    /** Every change of one asset, newest first. */
    async history(siteId: string, assetId: string, limit = 200): Promise<Change[]> {
      return (await assetHistory(store, siteId, assetId, limit)).map(toApiChange);
    },

    /** Sites with changes of these fields waiting for an applier. */
    sitesWithOpenChanges(fields: readonly ChangeField[]): Promise<string[]> {
      return sitesWithOpenChanges(store, fields);
    },

    /** Whether a Designer applier asked for work on the site within `seconds`, or holds a lease. */
    designerActive(siteId: string, seconds: number): Promise<boolean> {
      return designerApplierActive(store, siteId, seconds);
    },

    /** Listens to changes applied on Webflow (for the index); returns the unsubscribe. */
    onApplied(listener: AppliedListener): () => void {
      appliedListeners.add(listener);
      return () => appliedListeners.delete(listener);
    },
  };
}

type Tx = Queryable;

async function mustFindChange(tx: Tx, siteId: string, changeId: string) {
  const change = await findChange(tx, siteId, changeId, { lock: true });
  if (!change) throw new HttpError(404, 'not_found', `No change ${changeId} on this site`);
  return change;
}

async function insertBatchChange(tx: Tx, siteId: string, batchId: string, userId: string, change: NewChange) {
  const [inserted] = await insertChanges(tx, { batchId, siteId, userId }, [change]);
  if (!inserted) throw new Error('Journaling the change again returned no row');
  return toApiChange(inserted);
}

function toOutcome(result: AckResult): AckOutcome {
  switch (result.outcome) {
    case 'applied':
      return { outcome: 'applied' };
    case 'conflict':
      return { outcome: 'conflict', current: result.current ?? null };
    case 'failed':
      return { outcome: 'failed', error: result.error ?? 'The applier did not say what failed' };
  }
}

/** The rules zod cannot say alone: which values each field takes. */
function checkChange(change: ChangeInput, index: number): NewChange {
  const where = `changes[${index}] (asset ${change.assetId})`;
  if (change.field === 'deletion') {
    throw new HttpError(400, 'validation_error', `${where}: an asset is deleted with POST …/deletions, which checks first that it is used nowhere`);
  }
  if (change.field === 'file') {
    throw new HttpError(400, 'validation_error', `${where}: a file is replaced with POST …/replacements, which takes the file itself`);
  }
  if (change.field !== 'altText' && change.localeId != null) {
    throw new HttpError(400, 'validation_error', `${where}: only alt text is per locale; drop localeId for ${change.field}`);
  }
  if (change.field === 'displayName' && (change.after === null || change.after.trim() === '')) {
    throw new HttpError(400, 'validation_error', `${where}: a display name cannot be empty`);
  }
  if (change.field === 'folder' && change.after !== null && !/^[A-Za-z0-9_-]{1,64}$/.test(change.after)) {
    throw new HttpError(400, 'validation_error', `${where}: a folder move takes a folder id, or null for the root`);
  }
  if (change.target?.kind === 'cms') return checkCmsChange(change, change.target, where);
  const target = change.target?.kind === 'element' ? change.target : undefined;
  if (target && (change.field !== 'altText' || change.localeId != null)) {
    throw new HttpError(
      400,
      'validation_error',
      `${where}: a page element's change sets its alt text in the primary locale; send field "altText" without localeId`,
    );
  }
  return {
    assetId: change.assetId,
    field: change.field,
    localeId: change.localeId ?? null,
    ...(target ? { target: { kind: 'element' as const, pageId: target.pageId, elementId: target.elementId, componentId: target.componentId ?? null } } : {}),
    before: change.before,
    after: change.after,
  };
}

/**
 * A CMS image use's change: alt text, its position saying which image of the field (none for an
 * Image field). Null is "no alt" (an Image's `alt: null`, an `<img>` without the attribute); an
 * Image or MultiImage field has no decorative setting, so '' is refused there
 * (docs/decisions/cms-changes.md).
 */
function checkCmsChange(change: ChangeInput, target: CmsTarget, where: string): NewChange {
  const refuse = (message: string): never => {
    throw new HttpError(400, 'validation_error', `${where}: ${message}`);
  };
  if (change.field !== 'altText') refuse(`a CMS image's change sets its alt text; send field "altText", not "${change.field}"`);
  if (target.fieldType === 'Image' && target.position !== null) refuse('an Image field holds one image; send position null');
  if (target.fieldType !== 'Image' && target.position === null) {
    refuse(`a ${target.fieldType} field holds several images; say which with position (0 for the first)`);
  }
  if (target.fieldType !== 'RichText' && change.after === '') {
    refuse(`a CMS ${target.fieldType} field has no decorative setting: write alt text, or send null to leave it without`);
  }
  return {
    assetId: change.assetId,
    field: 'altText',
    localeId: change.localeId ?? null,
    target: { kind: 'cms', collectionId: target.collectionId, itemId: target.itemId, fieldSlug: target.fieldSlug, fieldType: target.fieldType, position: target.position },
    before: change.before,
    after: change.after,
  };
}
