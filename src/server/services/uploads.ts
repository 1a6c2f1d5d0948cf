/**
 * Uploads: check a file against Webflow's limits, answer a duplicate when the site already has
 * the same bytes, otherwise create the asset and hand the panel the presigned POST. The panel
 * sends the file straight to storage and reports back: `complete` indexes the asset (with its
 * md5), `fail` (or silence past the policy's expiry, found by the sweeper) deletes the asset
 * Webflow created, so no empty asset is left on the site.
 *
 * Every create is recorded before it is sent. When its answer is lost (a 500, a timeout, a
 * dropped connection), Webflow may have made the asset: it is looked for and removed before the
 * create is sent again (lost-creates.ts), and what the quick look cannot settle the sweeper
 * settles later by reading the whole site, so no asset Asset Desk asked for is ever untracked.
 */
import { randomUUID } from 'node:crypto';
import type { AltText, IndexedAsset, UploadRequest, UploadResponse } from '../../core/api.ts';
import { checkFile } from '../../core/limits.ts';
import type { Session } from '../env.ts';
import { HttpError } from '../errors.ts';
import { findByMd5 } from '../store/asset-index.ts';
import type { Store } from '../store/db.ts';
import {
  abandonCreatingUpload,
  assignUploadAsset,
  expiredUploads,
  findUpload,
  insertCreatingUpload,
  reopenUpload,
  settleUpload,
  staleCreatingUploads,
  type CreatingUpload,
  type UploadRow,
} from '../store/uploads.ts';
import { failureKind } from '../webflow/retry.ts';
import { WebflowError, type Priority, type WebflowClient, type WireCreatedAsset } from '../webflow/types.ts';
import type { AssetIndex } from './asset-index.ts';
import { indexedAssetOf } from './asset-index-wire.ts';
import { hashHostedFiles, hashSameSize, type Fetch } from './hosted-hashes.ts';
import { findLostAssets } from './lost-creates.ts';
import { httpErrorOf } from './webflow-errors.ts';

/** When Webflow's policy does not say when it expires. */
const DEFAULT_TTL_MS = 60 * 60_000;
const SWEEP_BATCH = 50;
/** A create is sent at most this many times, each after making sure the one before made nothing. */
const CREATE_TRIES = 2;
/** When the sweeper looks for the asset of a create nobody heard back from (the create's own timeout is 30 s). */
const LOOK_AFTER_MS = 2 * 60_000;
/** When the sweeper tries again to remove an asset Webflow did not let it remove. */
const RETRY_SWEEP_MS = 60_000;

export interface UploadsOptions {
  store: Store;
  webflow: WebflowClient;
  index: AssetIndex;
  getSiteToken(siteId: string): Promise<string | undefined>;
  onError?: (error: unknown) => void;
  /** Downloads hosted files for the background hasher (tests pass a fake CDN). */
  fetch?: Fetch;
}

export type Uploads = ReturnType<typeof createUploads>;

