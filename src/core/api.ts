/**
 * The companion backend's HTTP API: the one contract between the panel and the server.
 * Requests are validated with these schemas at the server's edge; the panel's backend port
 * uses the inferred types. Every route below `/api/sites/{siteId}` needs a session of that site
 * (`Authorization: Bearer <sessionToken>`).
 */
import { z } from 'zod';
import { textProblem } from './text.ts';

// ---------------------------------------------------------------------------------- text

/** NUL and lone surrogates: the rules live in text.ts so the panel can use them without zod. */
export { textProblem, wellFormed } from './text.ts';

/**
 * The one rule for text that a client sends: at most `max` UTF-16 code units, no NUL, no lone
 * surrogate. Every string field of every request schema below is one of these, an {@link id},
 * or a {@link webflowValue}.
 */
export function text(max: number) {
  return z
    .string()
    .max(max, `must be at most ${max} characters`)
    .superRefine((value, ctx) => {
      const problem = textProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });
}

/**
 * A value the client read from Webflow, or text that quotes one (a change's `before`, a
 * conflict's `current`, the error an applier met, a batch's label, an upload's failure reason): Webflow may hold NUL or a lone surrogate (names, alt text set through
 * its API), and refusing it would leave the user no way to change that value. Bounded; the
 * store keeps it byte for byte (src/server/store/text.ts).
 */
export function webflowValue(max: number) {
  return z.string().max(max, `must be at most ${max} characters`);
}

const id = z.string().min(1, 'must not be empty').max(64, 'must be at most 64 characters').regex(/^[A-Za-z0-9_-]+$/, 'must be an id (letters, digits, _ and -)');

/** A path or body id (assets, folders, changes, batches, uploads, sites, locales). */
export const idSchema = id;

// ---------------------------------------------------------------------------------- errors

