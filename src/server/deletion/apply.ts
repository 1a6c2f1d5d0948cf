/**
 * Applying one change of field `deletion` (docs/decisions/asset-deletion.md), for the deletion
 * applier (applier.ts):
 *
 * - `kept` → `deleted`: read the asset (404: deleted already, applied); look again for a use (one
 *   found, or one seen since the deletion was recorded: a conflict, never a DELETE); keep its
 *   file, names, folder and alt texts; then DELETE. A DELETE whose answer was lost is checked
 *   with a GET (404: done), never sent again blindly.
 * - `deleted` → `kept` (an undo): upload the kept file again as a new asset, in its folder, with
 *   its names and alt texts. An upload is a create: it is recorded (uploads.ts) before it is
 *   sent, and its upload id is noted on the kept row before the file goes, so a second try adopts
 *   a finished upload or removes an unfinished one, and never makes a second asset blindly.
 */
import { MAX_BYTES, kindOf } from '../../core/limits.ts';
import type { Change } from '../../core/api.ts';
import type { AckResult } from '../services/journal.ts';
import type { AssetIndex } from '../services/asset-index.ts';
import { indexedAssetOf } from '../services/asset-index-wire.ts';
import type { Uploads } from '../services/uploads.ts';
import type { Fetch } from '../services/hosted-hashes.ts';
import type { Store } from '../store/db.ts';
import { findKept, keepAsset, markDeleted, markRestored, noteRestoreUpload, type KeptAsset } from '../store/deletions.ts';
import { readAssetsById } from '../store/asset-index.ts';
import { findUpload } from '../store/uploads.ts';
import { readHostedFile } from '../suggestions/hosted-file.ts';
import type { UsageIndex } from '../usage/usage-index.ts';
import { failureKind } from '../webflow/retry.ts';
import { WebflowError, type WebflowClient } from '../webflow/types.ts';
import { KEEP_DAYS } from '../../core/deletion.ts';

/** Webflow's value of a deletion found in use: the asset stays. */
export const IN_USE = 'in use';

export interface DeletionDeps {
  store: Store;
  webflow: Pick<WebflowClient, 'getAsset' | 'deleteAsset' | 'updateAsset'>;
  index: Pick<AssetIndex, 'removeAsset' | 'addAsset'>;
  uploads: Pick<Uploads, 'create' | 'complete' | 'fail'>;
  usage: Pick<UsageIndex, 'usesOf'>;
  fetch: Fetch;
  /** Against the sandbox its CDN is on loopback. */
  allowLoopback: boolean;
}

/** Not an outcome yet: give the change back and try again later (Webflow asked to wait, or could not be reached). */
export class TryLater extends Error {}

/** Checks the lease before each write; false when another applier holds the change now. */
export type StillHeld = () => Promise<boolean>;

export async function applyDeletion(deps: DeletionDeps, token: string, siteId: string, change: Change, stillHeld: StillHeld): Promise<AckResult | 'lost'> {
  return change.after === 'deleted' ? deleteAsset(deps, token, siteId, change, stillHeld) : restoreAsset(deps, token, siteId, change, stillHeld);
}

const applied = (change: Change): AckResult => ({ changeId: change.id, outcome: 'applied' });
const failed = (change: Change, error: string): AckResult => ({ changeId: change.id, outcome: 'failed', error });

async function isGone(deps: DeletionDeps, token: string, assetId: string): Promise<boolean> {
  try {
    await deps.webflow.getAsset(token, assetId, { priority: 'background' });
    return false;
  } catch (error) {
    if (error instanceof WebflowError && error.status === 404) return true;
    throw error;
  }
}

async function deleteAsset(deps: DeletionDeps, token: string, siteId: string, change: Change, stillHeld: StillHeld): Promise<AckResult | 'lost'> {
  const { store, webflow } = deps;
  let wire;
  try {
    wire = await webflow.getAsset(token, change.assetId, { priority: 'background' });
  } catch (error) {
    if (error instanceof WebflowError && error.status === 404) return gone(deps, siteId, change);
    throw error;
  }
  // A use found now, or one seen since the deletion was recorded (gone again or not): the asset stays.
  const { used, seenUsed } = await deps.usage.usesOf(siteId, [change.assetId]);
  const seen = seenUsed.get(change.assetId);
  if (used.has(change.assetId) || (seen && seen.getTime() >= Date.parse(change.createdAt))) {
    return { changeId: change.id, outcome: 'conflict', current: IN_USE };
  }
  const kept = await findKept(store, siteId, change.assetId);
  if (!kept || kept.keptAt.getTime() < Date.parse(change.createdAt)) {
    const indexed = (await readAssetsById(store, siteId, [change.assetId])).get(change.assetId)?.doc;
    const kind = kindOf(wire.originalFileName) ?? 'document';
    let file;
    try {
      file = await readHostedFile(deps.fetch, wire.hostedUrl, deps.allowLoopback, MAX_BYTES[kind]);
    } catch (error) {
      throw new TryLater(`The file could not be read to keep it for an undo (${error instanceof Error ? error.message : String(error)}); the asset was not deleted`);
    }
    if (wire.size && file.bytes.byteLength !== wire.size) {
      throw new TryLater(`The CDN gave ${file.bytes.byteLength} bytes of a ${wire.size}-byte file; the asset was not deleted`);
    }
    await keepAsset(store, {
      siteId,
      assetId: change.assetId,
      fileName: wire.originalFileName,
      displayName: wire.displayName,
      contentType: wire.contentType,
      md5: file.md5,
      folderId: indexed?.folderId ?? null,
      altText: wire.altText,
      localeAltText: indexed?.localeAltText ?? {},
      bytes: file.bytes,
      expiresAt: new Date(Date.now() + KEEP_DAYS * 86_400_000),
    });
  }
  if (!(await stillHeld())) return 'lost';
  try {
    await webflow.deleteAsset(token, change.assetId, { priority: 'background' });
  } catch (error) {
    if (!(error instanceof WebflowError)) throw error;
    // 404: deleted meanwhile. A lost answer (5xx, dropped): look, never send it again blindly.
    if (error.status !== 404 && !(failureKind(error) === 'ambiguous' && (await isGone(deps, token, change.assetId)))) throw error;
  }
  return gone(deps, siteId, change);
}

