/**
 * The CMS in the world: collections, their items per CMS locale, and the staged changes a PATCH
 * makes. A change is checked whole before anything is written (a bulk PATCH with one bad item
 * changes nothing), against each field's type, as Webflow checks `fieldData`.
 */
import { textProblem } from '../../core/api.ts';
import type { FieldValue, ImageValue, SeedField, SeedLocale } from '../seed/types.ts';
import { WorldError } from './errors.ts';
import type { SiteContentState, WorldCollection, WorldItem } from './content-state.ts';

/** Webflow's limits: a bulk update takes at most 100 items; a MultiImage field holds at most 25 images. */
export const MAX_ITEMS_PER_UPDATE = 100;
export const MAX_GALLERY_IMAGES = 25;
/** Webflow's PlainText fields hold at most 256 characters unless the field says otherwise. */
const MAX_PLAIN_TEXT = 256;
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const OBJECT_ID = /^[a-f0-9]{24}$/;

export interface CmsWorldDeps {
  site(siteId: string): { locales: { primary: SeedLocale; secondary: SeedLocale[] } };
  /** An asset of the site, or a not_found WorldError. */
  asset(siteId: string, assetId: string): { id: string; contentType: string };
  changed(): void;
}

/** One item of a publish request, in these CMS locales (none named: the primary). */
export interface ItemPublish {
  id: string;
  cmsLocaleIds?: string[] | undefined;
}

export interface ItemChange {
  id: string;
  cmsLocaleId?: string | undefined;
  isDraft?: boolean | undefined;
  isArchived?: boolean | undefined;
  fieldData?: Record<string, unknown> | undefined;
}