export const errorCodes = [
  'bad_request',
  'validation_error',
  'unauthorized',
  'forbidden',
  'not_found',
  'not_installed',
  'conflict',
  'duplicate',
  'payload_too_large',
  'unsupported_media_type',
  'rate_limited',
  'webflow_error',
  'internal_error',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

/** The one JSON error shape of every non-2xx answer. */
export const apiError = z.object({
  error: z.object({
    code: z.enum(errorCodes),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});
export type ApiError = z.infer<typeof apiError>;

// ---------------------------------------------------------------------------------- session

/** POST /api/session */
export const sessionRequest = z.object({
  idToken: text(4096).pipe(z.string().min(10, 'must be at least 10 characters')),
  siteId: id,
});
export type SessionRequest = z.infer<typeof sessionRequest>;

export const sessionUser = z.object({
  id: z.string(),
  email: z.string(),
  firstName: z.string(),
  lastName: z.string(),
});
export type SessionUser = z.infer<typeof sessionUser>;

export const sessionResponse = z.object({
  sessionToken: z.string(),
  /** ISO time; the panel renews a few minutes before. */
  expiresAt: z.string(),
  siteId: z.string(),
  user: sessionUser,
});
export type SessionResponse = z.infer<typeof sessionResponse>;

/**
 * 409 `not_installed` carries where to send the user: the panel opens `installUrl` in a popup
 * and waits for a `postMessage` of `{type: 'asset-desk:installed', siteId}` from the backend's origin.
 */
export const notInstalledDetails = z.object({ installUrl: z.string() });
export const INSTALLED_MESSAGE = 'asset-desk:installed';

// ---------------------------------------------------------------------------------- index

/** Alt text: a string is text (the empty string means none yet); null means decorative. */
export const altText = z.string().max(2000).nullable();
export type AltText = z.infer<typeof altText>;

export const locale = z.object({
  id: z.string(),
  displayName: z.string(),
  tag: z.string(),
  primary: z.boolean(),
});
export type Locale = z.infer<typeof locale>;

export const folder = z.object({
  id: z.string(),
  name: z.string(),
  parentId: z.string().nullable(),
});
export type Folder = z.infer<typeof folder>;

export const indexedAsset = z.object({
  id: z.string(),
  /** Webflow's displayName. */
  name: z.string(),
  /** Webflow's originalFileName. */
  fileName: z.string(),
  contentType: z.string(),
  size: z.number(),
  /** hostedUrl */
  url: z.string(),
  /** The smallest image variant's URL, or the hosted URL of an image without variants; null for documents. */
  thumbUrl: z.string().nullable(),
  folderId: z.string().nullable(),
  createdOn: z.string(),
  lastUpdated: z.string(),
  /** Primary locale alt text. */
  altText,
  /** Secondary locales' own alt text where known; a missing key falls back to the primary. */
  localeAltText: z.record(z.string(), altText),
  /** MD5 of the file when known (uploaded through Asset Desk or hashed in the background). */
  md5: z.string().nullable(),
});
export type IndexedAsset = z.infer<typeof indexedAsset>;

export const refreshState = z.object({
  state: z.enum(['idle', 'running', 'failed']),
  /** Assets read so far in the running refresh (or the last one). */
  done: z.number(),
  /** Total reported by Webflow, when known. */
  total: z.number().nullable(),
  finishedAt: z.string().nullable(),
  error: z.string().nullable(),
  /**
   * Assets and folders the last refresh read from Webflow but could not index, by name: the
   * rest of the index is current; these are missing from it until Webflow's value changes.
   */
  skipped: z.array(z.object({ kind: z.enum(['asset', 'folder']), id: z.string(), name: z.string() })).optional(),
});
export type RefreshState = z.infer<typeof refreshState>;

export const siteSummary = z.object({
  id: z.string(),
  displayName: z.string(),
  locales: z.array(locale),
});
export type SiteSummary = z.infer<typeof siteSummary>;

/** GET /api/sites/{siteId}/index: the whole index at once (gzip on the wire). */
export const indexResponse = z.object({
  /** Monotonic per site; pass it to /index/changes. */
  version: z.number(),
  /** Which store the version counts in: a store made anew counts from 0 again with another epoch. */
  epoch: z.string(),
  site: siteSummary,
  folders: z.array(folder),
  assets: z.array(indexedAsset),
  refresh: refreshState,
});
export type IndexResponse = z.infer<typeof indexResponse>;

/** GET /api/sites/{siteId}/index/changes?since={version} */
export const indexChangesResponse = z.object({
  version: z.number(),
  /** Not the epoch of the version asked about: that version was another store's; read the whole index. */
  epoch: z.string(),
  /** The site's name and locales now. */
  site: siteSummary,
  assets: z.array(indexedAsset),
  removedAssetIds: z.array(z.string()),
  folders: z.array(folder),
  refresh: refreshState,
});
export type IndexChangesResponse = z.infer<typeof indexChangesResponse>;

// ---------------------------------------------------------------------------------- journal

/**
 * `deletion`: the asset itself, kept (`'kept'`) or deleted (`'deleted'`); recorded only through
 * `POST …/deletions` and applied by the server applier alone (docs/decisions/asset-deletion.md).
 * `file`: the asset's file, by MD5 (before → after); recorded only through `POST …/replacements`
 * and applied by the panel's Designer applier alone (docs/decisions/replace-file.md).
 */
export const changeField = z.enum(['altText', 'displayName', 'folder', 'deletion', 'file']);
export type ChangeField = z.infer<typeof changeField>;

export const changeStatus = z.enum(['pending', 'leased', 'applied', 'conflict', 'failed', 'discarded']);
export type ChangeStatus = z.infer<typeof changeStatus>;

/**
 * A page's Image element whose own alt text a change sets (docs/decisions/element-changes.md):
 * `elementId` is the element's node id (the Designer's `id.element`, the Data API DOM's node id),
 * `componentId` the Designer's `id.component` when known. Only the panel's Designer applier
 * applies such changes, and only while their page is open in the Designer.
 */
export const elementTarget = z.object({
  kind: z.literal('element'),
  pageId: id,
  elementId: id,
  componentId: id.nullable().optional(),
});
export type ElementTarget = z.infer<typeof elementTarget>;

/**
 * One image use in a CMS item whose alt text a change sets (docs/decisions/cms-changes.md): the
 * item's Image field, one image of its MultiImage field (`position`: its index in the array), or
 * one `<img>` of its Rich Text field (`position`: the n-th `<img>` of the HTML, 0-based), as the
 * usage index lists them (`cms-image` and `rich-text` uses of src/core/usage.ts). The change's
 * `assetId` is the asset shown there, and its `localeId` the site locale (null: the primary), which
 * the backend maps to the item's `cmsLocaleId`. Applied by the server applier only.
 */
export const cmsTarget = z.object({
  kind: z.literal('cms'),
  collectionId: id,
  itemId: id,
  fieldSlug: id,
  fieldType: z.enum(['Image', 'MultiImage', 'RichText']),
  position: z.number().int().min(0).max(10_000).nullable(),
});
export type CmsTarget = z.infer<typeof cmsTarget>;

/** What a change changes: the asset (the default), a page element showing it, or a CMS image use of it. */
export const changeTarget = z.discriminatedUnion('kind', [z.object({ kind: z.literal('asset') }), elementTarget, cmsTarget]);
export type ChangeTarget = z.infer<typeof changeTarget>;

/**
 * One change as the panel proposes it. `localeId` only for altText (null or absent = primary).
 * For `folder`, values are folder ids (null = the root). For `displayName`, non-empty strings.
 * With an element `target`, the field is `altText` in the primary locale, `assetId` is the asset
 * the element shows, and null means "the element uses the asset's alt text" ('' is an empty
 * override). With a CMS `target`, the field is `altText`, `localeId` the site locale of the item's
 * content, and null means "no alt" (an Image field's `alt: null`, a Rich Text `<img>` without an
 * alt attribute; docs/decisions/cms-changes.md).
 */
export const changeInput = z.object({
  assetId: id,
  field: changeField,
  localeId: id.nullable().optional(),
  /** Absent: the asset (what clients before element changes send). */
  target: changeTarget.optional(),
  /** What the panel read from Webflow: compared with Webflow's value, whatever it holds. */
  before: webflowValue(2000).nullable(),
  after: text(2000).nullable(),
});
export type ChangeInput = z.infer<typeof changeInput>;

/** POST /api/sites/{siteId}/changes */
export const recordBatchRequest = z.object({
  changes: z.array(changeInput).min(1).max(5000),
  /** Shown in history, e.g. "Apply suggestions to 12 images". */
  /** It quotes names from Webflow ("Move 3 assets to Logos"), which may hold anything. */
  label: webflowValue(200).optional(),
});
export type RecordBatchRequest = z.infer<typeof recordBatchRequest>;

export const change = z.object({
  id: z.string(),
  batchId: z.string(),
  assetId: z.string(),
  field: changeField,
  localeId: z.string().nullable(),
  /** Present for a change of a page element; absent for a change of the asset itself or of a CMS image use. */
  target: z.object({ kind: z.literal('element'), pageId: z.string(), elementId: z.string(), componentId: z.string().nullable() }).optional(),
  /**
   * Present for a change of a CMS image use (docs/decisions/cms-changes.md). Apart from `target`
   * so that a reader of element changes (`target` present means a page element) never takes a
   * CMS change for one.
   */
  cmsTarget: z
    .object({
      kind: z.literal('cms'),
      collectionId: z.string(),
      itemId: z.string(),
      fieldSlug: z.string(),
      fieldType: z.enum(['Image', 'MultiImage', 'RichText']),
      position: z.number().nullable(),
    })
    .optional(),
  before: altText,
  after: altText,
  status: changeStatus,
  /** Webflow's value when the change conflicted. */
  current: altText.optional(),
  error: z.string().nullable(),
  userId: z.string(),
  createdAt: z.string(),
  appliedAt: z.string().nullable(),
  appliedBy: z.enum(['designer', 'server']).nullable(),
});
export type Change = z.infer<typeof change>;

export const batch = z.object({
  id: z.string(),
  label: z.string().nullable(),
  userId: z.string(),
  createdAt: z.string(),
  /** The batch this one undoes, if it is an undo. */
  undoOf: z.string().nullable(),
  changes: z.array(change),
});
export type Batch = z.infer<typeof batch>;

/** Answer of record and undo: 201. */
export const batchResponse = z.object({ batch });

/** GET /api/sites/{siteId}/changes?status=pending,conflict&limit= : the journal's open work. */
export const changesResponse = z.object({
  changes: z.array(change),
  counts: z.record(changeStatus, z.number()),
});
export type ChangesResponse = z.infer<typeof changesResponse>;

/** The most changes one lease request may ask for. */
export const MAX_LEASE_LIMIT = 2000;

/** POST /api/sites/{siteId}/changes/lease : the Designer applier asks for work. */
const applierId = text(64).pipe(z.string().min(8, 'must be at least 8 characters'));

export const leaseRequest = z.object({
  applierId,
  /** Renewing what the applier holds counts in it: an applier holding 500 asks for 1,000 to get more. */
  limit: z.number().int().min(1).max(MAX_LEASE_LIMIT).default(100),
  /** Lease length; renew by leasing again before it ends. */
  seconds: z.number().int().min(5).max(300).default(30),
  /**
   * When there is no work: how long the backend may hold the request open until some arrives
   * (a long poll), so a batch journaled elsewhere (another panel, an import) is applied at once.
   */
  waitSeconds: z.number().int().min(0).max(25).default(0),
  /**
   * The page open in the Designer: element changes of this page are leased too (the Designer can
   * set an element's alt text only on the open page). Absent or null: asset changes only.
   */
  pageId: id.nullable().optional(),
});
export const leaseResponse = z.object({
  changes: z.array(change),
  leaseExpiresAt: z.string().nullable(),
});

/**
 * POST /api/sites/{siteId}/changes/release : the applier is going away (the panel closes) and gives
 * back what it holds, outcome unknown: the next applier reads Webflow's value before writing.
 */
export const releaseRequest = z.object({ applierId });
export const releaseResponse = z.object({ released: z.number().int().min(0) });

/** POST /api/sites/{siteId}/changes/ack : the outcome of leased changes. */
export const ackRequest = z.object({
  applierId,
  results: z
    .array(
      z.object({
        changeId: id,
        outcome: z.enum(['applied', 'conflict', 'failed']),
        /** Webflow's value when the outcome is a conflict. */
        current: webflowValue(2000).nullable().optional(),
        /**
         * What the Designer or Webflow said: it may quote a name holding anything, or be cut at
         * 2,000 characters mid-pair, and refusing it would leave the change leased for nothing.
         */
        error: webflowValue(2000).optional(),
      }),
    )
    .min(1)
    .max(500),
});
export const ackResponse = z.object({ changes: z.array(change) });

/** POST /api/sites/{siteId}/changes/{changeId}/resolve : settle a conflict. */
export const resolveRequest = z.object({
  /** `mine` journals the change again over Webflow's current value; `theirs` discards it. */
  keep: z.enum(['mine', 'theirs']),
});

// POST /api/sites/{siteId}/changes/{changeId}/retry → { change }
// POST /api/sites/{siteId}/batches/{batchId}/undo → 201 batchResponse
// GET  /api/sites/{siteId}/assets/{assetId}/history → { changes: Change[] }, newest first

// ---------------------------------------------------------------------------------- uploads

/** POST /api/sites/{siteId}/uploads */
export const uploadRequest = z.object({
  fileName: text(255).pipe(z.string().min(1, 'must not be empty')),
  fileHash: z.string().regex(/^[a-f0-9]{32}$/, 'must be an MD5 hex digest'),
  size: z.number().int().min(1),
  contentType: text(255).pipe(z.string().min(1, 'must not be empty')),
  folderId: id.nullable().optional(),
  /** Create the asset even when the site already has this file. */
  allowDuplicate: z.boolean().optional(),
});
export type UploadRequest = z.infer<typeof uploadRequest>;

export const uploadTicket = z.object({
  id: z.string(),
  assetId: z.string(),
  uploadUrl: z.string(),
  /** Form fields with Webflow's wire names, to send first and in this order, `file` last. */
  uploadDetails: z.record(z.string(), z.string()),
  expiresAt: z.string(),
});
export type UploadTicket = z.infer<typeof uploadTicket>;

export const uploadResponse = z.discriminatedUnion('status', [
  z.object({ status: z.literal('created'), upload: uploadTicket }),
  z.object({ status: z.literal('duplicate'), existing: indexedAsset }),
]);
export type UploadResponse = z.infer<typeof uploadResponse>;

/** POST /api/sites/{siteId}/uploads/{uploadId}/complete */
export const completeUploadRequest = z.object({ altText: text(2000).nullable().optional() });
export const completeUploadResponse = z.object({ asset: indexedAsset });

/** POST /api/sites/{siteId}/uploads/{uploadId}/fail */
/** `reason`: what the browser or S3 said, which may quote the file's name. */
export const failUploadRequest = z.object({ reason: webflowValue(2000) });

// ---------------------------------------------------------------------------------- folders

/** GET /api/sites/{siteId}/folders → { folders } ; POST creates one → 201 { folder } */
export const createFolderRequest = z.object({
  name: z.string().trim().min(1, 'must not be empty').pipe(text(100)),
  parentId: id.nullable().optional(),
});
export const folderResponse = z.object({ folder });
