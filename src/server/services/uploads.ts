/**
 * Uploads: check a file against Webflow's limits, answer a duplicate when the site already has
 * the same bytes, otherwise create the asset and hand the panel the presigned POST. The panel
 * sends the file straight to storage and reports back: `complete` indexes the asset, `fail` (or
 * silence past the policy's expiry, found by the sweeper) deletes the asset Webflow created.
 *
 * Hashes of files uploaded elsewhere are learnt in the background by downloading hosted files
 * (the CDN, not the Data API, so no quota) and hashing them.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { AltText, IndexedAsset, UploadRequest, UploadResponse } from '../../core/api.ts';
import { checkFile } from '../../core/limits.ts';
import { HttpError } from '../errors.ts';
import type { Session } from '../env.ts';
import type { Store } from '../store/db.ts';
import { assetsWithoutMd5, findByMd5, saveMd5 } from '../store/asset-index.ts';
import { expiredUploads, findUpload, insertUpload, settleUpload } from '../store/uploads.ts';
import type { WebflowClient } from '../webflow/types.ts';
import { indexedAssetOf, type AssetIndex } from './asset-index.ts';
import { httpErrorOf } from './webflow-errors.ts';

const DEFAULT_TTL_MS = 60 * 60_000;
const MAX_HASHED_BYTES = 10 * 1024 * 1024;

export interface UploadsOptions {
  store: Store;
  webflow: WebflowClient;
  index: AssetIndex;
  getSiteToken(siteId: string): Promise<string | undefined>;
  onError?: (error: unknown) => void;
}

export type Uploads = ReturnType<typeof createUploads>;

export function createUploads(options: UploadsOptions) {
  const { store, webflow, index, getSiteToken } = options;
  const timers: NodeJS.Timeout[] = [];

  async function tokenOf(siteId: string): Promise<string> {
    const token = await getSiteToken(siteId);
    if (!token) throw new HttpError(409, 'not_installed', 'Asset Desk is not installed on this site.');
    return token;
  }

  const uploads = {
    async create(session: Session, request: UploadRequest): Promise<UploadResponse> {
      const { siteId } = session;
      const problem = checkFile({ name: request.fileName, size: request.size });
      if (problem) throw new HttpError(400, 'validation_error', problem.message, { details: { code: problem.code } });
      const md5 = request.fileHash.toLowerCase();
      if (!request.allowDuplicate) {
        const existing = await findByMd5(store, siteId, md5);
        if (existing) return { status: 'duplicate', existing };
      }
      const token = await tokenOf(siteId);
      let created;
      try {
        created = await webflow.createAsset(
          token,
          siteId,
          { fileName: request.fileName.trim(), fileHash: md5, ...(request.folderId ? { parentFolder: request.folderId } : {}) },
          { priority: 'interactive' },
        );
      } catch (error) {
        throw httpErrorOf(error, `Creating ${request.fileName}`);
      }
      const uploadId = randomUUID();
      const expiresAt = policyExpiry(created.uploadDetails) ?? new Date(Date.now() + DEFAULT_TTL_MS);
      await insertUpload(store, {
        upload_id: uploadId,
        site_id: siteId,
        asset_id: created.id,
        md5,
        file_name: request.fileName,
        folder_id: request.folderId ?? null,
        user_id: session.userId,
        expires_at: expiresAt,
      });
      return {
        status: 'created',
        upload: { id: uploadId, assetId: created.id, uploadUrl: created.uploadUrl, uploadDetails: created.uploadDetails, expiresAt: expiresAt.toISOString() },
      };
    },

    async complete(siteId: string, uploadId: string, altText: AltText | undefined): Promise<IndexedAsset> {
      const upload = await findUpload(store, siteId, uploadId);
      if (!upload) throw new HttpError(404, 'not_found', 'No such upload on this site.');
      if (upload.status !== 'pending' && upload.status !== 'complete') {
        throw new HttpError(409, 'conflict', `This upload was ${upload.status === 'expired' ? 'not confirmed in time' : 'marked as failed'}; its asset was removed. Upload the file again.`);
      }
      const token = await tokenOf(siteId);
      let wire;
      try {
        wire = await webflow.getAsset(token, upload.asset_id, { priority: 'interactive' });
        if (altText !== undefined) wire = await webflow.updateAsset(token, upload.asset_id, { altText }, { priority: 'interactive' });
      } catch (error) {
        throw httpErrorOf(error, `Confirming ${upload.file_name}`);
      }
      if (!wire.size) throw new HttpError(409, 'conflict', `Webflow has not received the file of ${upload.file_name} yet. Send it again, or retry in a moment.`);
      const doc = indexedAssetOf({ ...wire, folderId: upload.folder_id }, { primary: wire.altText ?? '', locales: {} }, upload.md5);
      await index.addAsset(siteId, doc);
      await settleUpload(store, uploadId, 'complete');
      return doc;
    },

    async fail(siteId: string, uploadId: string): Promise<void> {
      const upload = await findUpload(store, siteId, uploadId);
      if (!upload) throw new HttpError(404, 'not_found', 'No such upload on this site.');
      if (upload.status === 'complete') throw new HttpError(409, 'conflict', 'This upload was completed; delete the asset in Webflow if you do not want it.');
      if (!(await settleUpload(store, uploadId, 'failed'))) return;
      await deleteCreated(upload.site_id, upload.asset_id, 'interactive');
    },

    /** Deletes the assets of uploads nobody confirmed before their policy expired. */
    async sweep(): Promise<number> {
      const expired = await expiredUploads(store, 50);
      for (const upload of expired) {
        if (await settleUpload(store, upload.upload_id, 'expired')) await deleteCreated(upload.site_id, upload.asset_id, 'background');
      }
      return expired.length;
    },

    /** Hashes a few hosted files whose MD5 is unknown; answers how many were hashed. */
    async hashHostedFiles(limit = 10): Promise<number> {
      const work = await assetsWithoutMd5(store, limit);
      let hashed = 0;
      for (const asset of work) {
        const md5 = await hashUrl(asset.url).catch(() => null);
        // A file that cannot be read is marked as such, so it is not fetched again and again.
        await saveMd5(store, asset.siteId, asset.id, md5);
        if (md5) hashed += 1;
      }
      return hashed;
    },

    start(intervals: { sweepMs?: number; hashMs?: number } = {}): void {
      const loop = (ms: number, work: () => Promise<unknown>) => {
        let busy = false;
        const timer = setInterval(() => {
          if (busy) return;
          busy = true;
          work()
            .catch((error: unknown) => options.onError?.(error))
            .finally(() => (busy = false));
        }, ms);
        timer.unref();
        timers.push(timer);
      };
      loop(intervals.sweepMs ?? 60_000, () => uploads.sweep());
      loop(intervals.hashMs ?? 2_000, () => uploads.hashHostedFiles());
    },

    stop(): void {
      for (const timer of timers.splice(0)) clearInterval(timer);
    },
  };

  async function deleteCreated(siteId: string, assetId: string, priority: 'interactive' | 'background'): Promise<void> {
    const token = await getSiteToken(siteId);
    if (!token) return;
    try {
      await webflow.deleteAsset(token, assetId, { priority });
    } catch (error) {
      // Already gone is what we wanted.
      if (!(error instanceof Error && 'status' in error && (error as { status: number }).status === 404)) throw error;
    }
    await index.removeAsset(siteId, assetId);
  }

  return uploads;
}

function policyExpiry(details: Record<string, string>): Date | undefined {
  const policy = Object.entries(details).find(([name]) => name.toLowerCase() === 'policy')?.[1];
  if (!policy) return undefined;
  try {
    const expiration = (JSON.parse(Buffer.from(policy, 'base64').toString('utf8')) as { expiration?: string }).expiration;
    const at = expiration ? new Date(expiration) : undefined;
    return at && Number.isFinite(at.getTime()) ? at : undefined;
  } catch {
    return undefined;
  }
}

async function hashUrl(url: string): Promise<string> {
  const response = await fetch(url, { signal: AbortSignal.timeout(20_000) });
  if (!response.ok || !response.body) throw new Error(`${response.status}`);
  const hash = createHash('md5');
  let bytes = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    bytes += chunk.byteLength;
    if (bytes > MAX_HASHED_BYTES) throw new Error('too large');
    hash.update(chunk);
  }
  return hash.digest('hex');
}
