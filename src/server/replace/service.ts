/**
 * Replacing an asset's file (docs/decisions/replace-file.md). Recording one checks the new file
 * (Webflow's limits, its MD5, the same kind as the asset's), reads the asset's file now from
 * Webflow's CDN (its MD5 is the change's `before`, its bytes what an undo sets back), keeps both
 * files and journals the change, in one transaction. The Designer applier asks, just before it
 * calls `setFile`, whether the asset still has the `before` file, and fetches the bytes to set;
 * once applied, the asset index takes the new file from the Data API.
 */
import { createHash } from 'node:crypto';
import type { Batch, Change } from '../../core/api.ts';
import { MAX_BYTES, contentTypeOf, kindOf } from '../../core/limits.ts';
import { REPLACEMENT_KEEP_DAYS, replacementProblem, type ReplacementCheck } from '../../core/replace.ts';
import { HttpError } from '../errors.ts';
import type { AssetIndex } from '../services/asset-index.ts';
import { thumbUrlOf } from '../services/asset-index-wire.ts';
import type { Fetch } from '../services/hosted-hashes.ts';
import type { Journal } from '../services/journal.ts';
import { readAssetsById } from '../store/asset-index.ts';
import type { Store } from '../store/db.ts';
import { findChange, insertBatch } from '../store/journal.ts';
import { findFile, hasOpenReplacement, keepFile, purgeExpiredFiles, type ReplacedFile } from '../store/replacements.ts';
import { HostedFileError, readHostedFile } from '../suggestions/hosted-file.ts';
import { WebflowError, type WebflowClient, type WireAsset } from '../webflow/types.ts';

export interface ReplacementsOptions {
  store: Store;
  webflow: Pick<WebflowClient, 'getAsset'>;
  index: Pick<AssetIndex, 'addAsset'>;
  journal: Pick<Journal, 'onApplied'>;
  getSiteToken(siteId: string): Promise<string | undefined>;
  fetch: Fetch;
  /** Against the sandbox its CDN is on loopback. */
  allowLoopback: boolean;
  onError?: (error: unknown, siteId: string) => void;
}

/** The new file as the panel sends it: its bytes, its name, the MD5 it computed. */
export interface NewFile {
  assetId: string;
  fileName: string;
  md5: string;
  bytes: Uint8Array;
}

export type Replacements = ReturnType<typeof createReplacements>;

const waitingReplacement = () =>
  new HttpError(409, 'conflict', 'A replacement of this asset’s file is still waiting to be applied; wait for it (or undo it) before replacing the file again.');