export function createCms(state: SiteContentState, deps: CmsWorldDeps) {
  const collections = new Map(state.collections.map((c) => [c.id, c]));
  const items = new Map(state.items.map((i) => [i.id, i]));
  const itemsOf = new Map<string, WorldItem[]>();
  for (const item of state.items) {
    const list = itemsOf.get(item.collectionId);
    if (list) list.push(item);
    else itemsOf.set(item.collectionId, [item]);
  }

  function collection(collectionId: string): WorldCollection {
    const found = collections.get(collectionId);
    if (!found) throw new WorldError('not_found', `Collection ${collectionId} was not found.`);
    return found;
  }
  function item(collectionId: string, itemId: string): WorldItem {
    const found = items.get(itemId);
    if (!found || found.collectionId !== collectionId) throw new WorldError('not_found', `Item ${itemId} was not found in collection ${collectionId}.`);
    return found;
  }
  /** The site's CMS locale with this `cmsLocaleId`; the primary when none is given. */
  function cmsLocale(siteId: string, cmsLocaleId: string | undefined): SeedLocale {
    const { locales } = deps.site(siteId);
    if (cmsLocaleId === undefined || cmsLocaleId === '') return locales.primary;
    const found = [locales.primary, ...locales.secondary].find((l) => l.cmsLocaleId === cmsLocaleId);
    if (!found) throw new WorldError('invalid', `cmsLocaleId ${cmsLocaleId} is not a CMS locale of this site.`, [{ param: 'cmsLocaleId', description: 'Unknown CMS locale' }]);
    return found;
  }
  /** An item's staged content in a CMS locale: its own version, else the primary's. */
  function version(owner: WorldCollection, found: WorldItem, cmsLocaleId: string) {
    const primary = deps.site(owner.siteId).locales.primary.cmsLocaleId;
    const own = found.versions[cmsLocaleId] ?? found.versions[primary];
    if (!own) throw new WorldError('not_found', `Item ${found.id} has no content.`);
    return own;
  }

  /** The value a PATCH sets, checked against the field's type; throws with the field named. */
  function checkValue(owner: WorldCollection, field: SeedField, value: unknown): FieldValue {
    const param = `fieldData.${field.slug}`;
    const invalid = (description: string): never => {
      throw new WorldError('invalid', `${field.displayName} (${field.slug}) ${description}.`, [{ param, description }]);
    };
    if (value === null) {
      if (field.isRequired) invalid('is required and cannot be null');
      return null;
    }
    switch (field.type) {
      case 'PlainText':
      case 'RichText': {
        if (typeof value !== 'string') return invalid(`must be a string (${field.type})`);
        const problem = textProblem(value);
        if (problem) invalid(problem);
        if (field.type === 'RichText') return storedText(owner.siteId, value);
        if (value.length > MAX_PLAIN_TEXT) invalid(`must be at most ${MAX_PLAIN_TEXT} characters`);
        if (field.isRequired && value.trim() === '') invalid('is required');
        if (field.slug === 'slug' && !SLUG.test(value)) invalid('must hold only lowercase letters, digits and single hyphens');
        return storedText(owner.siteId, value);
      }
      case 'Link': {
        if (typeof value !== 'string') return invalid('must be a URL (a string)');
        const problem = textProblem(value);
        if (problem) invalid(problem);
        if (field.isRequired && value.trim() === '') invalid('is required');
        return storedText(owner.siteId, value);
      }
      case 'Number':
        if (typeof value !== 'number' || !Number.isFinite(value)) invalid('must be a number');
        return value as number;
      case 'Switch':
        if (typeof value !== 'boolean') invalid('must be true or false');
        return value as boolean;
      case 'Image':
        return imageValue(owner.siteId, value, invalid);
      case 'MultiImage': {
        if (!Array.isArray(value)) return invalid('must be an array of images');
        if (value.length > MAX_GALLERY_IMAGES) invalid(`holds at most ${MAX_GALLERY_IMAGES} images`);
        return value.map((image, i) => imageValue(owner.siteId, image, (description) => invalid(`[${i}] ${description}`)));
      }
    }
  }

  /** `{fileId, url?, alt?}` or `{url, alt?}` of one of the site's image assets. */
  function imageValue(siteId: string, value: unknown, invalid: (description: string) => never): ImageValue {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return invalid('must be an image: {fileId, url, alt}');
    const { fileId, url, alt, ...rest } = value as Record<string, unknown>;
    const unknown = Object.keys(rest);
    if (unknown.length) invalid(`has fields an image does not have: ${unknown.join(', ')}`);
    if (alt !== undefined && alt !== null && typeof alt !== 'string') invalid('alt must be a string or null');
    if (typeof alt === 'string' && textProblem(alt)) invalid(`alt ${textProblem(alt) ?? ''}`);
    let assetId: string | undefined;
    if (fileId !== undefined) {
      if (typeof fileId !== 'string' || !OBJECT_ID.test(fileId)) invalid('fileId must be a 24-character hex asset id');
      assetId = fileId as string;
    } else if (typeof url === 'string') {
      // The sandbox cannot fetch a file from elsewhere: a URL must be one of the site's hosted assets.
      assetId = hostedAssetId(siteId, url);
      if (!assetId) invalid('url must be the hosted URL of one of the site’s assets (the sandbox does not import files from other URLs)');
    } else {
      invalid('needs a fileId or a url');
    }
    let asset: { id: string; contentType: string };
    try {
      asset = deps.asset(siteId, assetId as string);
    } catch {
      return invalid(`refers to asset ${String(assetId)}, which the site does not have`);
    }
    if (!asset.contentType.startsWith('image/')) invalid(`refers to ${asset.id}, which is not an image`);
    return { fileId: asset.id, alt: typeof alt === 'string' ? alt : null };
  }

  /**
   * The sandbox's hosted asset URLs in text (an inline image's src, a link, a pasted URL) are kept
   * as `@asset/<id>`, so the text outlives the sandbox's address; other text is kept as sent.
   */
  function storedText(siteId: string, text: string): string {
    if (!text.includes(`/cdn/${siteId}/`)) return text;
    return text.replace(/(?:https?:\/\/[^\s"'<>/]+)?\/cdn\/[^\s"'<>/]+\/[a-f0-9]{24}_[^\s"'<>]*/g, (url) => {
      const assetId = hostedAssetId(siteId, url);
      return assetId ? `@asset/${assetId}` : url;
    });
  }
  function hostedAssetId(siteId: string, url: string): string | undefined {
    const match = new RegExp(`/cdn/${siteId}/([a-f0-9]{24})_`).exec(url);
    if (!match?.[1]) return undefined;
    try {
      return deps.asset(siteId, match[1]).id;
    } catch {
      return undefined;
    }
  }

  return {
    collection,
    item,
    cmsLocale,
    version,
    listCollections(siteId: string): WorldCollection[] {
      deps.site(siteId);
      return state.collections.filter((c) => c.siteId === siteId);
    },
    listItems(collectionId: string): WorldItem[] {
      collection(collectionId);
      return itemsOf.get(collectionId) ?? [];
    },

    /**
     * Publishes items of one collection, each in its CMS locales (the primary when none is named):
     * the staged content goes live, so `lastPublished` becomes now and a draft is a draft no more.
     * An item or locale that cannot be published is told in `errors`, the others still are
     * (Webflow answers 202 with both lists).
     */
    publishItems(collectionId: string, requests: readonly ItemPublish[]): { publishedItemIds: string[]; errors: string[] } {
      const owner = collection(collectionId);
      if (requests.length === 0) throw new WorldError('invalid', 'itemIds must hold at least one item.', [{ param: 'itemIds', description: 'Empty' }]);
      if (requests.length > MAX_ITEMS_PER_UPDATE) {
        throw new WorldError('invalid', `At most ${MAX_ITEMS_PER_UPDATE} items can be published in one request (got ${requests.length}).`, [{ param: 'itemIds', description: `Too many items (limit ${MAX_ITEMS_PER_UPDATE})` }]);
      }
      const { locales } = deps.site(owner.siteId);
      const primary = locales.primary.cmsLocaleId;
      const publishedItemIds: string[] = [];
      const errors: string[] = [];
      const now = new Date().toISOString();
      for (const request of requests) {
        const found = items.get(request.id);
        if (!found || found.collectionId !== collectionId) {
          errors.push(`Staging item ID ${request.id} not found.`);
          continue;
        }
        if (found.isArchived) {
          errors.push(`Item ${request.id} is archived and cannot be published.`);
          continue;
        }
        const wanted = request.cmsLocaleIds?.length ? request.cmsLocaleIds : [primary];
        const unknown = wanted.filter((id) => ![locales.primary, ...locales.secondary].some((l) => l.cmsLocaleId === id));
        if (unknown.length > 0) {
          errors.push(`Item ${request.id}: cmsLocaleId ${unknown.join(', ')} is not a CMS locale of this site.`);
          continue;
        }
        for (const cmsLocaleId of wanted) {
          if (cmsLocaleId === primary) found.lastPublished = now;
          const own = found.versions[cmsLocaleId];
          if (own) own.lastPublished = now;
        }
        found.isDraft = false;
        publishedItemIds.push(found.id);
      }
      deps.changed();
      return { publishedItemIds, errors };
    },

    /** Deletes an item, every locale of it (`DELETE /v2/collections/{id}/items/{item_id}`). */
    deleteItem(collectionId: string, itemId: string): void {
      const found = item(collectionId, itemId);
      items.delete(found.id);
      const list = itemsOf.get(collectionId) ?? [];
      list.splice(list.indexOf(found), 1);
      state.items.splice(state.items.indexOf(found), 1);
      deps.changed();
    },

    /**
     * Stages changes to items of one collection, each in its CMS locale (the primary when none
     * is named): all are checked first, then all are written, each with a new `lastUpdated`.
     * A locale without its own version gets one, copied from the primary's.
     */
    updateItems(collectionId: string, changes: readonly ItemChange[]): { item: WorldItem; cmsLocaleId: string }[] {
      const owner = collection(collectionId);
      if (changes.length === 0) throw new WorldError('invalid', 'items must hold at least one item.', [{ param: 'items', description: 'Empty' }]);
      if (changes.length > MAX_ITEMS_PER_UPDATE) {
        throw new WorldError('invalid', `At most ${MAX_ITEMS_PER_UPDATE} items can be updated in one request (got ${changes.length}).`, [{ param: 'items', description: `Too many items (limit ${MAX_ITEMS_PER_UPDATE})` }]);
      }
      const fields = new Map(owner.fields.map((f) => [f.slug, f]));
      const planned = changes.map((change, index) => {
        const found = item(collectionId, change.id);
        const locale = cmsLocale(owner.siteId, change.cmsLocaleId).cmsLocaleId;
        const fieldData: Record<string, FieldValue> = {};
        for (const [slug, value] of Object.entries(change.fieldData ?? {})) {
          const field = fields.get(slug);
          if (!field) {
            throw new WorldError('invalid', `Field not described in schema: ${slug}`, [{ param: changes.length > 1 ? `items[${index}].fieldData` : 'fieldData', description: `Field not described in schema: ${slug}` }]);
          }
          fieldData[slug] = checkValue(owner, field, value);
        }
        return { found, locale, change, fieldData };
      });
      for (const { found, locale, fieldData } of planned) {
        const slug = fieldData.slug;
        if (typeof slug !== 'string') continue;
        const taken = (itemsOf.get(collectionId) ?? []).find((other) => other.id !== found.id && version(owner, other, locale).fieldData.slug === slug);
        if (taken) throw new WorldError('invalid', `Unique value is already in database: slug "${slug}" belongs to item ${taken.id}.`, [{ param: 'fieldData.slug', description: 'Unique value is already in database' }]);
      }
      const now = new Date().toISOString();
      const done = planned.map(({ found, locale, change, fieldData }) => {
        const current = version(owner, found, locale);
        found.versions[locale] = { lastUpdated: now, fieldData: { ...current.fieldData, ...fieldData } };
        if (change.isDraft !== undefined) found.isDraft = change.isDraft;
        if (change.isArchived !== undefined) found.isArchived = change.isArchived;
        return { item: found, cmsLocaleId: locale };
      });
      deps.changed();
      return done;
    },
  };
}
