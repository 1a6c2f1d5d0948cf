/**
 * Light checks of the backend's answers for the panel's bundle. The full zod schemas in
 * src/core/api.ts validate at the server's edge; importing them here would add zod (~26 KB
 * gzipped) to a panel that must open in a blink. So the panel checks the shape it relies on
 * (the fields it reads) and trusts the server, which is held to the schemas by its own tests.
 */
import type { ThumbnailKey } from '../../core/thumbnails.ts';
import type {
  Batch,
  Change,
  ChangesResponse,
  ErrorCode,
  Folder,
  IndexChangesResponse,
  IndexResponse,
  IndexedAsset,
  SessionResponse,
  UploadResponse,
} from '../../core/api.ts';
import type { DeletionCheck } from '../../core/deletion.ts';
import type { AssetSuggestions, SuggestionSourcesStatus } from '../../core/suggestions/sources.ts';
import type { AssetUsage, StyleUsesResponse, UsageSummary } from '../../core/usage.ts';
import type { CmsImages } from '../../core/cms-images.ts';
import type { PublishResponse, UnpublishedResponse } from '../../core/cms.ts';
import type { ReportResponse } from '../../core/report.ts';
import type { ReplacementCheck } from '../../core/replace.ts';
import { COMPACT_INDEX_FORMAT, type CompactIndex } from '../../core/compact-index.ts';

export type Parsed<T> = { success: true; data: T } | { success: false; error: { message: string } };

/** What the port needs of a schema: parse or say what is wrong. */
export interface Schema<T> {
  safeParse(input: unknown): Parsed<T>;
}

type Record_ = Record<string, unknown>;
/** Returns what is wrong, or null. */
type Check = (value: unknown) => string | null;

const isRecord = (value: unknown): value is Record_ => typeof value === 'object' && value !== null && !Array.isArray(value);

const string: Check = (value) => (typeof value === 'string' ? null : 'not a string');
const number: Check = (value) => (typeof value === 'number' && Number.isFinite(value) ? null : 'not a number');
const nullable =
  (check: Check): Check =>
  (value) =>
    value === null ? null : check(value);
const optional =
  (check: Check): Check =>
  (value) =>
    value === undefined ? null : check(value);
const altText: Check = nullable(string);
const anyRecord: Check = (value) => (isRecord(value) ? null : 'not an object');

function object(fields: Record<string, Check>): Check {
  return (value) => {
    if (!isRecord(value)) return 'not an object';
    for (const [key, check] of Object.entries(fields)) {
      const problem = check(value[key]);
      if (problem) return `${key}: ${problem}`;
    }
    return null;
  };
}

function list(check: Check): Check {
  return (value) => {
    if (!Array.isArray(value)) return 'not a list';
    for (let i = 0; i < value.length; i += 1) {
      const problem = check(value[i]);
      if (problem) return `[${i}] ${problem}`;
    }
    return null;
  };
}

function schema<T>(check: Check): Schema<T> {
  return {
    safeParse(input) {
      const problem = check(input);
      return problem ? { success: false, error: { message: problem } } : { success: true, data: input as T };
    },
  };
}

/** The part of a schema's answer under `key`. */
export function field<T>(key: string, check: Schema<unknown>): Schema<T> {
  return {
    safeParse(input) {
      if (!isRecord(input)) return { success: false, error: { message: 'not an object' } };
      const parsed = check.safeParse(input[key]);
      return parsed.success ? { success: true, data: parsed.data as T } : { success: false, error: { message: `${key}: ${parsed.error.message}` } };
    },
  };
}