async function gone(deps: DeletionDeps, siteId: string, change: Change): Promise<AckResult> {
  await markDeleted(deps.store, siteId, change.assetId);
  await deps.index.removeAsset(siteId, change.assetId);
  return applied(change);
}

async function restoreAsset(deps: DeletionDeps, token: string, siteId: string, change: Change, stillHeld: StillHeld): Promise<AckResult | 'lost'> {
  const kept = await findKept(deps.store, siteId, change.assetId);
  if (!kept) return failed(change, `The file of this asset is no longer kept (files are kept ${KEEP_DAYS} days after a deletion); it cannot be put back.`);
  if (kept.restoredAssetId) return applied(change);
  let assetId = await adoptEarlierTry(deps, siteId, kept);
  if (!assetId) {
    if (!(await stillHeld())) return 'lost';
    assetId = await uploadAgain(deps, siteId, change.userId, kept);
  }
  await restoreValues(deps, token, siteId, kept, assetId);
  await markRestored(deps.store, siteId, kept.assetId, assetId);
  return applied(change);
}

/** A finished upload of an earlier try is adopted; an unfinished one is removed (with the asset it made). */
async function adoptEarlierTry(deps: DeletionDeps, siteId: string, kept: KeptAsset): Promise<string | undefined> {
  if (!kept.restoreUploadId) return undefined;
  const upload = await findUpload(deps.store, siteId, kept.restoreUploadId);
  if (upload?.status === 'complete') return upload.asset_id;
  if (upload?.status === 'pending') {
    try {
      await deps.uploads.fail(siteId, upload.upload_id, 'An undo of a deletion was interrupted; it uploads the file again.');
    } catch (error) {
      throw new TryLater(`An interrupted re-upload could not be cleaned up yet (${error instanceof Error ? error.message : String(error)})`);
    }
  }
  await noteRestoreUpload(deps.store, siteId, kept.assetId, null);
  return undefined;
}

async function uploadAgain(deps: DeletionDeps, siteId: string, userId: string, kept: KeptAsset): Promise<string> {
  const created = await deps.uploads.create(
    { siteId, userId },
    { fileName: kept.fileName, fileHash: kept.md5, size: kept.bytes.byteLength, contentType: kept.contentType, folderId: kept.folderId, allowDuplicate: true },
  );
  if (created.status !== 'created') throw new Error('A re-upload with allowDuplicate was answered as a duplicate');
  const ticket = created.upload;
  await noteRestoreUpload(deps.store, siteId, kept.assetId, ticket.id);
  const form = new FormData();
  for (const [name, value] of Object.entries(ticket.uploadDetails)) form.append(name, value);
  form.append('file', new Blob([kept.bytes as Uint8Array<ArrayBuffer>], { type: kept.contentType }), kept.fileName);
  let response: Response;
  try {
    response = await deps.fetch(ticket.uploadUrl, { method: 'POST', body: form, signal: AbortSignal.timeout(60_000) });
  } catch (error) {
    throw new TryLater(`The file could not be sent to Webflow's storage (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!response.ok) throw new TryLater(`Webflow's storage answered ${response.status} to the re-upload`);
  await response.body?.cancel();
  const doc = await deps.uploads.complete(siteId, ticket.id, kept.altText);
  return doc.id;
}

/** The display name and each secondary locale's alt text (the primary's went with the upload's completion). */
async function restoreValues(deps: DeletionDeps, token: string, siteId: string, kept: KeptAsset, assetId: string): Promise<void> {
  let wire = await deps.webflow.getAsset(token, assetId, { priority: 'background' });
  if (wire.displayName !== kept.displayName || (wire.altText ?? null) !== kept.altText) {
    wire = await deps.webflow.updateAsset(token, assetId, { displayName: kept.displayName, altText: kept.altText }, { priority: 'background' });
  }
  for (const [localeId, altText] of Object.entries(kept.localeAltText)) {
    await deps.webflow.updateAsset(token, assetId, { localeId, altText }, { priority: 'background' });
  }
  const doc = indexedAssetOf({ ...wire, displayName: kept.displayName, folderId: kept.folderId }, { primary: kept.altText, locales: kept.localeAltText }, kept.md5);
  await deps.index.addAsset(siteId, doc);
}