export function createUploads(options: UploadsOptions) {
  const { store, webflow, index, getSiteToken } = options;
  const fetchFile: Fetch = options.fetch ?? ((url, init) => fetch(url, init));
  const timers: NodeJS.Timeout[] = [];
  /** The sweep or hashing run under way, by the work it runs (one at a time each). */
  const running = new Map<() => Promise<unknown>, Promise<unknown>>();

  async function tokenOf(siteId: string): Promise<string> {
    const token = await getSiteToken(siteId);
    if (!token) throw new HttpError(409, 'not_installed', 'Asset Desk is not installed on this site: install it, then upload again.');
    return token;
  }

  async function deleteCreated(upload: Pick<UploadRow, 'site_id' | 'asset_id'>, priority: Priority): Promise<void> {
    const token = await getSiteToken(upload.site_id);
    if (!token) return;
    try {
      await webflow.deleteAsset(token, upload.asset_id, { priority });
    } catch (error) {
      // Already gone is what we wanted; a delete whose answer was lost is checked, not sent again.
      if (!(error instanceof WebflowError) || !(error.status === 404 || (failureKind(error) === 'ambiguous' && (await isGone(token, upload.asset_id, priority))))) throw error;
    }
    await index.removeAsset(upload.site_id, upload.asset_id);
  }

  async function isGone(token: string, assetId: string, priority: Priority): Promise<boolean> {
    try {
      await webflow.getAsset(token, assetId, { priority });
      return false;
    } catch (error) {
      return error instanceof WebflowError && error.status === 404;
    }
  }

  /**
   * Removes the assets a create recorded as `record` may have made. Answers whether the look
   * was complete: when it was not, the record stays for the sweeper's whole-site look.
   */
  async function removeLostAssets(token: string, record: CreatingUpload, priority: Priority, wholeSite: boolean): Promise<boolean> {
    const lost = await findLostAssets({ store, webflow }, token, { siteId: record.site_id, fileName: record.file_name, folderId: record.folder_id, since: record.created_at }, { priority, wholeSite });
    for (const asset of lost.assets) await deleteCreated({ site_id: record.site_id, asset_id: asset.id }, priority);
    if (lost.complete || lost.assets.length > 0) {
      await abandonCreatingUpload(store, record.upload_id, wholeSite ? 'expired' : 'failed', `Webflow did not answer the create; ${lost.assets.length} asset(s) it made were removed`);
    }
    return lost.complete || lost.assets.length > 0;
  }

  /** Creates the asset, each try recorded first; never sends a create whose predecessor may have made an asset it could not find. */
  async function createTracked(
    session: Session,
    token: string,
    request: { fileName: string; fileHash: string; folderId: string | null },
  ): Promise<{ uploadId: string; created: WireCreatedAsset }> {
    const { siteId } = session;
    for (let tries = 1; ; tries += 1) {
      const record = await insertCreatingUpload(store, {
        upload_id: randomUUID(),
        site_id: siteId,
        md5: request.fileHash,
        file_name: request.fileName,
        folder_id: request.folderId,
        user_id: session.userId,
        lookBy: new Date(Date.now() + LOOK_AFTER_MS),
      });
      try {
        const created = await webflow.createAsset(
          token,
          siteId,
          { fileName: request.fileName, fileHash: request.fileHash, ...(request.folderId ? { parentFolder: request.folderId } : {}) },
          { priority: 'interactive' },
        );
        return { uploadId: record.upload_id, created };
      } catch (error) {
        if (!(error instanceof WebflowError) || failureKind(error) !== 'ambiguous') {
          await abandonCreatingUpload(store, record.upload_id, 'failed', error instanceof Error ? error.message : String(error));
          throw httpErrorOf(error, `Creating ${request.fileName}`);
        }
        const settled = await removeLostAssets(token, record, 'interactive', false).catch(() => false);
        if (!settled || tries >= CREATE_TRIES) {
          throw new HttpError(502, 'webflow_error', `Webflow did not confirm creating ${request.fileName}${settled ? '' : '; Asset Desk will remove the asset if Webflow made one'}. Upload the file again in a moment.`, {
            cause: error,
          });
        }
      }
    }
  }

  const uploads = {
    async create(session: Session, request: UploadRequest): Promise<UploadResponse> {
      const { siteId } = session;
      const fileName = request.fileName.trim();
      const problem = checkFile({ name: fileName, size: request.size });
      if (problem) throw new HttpError(400, 'validation_error', problem.message, { details: { code: problem.code } });
      const md5 = request.fileHash.toLowerCase();
      if (!request.allowDuplicate) {
        const existing =
          (await findByMd5(store, siteId, md5)) ??
          ((await hashSameSize(store, fetchFile, siteId, request.size)) > 0 ? await findByMd5(store, siteId, md5) : undefined);
        if (existing) return { status: 'duplicate', existing };
      }
      const token = await tokenOf(siteId);
      const { uploadId, created } = await createTracked(session, token, { fileName, fileHash: md5, folderId: request.folderId ?? null });
      const expiresAt = policyExpiry(created.uploadDetails) ?? new Date(Date.now() + DEFAULT_TTL_MS);
      await assignUploadAsset(store, uploadId, created.id, expiresAt);
      return {
        status: 'created',
        upload: { id: uploadId, assetId: created.id, uploadUrl: created.uploadUrl, uploadDetails: created.uploadDetails, expiresAt: expiresAt.toISOString() },
      };
    },

    /** The file reached storage: index the asset (setting its alt text first when given). */
    async complete(siteId: string, uploadId: string, altText: AltText | undefined): Promise<IndexedAsset> {
      const upload = await findUpload(store, siteId, uploadId);
      if (!upload) throw new HttpError(404, 'not_found', `There is no upload ${uploadId} on this site; upload the file again.`);
      if (upload.status === 'failed' || upload.status === 'expired') {
        const why = upload.status === 'expired' ? 'was not confirmed in time' : 'was reported as failed';
        throw new HttpError(409, 'conflict', `The upload of ${upload.file_name} ${why}, so its asset was removed. Upload the file again.`);
      }
      const token = await tokenOf(siteId);
      let wire;
      try {
        wire = await webflow.getAsset(token, upload.asset_id, { priority: 'interactive' });
        if (!wire.size) {
          throw new HttpError(409, 'conflict', `Webflow has not received the file of ${upload.file_name} yet. Send it again, or confirm in a moment.`);
        }
        if (altText !== undefined) wire = await webflow.updateAsset(token, upload.asset_id, { altText }, { priority: 'interactive' });
      } catch (error) {
        throw httpErrorOf(error, `Confirming ${upload.file_name}`);
      }
      // getAsset does not tell the folder (only listings do); the upload asked for it.
      const doc = indexedAssetOf({ ...wire, folderId: upload.folder_id }, { primary: wire.altText, locales: {} }, upload.md5);
      await index.addAsset(siteId, doc);
      await settleUpload(store, uploadId, 'complete');
      return doc;
    },

    /** The browser could not send the file: delete the empty asset Webflow created. */
    async fail(siteId: string, uploadId: string, reason: string): Promise<void> {
      const upload = await findUpload(store, siteId, uploadId);
      if (!upload) throw new HttpError(404, 'not_found', `There is no upload ${uploadId} on this site.`);
      if (upload.status === 'complete') {
        throw new HttpError(409, 'conflict', `${upload.file_name} was uploaded and confirmed; delete the asset in Webflow if you do not want it.`);
      }
      if (!(await settleUpload(store, uploadId, 'failed', reason))) return; // settled already: nothing left to undo
      try {
        await deleteCreated(upload, 'interactive');
      } catch (error) {
        throw httpErrorOf(error, `Removing the unfinished asset of ${upload.file_name}`);
      }
    },

    /**
     * Deletes the assets of uploads nobody confirmed before their policy expired, and of creates
     * nobody heard back from (looked for in the whole site); answers how many uploads it settled.
     */
    async sweep(): Promise<number> {
      let swept = 0;
      for (const record of await staleCreatingUploads(store, SWEEP_BATCH)) {
        const token = await getSiteToken(record.site_id);
        if (!token) continue;
        try {
          if (await removeLostAssets(token, record, 'background', true)) swept += 1;
        } catch (error) {
          options.onError?.(error); // still `creating`: looked for again at the next sweep
        }
      }
      for (const upload of await expiredUploads(store, SWEEP_BATCH)) {
        if (!(await settleUpload(store, upload.upload_id, 'expired'))) continue;
        try {
          await deleteCreated(upload, 'background');
        } catch (error) {
          // Not removed: the upload keeps tracking the asset, and the sweeper tries again later.
          await reopenUpload(store, upload.upload_id, new Date(Date.now() + RETRY_SWEEP_MS));
          options.onError?.(error);
          continue;
        }
        swept += 1;
      }
      return swept;
    },

    /** Hashes a few hosted files whose MD5 is unknown; answers how many were hashed. */
    hashHostedFiles(limit = 5): Promise<number> {
      return hashHostedFiles(store, fetchFile, limit);
    },

    /** The sweeper (every minute) and the background hasher (a few files every few seconds). */
    start(intervals: { sweepMs?: number; hashMs?: number } = {}): void {
      const loop = (ms: number, work: () => Promise<unknown>) => {
        const timer = setInterval(() => {
          if (running.has(work)) return;
          const run = work()
            .catch((error: unknown) => options.onError?.(error))
            .finally(() => running.delete(work));
          running.set(work, run);
        }, ms);
        timer.unref();
        timers.push(timer);
      };
      loop(intervals.sweepMs ?? 60_000, () => uploads.sweep());
      loop(intervals.hashMs ?? 5_000, () => uploads.hashHostedFiles());
    },

    /** Stops the sweeper and the hasher, and waits for the run under way (the store closes next). */
    async stop(): Promise<void> {
      for (const timer of timers.splice(0)) clearInterval(timer);
      await Promise.all(running.values());
    },
  };
  return uploads;
}

/** The expiration inside the presigned POST's base64 policy (S3's own deadline for the file). */
export function policyExpiry(details: Record<string, string>): Date | undefined {
  const policy = Object.entries(details).find(([name]) => name.toLowerCase() === 'policy')?.[1];
  if (!policy) return undefined;
  try {
    const expiration = (JSON.parse(Buffer.from(policy, 'base64').toString('utf8')) as { expiration?: unknown }).expiration;
    const at = typeof expiration === 'string' ? new Date(expiration) : undefined;
    return at && Number.isFinite(at.getTime()) ? at : undefined;
  } catch {
    return undefined;
  }
}