const folderCheck = object({ id: string, name: string, parentId: nullable(string) });
const assetCheck = object({
  id: string,
  name: string,
  fileName: string,
  contentType: string,
  size: number,
  thumbUrl: nullable(string),
  folderId: nullable(string),
  altText,
  localeAltText: anyRecord,
});
const refreshCheck = object({ state: string, done: number });
const siteCheck = object({ id: string, locales: list(object({ id: string, displayName: string, primary: (value) => (typeof value === 'boolean' ? null : 'not a boolean') })) });
/** An element change's target: the applier writes to the element it names, so it is checked. */
const targetCheck = object({ kind: (kind) => (kind === 'element' ? null : 'not an element target'), pageId: string, elementId: string, componentId: optional(nullable(string)) });
/** A CMS change's use: "CMS images" shows the change on the use it names, so it is checked. */
const CMS_FIELD_TYPES = ['Image', 'MultiImage', 'RichText'];
const cmsFieldType: Check = (type) => (typeof type === 'string' && CMS_FIELD_TYPES.includes(type) ? null : 'not an Image, MultiImage or RichText field');
const cmsTargetCheck = object({
  kind: (kind) => (kind === 'cms' ? null : 'not a CMS target'),
  collectionId: string,
  itemId: string,
  fieldSlug: string,
  fieldType: cmsFieldType,
  position: nullable(number),
});
const changeCheck = object({
  id: string,
  batchId: string,
  assetId: string,
  field: string,
  localeId: nullable(string),
  target: optional(targetCheck),
  cmsTarget: optional(cmsTargetCheck),
  before: altText,
  after: altText,
  status: string,
});
const batchCheck = object({ id: string, changes: list(changeCheck) });

/** src/core/usage.ts's USAGE_SUMMARY_FORMAT, spelled here: importing it would bring zod (a test holds them equal). */
export const USAGE_FORMAT = 'usage-2';
const boolean: Check = (value) => (typeof value === 'boolean' ? null : 'not a boolean');
const ALT_STATES = ['inherited', 'overridden', 'decorative', 'missing'];
const USAGE_COLUMNS = ['pages', 'components', 'items', 'links', 'styles', 'missing'] as const;
const USAGE_SOURCES = ['pages', 'components', 'cms', 'styles'];
const sourcesCheck = object({
  read: list(object({ source: (source) => (USAGE_SOURCES.includes(source as string) ? null : 'not a usage source'), readAt: nullable(string) })),
  notSeen: list(string),
});
const useCoverageFields = { uses: number, withAlt: number, decorative: number, missing: number, review: number };
/** The report's tables read every count; names and ids are shown as text. */
const reportCheck: Check = object({
  usageBuilt: boolean,
  places: list(object({ ...useCoverageFields, kind: (kind) => (kind === 'page' || kind === 'collection' ? null : 'not a place kind'), id: string, name: string, localeId: nullable(string), assets: number })),
  visitors: list(object({ ...useCoverageFields, localeId: nullable(string) })),
  days: list(object({ day: string, localeId: string, fixed: number, emptied: number, changes: number })),
  people: list(object({ day: string, userId: string, you: boolean, changes: number })),
  stretch: nullable(object({ startedAt: string, endedAt: string, changes: number, fixedImages: number, assets: number })),
});

const usageSummaryCheck: Check = (value) => {
  const problem = object({
    format: (format) => (format === USAGE_FORMAT ? null : `not the ${USAGE_FORMAT} layout`),
    crawl: object({
      state: (state) => (state === 'idle' || state === 'running' || state === 'failed' || state === 'needs_scopes' ? null : 'not a crawl state'),
      done: number,
      total: nullable(number),
      error: nullable(string),
      missingScopes: list(string),
      built: boolean,
    }),
    sources: sourcesCheck,
    columns: object({
      assetId: list(string),
      pages: list(number),
      components: list(number),
      items: list(number),
      links: list(number),
      styles: list(number),
      missing: list(number),
    }),
  })(value);
  if (problem) return problem;
  // Row i of every column is one asset: columns of other lengths would pin counts on the wrong asset.
  const columns = (value as { columns: Record<string, unknown[]> }).columns;
  const rows = columns.assetId?.length ?? 0;
  const short = USAGE_COLUMNS.find((name) => columns[name]?.length !== rows);
  return short ? `columns: ${short} has ${columns[short]?.length} rows, assetId ${rows}` : null;
};