export function createReplacements(options: ReplacementsOptions) {
  const { store, webflow, getSiteToken } = options;
  const onError = options.onError ?? (() => {});

  async function tokenOf(siteId: string): Promise<string> {
    const token = await getSiteToken(siteId);
    if (!token) throw new HttpError(409, 'not_installed', 'Asset Desk is not installed on this site any more; install it again.');
    return token;
  }

  async function readAsset(siteId: string, assetId: string): Promise<WireAsset> {
    try {
      const wire = await webflow.getAsset(await tokenOf(siteId), assetId, { priority: 'interactive' });
      if (wire.siteId && wire.siteId !== siteId) throw new HttpError(404, 'not_found', `No asset ${assetId} on this site`);
      return wire;
    } catch (error) {
      if (error instanceof WebflowError && error.status === 404) throw new HttpError(404, 'not_found', `No asset ${assetId} on this site; it may have been deleted.`);
      throw error;
    }
  }

  /** The file the asset has now on Webflow's CDN, read whole (at most Webflow's limit for its kind). */
  async function readCurrent(wire: WireAsset): Promise<{ bytes: Uint8Array; md5: string }> {
    try {
      return await readHostedFile(options.fetch, wire.hostedUrl, options.allowLoopback, MAX_BYTES[kindOf(wire.originalFileName) ?? 'document']);
    } catch (error) {
      if (error instanceof HostedFileError) throw new HttpError(502, 'webflow_error', `The asset's file could not be read from Webflow's CDN (${error.message}); nothing was replaced. Try again.`, { cause: error });
      throw error;
    }
  }

  async function fileChange(siteId: string, changeId: string): Promise<Change> {
    const change = await findChange(store, siteId, changeId);
    if (!change || change.field !== 'file') throw new HttpError(404, 'not_found', `No file replacement ${changeId} on this site`);
    return change;
  }

  async function fileOf(siteId: string, change: Change): Promise<ReplacedFile> {
    const file = change.after ? await findFile(store, siteId, change.assetId, change.after) : undefined;
    if (!file) throw new HttpError(404, 'not_found', `The file of replacement ${change.id} is no longer kept (files are kept ${REPLACEMENT_KEEP_DAYS} days); replace the file again.`);
    return file;
  }

  /** After a replacement was applied: the index takes the asset's new file (URL, size, type) and its MD5. */
  async function reindex(siteId: string, change: Change): Promise<void> {
    const token = await getSiteToken(siteId);
    if (!token || !change.after) return;
    const [wire, stored] = await Promise.all([
      webflow.getAsset(token, change.assetId, { priority: 'background' }),
      readAssetsById(store, siteId, [change.assetId]),
    ]);
    const doc = stored.get(change.assetId)?.doc;
    if (!doc) return; // not indexed yet: the next refresh brings it
    await options.index.addAsset(siteId, {
      ...doc,
      fileName: wire.originalFileName,
      contentType: wire.contentType,
      size: wire.size,
      url: wire.hostedUrl,
      thumbUrl: thumbUrlOf(wire),
      lastUpdated: wire.lastUpdated,
      md5: change.after,
    });
  }

  options.journal.onApplied((siteId, changes) => {
    for (const change of changes) {
      if (change.field === 'file') reindex(siteId, change).catch((error: unknown) => onError(error, siteId));
    }
  });

  return {
    /** Journals the replacement of an asset's file (one batch, one change); refused with why. */
    async record(siteId: string, userId: string, file: NewFile): Promise<Batch> {
      const md5 = createHash('md5').update(file.bytes).digest('hex');
      if (md5 !== file.md5) {
        throw new HttpError(400, 'validation_error', `${file.fileName} arrived with MD5 ${md5}, not the ${file.md5} sent: it changed or arrived incomplete. Drop it again.`);
      }
      if (await hasOpenReplacement(store, siteId, file.assetId)) throw waitingReplacement();
      const wire = await readAsset(siteId, file.assetId);
      const early = replacementProblem({ fileName: wire.originalFileName, md5: null }, { name: file.fileName, size: file.bytes.byteLength });
      if (early) throw new HttpError(early.code === 'too_large' ? 413 : 400, early.code === 'too_large' ? 'payload_too_large' : 'validation_error', early.message);
      const current = await readCurrent(wire);
      const problem = replacementProblem({ fileName: wire.originalFileName, md5: current.md5 }, { name: file.fileName, size: file.bytes.byteLength, md5 });
      if (problem) throw new HttpError(409, 'duplicate', problem.message);
      const expiresAt = new Date(Date.now() + REPLACEMENT_KEEP_DAYS * 86_400_000);
      await purgeExpiredFiles(store).catch((error: unknown) => onError(error, siteId));
      return store.transaction(async (tx) => {
        // Two replacements of one asset sent at once both passed the check above: the second to
        // take this lock finds the first's change and is refused, so at most one is ever open.
        await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`replace-file\n${siteId}\n${file.assetId}`]);
        if (await hasOpenReplacement(tx, siteId, file.assetId)) throw waitingReplacement();
        await keepFile(tx, { siteId, assetId: file.assetId, md5: current.md5, fileName: wire.originalFileName, contentType: wire.contentType, bytes: current.bytes, expiresAt });
        await keepFile(tx, { siteId, assetId: file.assetId, md5, fileName: file.fileName, contentType: contentTypeOf(file.fileName), bytes: file.bytes, expiresAt });
        return insertBatch(tx, {
          siteId,
          userId,
          label: `Replace the file of ${wire.displayName || wire.originalFileName} with ${file.fileName}`.slice(0, 200),
          undoOf: null,
          changes: [{ assetId: file.assetId, field: 'file', localeId: null, before: current.md5, after: md5 }],
        });
      });
    },

    /**
     * Whether the Designer applier may set the file now: the asset has the `before` file
     * (`ready`), the `after` one already (`applied`: an earlier try got through), or another
     * (`conflict`: changed meanwhile, never overwritten).
     */
    async check(siteId: string, changeId: string): Promise<ReplacementCheck> {
      const change = await fileChange(siteId, changeId);
      const file = await fileOf(siteId, change);
      const current = await readCurrent(await readAsset(siteId, change.assetId));
      const state = current.md5 === change.before ? 'ready' : current.md5 === change.after ? 'applied' : 'conflict';
      return { state, current: current.md5, fileName: file.fileName, contentType: file.contentType, size: file.bytes.byteLength, md5: file.md5 };
    },

    /** The bytes the change sets (its `after` file). */
    async file(siteId: string, changeId: string): Promise<ReplacedFile> {
      return fileOf(siteId, await fileChange(siteId, changeId));
    },
  };
}