/** src/core/cms-images.ts's CMS_IMAGES_FORMAT, spelled here for the same reason (a test holds them equal). */
export const CMS_IMAGES_FORMAT = 'cms-images-1';
const CMS_IMAGES_COLUMNS = ['collection', 'itemId', 'itemName', 'fieldSlug', 'fieldType', 'position', 'localeId', 'assetId', 'altState', 'altText'] as const;
const cmsImagesCheck: Check = (value) => {
  const problem = object({
    format: (format) => (format === CMS_IMAGES_FORMAT ? null : `not the ${CMS_IMAGES_FORMAT} layout`),
    crawl: object({ state: string, built: boolean, error: nullable(string) }),
    collections: list(object({ id: string, name: string })),
    columns: object({
      collection: list(number),
      itemId: list(string),
      itemName: list(string),
      fieldSlug: list(string),
      fieldType: list(cmsFieldType),
      position: list(nullable(number)),
      localeId: list(nullable(string)),
      assetId: list(string),
      altState: list((state) => (typeof state === 'string' && ALT_STATES.includes(state) ? null : 'not an alt state')),
      altText: list(nullable(string)),
    }),
  })(value);
  if (problem) return problem;
  // Row i of every column is one use: columns of other lengths would put an alt text on the wrong image.
  const { columns, collections } = value as { columns: Record<string, unknown[]>; collections: unknown[] };
  const rows = columns.itemId?.length ?? 0;
  const short = CMS_IMAGES_COLUMNS.find((name) => columns[name]?.length !== rows);
  if (short) return `columns: ${short} has ${columns[short]?.length} rows, itemId ${rows}`;
  const stray = (columns.collection as number[]).findIndex((index) => index < 0 || index >= collections.length || !Number.isInteger(index));
  return stray >= 0 ? `columns: collection [${stray}] names no collection` : null;
};

const SUGGESTION_SOURCES = new Set(['metadata', 'ocr', 'usage', 'file-name', 'vision']);
const suggestionCheck = object({
  text: string,
  source: (source) => (typeof source === 'string' && SUGGESTION_SOURCES.has(source) ? null : 'not a suggestion source'),
  confidence: number,
  localeId: optional(string),
  detail: optional(string),
});
const USE_KINDS = ['page', 'component', 'cms-image', 'rich-text'];
const REFERENCE_KINDS = ['link', 'style'];
const useCheck = object({
  where: object({ kind: (kind) => (typeof kind === 'string' && USE_KINDS.includes(kind) ? null : 'not a kind of use') }),
  localeId: nullable(string),
  altState: (state) => (typeof state === 'string' && ALT_STATES.includes(state) ? null : 'not an alt state'),
  altText: nullable(string),
});
const referenceCheck = object({
  where: object({ kind: (kind) => (typeof kind === 'string' && REFERENCE_KINDS.includes(kind) ? null : 'not a kind of reference') }),
  localeId: nullable(string),
});

const HELD_BACK = ['in_use', 'recently_uploaded', 'recently_used', 'not_indexed', 'pending'];
/** What the delete confirmation shows: every list it reads, and the reasons it words. */
const deletionCheckCheck = object({
  ready: boolean,
  notReady: list(string),
  crawlFinishedAt: nullable(string),
  freshMinutes: number,
  graceDays: number,
  keepDays: number,
  sources: sourcesCheck,
  deletable: list(object({ assetId: string, name: string, size: number })),
  heldBack: list(
    object({
      assetId: string,
      name: string,
      reason: (reason) => (typeof reason === 'string' && HELD_BACK.includes(reason) ? null : 'not a reason to hold back'),
      detail: string,
      uses: optional(list(useCheck)),
      references: optional(list(referenceCheck)),
    }),
  ),
});

const useSuggestionsCheck = object({
  where: object({ kind: (kind) => (typeof kind === 'string' && USE_KINDS.includes(kind) ? null : 'not a kind of use') }),
  localeId: nullable(string),
  suggestions: list(suggestionCheck),
});
/** Staged vs live (src/core/cms.ts): the view names each waiting item and offers to publish it by these fields. */
const unpublishedItemCheck = object({ collectionId: string, itemId: string, localeId: nullable(string), name: string, isDraft: boolean, onlyOurs: boolean, changeIds: list(string) });
const publishOutcomeCheck = object({ itemId: string, localeId: nullable(string), reason: string });

export const wire = {
  cmsUnpublished: schema<UnpublishedResponse>(object({ items: list(unpublishedItemCheck) })),
  cmsPublish: schema<PublishResponse>(
    object({ published: list(object({ itemId: string, localeId: nullable(string) })), refused: list(publishOutcomeCheck), failed: list(publishOutcomeCheck) }),
  ),
  deletionCheck: schema<DeletionCheck>(deletionCheckCheck),
  assetSuggestions: schema<AssetSuggestions>(object({ assetId: string, suggestions: list(suggestionCheck), uses: list(useSuggestionsCheck), unread: list(string), pending: list(string) })),
  suggestionSources: schema<SuggestionSourcesStatus>(
    object({
      ocr: object({ active: boolean, languages: list(string), notRead: list(object({ localeId: string, tag: string })) }),
      usage: object({ active: boolean }),
      vision: (value) => (isRecord(value) && value.active === true ? object({ model: string, host: string, requestsToday: number, dailyCap: number, pausedUntil: nullable(string) })(value) : object({ active: boolean })(value)),
    }),
  ),
  thumbnailKey: schema<ThumbnailKey>(object({ key: string, expiresAt: string })),
  usageSummary: schema<UsageSummary>(usageSummaryCheck),
  cmsImages: schema<CmsImages>(cmsImagesCheck),
  report: schema<ReportResponse>(reportCheck),
  styleUses: schema<StyleUsesResponse>(object({ stored: number, unmatched: number, sources: sourcesCheck })),
  /** Each use's place fields are read by kind where shown; the kinds and states are checked here. */
  assetUsage: schema<AssetUsage>(object({ assetId: string, uses: list(useCheck), references: list(referenceCheck), crawl: object({ state: string, built: boolean }) })),
  apiError: schema<{ error: { code: ErrorCode; message: string; details?: unknown } }>(object({ error: object({ code: string, message: string }) })),
  session: schema<SessionResponse>(object({ sessionToken: string, expiresAt: string, siteId: string, user: object({ id: string }) })),
  index: schema<IndexResponse>(
    object({
      version: number,
      epoch: string,
      site: siteCheck,
      folders: list(folderCheck),
      assets: list(assetCheck),
      refresh: refreshCheck,
    }),
  ),
  /** The columns' presence and lengths are checked by the decoder; here the layout and the index's frame. */
  compactIndex: schema<CompactIndex>(
    object({
      format: (value) => (value === COMPACT_INDEX_FORMAT ? null : `not the ${COMPACT_INDEX_FORMAT} layout`),
      version: number,
      epoch: string,
      site: siteCheck,
      folders: list(folderCheck),
      contentTypes: list(string),
      folderIds: list(string),
      localeAltText: list(object({ locale: string, at: list(number), text: list(altText) })),
      columns: object({ id: list(string), fileName: list(string), contentType: list(number), size: list(number) }),
      refresh: refreshCheck,
    }),
  ),
  indexChanges: schema<IndexChangesResponse>(
    object({ version: number, epoch: string, site: siteCheck, assets: list(assetCheck), removedAssetIds: list(string), folders: list(folderCheck), refresh: refreshCheck }),
  ),
  batch: schema<{ batch: Batch }>(object({ batch: batchCheck })),
  changes: schema<ChangesResponse>(object({ changes: list(changeCheck), counts: anyRecord })),
  changeList: schema<{ changes: Change[] }>(object({ changes: list(changeCheck) })),
  lease: schema<{ changes: Change[]; leaseExpiresAt: string | null }>(object({ changes: list(changeCheck), leaseExpiresAt: nullable(string) })),
  released: schema<{ released: number }>(object({ released: number })),
  change: schema<{ change: Change }>(object({ change: changeCheck })),
  folder: schema<{ folder: Folder }>(object({ folder: folderCheck })),
  folders: schema<{ folders: Folder[] }>(object({ folders: list(folderCheck) })),
  upload: schema<UploadResponse>((value) => {
    if (!isRecord(value)) return 'not an object';
    if (value.status === 'created') {
      return object({ upload: object({ id: string, assetId: string, uploadUrl: string, uploadDetails: anyRecord, expiresAt: optional(string) }) })(value);
    }
    if (value.status === 'duplicate') return object({ existing: assetCheck })(value);
    return 'status: neither created nor duplicate';
  }),
  asset: schema<{ asset: IndexedAsset }>(object({ asset: assetCheck })),
  replacementCheck: schema<ReplacementCheck>(
    object({
      state: (state) => (state === 'ready' || state === 'applied' || state === 'conflict' ? null : 'not a replacement state'),
      current: string,
      fileName: string,
      contentType: string,
      size: number,
      md5: string,
    }),
  ),
};
